//! Serde glue shared by the generated types.

// clientgen:if str_enum
use std::fmt;

use serde::de::Visitor;
// clientgen:end
// clientgen:if str_enum | tagged_union
use serde::de;
// clientgen:end
// clientgen:if str_enum | double_option | tagged_union
use serde::de::Deserializer;
// clientgen:end
// clientgen:if double_option | tagged_union
use serde::Deserialize;
// clientgen:end
// clientgen:if tagged_union
use serde::{Serialize, Serializer};
// clientgen:end

// clientgen:if str_enum
/// Deserialize a string without allocating, then map it (open enums).
pub(crate) fn deserialize_str<'de, D: Deserializer<'de>, T>(d: D, from: fn(&str) -> T) -> Result<T, D::Error> {
    struct V<T>(fn(&str) -> T);
    impl<T> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok((self.0)(v))
        }
    }
    d.deserialize_str(V(from))
}
// clientgen:end

// clientgen:if double_option
/// For optional nullable fields: absent → `None` (by `default`), `null` → `Some(None)`.
pub(crate) fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
// clientgen:end

// clientgen:if tagged_union
/// Serialize a variant of an internally tagged union: its fields plus the tag property.
pub(crate) fn serialize_tagged<S: Serializer, T: Serialize>(
    s: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let mut v = serde_json::to_value(value).map_err(S::Error::custom)?;
    match &mut v {
        serde_json::Value::Object(map) => {
            map.insert(property.to_owned(), serde_json::Value::String(tag.to_owned()));
        }
        _ => return Err(S::Error::custom(format!("variant `{tag}` is not an object"))),
    }
    v.serialize(s)
}

/// Read an internally tagged union: the whole value and its tag.
pub(crate) fn deserialize_tagged<'de, D: Deserializer<'de>>(
    d: D,
    property: &'static str,
) -> Result<(String, serde_json::Value), D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let tag = value
        .get(property)
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| de::Error::missing_field(property))?
        .to_owned();
    Ok((tag, value))
}

/// Decode the payload of the selected variant.
pub(crate) fn variant<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, D::Error> {
    serde_json::from_value(value).map_err(de::Error::custom)
}

/// A tag no variant has.
pub(crate) fn unknown_tag<'de, D: Deserializer<'de>, T>(
    tag: &str,
    expected: &'static [&'static str],
) -> Result<T, D::Error> {
    Err(de::Error::unknown_variant(tag, expected))
}
// clientgen:end
