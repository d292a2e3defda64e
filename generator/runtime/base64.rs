//! Base64 (RFC 4648) through the `base64` crate, which reqwest already depends on: standard and
//! padded when writing (basic auth, `format: byte` values), tolerant when reading.

// clientgen:if base64
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
// clientgen:end

// clientgen:if !base64
// clientgen:gate calls
// clientgen:end
use base64::Engine as _;
// clientgen:if !base64
// clientgen:gate calls
// clientgen:end
use base64::engine::general_purpose::STANDARD;

/// Encode bytes.
// clientgen:if !base64
// clientgen:gate calls
// clientgen:end
pub(crate) fn encode(input: &[u8]) -> String {
    STANDARD.encode(input)
}

// clientgen:if base64
/// Decode standard or URL-safe base64, padded or not, whitespace (MIME line breaks) ignored;
/// `None` if it is not base64. Servers differ in all three, so a reader accepts each.
pub(crate) fn decode(input: &str) -> Option<Vec<u8>> {
    use base64::alphabet::{STANDARD as STANDARD_ALPHABET, URL_SAFE};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let config = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let text: String = input.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let alphabet = if text.contains(['-', '_']) { &URL_SAFE } else { &STANDARD_ALPHABET };
    GeneralPurpose::new(alphabet, config).decode(text).ok()
}
// clientgen:end

// clientgen:if base64
/// Bytes carried as base64 text (`format: byte`).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v)
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        decode(&text).map(Base64).ok_or_else(|| serde::de::Error::custom("invalid base64"))
    }
}
// clientgen:end

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc4648_vectors() {
        for (raw, enc) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(encode(raw.as_bytes()), enc);
            // clientgen:if base64
            assert_eq!(decode(enc).unwrap(), raw.as_bytes());
            // clientgen:end
        }
        // clientgen:if base64
        assert_eq!(decode("Zm9vYg").unwrap(), b"foob");
        assert_eq!(decode("Zm9v\r\nYmFy").unwrap(), b"foobar");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(decode("Z").is_none());
        assert!(decode("Zm9v!").is_none());
        // clientgen:end
    }
}
