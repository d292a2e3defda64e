//! ECMAScript `pattern` checks, with each regular expression compiled once, on first use.

use std::sync::OnceLock;

use super::validate::ValidationError;

/// A `pattern` from the schema.
pub(crate) struct Pattern {
    source: &'static str,
    flags: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    /// `flags` is `"u"` (Unicode mode, as JSON Schema means: `\p{L}` is a letter), or `""` for
    /// patterns only the legacy syntax accepts (such as `[\w\_]`).
    pub(crate) const fn new(source: &'static str, flags: &'static str) -> Self {
        Pattern { source, flags, compiled: OnceLock::new() }
    }

    /// Whether `value` matches somewhere (JSON Schema patterns are not anchored).
    ///
    /// The generator checked that the pattern compiles; should a different `regress` version
    /// disagree, the check is skipped rather than failing every request.
    pub(crate) fn check(&self, value: &str) -> Result<(), ValidationError> {
        let compiled = self.compiled.get_or_init(|| regress::Regex::with_flags(self.source, self.flags).ok());
        match compiled {
            Some(re) if re.find(value).is_none() => {
                Err(ValidationError::new(format!("must match the pattern `{}`", self.source)))
            }
            _ => Ok(()),
        }
    }
}
