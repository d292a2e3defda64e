//! Schema text to doc comments that are safe and lint-clean.
//!
//! Descriptions are Markdown written by others. Rustdoc would run their Rust-looking code
//! blocks as doctests, resolve `[brackets]` as intra-doc links and flag bare URLs and unknown
//! HTML tags; clippy flags lazily continued list items and tabs. This module rewrites the
//! text so none of that happens, while keeping it readable.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc]` attributes for `docs`, plus optional extra paragraphs (e.g. a wire value).
pub fn attrs(docs: &Docs, extra: &[String]) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(t) = docs.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        paragraphs.push(sanitize(t));
    }
    if let Some(d) = docs.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        let same_as_title = docs.title.as_deref().map(str::trim) == Some(d);
        if !same_as_title {
            paragraphs.push(sanitize(d));
        }
    }
    if docs.deprecated {
        paragraphs.push("**Deprecated.**".into());
    }
    paragraphs.extend(docs.notes.iter().map(|n| sanitize(n)));
    paragraphs.extend(extra.iter().cloned());
    lines_to_attrs(&paragraphs)
}

/// `#[doc]` attributes from already-safe paragraphs.
pub fn lines_to_attrs(paragraphs: &[String]) -> TokenStream {
    doc_lines(paragraphs, false)
}

/// `#![doc]` attributes (crate or module docs) from already-safe paragraphs.
pub fn inner_attrs(paragraphs: &[String]) -> TokenStream {
    doc_lines(paragraphs, true)
}

