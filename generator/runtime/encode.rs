//! Writing parameters and bodies onto the wire: path segments, query strings, headers, forms.
//!
//! Values are turned into `serde_json::Value` first, so one non-generic encoder serves every
//! type (enums and newtypes serialize to their wire form).

// clientgen:if encode_values
// clientgen:gate encode_values
use serde::Serialize;
// clientgen:gate encode_values
use serde_json::Value;

// clientgen:gate encode_values
use super::error::Error;
// clientgen:gate encode_values
use super::validate::ValidationError;
// clientgen:end

// clientgen:gate calls | server_variables
/// What is percent-encoded: everything but RFC 3986's unreserved characters.
const ENCODED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

// clientgen:gate calls | server_variables
/// Percent-encode `s` onto `out` (UTF-8, upper-case hex digits).
pub(crate) fn percent_encode(out: &mut String, s: &str) {
    out.extend(percent_encoding::utf8_percent_encode(s, ENCODED));
}

// clientgen:if encode_values
// clientgen:gate encode_values
/// A value as wire text: strings as they are, numbers and booleans in JSON form, `None` for
/// `null`. Arrays and objects have no single text form.
fn scalar_text(v: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match v {
        Value::String(s) => Some(s.as_str().into()),
        Value::Number(n) => Some(n.to_string().into()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.into()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

// clientgen:gate encode_values
fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::Validation(ValidationError::new(format!("cannot be encoded: {e}")).within(name)))
}

// clientgen:end

// clientgen:if path_params
// clientgen:gate path_params
/// Append one path segment for parameter `name`, encoded so it stays one segment.
pub(crate) fn push_segment<T: Serialize + ?Sized>(path: &mut String, name: &str, value: &T) -> Result<(), Error> {
    let v = to_value(name, value)?;
    let text: String = match &v {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(other).map(|t| t.into_owned()).unwrap_or_default(),
    };
    // URL normalisation would turn these into a different path, or none.
    if text.is_empty() || text == "." || text == ".." {
        return Err(Error::Validation(
            ValidationError::new(format!("`{text}` cannot be sent as a path segment")).within(name),
        ));
    }
    percent_encode(path, &text);
    Ok(())
}
// clientgen:end

// clientgen:if query_params | form
// clientgen:gate query_params | form
/// How a query parameter's array or object value is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// `k=a&k=b` (exploded) or `k=a,b`.
    Form { explode: bool },
    // clientgen:if style_space
    // clientgen:gate style_space
    /// `k=a%20b`.
    SpaceDelimited,
    // clientgen:end
    // clientgen:if style_pipe
    // clientgen:gate style_pipe
    /// `k=a|b`.
    PipeDelimited,
    // clientgen:end
    // clientgen:if style_deep | form
    // clientgen:gate style_deep | form
    /// `k[x]=1&k[y]=2`.
    DeepObject,
    // clientgen:end
}
// clientgen:end

// clientgen:if query_params | form
// clientgen:gate query_params | form
impl Style {
    /// What joins the items of an array that is not exploded, as sent. RFC 6570 (which the
    /// OpenAPI styles follow) keeps form's commas literal and percent-encodes commas inside
    /// items, so a server can tell `a,b` from the one item `a%2Cb`; a space or `|` cannot
    /// travel raw in a query, so those delimiters are sent encoded.
    fn separator(self) -> &'static str {
        match self {
            Style::Form { .. } => ",",
            // clientgen:if style_space
            // clientgen:gate style_space
            Style::SpaceDelimited => "%20",
            // clientgen:end
            // clientgen:if style_pipe
            // clientgen:gate style_pipe
            Style::PipeDelimited => "%7C",
            // clientgen:end
            // clientgen:if style_deep | form
            // clientgen:gate style_deep | form
            Style::DeepObject => ",",
            // clientgen:end
        }
    }
}
// clientgen:end

// clientgen:gate calls
/// A query string (or form body) under construction.
#[derive(Default)]
pub(crate) struct Query {
    buf: String,
}

// clientgen:gate calls
impl Query {
    pub(crate) fn new() -> Self {
        Query::default()
    }

