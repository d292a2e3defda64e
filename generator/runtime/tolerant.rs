//! Tolerant reading of responses: what servers send beside what their schema says is read,
//! not rejected. A number may come as a numeric string (`"-0.0025"`), a date as a date-time
//! at midnight UTC (`"1999-01-01T00:00:00Z"`), `null` stands for an absent optional
//! property, unknown properties are skipped even where the schema allows none, and a union
//! keeps a value of a kind it does not know as JSON. Requests are still written exactly as the
//! schema says.
//!
//! [`decode_strictly`] turns the tolerance off, for tests that hold a server to its schema.

use std::cell::Cell;
// clientgen:if operations
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
// clientgen:end

// clientgen:if tolerant | closed_object
// clientgen:gate tolerant | closed_object
use std::fmt;
// clientgen:end
// clientgen:if tolerant
// clientgen:gate tolerant
use std::marker::PhantomData;
// clientgen:end

// clientgen:if tolerant | closed_object | union_unknown
// clientgen:gate tolerant | closed_object | union_unknown
use serde::de;
// clientgen:end
// clientgen:if tolerant | closed_object
// clientgen:gate tolerant | closed_object
use serde::de::{DeserializeSeed, Deserializer, Visitor};
// clientgen:end
// clientgen:if union_unknown
// clientgen:gate union_unknown
use serde_json::value::RawValue;
// clientgen:end
// clientgen:if tolerant_number | tolerant_date
// clientgen:gate tolerant_number | tolerant_date
use serde::de::Unexpected;
// clientgen:end

thread_local! {
    /// Whether decoding on this thread is strict (inside [`decode_strictly`]).
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Run `decode` with tolerant reading turned off on this thread, so that anything the schema
/// does not allow is an error: a number sent as a string, a date sent as a date-time, an
/// unknown property where the schema allows none, a value no variant of a union fits.
///
/// For tests that hold a server to its schema, e.g.
/// `decode_strictly(|| serde_json::from_str::<T>(recorded))`. Decoding elsewhere, and on other
/// threads, stays tolerant.
pub fn decode_strictly<T>(decode: impl FnOnce() -> T) -> T {
    let _restore = Restore(STRICT.replace(true));
    decode()
}

// clientgen:if operations
/// [`decode_strictly`] for a future, such as a client call: every step of `future` runs with
/// tolerant reading turned off, on whichever thread polls it.
pub fn decode_strictly_async<F: Future>(future: F) -> impl Future<Output = F::Output> {
    Strictly(Box::pin(future))
}

/// A future whose every poll decodes strictly.
struct Strictly<F>(Pin<Box<F>>);

impl<F: Future> Future for Strictly<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let _restore = Restore(STRICT.replace(true));
        self.0.as_mut().poll(cx)
    }
}
// clientgen:end

/// Puts the thread's previous setting back when dropped, even if decoding panics.
struct Restore(bool);

impl Drop for Restore {
    fn drop(&mut self) {
        STRICT.set(self.0);
    }
}

// clientgen:if tolerant | closed_object | union_unknown
// clientgen:gate tolerant | closed_object | union_unknown
/// Whether decoding is strict on this thread.
pub(crate) fn strict() -> bool {
    STRICT.get()
}
// clientgen:end

// clientgen:if union_unknown
// clientgen:gate union_unknown
/// A union's value of a kind this client does not know (`raw`), kept as JSON; when decoding
/// strictly, `error`, what the union says of it.
pub(crate) fn unknown<E: de::Error>(raw: &RawValue, error: E) -> Result<serde_json::Value, E> {
    if strict() {
        return Err(error);
    }
    serde_json::from_str(raw.get()).map_err(E::custom)
}
// clientgen:end

// clientgen:if closed_object
// clientgen:gate closed_object
/// A property name of a struct whose schema allows no other properties
/// (`additionalProperties: false`), as its position (see `FieldOf`). Another name is skipped
/// like any unknown property, or is an error when decoding strictly.
pub(crate) struct ClosedFieldOf(pub(crate) fn(&str) -> Option<usize>);

// clientgen:gate closed_object
impl<'de> DeserializeSeed<'de> for ClosedFieldOf {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

// clientgen:gate closed_object
impl Visitor<'_> for ClosedFieldOf {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        match (self.0)(v) {
            None if strict() => Err(E::custom(format_args!("unknown field `{v}`: the schema allows no other properties"))),
            position => Ok(position),
        }
    }
}
// clientgen:end

// clientgen:if tolerant
// clientgen:gate tolerant
/// A value read tolerantly: numbers, dates, and options, lists and maps of them.
pub(crate) trait Tolerant: Sized {
    /// Read a value; `field` (empty for none) names where it is in errors.
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error>;
}

// clientgen:gate tolerant
/// [`Tolerant::read`] as a seed, for the elements of lists and maps and the values of fields.
struct Read<T>(&'static str, PhantomData<T>);

// clientgen:gate tolerant
impl<'de, T: Tolerant> DeserializeSeed<'de> for Read<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d, self.0)
    }
}

