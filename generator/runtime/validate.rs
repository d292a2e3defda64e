//! Checking constrained values before they are sent.
//!
//! Values decoded from responses are not checked (a server that breaks its own constraints
//! should not break the call); values about to be sent are.

use std::collections::BTreeMap;
use std::fmt::{self, Display};

/// A value that breaks a constraint of the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    path: String,
    message: String,
}

impl ValidationError {
    // clientgen:if validation_error
    // clientgen:gate validation_error
    /// A violation of the value itself.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ValidationError { path: String::new(), message: message.into() }
    }
    // clientgen:end

    /// The same violation, seen from the containing value's field or index `segment`.
    pub(crate) fn within(mut self, segment: &str) -> Self {
        if segment.is_empty() {
            return self;
        }
        self.path = match (self.path.is_empty(), self.path.starts_with('[')) {
            (true, _) => segment.to_owned(),
            (false, true) => format!("{segment}{}", self.path),
            (false, false) => format!("{segment}.{}", self.path),
        };
        self
    }

    /// Which value, e.g. `billing.deploymentPlan` (empty for the value itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid value: {}", self.message)
        } else {
            write!(f, "invalid value for `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ValidationError {}

/// `result`, its violation seen from the containing value's field or index `segment`.
///
/// A function, not a `map_err` closure at each call: the generated types check their fields
/// through it, and a closure per field was a function compiled per field.
pub(crate) fn within(result: Result<(), ValidationError>, segment: &str) -> Result<(), ValidationError> {
    result.map_err(|e| e.within(segment))
}

/// A value whose constraints can be checked.
pub trait Validate {
    /// Check every constraint; the error says which value breaks which rule.
    ///
    /// # Errors
    /// The first violation found.
    fn validate(&self) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        (**self).validate()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), Validate::validate)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        for (i, item) in self.iter().enumerate() {
            within(item.validate(), &format!("[{i}]"))?;
        }
        Ok(())
    }
}

impl<K: Validate + Display, V: Validate> Validate for BTreeMap<K, V> {
    fn validate(&self) -> Result<(), ValidationError> {
        for (k, v) in self {
            within(k.validate(), &format!("[{k}]"))?;
            within(v.validate(), &format!("[{k}]"))?;
        }
        Ok(())
    }
}

// clientgen:if validate_keys
// clientgen:gate validate_keys
/// Check the keys of a map whose values have no constraints.
pub(crate) fn validate_keys<K: Validate + Display, V>(map: &BTreeMap<K, V>) -> Result<(), ValidationError> {
    for k in map.keys() {
        within(k.validate(), &format!("[{k}]"))?;
    }
    Ok(())
}
// clientgen:end

// clientgen:if checked_map
/// A map with checked keys (a schema's `propertyNames`) from `(key, value)` pairs: each key
/// goes through its type's checked constructor once, and the first key that breaks its
/// constraint is the error, naming the key.
///
/// ```text
/// let overrides = StartJobRunRequest {
///     runtime_environment: Some(checked_map([("RUST_LOG", "debug"), ("REGION", "eu")])?),
///     ..StartJobRunRequest::default()
/// };
/// ```
///
/// # Errors
/// The first key its type refuses.
pub fn checked_map<K, V, I, KS, VS>(pairs: I) -> Result<BTreeMap<K, V>, ValidationError>
where
    I: IntoIterator<Item = (KS, VS)>,
    KS: Into<String>,
    K: TryFrom<String, Error = ValidationError> + Ord,
    VS: Into<V>,
{
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        let key: String = key.into();
        let segment = format!("[{key}]");
        let checked = K::try_from(key).map_err(|e| e.within(&segment))?;
        map.insert(checked, value.into());
    }
    Ok(map)
}
// clientgen:end

macro_rules! always_valid {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate(&self) -> Result<(), ValidationError> {
                Ok(())
            }
        }
    )*};
}

// Unconstrained types that can sit beside constrained ones in maps and containers.
always_valid!(String, serde_json::Value, bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, ());

// clientgen:if check_length
// clientgen:gate check_length
/// Length in characters (Unicode scalar values), as JSON Schema counts.
pub(crate) fn check_length(value: &str, min: Option<u64>, max: Option<u64>) -> Result<(), ValidationError> {
    let len = value.chars().count() as u64;
    match (min, max) {
        (Some(min), _) if len < min => {
            Err(ValidationError::new(format!("must be at least {min} characters long, got {len}")))
        }
        (_, Some(max)) if len > max => {
            Err(ValidationError::new(format!("must be at most {max} characters long, got {len}")))
        }
        _ => Ok(()),
    }
}
// clientgen:end

// clientgen:if check_range
// clientgen:gate check_range
/// Bounds of a number.
pub(crate) fn check_range<N: PartialOrd + Display + Copy>(
    value: N,
    min: Option<N>,
    exclusive_min: bool,
    max: Option<N>,
    exclusive_max: bool,
) -> Result<(), ValidationError> {
    if let Some(min) = min {
        if value < min || (exclusive_min && value == min) {
            let rel = if exclusive_min { "greater than" } else { "at least" };
            return Err(ValidationError::new(format!("must be {rel} {min}, got {value}")));
        }
    }
    if let Some(max) = max {
        if value > max || (exclusive_max && value == max) {
            let rel = if exclusive_max { "less than" } else { "at most" };
            return Err(ValidationError::new(format!("must be {rel} {max}, got {value}")));
        }
    }
    Ok(())
}
// clientgen:end

// clientgen:if check_multiple_of
// clientgen:gate check_multiple_of
/// `multipleOf`.
pub(crate) fn check_multiple_of(value: f64, factor: f64) -> Result<(), ValidationError> {
    let q = value / factor;
    if (q - q.round()).abs() > 1e-9 {
        return Err(ValidationError::new(format!("must be a multiple of {factor}, got {value}")));
    }
    Ok(())
}
// clientgen:end

#[cfg(test)]
mod tests {
    // clientgen:if validation_error
    // clientgen:gate validation_error
    use super::*;

    // clientgen:gate validation_error
    #[test]
    fn validation_paths_compose() {
        let e = ValidationError::new("too short").within("deploymentPlan").within("billing");
        assert_eq!(e.path(), "billing.deploymentPlan");
        let e = ValidationError::new("x").within("[2]").within("tags");
        assert_eq!(e.path(), "tags[2]");
    }
    // clientgen:end

    // clientgen:if check_length
    // clientgen:gate check_length
    #[test]
    fn lengths_count_characters() {
        assert!(check_length("ééé", Some(3), Some(3)).is_ok());
        assert!(check_length("ab", Some(3), None).unwrap_err().message().contains("at least 3"));
        assert!(check_length("abcd", None, Some(3)).is_err());
    }
    // clientgen:end

    // clientgen:if check_range
    // clientgen:gate check_range
    #[test]
    fn ranges() {
        assert!(check_range(5, Some(1), false, Some(5), false).is_ok());
        assert!(check_range(5, Some(1), false, Some(5), true).is_err());
        assert!(check_range(0.5, Some(1.0), false, None, false).is_err());
    }
    // clientgen:end

    // clientgen:if check_multiple_of
    // clientgen:gate check_multiple_of
    #[test]
    fn multiples() {
        assert!(check_multiple_of(0.3, 0.1).is_ok());
        assert!(check_multiple_of(0.35, 0.1).is_err());
    }
    // clientgen:end
}