    fn pair(&mut self, key: &str, value: &str) {
        self.joined(key, [value], "");
    }

    /// `key=` and the items, each percent-encoded, with the (already encoded) separator between.
    fn joined<'s>(&mut self, key: &str, items: impl IntoIterator<Item = &'s str>, separator: &str) {
        if !self.buf.is_empty() {
            self.buf.push('&');
        }
        percent_encode(&mut self.buf, key);
        self.buf.push('=');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push_str(separator);
            }
            percent_encode(&mut self.buf, item);
        }
    }

    // clientgen:if query_params
    // clientgen:gate query_params
    /// Add parameter `key` (nothing for `None` or `null`).
    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, key: &str, value: &T, style: Style) -> Result<(), Error> {
        let v = to_value(key, value)?;
        self.push_value(key, &v, style);
        Ok(())
    }
    // clientgen:end

    // clientgen:if query_params | form
    // clientgen:gate query_params | form
    pub(crate) fn push_value(&mut self, key: &str, v: &Value, style: Style) {
        match (v, style) {
            (Value::Null, _) => {}
            (Value::Array(items), Style::Form { explode: true }) => {
                for item in items {
                    if let Some(t) = scalar_text(item) {
                        self.pair(key, &t);
                    } else if !item.is_null() {
                        self.pair(key, &item.to_string());
                    }
                }
            }
            // clientgen:if style_deep | form
            // clientgen:gate style_deep | form
            (Value::Array(items), Style::DeepObject) => {
                for item in items {
                    self.push_value(key, item, Style::Form { explode: true });
                }
            }
            // clientgen:end
            (Value::Array(items), _) => {
                let texts: Vec<String> =
                    items.iter().map(|i| scalar_text(i).map_or_else(|| i.to_string(), |t| t.into_owned())).collect();
                self.joined(key, texts.iter().map(String::as_str), style.separator());
            }
            // clientgen:if style_deep | form
            // clientgen:gate style_deep | form
            (Value::Object(map), Style::DeepObject) => {
                for (k, item) in map {
                    self.push_value(&format!("{key}[{k}]"), item, Style::DeepObject);
                }
            }
            // clientgen:end
            (Value::Object(map), Style::Form { explode: true }) => {
                for (k, item) in map {
                    self.push_value(k, item, Style::Form { explode: true });
                }
            }
            (Value::Object(map), _) => {
                // `k=a,1,b,2`: names and values alternate, commas literal as for arrays.
                let texts: Vec<(&str, std::borrow::Cow<'_, str>)> =
                    map.iter().filter_map(|(k, i)| Some((k.as_str(), scalar_text(i)?))).collect();
                self.joined(key, texts.iter().flat_map(|(k, v)| [*k, v.as_ref()]), ",");
            }
            (scalar, _) => {
                if let Some(t) = scalar_text(scalar) {
                    self.pair(key, &t);
                }
            }
        }
    }
    // clientgen:end

    /// Add a raw, already-known pair (credentials).
    pub(crate) fn push_str(&mut self, key: &str, value: &str) {
        self.pair(key, value);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.buf
    }

    // clientgen:if form
    // clientgen:gate form
    pub(crate) fn into_string(self) -> String {
        self.buf
    }
    // clientgen:end
}

// clientgen:if header_params | cookie_params
// clientgen:gate header_params | cookie_params
/// A header value for parameter `name` (`None` when absent or `null`): arrays comma-joined,
/// objects as `k,v,k,v` (the OpenAPI `simple` style).
pub(crate) fn header_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<String>, Error> {
    let v = to_value(name, value)?;
    Ok(match &v {
        Value::Null => None,
        Value::Array(items) => Some(items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            Some(map.iter().filter_map(|(k, i)| Some(format!("{k},{}", scalar_text(i)?))).collect::<Vec<_>>().join(","))
        }
        other => scalar_text(other).map(|t| t.into_owned()),
    })
}
// clientgen:end

