//! Schema patterns (ECMA-262 regular expressions), read by `regress` as the schema means them.

/// Regex flags for a schema pattern: Unicode mode, as JSON Schema means (`\p{L}` is a
/// letter, `.` a code point), unless only the legacy syntax accepts the pattern.
pub fn pattern_flags(pattern: &str) -> &'static str {
    if regress::Regex::with_flags(pattern, "u").is_ok() { "u" } else { "" }
}

/// Whether `text` matches `pattern` somewhere (JSON Schema patterns are not anchored); an
/// invalid pattern matches nothing.
pub fn matches(pattern: &str, text: &str) -> bool {
    regress::Regex::with_flags(pattern, pattern_flags(pattern)).is_ok_and(|re| re.find(text).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_use_unicode_mode_when_they_can() {
        assert_eq!(pattern_flags("^\\p{L}+$"), "u");
        // `\_` is no escape in Unicode mode; the legacy syntax still reads it.
        assert_eq!(pattern_flags("^[\\w\\_]+$"), "");
        assert!(matches("^\\p{L}+$", "Zoë"));
        assert!(!matches("^\\p{L}+$", "Zo1"));
    }
}