// clientgen:gate tolerant
/// `what`, and the field it is for when there is one.
fn expecting(f: &mut fmt::Formatter<'_>, what: &str, field: &str) -> fmt::Result {
    match field {
        "" => f.write_str(what),
        field => write!(f, "{what} for `{field}`"),
    }
}

// clientgen:gate tolerant
/// `null` is `None`.
impl<T: Tolerant> Tolerant for Option<T> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        struct Optional<T>(&'static str, PhantomData<T>);
        impl<'de, T: Tolerant> Visitor<'de> for Optional<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "a value or null", self.0)
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::read(d, self.0).map(Some)
            }
        }
        d.deserialize_option(Optional(field, PhantomData))
    }
}

// clientgen:gate tolerant
impl<T: Tolerant> Tolerant for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        struct List<T>(&'static str, PhantomData<T>);
        impl<'de, T: Tolerant> Visitor<'de> for List<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "a list", self.0)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(Read(self.0, PhantomData))? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        d.deserialize_seq(List(field, PhantomData))
    }
}

// clientgen:gate tolerant
impl<T: Tolerant> Tolerant for std::collections::BTreeMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        struct Map<T>(&'static str, PhantomData<T>);
        impl<'de, T: Tolerant> Visitor<'de> for Map<T> {
            type Value = std::collections::BTreeMap<String, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "an object", self.0)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = std::collections::BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Read(self.0, PhantomData))?;
                    out.insert(key, value);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Map(field, PhantomData))
    }
}
// clientgen:end

// clientgen:if tolerant_field
// clientgen:gate tolerant_field
/// Read the value of property `name` tolerantly into its slot (see `fill`).
pub(crate) fn fill_tolerant<'de, T: Tolerant, A: de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(Read(name, PhantomData))?);
    Ok(())
}
// clientgen:end

// clientgen:if tolerant_union
// clientgen:gate tolerant_union
/// Decode a union's variant tolerantly from its JSON text (see `raw_json`).
pub(crate) fn from_slice_tolerant<T: Tolerant>(json: &[u8]) -> Result<T, serde_json::Error> {
    let mut d = serde_json::Deserializer::from_slice(json);
    let value = T::read(&mut d, "")?;
    d.end()?;
    Ok(value)
}
// clientgen:end

// clientgen:if tolerant_number
// clientgen:gate tolerant_number
/// A number type, read from a JSON number or, unless decoding strictly, a numeric string.
trait Number: Sized {
    /// What errors say was expected.
    const EXPECTED: &'static str;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
    /// The number a string spells, if it is a finite one of this type.
    fn parse(v: &str) -> Option<Self>;
}

// clientgen:gate tolerant_number
struct NumberVisitor<T>(&'static str, PhantomData<T>);

// clientgen:gate tolerant_number
impl<T: Number> Visitor<'_> for NumberVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting(f, T::EXPECTED, self.0)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v).ok_or_else(|| E::invalid_type(Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if strict() {
            return Err(E::invalid_type(Unexpected::Str(v), &self));
        }
        T::parse(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

// clientgen:gate tolerant_number
macro_rules! integers {
    ($($t:ident),*) => {$(
        impl Number for $t {
            const EXPECTED: &'static str = concat!("an integer (", stringify!($t), ")");
            // Through `i128`, into which both convert losslessly, so that no conversion
            // here is one that cannot fail.
            fn from_i64(v: i64) -> Option<Self> {
                $t::try_from(i128::from(v)).ok()
            }
            fn from_u64(v: u64) -> Option<Self> {
                $t::try_from(i128::from(v)).ok()
            }
            // A whole number written as a float (`5.0`, as some serializers write every
            // number), unless decoding strictly; `5.5` or one out of range is an error.
            fn from_f64(v: f64) -> Option<Self> {
                let whole = !strict() && v.fract() == 0.0 && v.abs() < 1e38;
                whole.then(|| v as i128).and_then(|v| $t::try_from(v).ok())
            }
            fn parse(v: &str) -> Option<Self> {
                v.parse().ok()
            }
        }

    )*};
}

// clientgen:gate tolerant_number
macro_rules! tolerant_numbers {
    ($($t:ident),*) => {$(
        impl Tolerant for $t {
            fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
                d.deserialize_any(NumberVisitor(field, PhantomData))
            }
        }
    )*};
}

// clientgen:gate tolerant_number
impl Number for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn parse(v: &str) -> Option<Self> {
        v.parse::<f64>().ok().filter(|x| x.is_finite())
    }
}

// clientgen:gate tolerant_number
impl Number for f32 {
    const EXPECTED: &'static str = "a number";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f32)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f32)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v as f32)
    }
    fn parse(v: &str) -> Option<Self> {
        v.parse::<f32>().ok().filter(|x| x.is_finite())
    }
}