// clientgen:if form
// clientgen:gate form
/// An `application/x-www-form-urlencoded` body.
pub(crate) fn form_body<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let v = to_value("body", value)?;
    let mut q = Query::new();
    match &v {
        Value::Object(map) => {
            for (k, item) in map {
                let style = if item.is_object() { Style::DeepObject } else { Style::Form { explode: true } };
                q.push_value(k, item, style);
            }
        }
        other => q.push_value("body", other, Style::Form { explode: true }),
    }
    Ok(q.into_string().into_bytes())
}
// clientgen:end

// clientgen:if multipart
// clientgen:gate multipart
/// A `multipart/form-data` body, built in memory so it can be resent on retry.
pub(crate) struct Multipart {
    /// Each part's headers and content, joined by a boundary none of them contains.
    parts: Vec<(String, Vec<u8>)>,
}

// clientgen:gate multipart
impl Multipart {
    pub(crate) fn new() -> Self {
        Multipart { parts: Vec::new() }
    }

    fn part(&mut self, name: &str, filename: Option<&str>, content_type: &str, content: Vec<u8>) {
        let quoted = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        let mut head = format!("Content-Disposition: form-data; name=\"{}\"", quoted(name));
        if let Some(f) = filename {
            head.push_str(&format!("; filename=\"{}\"", quoted(f)));
        }
        head.push_str(&format!("\r\nContent-Type: {content_type}\r\n\r\n"));
        self.parts.push((head, content));
    }

    // clientgen:if multipart_field
    // clientgen:gate multipart_field
    /// A field serialized from any value: text for scalars, JSON for the rest; `None` skipped.
    pub(crate) fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let v = to_value(name, value)?;
        match &v {
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => self.part(name, None, "application/json", v.to_string().into_bytes()),
            scalar => {
                let text = scalar_text(scalar).unwrap_or_default().into_owned();
                self.part(name, None, "text/plain; charset=utf-8", text.into_bytes());
            }
        }
        Ok(())
    }
    // clientgen:end

    // clientgen:if multipart_file
    // clientgen:gate multipart_file
    /// A file part.
    pub(crate) fn file(&mut self, name: &str, bytes: &[u8]) {
        self.part(name, Some(name), "application/octet-stream", bytes.to_vec());
    }
    // clientgen:end

    /// The content type (with boundary) and the body. The boundary is one no part contains
    /// (RFC 2046 requires it), so a file that happens to hold a boundary-like line cannot end
    /// its part early.
    pub(crate) fn finish(self) -> (String, Vec<u8>) {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let boundary = self.boundary(&format!("clientgen-boundary-{nanos:x}"));
        let mut body = Vec::new();
        for (head, content) in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n{head}").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    /// `base`, or `base-1`, `base-2`, ... : the first that no part contains.
    fn boundary(&self, base: &str) -> String {
        let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        let in_a_part = |b: &str| {
            self.parts.iter().any(|(head, content)| contains(head.as_bytes(), b.as_bytes()) || contains(content, b.as_bytes()))
        };
        let mut boundary = base.to_owned();
        let mut n = 0u32;
        while in_a_part(&boundary) {
            n += 1;
            boundary = format!("{base}-{n}");
        }
        boundary
    }
}

// clientgen:end

#[cfg(test)]
mod tests {
    // clientgen:if encode_values | multipart
    // clientgen:gate encode_values | multipart
    use super::*;
    // clientgen:end

    // clientgen:if path_params
    // clientgen:gate path_params
    #[test]
    fn path_segments_stay_one_segment() {
        let mut p = String::from("/jobs/");
        push_segment(&mut p, "jobId", "../../x?y#z").unwrap();
        assert_eq!(p, "/jobs/..%2F..%2Fx%3Fy%23z");
        for bad in ["", ".", ".."] {
            let e = push_segment(&mut String::new(), "jobId", bad).unwrap_err();
            assert!(matches!(e, Error::Validation(_)), "{bad:?}");
        }
        let mut p = String::new();
        push_segment(&mut p, "n", &42).unwrap();
        assert_eq!(p, "42");
    }
    // clientgen:end