fn doc_lines(paragraphs: &[String], inner: bool) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(p.lines().map(str::to_owned));
    }
    let attrs = lines.iter().map(|l| {
        // Every doc line, also those quoting a wire value as it is: rustc refuses these.
        let l: String = l.chars().filter(|&c| !is_bidi_control(c)).collect();
        let text = if l.is_empty() { String::new() } else { format!(" {l}") };
        if inner { quote!(#![doc = #text]) } else { quote!(#[doc = #text]) }
    });
    quote!(#(#attrs)*)
}

/// Rewrite Markdown so rustdoc and clippy accept it and nothing in it runs or links.
pub fn sanitize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None; // the fence marker of an open code block
    let mut list_indent: Option<usize> = None; // content column of the open list item
    let mut prev_blank = true;
    let mut in_indented_code = false;
    for raw in text.lines() {
        let line: String = raw
            .chars()
            .filter(|&c| (!c.is_control() || c == '\t') && !is_bidi_control(c))
            .collect::<String>()
            .trim_end()
            .to_string();
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed.trim_start_matches(marker.chars().next().unwrap_or('`')).trim().is_empty()
            {
                out.push(marker.clone());
                fence = None;
            } else {
                out.push(line.clone());
            }
            prev_blank = false;
            continue;
        }
        if in_indented_code {
            if line.is_empty() || indent >= 4 {
                out.push(if line.is_empty() { String::new() } else { line[4.min(indent)..].to_string() });
                continue;
            }
            // Close the block, dropping trailing blank lines inside it.
            while out.last().is_some_and(String::is_empty) {
                out.pop();
            }
            out.push("```".into());
            out.push(String::new());
            in_indented_code = false;
            prev_blank = true;
        }
        if let Some(marker) = fence_marker(trimmed) {
            let info = trimmed[marker.len()..].trim();
            let lang = info.split([',', ' ']).next().unwrap_or("");
            // Untagged and Rust blocks would be compiled and run as doctests.
            let safe = if lang.is_empty() || lang.contains("rust") || lang == "rs" { "text" } else { lang };
            out.push(format!("{marker}{safe}"));
            fence = Some(marker);
            list_indent = None;
            prev_blank = false;
            continue;
        }
        if line.is_empty() {
            out.push(String::new());
            prev_blank = true;
            continue;
        }
        let item = list_item_content(trimmed).map(|c| indent + c);
        if prev_blank && indent >= 4 && item.is_none() && list_indent.is_none_or(|l| indent < l) {
            // An indented code block: also a doctest to rustdoc. Make it a text block.
            out.push("```text".into());
            out.push(line[4..].to_string());
            in_indented_code = true;
            continue;
        }
        let fixed = match (item, list_indent) {
            (Some(content), _) => {
                list_indent = Some(content);
                format!("{}{}", " ".repeat(indent.min(content)), trimmed)
            }
            // A line continuing a list item: indent it to the item's content (exactly, so it
            // is neither a lazy continuation nor over-indented).
            (None, Some(content)) if !prev_blank || indent >= content => format!("{}{}", " ".repeat(content), trimmed),
            _ => {
                list_indent = None;
                // Four spaces would start a code block; keep paragraphs flush.
                trimmed.to_string()
            }
        };
        out.push(escape_inline(&fixed));
        prev_blank = false;
    }
    if in_indented_code {
        while out.last().is_some_and(String::is_empty) {
            out.pop();
        }
        out.push("```".into());
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    // Collapse runs of blank lines.
    let mut collapsed: Vec<String> = Vec::with_capacity(out.len());
    for l in out {
        if !(l.is_empty() && collapsed.last().is_some_and(String::is_empty)) {
            collapsed.push(l);
        }
    }
    collapsed.join("\n")
}

/// Characters that change the visible direction of text: rustc refuses them in doc comments
/// (they can make code read differently from what it does), so they are dropped.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// ```` ``` ```` or `~~~` (3 or more) opening a fenced block.
fn fence_marker(trimmed: &str) -> Option<String> {
    for c in ['`', '~'] {
        let n = trimmed.chars().take_while(|&x| x == c).count();
        if n >= 3 {
            // A backtick fence's info string may not contain backticks.
            if c == '`' && trimmed[n..].contains('`') {
                return None;
            }
            return Some(c.to_string().repeat(n));
        }
    }
    None
}

/// If the line starts a list item, the column its content starts at (relative to the marker):
/// after the marker and its 1-4 spaces, as CommonMark counts.
fn list_item_content(trimmed: &str) -> Option<usize> {
    let b = trimmed.as_bytes();
    let marker = if b.first().is_some_and(|c| matches!(c, b'-' | b'*' | b'+')) {
        1
    } else {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) || !b.get(digits).is_some_and(|c| matches!(c, b'.' | b')')) {
            return None;
        }
        digits + 1
    };
    let spaces = b[marker..].iter().take_while(|&&c| c == b' ').count();
    match spaces {
        0 => None,
        // Five or more: the content is an indented code block one space after the marker.
        1..=4 if marker + spaces < b.len() => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Escape one line outside code blocks: brackets (not Markdown links), `<` (not autolinks),
/// and wrap bare URLs; code spans are left alone.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Code span: copy through the matching run of backticks.
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&x| x == '`').count();
            let close = (i + run..chars.len()).find(|&j| {
                chars[j..].iter().take_while(|&&x| x == '`').count() == run && (j == 0 || chars[j - 1] != '`')
            });
            match close {
                Some(j) => {
                    out.extend(&chars[i..j + run]);
                    i = j + run;
                }
                None => {
                    out.extend(&chars[i..i + run]);
                    i += run;
                }
            }
            continue;
        }
        // A Markdown link `[text](url)`: keep it, but escape inside the text.
        if c == '[' {
            if let Some((text_end, url_end)) = markdown_link(&chars, i) {
                let text: String = chars[i + 1..text_end].iter().collect();
                let url: String = chars[text_end + 2..url_end].iter().collect();
                if url.starts_with("http://") || url.starts_with("https://") || url.starts_with('#') {
                    out.push('[');
                    out.push_str(&escape_inline(&text));
                    out.push_str("](");
                    out.push_str(&url);
                    out.push(')');
                    i = url_end + 1;
                    continue;
                }
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == '<' {
            let rest: String = chars[i + 1..].iter().take_while(|&&x| x != '>' && x != ' ').collect();
            let closed = chars.get(i + 1 + rest.chars().count()) == Some(&'>');
            if closed && (rest.starts_with("http://") || rest.starts_with("https://")) {
                out.push('<');
                out.push_str(&rest);
                out.push('>');
                i += rest.chars().count() + 2;
                continue;
            }
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if (c == 'h') && (starts_with(&chars, i, "http://") || starts_with(&chars, i, "https://")) {
            let prev = if i == 0 { ' ' } else { chars[i - 1] };
            if !prev.is_alphanumeric() && prev != '(' {
                let mut end = i;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !matches!(chars[end], '<' | '>' | '"' | '`' | '[' | ']' | '{' | '}' | '|' | '\\' | '^')
                {
                    end += 1;
                }
                // Trailing punctuation belongs to the sentence.
                while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'') {
                    end -= 1;
                }
                let url: String = chars[i..end].iter().collect();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], at: usize, s: &str) -> bool {
    s.chars().enumerate().all(|(k, c)| chars.get(at + k) == Some(&c))
}

/// `[text](url)` starting at `open`: the index of `]` and of the closing `)`.
fn markdown_link(chars: &[char], open: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut close = None;
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    if chars[close + 2..end].iter().any(|c| c.is_whitespace()) {
        return None;
    }
    Some((close, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_and_untagged_code_blocks_become_text() {
        let s = sanitize("Example:\n```rust\nfn main() { evil() }\n```\nand\n```\nx\n```\n```json\n{}\n```");
        assert!(!s.contains("```rust"));
        assert_eq!(s.matches("```text").count(), 2);
        assert!(s.contains("```json"));
    }

    #[test]
    fn unclosed_fences_are_closed() {
        let s = sanitize("```\nfn main() {}");
        assert!(s.ends_with("```"), "{s}");
        assert!(s.starts_with("```text"));
    }

    #[test]
    fn indented_code_blocks_become_text_blocks() {
        let s = sanitize("Run this:\n\n    fn main() {}\n    more\n\nAfter.");
        assert_eq!(s, "Run this:\n\n```text\nfn main() {}\nmore\n```\n\nAfter.");
    }

    #[test]
    fn brackets_urls_and_tags_are_escaped() {
        assert_eq!(sanitize("See [Foo] and [docs](https://x.io/a)."), "See \\[Foo\\] and [docs](https://x.io/a).");
        assert_eq!(sanitize("Go to https://example.com/a_b."), "Go to <https://example.com/a_b>.");
        assert_eq!(sanitize("GET /repos/<owner>/x"), "GET /repos/&lt;owner>/x");
        assert_eq!(sanitize("Keep `[a]` and `<b>`"), "Keep `[a]` and `<b>`");
        assert_eq!(sanitize("<https://x.io>"), "<https://x.io>");
    }

    #[test]
    fn list_continuations_are_indented_to_the_item() {
        let s = sanitize("- first\ncontinued\n- second\n        over-indented\n\nParagraph.");
        assert_eq!(s, "- first\n  continued\n- second\n  over-indented\n\nParagraph.");
        let s = sanitize("1. one\ntwo");
        assert_eq!(s, "1. one\n   two");
        // Content after several spaces starts where the text does.
        let s = sanitize("*   To get it\n  API docs.");
        assert_eq!(s, "*   To get it\n    API docs.");
    }

    #[test]
    fn tabs_and_control_characters_go() {
        assert_eq!(sanitize("a\tb\u{7}c\r\nd"), "a    bc\nd");
        assert_eq!(sanitize("safe\u{202E}txt.exe\u{2066}x\u{200F}"), "safetxt.exex");
    }

    #[test]
    fn no_doc_line_keeps_a_bidi_control() {
        // Wire values are quoted in docs without going through `sanitize`.
        let tokens = lines_to_attrs(&["`a\u{202E}b\u{2066}`".to_owned()]).to_string();
        assert!(!tokens.contains('\u{202E}') && !tokens.contains('\u{2066}'), "{tokens}");
        assert!(tokens.contains("`ab`"), "{tokens}");
    }

    #[test]
    fn doc_attrs_cannot_break_out_of_the_string() {
        let docs = Docs { description: Some("\"] fn evil() {} #[doc = \"".into()), ..Docs::default() };
        let tokens = attrs(&docs, &[]).to_string();
        assert!(tokens.starts_with("# [doc = "), "{tokens}");
        assert_eq!(tokens.matches("# [doc").count(), 1);
    }
}
