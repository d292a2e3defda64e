//! Serde glue shared by the generated types.
//!
//! A helper only `full-serde` impls use is compiled only with that feature (`clientgen:gate`).

// clientgen:if str_enum | object | tagged_union | keyed_union
// clientgen:gate str_enum | object | tagged_union | keyed_union
use std::fmt;

// clientgen:gate str_enum | object | tagged_union | keyed_union
use serde::de::Visitor;
// clientgen:end
// clientgen:if str_enum | object | raw_union
// clientgen:gate str_enum | object | raw_union
use serde::de;
// clientgen:end
// clientgen:if str_enum | object | raw_union
// clientgen:gate str_enum | object | raw_union
use serde::de::Deserializer;
// clientgen:end
// clientgen:if object_fill | raw_union
// clientgen:gate object_fill | raw_union
use serde::Deserialize;
// clientgen:end
// clientgen:if object
// clientgen:gate object
use std::marker::PhantomData;
// clientgen:end
// clientgen:if raw_union
// clientgen:gate raw_union
use serde_json::value::RawValue;
// clientgen:end
// clientgen:if tagged_union_ser
// clientgen:gate tagged_union_ser
use serde::{Serialize, Serializer};
// clientgen:end

// clientgen:if str_enum
// clientgen:gate str_enum
/// Deserialize a string without allocating, then map it (open enums).
///
/// The visitor is the same type for every enum, so serde_json's `deserialize_str` is compiled
/// once, not once per enum.
pub(crate) fn deserialize_str<'de, D: Deserializer<'de>, T>(d: D, from: fn(&str) -> T) -> Result<T, D::Error> {
    let mut value = None;
    d.deserialize_str(StrVisitor(&mut |v: &str| value = Some(from(v))))?;
    value.ok_or_else(|| de::Error::custom("no string was read"))
}

// clientgen:gate str_enum
/// Hands the string read to a callback.
struct StrVisitor<'a>(&'a mut dyn FnMut(&str));

// clientgen:gate str_enum
impl Visitor<'_> for StrVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        (self.0)(v);
        Ok(())
    }
}
// clientgen:end

// clientgen:if tagged_union_ser
// clientgen:gate tagged_union_ser
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
// clientgen:end

// clientgen:if raw_union
// clientgen:gate raw_union
/// The JSON text of a union's value, kept whole until its variant is known.
///
/// Each variant is then decoded from it with `serde_json::from_slice`, the code that decodes
/// response bodies, so no type is compiled a second time for another deserializer (as
/// buffering into `serde_json::Value` would). Unions therefore decode from JSON only.
pub(crate) fn raw_json<'de, D: Deserializer<'de>>(d: D) -> Result<Box<RawValue>, D::Error> {
    Box::<RawValue>::deserialize(d)
}
// clientgen:end

// clientgen:if tagged_union
// clientgen:gate tagged_union
/// Decode variant `name` of a union from its JSON text.
pub(crate) fn variant<T: serde::de::DeserializeOwned, E: de::Error>(raw: &RawValue, name: &str) -> Result<T, E> {
    serde_json::from_slice(raw.get().as_bytes()).map_err(|e| variant_error(name, &e))
}
// clientgen:end

// clientgen:if tagged_union | keyed_union
// clientgen:gate tagged_union | keyed_union
/// A variant's error, raised again at the union. Its line and column count from the start of
/// the union's own text, so they are dropped: serde_json adds the union's position.
fn variant_error<E: de::Error>(name: &str, e: &serde_json::Error) -> E {
    let text = e.to_string();
    let text = text.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&text);
    E::custom(format_args!("{text} (as `{name}`)"))
}

// clientgen:gate tagged_union | keyed_union
/// A property name, as its position in a list (without allocating the name).
struct KeyIn<'k>(&'k [&'k str]);

// clientgen:gate tagged_union | keyed_union
impl<'de> de::DeserializeSeed<'de> for KeyIn<'_> {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

// clientgen:gate tagged_union | keyed_union
impl Visitor<'_> for KeyIn<'_> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|k| *k == v))
    }
}
// clientgen:end

// clientgen:if keyed_union
// clientgen:gate keyed_union
/// The first of `keys` that names a property of the object `raw` holds, by position in `keys`.
fn first_key(raw: &RawValue, keys: &[&str]) -> Result<Option<usize>, serde_json::Error> {
    struct Keys<'k>(&'k [&'k str]);
    impl<'de> Visitor<'de> for Keys<'_> {
        type Value = Option<usize>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Option<usize>, A::Error> {
            let mut first: Option<usize> = None;
            while let Some(key) = map.next_key_seed(KeyIn(self.0))? {
                map.next_value::<de::IgnoredAny>()?;
                first = first.into_iter().chain(key).min();
            }
            Ok(first)
        }
    }
    serde_json::Deserializer::from_str(raw.get()).deserialize_map(Keys(keys))
}
// clientgen:end