    // clientgen:if query_params
    // clientgen:gate query_params
    #[test]
    fn query_form_style() {
        let mut q = Query::new();
        q.push("type", &["build", "run time"], Style::Form { explode: true }).unwrap();
        q.push("ids", &[1, 2], Style::Form { explode: false }).unwrap();
        q.push("missing", &None::<String>, Style::Form { explode: true }).unwrap();
        q.push("ok", &true, Style::Form { explode: true }).unwrap();
        // Commas between items are literal, commas inside an item encoded (RFC 6570).
        q.push("names", &["a,b", "c"], Style::Form { explode: false }).unwrap();
        q.push("point", &serde_json::json!({"x": "1,5", "y": 2}), Style::Form { explode: false }).unwrap();
        assert_eq!(q.as_str(), "type=build&type=run%20time&ids=1,2&ok=true&names=a%2Cb,c&point=x,1%2C5,y,2");
    }
    // clientgen:end

    // clientgen:if style_deep
    // clientgen:gate style_deep
    #[test]
    fn query_deep_object_style() {
        let mut q = Query::new();
        q.push("filter", &serde_json::json!({"a": 1, "b": "x&y"}), Style::DeepObject).unwrap();
        assert_eq!(q.as_str(), "filter%5Ba%5D=1&filter%5Bb%5D=x%26y");
    }
    // clientgen:end

    // clientgen:if style_pipe
    // clientgen:gate style_pipe
    #[test]
    fn query_pipe_style() {
        let mut q = Query::new();
        q.push("p", &["a", "b"], Style::PipeDelimited).unwrap();
        assert_eq!(q.as_str(), "p=a%7Cb");
    }
    // clientgen:end

    // clientgen:if form
    // clientgen:gate form
    #[test]
    fn form_bodies() {
        let body = form_body(&serde_json::json!({"name": "a b", "tags": ["x", "y"]})).unwrap();
        assert_eq!(String::from_utf8(body).unwrap(), "name=a%20b&tags=x&tags=y");
    }
    // clientgen:end

    // clientgen:if header_params | cookie_params
    // clientgen:gate header_params | cookie_params
    #[test]
    fn header_values() {
        assert_eq!(header_value("h", &["a", "b"]).unwrap().as_deref(), Some("a,b"));
        assert_eq!(header_value("h", &None::<u8>).unwrap(), None);
    }
    // clientgen:end

    // clientgen:if multipart
    // clientgen:gate multipart
    #[test]
    fn multipart_has_parts_and_a_closing_boundary() {
        let mut m = Multipart::new();
        m.part("name", None, "text/plain", b"x".to_vec());
        let (ct, body) = m.finish();
        let boundary = ct.split("boundary=").nth(1).unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"name\"")));
        assert!(text.ends_with(&format!("\r\nx\r\n--{boundary}--\r\n")), "{text}");
    }

    // clientgen:gate multipart
    #[test]
    fn the_boundary_is_in_no_part() {
        let mut m = Multipart::new();
        m.part("file", Some("file"), "application/octet-stream", b"--b\r\n--b-1\r\n".to_vec());
        assert_eq!(m.boundary("b"), "b-2");
        assert_eq!(Multipart::new().boundary("b"), "b");
    }
    // clientgen:end

    // clientgen:if multipart_field
    // clientgen:gate multipart_field
    #[test]
    fn multipart_fields_are_text_or_json() {
        let mut m = Multipart::new();
        m.field("n", &1).unwrap();
        m.field("list", &[1, 2]).unwrap();
        m.field("none", &None::<u8>).unwrap();
        let text = String::from_utf8(m.finish().1).unwrap();
        assert!(text.contains("name=\"n\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1\r\n"), "{text}");
        assert!(text.contains("name=\"list\"\r\nContent-Type: application/json\r\n\r\n[1,2]\r\n"), "{text}");
        assert!(!text.contains("none"), "{text}");
    }
    // clientgen:end

    // clientgen:if multipart_file
    // clientgen:gate multipart_file
    #[test]
    fn multipart_files_keep_their_bytes() {
        let mut m = Multipart::new();
        m.file("f", b"\x00\xff");
        let body = m.finish().1;
        assert!(body.windows(6).any(|w| w == b"\x00\xff\r\n--"), "{body:?}");
    }
    // clientgen:end
}
