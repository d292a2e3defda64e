//! Turning schema names into valid, distinct Rust identifiers.
//!
//! Identifiers are kept to ASCII so no schema can trip rustc's confusable-identifier lints;
//! the original names stay exact on the wire through serde renames.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of every edition, plus names raw identifiers cannot take.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Replace what heck cannot see as a word boundary, and drop non-ASCII characters.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// An `UpperCamelCase` identifier for a type or variant, or `None` if `raw` has no usable
/// characters (emoji, punctuation); `prefix` is put before a leading digit.
pub fn camel(raw: &str, prefix: &str) -> Option<String> {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{prefix}{s}");
    }
    if is_keyword(&s) {
        s.push('_');
    }
    Some(s)
}

/// A `snake_case` identifier for a field, parameter or method, or `None` if `raw` has no
/// usable characters.
pub fn snake(raw: &str) -> Option<String> {
    let mut s = ascii_words(raw).to_snake_case();
    if s.is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if is_keyword(&s) {
        s.push('_');
    }
    Some(s)
}

/// A set of names in one namespace that hands out distinct names.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    used: HashSet<String>,
    /// Appended before the counter: `""` gives `Foo2`, `"_"` gives `foo_2`.
    separator: &'static str,
}

impl Namespace {
    /// A namespace for `UpperCamelCase` names (`Foo`, `Foo2`).
    pub fn camel() -> Self {
        Namespace { used: HashSet::new(), separator: "" }
    }

    /// A namespace for `snake_case` names (`foo`, `foo_2`).
    pub fn snake() -> Self {
        Namespace { used: HashSet::new(), separator: "_" }
    }

    /// Mark `name` as taken.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// `base` if free, else `base2`, `base3`, ... ; the result is then taken.
    pub fn unique(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}{}{i}", self.separator))
            .find(|candidate| !self.used.contains(candidate))
            .inspect(|name| {
                self.used.insert(name.clone());
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_names() {
        assert_eq!(camel("job-run", "T").as_deref(), Some("JobRun"));
        assert_eq!(camel("HTTPServer", "T").as_deref(), Some("HttpServer"));
        assert_eq!(camel("ASC", "V").as_deref(), Some("Asc"));
        assert_eq!(camel("2fa", "V").as_deref(), Some("V2fa"));
        assert_eq!(camel("😀", "V"), None);
        assert_eq!(camel("", "V"), None);
        assert_eq!(camel("self", "V").as_deref(), Some("Self_"));
        assert_eq!(camel("café au lait", "T").as_deref(), Some("CafAuLait"));
        assert_eq!(camel("a.b/c", "T").as_deref(), Some("ABC"));
    }

    #[test]
    fn snake_case_names() {
        assert_eq!(snake("jobId").as_deref(), Some("job_id"));
        assert_eq!(snake("per_page").as_deref(), Some("per_page"));
        assert_eq!(snake("type").as_deref(), Some("type_"));
        assert_eq!(snake("self").as_deref(), Some("self_"));
        assert_eq!(snake("$top").as_deref(), Some("top"));
        assert_eq!(snake("404").as_deref(), Some("n404"));
        assert_eq!(snake("x-ratelimit-limit").as_deref(), Some("x_ratelimit_limit"));
        assert_eq!(snake("🎉"), None);
    }

    #[test]
    fn namespaces_hand_out_distinct_names() {
        let mut ns = Namespace::camel();
        assert_eq!(ns.unique("Asc"), "Asc");
        assert_eq!(ns.unique("Asc"), "Asc2");
        ns.reserve("Asc3");
        assert_eq!(ns.unique("Asc"), "Asc4");
        let mut ns = Namespace::snake();
        assert_eq!(ns.unique("foo_bar"), "foo_bar");
        assert_eq!(ns.unique("foo_bar"), "foo_bar_2");
    }
}