// clientgen:if tagged_union
// clientgen:gate tagged_union
/// The tag of an internally tagged union's value: the string property `property`, `None` when
/// it is absent or `null`.
pub(crate) fn tag_of<E: de::Error>(raw: &RawValue, property: &'static str) -> Result<Option<String>, E> {
    struct Tag(&'static str);
    impl<'de> Visitor<'de> for Tag {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object with the property `{}`", self.0)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            let mut tag = None;
            while let Some(key) = map.next_key_seed(KeyIn(&[self.0]))? {
                match key {
                    Some(_) if tag.is_none() => tag = map.next_value::<Option<String>>()?,
                    _ => map.next_value::<de::IgnoredAny>().map(drop)?,
                }
            }
            Ok(tag)
        }
    }
    serde_json::Deserializer::from_str(raw.get())
        .deserialize_map(Tag(property))
        .map_err(|e| variant_error("the tag", &e))
}
// clientgen:end

// clientgen:if keyed_union
// clientgen:gate keyed_union
/// Read a union whose variants are told apart by which property is present: `keys[i]` selects
/// variant `i` (the first key present wins), and `pick` decodes variant `i` from the JSON text.
/// Should the selected variant not fit, any other that does is taken (as an untagged union
/// would); if none does, the error is the selected variant's, which says what is wrong with it.
/// An object with none of the keys is left to `otherwise`, with the error it would be.
pub(crate) fn deserialize_keyed<T, E: de::Error>(
    raw: &RawValue,
    keys: &'static [&'static str],
    otherwise: impl FnOnce(E) -> Result<T, E>,
    pick: impl Fn(usize, &[u8]) -> Result<T, serde_json::Error>,
) -> Result<T, E> {
    let Some(index) = first_key(raw, keys).map_err(|e| variant_error("an object", &e))? else {
        let list = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        return otherwise(E::custom(format!("expected an object with one of the properties {list}")));
    };
    let json = raw.get().as_bytes();
    pick(index, json).or_else(|selected| {
        (0..keys.len())
            .filter(|&i| i != index)
            .find_map(|i| pick(i, json).ok())
            .ok_or_else(|| variant_error(keys[index], &selected))
    })
}
// clientgen:end

// clientgen:if untagged_union
// clientgen:gate untagged_union
/// No variant of the untagged union `name` fits a value.
pub(crate) fn no_variant_fits<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("the value fits none of the variants of `{name}`"))
}
// clientgen:end

// clientgen:if object
// clientgen:gate object
/// A generated struct, decoded from an object by [`deserialize_object`].
///
/// serde's derive writes, for every struct, a field enum with its own visitor and
/// `Deserialize` impl, and a visitor for the struct written as an array. All of it is compiled
/// once per struct; this trait leaves each struct only the loop over its properties, and the
/// name lookup and visitor are shared.
pub(crate) trait Object: Sized {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// The position of the declared property named `key` (a `match`, which compiles to a
    /// switch on the length and then one comparison: a search through a list of names made
    /// decoding a tenth slower).
    fn field(key: &str) -> Option<usize> {
        let _ = key;
        None
    }
    /// Read the object's properties.
    fn from_map<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

// clientgen:gate object
/// Decode a struct from an object: `Deserialize::deserialize` of every generated struct.
pub(crate) fn deserialize_object<'de, D: Deserializer<'de>, T: Object>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(ObjectVisitor(PhantomData))
}

// clientgen:gate object
struct ObjectVisitor<T>(PhantomData<T>);

// clientgen:gate object
impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}
// clientgen:end

// clientgen:if object_keys
// clientgen:gate object_keys
/// A property name, as its position in a struct (see [`Object::field`]), without allocating.
pub(crate) struct FieldOf(pub(crate) fn(&str) -> Option<usize>);

// clientgen:gate object_keys
impl<'de> de::DeserializeSeed<'de> for FieldOf {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

// clientgen:gate object_keys
impl Visitor<'_> for FieldOf {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok((self.0)(v))
    }
}
// clientgen:end

// clientgen:if object_fill
// clientgen:gate object_fill
/// Read the value of property `name` into its slot; a property given twice is an error, as
/// with serde's derive.
pub(crate) fn fill<'de, T: Deserialize<'de>, A: de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}
// clientgen:end

// clientgen:if object_required
// clientgen:gate object_required
/// The value of a required property, or the error that it is missing.
pub(crate) fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}
// clientgen:end
