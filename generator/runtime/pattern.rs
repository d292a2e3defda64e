//! ECMAScript `pattern` checks, with each regular expression compiled once, on first use.

use std::sync::OnceLock;

use super::validate::ValidationError;

/// A `pattern` from the schema.
pub(crate) struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    pub(crate) const fn new(source: &'static str) -> Self {
        Pattern { source, compiled: OnceLock::new() }
    }

    /// Whether `value` matches somewhere (JSON Schema patterns are not anchored).
    ///
    /// The generator checked that the pattern compiles; should a different `regress` version
    /// disagree, the check is skipped rather than failing every request.
    pub(crate) fn check(&self, value: &str) -> Result<(), ValidationError> {
        let compiled = self.compiled.get_or_init(|| regress::Regex::new(self.source).ok());
        match compiled {
            Some(re) if re.find(value).is_none() => {
                Err(ValidationError::new(format!("must match the pattern `{}`", self.source)))
            }
            _ => Ok(()),
        }
    }
}
