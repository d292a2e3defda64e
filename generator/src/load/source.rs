//! Source text of one loaded file and the mapping from byte offsets to lines and columns.

use crate::diag::{Excerpt, Location, Span};

/// Widest excerpt shown around a span, in bytes either side; minified JSON is one long line.
const EXCERPT_WINDOW: usize = 80;

/// One loaded file: its name for messages, its text and where each line starts.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Index `text`, to be reported as `name`.
    pub fn new(name: String, text: String) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        SourceFile { name, text, line_starts }
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
        let offset = offset.min(self.text.len() as u32);
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let col = self.text.get(start..offset as usize).map_or(0, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    /// A location for `span`, with a one-line excerpt.
    pub fn location(&self, span: Span) -> Location {
        let (line, column) = self.line_col(span.start);
        Location { path: self.name.clone(), line, column, excerpt: self.excerpt(span) }
    }

    fn excerpt(&self, span: Span) -> Option<Excerpt> {
        let start = (span.start as usize).min(self.text.len());
        let line = self.line_index(start as u32);
        let line_start = self.line_starts[line] as usize;
        let line_end = self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
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
        let span_end = (span.end as usize).clamp(start, to);
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
