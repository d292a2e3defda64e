//! Keeping secrets out of `Debug` output and logs.

use std::fmt;

// clientgen:if operations
/// A secret string (a token, a password). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }

    // clientgen:gate calls
    /// The secret itself, for sending it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

// clientgen:end

// clientgen:if redacted
// clientgen:gate redacted
/// Stands in for a sensitive field in `Debug` output: shows whether it is set, never what.
pub(crate) struct Redacted(pub(crate) bool);

// clientgen:gate redacted
impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "[redacted]" } else { "None" })
    }
}
// clientgen:end

// clientgen:if redacted_keys
// clientgen:gate redacted_keys
/// Stands in for a sensitive map in `Debug` output: its keys (variable names, file paths),
/// each with `[redacted]` for its value.
pub(crate) struct RedactedKeys<'a, K, V>(pub(crate) &'a std::collections::BTreeMap<K, V>);

// clientgen:gate redacted_keys
impl<K: fmt::Display, V> fmt::Debug for RedactedKeys<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Hidden;
        impl fmt::Debug for Hidden {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }
        // As text, as on the wire: `"RUST_LOG": [redacted]`, not the key type's own `Debug`.
        f.debug_map().entries(self.0.keys().map(|k| (k.to_string(), Hidden))).finish()
    }
}
// clientgen:end
