//! Source text of one loaded file and the mapping from byte offsets to lines and columns.

use crate::diag::{Excerpt, Location, Span};

/// Widest excerpt shown around a span, in bytes either side; minified JSON is one long line.
const EXCERPT_WINDOW: usize = 80;

/// One loaded file: its name for messages, its text and where each line starts.
///
/// Locating is O(1) (plus a character count on non-ASCII lines), so a minified one-line file
/// with many diagnostics does not take quadratic time.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<u32>,
    /// Per line: whether it is all ASCII, so its columns are byte offsets.
    line_ascii: Vec<bool>,
    /// (byte offset, characters before it) about every [`CHECKPOINT_BYTES`], so a column on a
    /// long non-ASCII line counts a few KiB of characters, not the whole line.
    checkpoints: Vec<(u32, u32)>,
}

/// Distance between character-count checkpoints.
const CHECKPOINT_BYTES: usize = 4096;

impl SourceFile {
    /// Index `text`, to be reported as `name`.
    pub fn new(name: String, text: String) -> Self {
        let mut line_starts = vec![0u32];
        let mut line_ascii = vec![true];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
                line_ascii.push(true);
            } else if !b.is_ascii() {
                if let Some(last) = line_ascii.last_mut() {
                    *last = false;
                }
            }
        }
        let mut checkpoints = vec![(0u32, 0u32)];
        if !text.is_ascii() {
            let mut next = CHECKPOINT_BYTES;
            for (chars, (i, _)) in text.char_indices().enumerate() {
                if i >= next {
                    let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
                    checkpoints.push((clamp(i), clamp(chars)));
                    next = i + CHECKPOINT_BYTES;
                }
            }
        }
        SourceFile { name, text, line_starts, line_ascii, checkpoints }
    }

    /// Characters before byte `offset` (a character boundary) in the whole text.
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(b, _)| b as usize <= offset).saturating_sub(1);
        let (b, c) = self.checkpoints[i];
        c as usize + self.text.get(b as usize..offset).map_or(0, |t| t.chars().count())
    }

    /// The name used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 0-based line index containing byte `offset`.
    fn line_index(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line and character column of byte `offset`.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let offset = offset as u32;
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let col = if self.line_ascii[line] {
            offset as usize - start
        } else {
            self.chars_before(offset as usize) - self.chars_before(start)
        };
        (line as u32 + 1, col as u32 + 1)
    }

    /// Byte offset of the end of line `line` (before its `\n`).
    fn line_end(&self, line: usize) -> usize {
        self.line_starts.get(line + 1).map_or(self.text.len(), |&next| next as usize - 1)
    }

    /// A location for `span`, with a one-line excerpt.
    pub fn location(&self, span: Span) -> Location {
        let (line, column) = self.line_col(span.start);
        Location { path: self.name.clone(), line, column, excerpt: self.excerpt(span) }
    }

    fn excerpt(&self, span: Span) -> Option<Excerpt> {
        // Spans should sit on character boundaries; if one does not, widen it to whole
        // characters rather than hand the renderer a range it would panic on.
        let mut start = (span.start as usize).min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let line = self.line_index(start as u32);
        let line_start = self.line_starts[line] as usize;
        let line_end = self.line_end(line);
        let line_text = self.text.get(line_start..line_end)?.trim_end_matches('\r');
        let line_end = line_start + line_text.len();
        // Keep the excerpt short on very long lines, on character boundaries.
        let mut from = start.saturating_sub(EXCERPT_WINDOW).max(line_start);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (start + EXCERPT_WINDOW).min(line_end);
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        let text = self.text.get(from..to)?.to_string();
        // A span on the line's trailing `\r` starts past `to`.
        let start = start.clamp(from, to);
        let mut span_end = (span.end as usize).clamp(start, to);
        while !self.text.is_char_boundary(span_end) {
            span_end += 1;
        }
        let mut range = (start - from)..(span_end - from);
        if range.is_empty() {
            // Point at one character (or the end of the line) rather than nothing.
            let next = text[range.start..].chars().next().map_or(0, char::len_utf8);
            range = range.start..range.start + next;
        }
        Some(Excerpt { first_line: line as u32 + 1, text, range })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = SourceFile::new("a.yaml".into(), "ab\nçd: x\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(f.line_col(5), (2, 2));
    }

    #[test]
    fn columns_of_ascii_and_non_ascii_lines() {
        let f = SourceFile::new("a".into(), "abc\nxyz\r\néé é\n".into());
        assert_eq!(f.line_col(6), (2, 3));
        assert_eq!(f.line_col(14), (3, 4));
        assert_eq!(f.location(Span::new(4, 7)).excerpt.unwrap().text, "xyz");
        assert_eq!(f.line_col(1_000), (4, 1), "offsets past the end clamp");
    }

    #[test]
    fn columns_on_a_long_non_ascii_line_use_checkpoints() {
        let text = "é".repeat(10_000) + "x" + &"ü".repeat(5_000) + "\n" + &"ç".repeat(3);
        let f = SourceFile::new("a".into(), text.clone());
        assert!(f.checkpoints.len() > 4);
        assert_eq!(f.line_col(20_000), (1, 10_001));
        assert_eq!(f.line_col(20_001 + 9_998), (1, 15_001));
        let line2 = text.find('\n').unwrap() + 1;
        assert_eq!(f.line_col((line2 + 4) as u32), (2, 3));
    }

    #[test]
    fn spans_on_a_trailing_carriage_return_still_get_an_excerpt() {
        let f = SourceFile::new("crlf".into(), "ab\r\r\ncd".into());
        let ex = f.location(Span::new(3, 4)).excerpt.unwrap();
        assert_eq!(ex.text, "ab");
        assert!(ex.range.end <= ex.text.len());
    }

    #[test]
    fn spans_inside_a_character_are_widened_to_it() {
        let f = SourceFile::new("a".into(), "ab\u{feff}cd".into());
        let ex = f.location(Span::new(3, 4)).excerpt.unwrap();
        assert_eq!(&ex.text[ex.range.clone()], "\u{feff}");
        assert_eq!(f.line_col(4), (1, 3));
    }

    #[test]
    fn excerpt_of_a_long_line_is_windowed() {
        let long = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let f = SourceFile::new("min.json".into(), long);
        let loc = f.location(Span::new(1000, 1001));
        let ex = loc.excerpt.unwrap();
        assert!(ex.text.len() <= 2 * EXCERPT_WINDOW);
        assert_eq!(&ex.text[ex.range.clone()], "X");
        assert_eq!(loc.column, 1001);
    }
}
