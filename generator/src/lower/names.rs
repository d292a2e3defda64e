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

/// Names clippy's `disallowed_names` lint refuses for bindings by default; fields and
/// parameters are bindings in the generated code (constructor arguments, decoding slots).
const PLACEHOLDERS: &[&str] = &["foo", "baz", "quux"];

/// `name` without the underscores rustc's `non_camel_case_types` objects to: one beside a
/// letter, as where an escaped keyword was joined to more (`Self_` and `Len`: `SelfLen`). A
/// trailing one, which escapes a keyword, stays.
fn camel_joined(name: &str) -> String {
    let body = name.trim_end_matches('_');
    let chars: Vec<char> = body.chars().collect();
    let mut out: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            let beside_letter = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphabetic());
            *c != '_' || i == 0 || !(beside_letter(i.checked_sub(1)) || beside_letter(Some(i + 1)))
        })
        .map(|(_, c)| *c)
        .collect();
    out.push_str(&name[body.len()..]);
    out
}

/// Replace what heck cannot see as a word boundary; accented Latin letters lose their accents
/// (`café` → `cafe`), other non-ASCII characters are dropped.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = unaccented(c) {
            out.push_str(plain);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The ASCII spelling of a Latin-1 or Latin Extended-A letter, if it has one.
fn unaccented(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐ", "D"),
        ("ďđ", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ĤĦ", "H"),
        ("ĥħ", "h"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("Ĵ", "J"),
        ("ĵ", "j"),
        ("Ķ", "K"),
        ("ķ", "k"),
        ("ĹĻĽĿŁ", "L"),
        ("ĺļľŀł", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņňŉ", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ŢŤŦ", "T"),
        ("ţťŧ", "t"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("Ŵ", "W"),
        ("ŵ", "w"),
        ("ÝŶŸ", "Y"),
        ("ýÿŷ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("Æ", "Ae"),
        ("æ", "ae"),
        ("Œ", "Oe"),
        ("œ", "oe"),
        ("ß", "ss"),
        ("Þ", "Th"),
        ("þ", "th"),
        ("Ð", "D"),
        ("ð", "d"),
    ];
    if c.is_ascii() {
        return None;
    }
    TABLE.iter().find(|(from, _)| from.contains(c)).map(|(_, to)| *to)
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

/// An `UpperCamelCase` name that spells out what [`camel`] drops: `""` → `Empty`, `"+1"` →
/// `Plus1`, `"😀"` → `U1F600`. For enum values that have no usable characters or that collide
/// once punctuation is dropped.
pub fn spelled(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".into();
    }
    let mut pieces: Vec<String> = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, pieces: &mut Vec<String>| {
        if !run.is_empty() {
            pieces.push(run.to_upper_camel_case());
            run.clear();
        }
    };
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            run.push(c);
        } else if let Some(plain) = unaccented(c) {
            run.push_str(plain);
        } else {
            flush(&mut run, &mut pieces);
            pieces.push(symbol_name(c).map_or_else(|| format!("U{:X}", c as u32), str::to_owned));
        }
    }
    flush(&mut run, &mut pieces);
    let mut s = pieces.concat();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// A word for an ASCII punctuation character.
fn symbol_name(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '\\' => "Backslash",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '!' => "Bang",
        '?' => "Question",
        '#' => "Hash",
        '@' => "At",
        '&' => "And",
        '%' => "Percent",
        '$' => "Dollar",
        '=' => "Eq",
        '<' => "Lt",
        '>' => "Gt",
        '~' => "Tilde",
        '^' => "Caret",
        '|' => "Pipe",
        '_' => "Underscore",
        ' ' => "Space",
        '(' => "LParen",
        ')' => "RParen",
        '[' => "LBracket",
        ']' => "RBracket",
        '{' => "LBrace",
        '}' => "RBrace",
        '\'' => "Quote",
        '"' => "DoubleQuote",
        '`' => "Backtick",
        _ => return None,
    })
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
    if is_keyword(&s) || PLACEHOLDERS.contains(&s.as_str()) {
        s.push('_');
    }
    Some(s)
}

/// The name of the variant that keeps values a type does not list (an open enum's unlisted
/// value, a union's unknown kind): `Unknown`, or `UnknownValue` when a listed one is `Unknown`.
/// Taken last, so listed variants keep their names.
pub fn unknown_variant(variants: &mut Namespace) -> String {
    variants.unique(if variants.contains("Unknown") { "UnknownValue" } else { "Unknown" })
}

/// What a schema type whose name the crate root already has is called instead: `Error`
/// becomes `ErrorModel` (openapi-generator's word for the same clash).
const CLEAR_OF_ROOT_SUFFIX: &str = "Model";

/// A set of names in one namespace that hands out distinct names.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    used: HashSet<String>,
    /// Whether names the crate root has are taken with [`CLEAR_OF_ROOT_SUFFIX`].
    clear_of_root: bool,
    /// Names handed out clear of the root, with the name asked for.
    renamed: std::collections::HashMap<String, String>,
    /// The next counter to try per base name: many colliding names stay linear, not quadratic.
    next: std::collections::HashMap<String, u32>,
    /// Appended before the counter: `""` gives `Foo2`, `"_"` gives `foo_2`.
    separator: &'static str,
}

