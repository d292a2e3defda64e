//! A JSON parser that keeps the byte span of every value.
//!
//! serde_json does not report where values are, and locating errors is the point of loading
//! ourselves. Nesting is bounded so hostile input cannot exhaust the stack.

use super::node::{Node, Object, Value};
use super::{MAX_DEPTH, SyntaxError};
use crate::diag::Span;

/// Parse `text` as one JSON value. Duplicate keys are reported through `duplicates` (last wins).
pub fn parse(text: &str, duplicates: &mut Vec<(Span, String)>) -> Result<Node, SyntaxError> {
    let mut p = Parser { bytes: text.as_bytes(), text, pos: 0, duplicates };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("unexpected characters after the end of the JSON document"));
    }
    Ok(node)
}

struct Parser<'a, 'd> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    duplicates: &'d mut Vec<(Span, String)>,
}

impl Parser<'_, '_> {
    /// An error at the character at `pos` (one character, not one byte: the span must end on a
    /// character boundary for the excerpt).
    fn error(&self, message: impl Into<String>) -> SyntaxError {
        let len = self.text.get(self.pos..).and_then(|t| t.chars().next()).map_or(0, char::len_utf8);
        SyntaxError { span: Span::new(self.pos, self.pos + len), message: message.into() }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting is deeper than {MAX_DEPTH} levels")));
        }
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            None => return Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                let c = self.text[self.pos..].chars().next().unwrap_or('?');
                return Err(self.error(format!("unexpected character `{}`, expected a value", c.escape_debug())));
            }
        };
        Ok(Node::new(Span::new(start, self.pos), value))
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(format!("invalid literal, expected `{word}`")))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut obj = Object::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(Box::new(obj)));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a string key in object"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected `:` after object key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            if obj.insert(key.clone(), key_span, value).is_some() {
                self.duplicates.push((key_span, key));
            }
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(Box::new(obj)));
                }
                _ => return Err(self.error("expected `,` or `}` in object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]` in array")),
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go.
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in string (escape it)")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(self.error("unterminated escape sequence"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.error("unpaired surrogate in \\u escape"));
                    }
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.error("invalid low surrogate in \\u escape"));
                    }
                    let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))?
                } else {
                    char::from_u32(hi).ok_or_else(|| self.error("unpaired surrogate in \\u escape"))?
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error("invalid escape sequence"));
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self.text.get(self.pos..self.pos + 4).ok_or_else(|| self.error("truncated \\u escape"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid hex digits in \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while let Some(b'0'..=b'9') = p.bytes.get(p.pos) {
                p.pos += 1;
            }
            p.pos > s
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if !digits(self) {
            return Err(self.error("invalid number"));
        }
        let mut float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            float = true;
            if !digits(self) {
                return Err(self.error("invalid number: expected digits after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            float = true;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error("invalid number: expected exponent digits"));
            }
        }
        let raw = &self.text[start..self.pos];
        if !float {
            if let Ok(i) = raw.parse::<i64>() {
                return Ok(Value::Int(i));
            }
            if let Ok(u) = raw.parse::<u64>() {
                return Ok(Value::UInt(u));
            }
        }
        raw.parse::<f64>().map(Value::Float).map_err(|_| self.error("invalid number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, SyntaxError> {
        parse(text, &mut Vec::new())
    }

    #[test]
    fn parses_values_with_spans() {
        let n = p(r#" {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00"], "b": null} "#).unwrap();
        assert_eq!(n.span, Span::new(1, 53));
        let a = n.get("a").unwrap().as_array().unwrap();
        assert_eq!(a[0].value, Value::Int(1));
        assert_eq!(a[1].value, Value::Float(-2500.0));
        assert_eq!(a[2].as_str(), Some("xé😀"));
        assert_eq!(a[2].span.start, 19);
        assert_eq!(n.get("b").unwrap().value, Value::Null);
        assert_eq!(p("18446744073709551615").unwrap().value, Value::UInt(u64::MAX));
    }

    #[test]
    fn errors_carry_the_offset() {
        let e = p("{\"a\": tru}").unwrap_err();
        assert_eq!(e.span.start, 6);
        let e = p("[1, 2").unwrap_err();
        assert!(e.message.contains("expected `,` or `]`"), "{}", e.message);
        assert!(p("{} x").is_err());
        assert!(p("\"\\ud800\"").is_err());
        assert!(p("01x").is_err());
    }

    #[test]
    fn error_spans_cover_a_whole_character() {
        // Found by the fuzzer: a byte-long span inside a BOM made the excerpt renderer panic.
        let text = "{\n            \u{feff}napi: 3.0.0";
        let e = p(text).unwrap_err();
        assert_eq!(&text[e.span.start as usize..e.span.end as usize], "\u{feff}");
        let e = p("[1, 2").unwrap_err();
        assert_eq!((e.span.start, e.span.end), (5, 5), "at the end: empty");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        let e = p(&deep).unwrap_err();
        assert!(e.message.contains("deeper than"));
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let mut dups = Vec::new();
        let n = parse(r#"{"a": 1, "a": 2}"#, &mut dups).unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Int(2));
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].1, "a");
    }
}
