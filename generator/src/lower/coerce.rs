//! Values of the wrong JSON type where the intent is plain: `1` in a string enum, `"false"` as
//! a boolean's default. Real documents have them (hand-written YAML turns `1` and `yes` into
//! numbers and booleans); such a value is read as what the schema says when that loses nothing,
//! and left out otherwise, each time with a warning at the value.

use crate::load::{Node, Value};

/// A JSON type a schema declares for its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JsonType {
    /// `string` (and its formats).
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
}

impl JsonType {
    /// The type a schema's `type` keyword names, for the scalar types.
    pub(super) fn named(name: &str) -> Option<JsonType> {
        Some(match name {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            _ => return None,
        })
    }

    /// The type with its article, for messages (`a string`).
    pub(super) fn described(self) -> &'static str {
        match self {
            JsonType::String => "a string",
            JsonType::Integer => "an integer",
            JsonType::Number => "a number",
            JsonType::Boolean => "a boolean",
        }
    }

    /// Whether `v` already is a value of this type.
    pub(super) fn holds(self, v: &Node) -> bool {
        match self {
            JsonType::String => matches!(v.value, Value::String(_)),
            JsonType::Integer => matches!(v.value, Value::Int(_) | Value::UInt(_)),
            JsonType::Number => v.as_f64().is_some(),
            JsonType::Boolean => matches!(v.value, Value::Bool(_)),
        }
    }
}

/// `v` as a value of type `to`, when it becomes one without losing anything: an integer or a
/// boolean as its text; a string that is exactly how an integer, a number or a boolean is
/// written; a whole float as an integer. `None` when it cannot (`"three"` for an integer).
pub(super) fn coerce(v: &Node, to: JsonType) -> Option<Value> {
    match (&v.value, to) {
        (Value::Int(i), JsonType::String) => Some(Value::String(i.to_string())),
        (Value::UInt(u), JsonType::String) => Some(Value::String(u.to_string())),
        (Value::Bool(b), JsonType::String) => Some(Value::String(b.to_string())),
        (Value::Float(f), JsonType::Integer) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(Value::Int(*f as i64)),
        (Value::String(s), JsonType::Integer) => {
            let i: i64 = s.parse().ok()?;
            (i.to_string() == *s).then_some(Value::Int(i))
        }
        (Value::String(s), JsonType::Number) => {
            let f: f64 = s.parse().ok().filter(|f: &f64| f.is_finite())?;
            // Only how a number is written in JSON (no `inf`, `+1`, `.5`, `1.`).
            let json: serde_json::Number = serde_json::from_str(s).ok()?;
            Some(match json.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(f),
            })
        }
        (Value::String(s), JsonType::Boolean) => match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// How a value is quoted in a message: its JSON text.
pub(super) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => serde_json::Value::String(s.clone()).to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(value: Value) -> Node {
        Node { span: crate::diag::Span::default(), value }
    }

    #[test]
    fn lossless_coercions_only() {
        let to = |v: Value, t: JsonType| coerce(&node(v), t);
        assert_eq!(to(Value::Int(1), JsonType::String), Some(Value::String("1".into())));
        assert_eq!(to(Value::Bool(true), JsonType::String), Some(Value::String("true".into())));
        assert_eq!(to(Value::String("false".into()), JsonType::Boolean), Some(Value::Bool(false)));
        assert_eq!(to(Value::String("42".into()), JsonType::Integer), Some(Value::Int(42)));
        assert_eq!(to(Value::Float(3.0), JsonType::Integer), Some(Value::Int(3)));
        assert_eq!(to(Value::String("1.5".into()), JsonType::Number), Some(Value::Float(1.5)));
        // Written otherwise than the value would be: something would be lost.
        assert_eq!(to(Value::String("042".into()), JsonType::Integer), None);
        assert_eq!(to(Value::String("+1".into()), JsonType::Number), None);
        assert_eq!(to(Value::String("yes".into()), JsonType::Boolean), None);
        assert_eq!(to(Value::String("three".into()), JsonType::Integer), None);
        assert_eq!(to(Value::Float(1.5), JsonType::Integer), None);
        assert_eq!(to(Value::Float(1.5), JsonType::String), None);
    }
}
