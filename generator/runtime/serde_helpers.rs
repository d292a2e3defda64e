//! Serde glue shared by the generated types.

// clientgen:if str_enum
use std::fmt;

use serde::de::Visitor;
// clientgen:end
// clientgen:if str_enum | tagged_union | keyed_union
use serde::de;
// clientgen:end
// clientgen:if str_enum | double_option | tagged_union | keyed_union
use serde::de::Deserializer;
// clientgen:end
// clientgen:if double_option | tagged_union | keyed_union
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
/// Serialize a variant of an internally tagged union: its fields plus the tag property. A tag
/// the value already carries is kept if it selects this variant (`kitten` as well as `cat`),
/// so a decoded value is sent back as it came; otherwise the first of `tags` is set.
pub(crate) fn serialize_tagged<S: Serializer, T: Serialize>(
    s: S,
    property: &str,
    tags: &[&str],
    value: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let canonical = tags.first().copied().unwrap_or_default();
    let mut v = serde_json::to_value(value).map_err(S::Error::custom)?;
    match &mut v {
        serde_json::Value::Object(map) => {
            let current = map.get(property).and_then(serde_json::Value::as_str);
            if !current.is_some_and(|c| tags.contains(&c)) {
                map.insert(property.to_owned(), serde_json::Value::String(canonical.to_owned()));
            }
        }
        _ => return Err(S::Error::custom(format!("variant `{canonical}` is not an object"))),
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

// clientgen:if keyed_union
/// Read a union whose variants are told apart by which property is present: `keys[i]` selects
/// variant `i` (the first key present wins), and `pick` decodes variant `i`. Should the
/// selected variant not fit, any other that does is taken (as an untagged union would); if
/// none does, the error is the selected variant's, which says what is wrong with it.
pub(crate) fn deserialize_keyed<'de, D: Deserializer<'de>, T>(
    d: D,
    keys: &'static [&'static str],
    pick: impl Fn(usize, serde_json::Value) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let Some(object) = value.as_object() else {
        return Err(de::Error::invalid_type(de::Unexpected::Other("a value that is not an object"), &"an object"));
    };
    let Some(index) = keys.iter().position(|k| object.contains_key(*k)) else {
        let list = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        return Err(de::Error::custom(format!("expected an object with one of the properties {list}")));
    };
    pick(index, value.clone()).or_else(|selected| {
        (0..keys.len())
            .filter(|&i| i != index)
            .find_map(|i| pick(i, value.clone()).ok())
            .ok_or_else(|| de::Error::custom(selected))
    })
}
// clientgen:end