// clientgen:gate tolerant_number
integers!(i8, i16, i32, i64, u8, u16, u32, u64);

// clientgen:gate tolerant_number
tolerant_numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);
// clientgen:end

// clientgen:if tolerant_date
// clientgen:gate tolerant_date
/// A date: `YYYY-MM-DD`, or (unless decoding strictly) a date-time at midnight UTC, which
/// servers that store dates as timestamps send.
impl Tolerant for chrono::NaiveDate {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        struct Day(&'static str);
        impl Visitor<'_> for Day {
            type Value = chrono::NaiveDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "a date (YYYY-MM-DD)", self.0)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<chrono::NaiveDate, E> {
                v.parse()
                    .ok()
                    .or_else(|| if strict() { None } else { midnight(v) })
                    .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(Day(field))
    }
}

// clientgen:gate tolerant_date
/// The date of a date-time at midnight (`1999-01-01T00:00:00Z`, `...T00:00:00.000+00:00`):
/// its time all zeros, its offset UTC or absent. Any other time is not a date.
fn midnight(v: &str) -> Option<chrono::NaiveDate> {
    let (date, time) = v.split_at_checked(10)?;
    let time = time.strip_prefix(['T', 't', ' '])?;
    let time = ["Z", "z", "+00:00", "-00:00"].iter().find_map(|utc| time.strip_suffix(utc)).unwrap_or(time);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let zero = clock == "00:00:00" && !fraction.is_empty() && fraction.bytes().all(|b| b == b'0');
    zero.then(|| date.parse().ok()).flatten()
}
// clientgen:end

// clientgen:if tolerant_number
#[cfg(test)]
mod tests {
    use super::*;

    fn number<T: Tolerant>(json: &str) -> Result<T, String> {
        T::read(&mut serde_json::Deserializer::from_str(json), "n").map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_may_be_numeric_strings_unless_decoding_strictly() {
        assert_eq!(number::<f64>(r#""-0.0025""#), Ok(-0.0025));
        assert_eq!(number::<u8>(r#""42""#), Ok(42));
        assert_eq!(number::<f32>("1"), Ok(1.0));
        assert_eq!(number::<i64>("-7"), Ok(-7));
        let not_a_number = number::<f64>(r#""abc""#).unwrap_err();
        assert_eq!(not_a_number, r#"invalid value: string "abc", expected a number for `n` at line 1 column 5"#);
        assert!(number::<f64>(r#""NaN""#).is_err());
        assert!(number::<u8>("300").unwrap_err().contains("expected an integer (u8) for `n`"));
        assert!(number::<i64>("1.5").is_err());
        assert!(decode_strictly(|| number::<f64>(r#""1.5""#)).is_err());
        assert_eq!(decode_strictly(|| number::<f64>("1.5")), Ok(1.5));
        // Strictness ends with the closure.
        assert_eq!(number::<f64>(r#""1.5""#), Ok(1.5));
    }

    #[test]
    fn options_and_lists_of_numbers_are_tolerant_too() {
        assert_eq!(number::<Option<u32>>("null"), Ok(None));
        assert_eq!(number::<Vec<Option<i32>>>(r#"[1, "2", null]"#), Ok(vec![Some(1), Some(2), None]));
        let map = number::<std::collections::BTreeMap<String, f64>>(r#"{"a": "0.5"}"#).unwrap();
        assert_eq!(map.get("a"), Some(&0.5));
    }
}
// clientgen:end

// clientgen:if tolerant_date
#[cfg(test)]
mod date_tests {
    use super::*;

    fn date(json: &str) -> Result<chrono::NaiveDate, String> {
        chrono::NaiveDate::read(&mut serde_json::Deserializer::from_str(json), "d").map_err(|e| e.to_string())
    }

    #[test]
    fn dates_may_be_date_times_at_midnight_utc_unless_decoding_strictly() {
        let day = chrono::NaiveDate::from_ymd_opt(1999, 1, 1);
        for ok in ["1999-01-01", "1999-01-01T00:00:00Z", "1999-01-01T00:00:00.000Z", "1999-01-01T00:00:00+00:00"] {
            assert_eq!(date(&format!("{ok:?}")).ok(), day, "{ok}");
        }
        for bad in ["1999-01-01T00:00:01Z", "1999-01-01T00:00:00.5Z", "1999-01-01T00:00:00+02:00", "1999-01-01T", "1999-01-01T00:00:00.Z", "1999-01-0é"] {
            let err = date(&format!("{bad:?}")).unwrap_err();
            assert!(err.contains("expected a date (YYYY-MM-DD) for `d`"), "{bad}: {err}");
        }
        assert!(decode_strictly(|| date(r#""1999-01-01T00:00:00Z""#)).is_err());
        assert_eq!(decode_strictly(|| date(r#""1999-01-01""#)).ok(), day);
    }
}
// clientgen:end