impl Namespace {
    /// A namespace for `UpperCamelCase` names (`Foo`, `Foo2`).
    pub fn camel() -> Self {
        Namespace { separator: "", ..Default::default() }
    }

    /// The namespace of a crate's schema types: `UpperCamelCase`, and clear of the names the
    /// crate root has ([`crate::layout::is_root_type`]).
    pub fn types() -> Self {
        Namespace { clear_of_root: true, ..Self::camel() }
    }

    /// The name asked for, when `name` was handed out instead because the crate root has it.
    pub fn renamed_from(&self, name: &str) -> Option<&str> {
        self.renamed.get(name).map(String::as_str)
    }

    /// A namespace for `snake_case` names (`foo`, `foo_2`).
    pub fn snake() -> Self {
        Namespace { separator: "_", ..Default::default() }
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
    ///
    /// A snake name that already ends in `_` (`self_`) gets no second one (`self_2`: a double
    /// underscore is not snake case), and a camel name ending in a digit gets `_` before the
    /// counter (`V1_2`, not `V12`, which reads as twelve).
    pub fn unique(&mut self, base: &str) -> String {
        let joined;
        let base = if self.separator.is_empty() {
            joined = camel_joined(base);
            joined.as_str()
        } else {
            base
        };
        if self.clear_of_root && crate::layout::is_root_type(base) {
            let name = self.unique(&format!("{base}{CLEAR_OF_ROOT_SUFFIX}"));
            self.renamed.insert(name.clone(), base.to_string());
            return name;
        }
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        // A camel name escaped with a trailing `_` (`Self_`) drops it before the counter:
        // `Self_2` is not camel case, `Self2` is.
        let stem = if self.separator.is_empty() { base.trim_end_matches('_') } else { base };
        let separator = match self.separator {
            "_" if base.ends_with('_') => "",
            "" if stem.ends_with(|c: char| c.is_ascii_digit()) => "_",
            other => other,
        };
        // Counters only grow, so the result is what scanning from 2 would give.
        let counter = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{stem}{separator}{counter}");
            *counter += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
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
        assert_eq!(camel("café au lait", "T").as_deref(), Some("CafeAuLait"));
        assert_eq!(camel("Straße", "T").as_deref(), Some("Strasse"));
        assert_eq!(camel("名前", "T"), None);
        assert_eq!(camel("a.b/c", "T").as_deref(), Some("ABC"));
    }

    #[test]
    fn spelled_names_keep_what_camel_case_drops() {
        assert_eq!(spelled(""), "Empty");
        assert_eq!(spelled("+1"), "Plus1");
        assert_eq!(spelled("-"), "Minus");
        assert_eq!(spelled("😀"), "U1F600");
        assert_eq!(spelled("a b"), "ASpaceB");
        assert_eq!(spelled("1st"), "V1st");
        assert_eq!(spelled("self"), "Self_");
        assert_eq!(spelled("née"), "Nee");
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
        assert_eq!(snake("naïve").as_deref(), Some("naive"));
        // clippy's `disallowed_names` would refuse them as bindings.
        assert_eq!(snake("foo").as_deref(), Some("foo_"));
        assert_eq!(snake("bar").as_deref(), Some("bar"));
    }

    #[test]
    fn namespaces_hand_out_distinct_names() {
        let mut ns = Namespace::camel();
        assert_eq!(ns.unique("Asc"), "Asc");
        assert_eq!(ns.unique("Asc"), "Asc2");
        ns.reserve("Asc3");
        assert_eq!(ns.unique("Asc"), "Asc4");
        assert_eq!(ns.unique("V1"), "V1");
        assert_eq!(ns.unique("V1"), "V1_2");
        assert_eq!(ns.unique("Self_"), "Self_");
        assert_eq!(ns.unique("Self_"), "Self2");
        // An escaped keyword joined to more loses the escape: camel case, not `Self_Len`.
        assert_eq!(ns.unique("Self_Len"), "SelfLen");
        assert_eq!(ns.unique("Type_Error2xx"), "TypeError2xx");
        let mut ns = Namespace::snake();
        assert_eq!(ns.unique("foo_bar"), "foo_bar");
        assert_eq!(ns.unique("foo_bar"), "foo_bar_2");
        assert_eq!(ns.unique("self_"), "self_");
        assert_eq!(ns.unique("self_"), "self_2");
    }

    #[test]
    fn schema_types_keep_clear_of_the_crate_root() {
        let mut ns = Namespace::types();
        assert_eq!(ns.unique("Job"), "Job");
        assert_eq!(ns.unique("ApiError"), "ApiErrorModel");
        assert_eq!(ns.unique("Server"), "ServerModel");
        assert_eq!(ns.unique("Error"), "ErrorModel");
        assert_eq!(ns.unique("Error"), "ErrorModel2");
        assert_eq!(ns.renamed_from("ErrorModel2"), Some("Error"));
        assert_eq!(ns.renamed_from("Job"), None);
        // Other namespaces (variants, fields) have no crate root to keep clear of.
        assert_eq!(Namespace::camel().unique("Error"), "Error");
    }
}
