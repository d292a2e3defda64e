//! Errors that carry what the server sent, kept and printed within bounds.
//!
//! A server may answer with megabytes of HTML or a JSON error whose message is the whole
//! request echoed back. An error value outlives the call (it is logged, stored, sent across
//! threads), so it keeps at most [`KEPT_BODY_BYTES`] of the body and prints at most
//! [`EXCERPT_BYTES`] of it, saying how much was left out.

use std::any::Any;
use std::fmt::{self, Write as _};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::Origin;
use super::response::RateLimit;

/// Most bytes of an error body an [`ApiError`] keeps.
pub(crate) const KEPT_BODY_BYTES: usize = 64 * 1024;
/// Largest body excerpt shown in messages.
const EXCERPT_BYTES: usize = 200;
// clientgen:gate calls | json_response
/// Longest message, id or JSON path kept from what the server sent.
const MESSAGE_BYTES: usize = 1024;

/// A decoded error body, as documented for the operation and status.
pub trait ErrorPayload: Any + fmt::Debug + Send + Sync {
    /// For downcasting.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> ErrorPayload for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A non-success response.
///
/// The typed payload and the message are read from the whole body (which
/// [`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size) bounds); of
/// the raw body only the first 64 KiB are kept.
pub struct ApiError {
    origin: Origin,
    status: StatusCode,
    headers: HeaderMap,
    /// The first [`KEPT_BODY_BYTES`] of the body, in a buffer of its own.
    body: Bytes,
    /// The length of the whole body.
    body_len: usize,
    attempts: u32,
    payload: Option<Box<dyn ErrorPayload>>,
    summary: Summary,
}

impl ApiError {
    // clientgen:gate calls
    pub(crate) fn new(
        origin: Origin,
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        attempts: u32,
        payload: Option<Box<dyn ErrorPayload>>,
    ) -> Self {
        let kept = &body[..utf8_floor(body, KEPT_BODY_BYTES)];
        ApiError {
            summary: Summary::from_body(body),
            origin,
            status,
            headers,
            // A copy: a slice of the received buffer would keep all of it alive.
            body: Bytes::copy_from_slice(kept),
            body_len: body.len(),
            attempts,
            payload,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, whether or not it parsed: its first 64 KiB (see [`Self::body_len`]).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The length of the whole body, of which [`Self::body`] keeps at most 64 KiB.
    pub fn body_len(&self) -> usize {
        self.body_len
    }

    /// Whether [`Self::body`] is only the start of the body.
    pub fn body_truncated(&self) -> bool {
        self.body.len() < self.body_len
    }

    /// The kept body as text, if it is UTF-8 (a cut never splits a character).
    pub fn body_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The `operationId` of the call.
    pub fn operation_id(&self) -> &str {
        self.origin.operation
    }

    /// Attempts made, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The error message from the body (`error.message`, `message`, `detail`, ...), its first
    /// KiB.
    pub fn message(&self) -> Option<&str> {
        self.summary.message.as_deref()
    }

    /// The error or request id from the body, for support requests.
    pub fn error_id(&self) -> Option<&str> {
        self.summary.id.as_deref()
    }

    /// Structured details from the body (`error.details`), if any, and if the body was no
    /// larger than 64 KiB.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.summary.details.as_ref()
    }

    /// The body decoded as the type the API documents for this status, if it decoded.
    pub fn payload<T: Any>(&self) -> Option<&T> {
        self.payload.as_deref().and_then(|p| p.as_any().downcast_ref::<T>())
    }

    /// The `Retry-After` header as a duration (seconds or an HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(&self.headers)
    }

    /// Rate-limit headers of the response.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.origin.operation)
            .field("method", &self.origin.method)
            .field("path", &self.origin.path)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("message", &self.summary.message)
            .field("id", &self.summary.id)
            .field("payload", &CappedDebug(&self.payload))
            .field("body", &Excerpt::new(&self.body, 0, self.body_len).text)
            .field("body_len", &self.body_len)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with {}", self.origin, self.status)?;
        match (&self.summary.message, &self.summary.id) {
            (Some(m), Some(id)) => write!(f, ": {m} (id {id})")?,
            (Some(m), None) => write!(f, ": {m}")?,
            _ if self.body_len > 0 => {
                let excerpt = Excerpt::new(&self.body, 0, self.body_len);
                write!(f, ": {}", excerpt.text)?;
                if excerpt.is_cut() {
                    write!(f, " ({} of {} bytes shown)", excerpt.end - excerpt.start, excerpt.total)?;
                }
            }
            _ => {}
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// What could be read from a JSON error body of any common shape.
#[derive(Debug, Default)]
struct Summary {
    message: Option<String>,
    id: Option<String>,
    details: Option<serde_json::Value>,
}

impl Summary {
    // clientgen:gate calls
    /// Read `{"error": {"message", "id", "details"}}`, `{"message": ...}`, `{"detail": ...}`
    /// and similar shapes.
    fn from_body(body: &[u8]) -> Summary {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Summary::default();
        };
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(|s| bounded(s, MESSAGE_BYTES));
        let inner = match map.get("error") {
            Some(serde_json::Value::Object(inner)) => Some(inner),
            _ => None,
        };
        let pick = |keys: &[&str]| -> Option<String> {
            keys.iter().find_map(|k| text(inner.and_then(|i| i.get(*k))).or_else(|| text(map.get(*k))))
        };
        // Details are kept whole or not at all; only a body within the kept bound bounds them.
        let details = (body.len() <= KEPT_BODY_BYTES)
            .then(|| inner.and_then(|i| i.get("details")).or_else(|| map.get("details")).cloned())
            .flatten();
        Summary {
            message: pick(&["message", "detail", "title", "error_description", "error"]),
            id: pick(&["id", "request_id", "requestId", "code"]),
            details,
        }
    }
}

/// A response body that does not have the documented shape.
#[derive(Debug)]
pub struct DecodeError {
    origin: Origin,
    status: StatusCode,
    attempts: u32,
    path: String,
    message: String,
    excerpt: Excerpt,
}

impl DecodeError {
    // clientgen:if json_response
    // clientgen:gate json_response
    pub(crate) fn new(
        origin: Origin,
        status: StatusCode,
        attempts: u32,
        body: &[u8],
        path: String,
        err: serde_json::Error,
    ) -> Self {
        let offset = super::json_path::offset_of(body, err.line(), err.column());
        DecodeError {
            origin,
            status,
            attempts,
            path: bounded(&path, MESSAGE_BYTES),
            // serde quotes the offending value, which may be a string of any length.
            message: bounded(&err.to_string(), MESSAGE_BYTES),
            excerpt: Excerpt::new(body, offset, body.len()),
        }
    }
    // clientgen:end

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Attempts made, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Where in the body decoding failed, e.g. `data.runs[3].status` (`.` for the top).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What serde said (its first KiB).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A short piece of the body around the failure; the body itself is not kept.
    pub fn excerpt(&self) -> &str {
        &self.excerpt.text
    }

    /// The length of the whole body.
    pub fn body_len(&self) -> usize {
        self.excerpt.total
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response of {} at `{}`: {}; body near the error",
            self.status, self.origin, self.path, self.message
        )?;
        let Excerpt { text, start, end, total } = &self.excerpt;
        if self.excerpt.is_cut() {
            write!(f, " (bytes {start}..{end} of {total})")?;
        }
        write!(f, ": `{text}`")
    }
}

impl std::error::Error for DecodeError {}

/// Up to [`EXCERPT_BYTES`] of a body, on one line, as lossy UTF-8, with where it was taken.
#[derive(Debug)]
struct Excerpt {
    /// The text, `…` marking a cut on either side.
    text: String,
    start: usize,
    end: usize,
    /// The length of the whole body (which may be longer than the bytes at hand).
    total: usize,
}

impl Excerpt {
    /// The bytes around `offset` of `body`, the start of a body `total` bytes long.
    fn new(body: &[u8], offset: usize, total: usize) -> Excerpt {
        let start = offset.saturating_sub(EXCERPT_BYTES / 2).min(body.len());
        let end = (start + EXCERPT_BYTES).min(body.len());
        let text: String =
            String::from_utf8_lossy(&body[start..end]).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.push_str(text.trim());
        if end < total {
            out.push('…');
        }
        Excerpt { text: out, start, end, total: total.max(body.len()) }
    }

    fn is_cut(&self) -> bool {
        self.start > 0 || self.end < self.total
    }
}

/// The index at most `limit` into `bytes` that does not split a UTF-8 character.
fn utf8_floor(bytes: &[u8], limit: usize) -> usize {
    if bytes.len() <= limit {
        return bytes.len();
    }
    // Step back over continuation bytes (0b10xx_xxxx), at most three.
    (limit.saturating_sub(3)..=limit).rev().find(|&i| bytes[i] & 0xC0 != 0x80).unwrap_or(limit)
}

// clientgen:gate calls | json_response
/// `text`, cut to at most `limit` bytes (plus a note of how much was left out).
fn bounded(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let end = utf8_floor(text.as_bytes(), limit);
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

/// A value's `Debug`, cut after [`KEPT_BODY_BYTES`]: a payload may hold all of a large body.
struct CappedDebug<'a, T>(&'a T);

impl<T: fmt::Debug> fmt::Debug for CappedDebug<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut capped = Capped { out: f, left: KEPT_BODY_BYTES, cut: 0 };
        write!(capped, "{:?}", self.0)?;
        let cut = capped.cut;
        if cut > 0 {
            write!(f, "… ({cut} more bytes)")?;
        }
        Ok(())
    }
}

/// Passes on the first `left` bytes written to it and counts the rest.
struct Capped<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: usize,
}

impl fmt::Write for Capped<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = utf8_floor(s.as_bytes(), self.left);
        self.left -= end;
        self.cut += s.len() - end;
        self.out.write_str(&s[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_common_error_shapes() {
        let s = Summary::from_body(br#"{"error":{"status":404,"message":"Not found","id":"e-1","details":{"a":1}}}"#);
        assert_eq!(s.message.as_deref(), Some("Not found"));
        assert_eq!(s.id.as_deref(), Some("e-1"));
        assert!(s.details.is_some());
        assert_eq!(Summary::from_body(br#"{"message":"m"}"#).message.as_deref(), Some("m"));
        assert_eq!(Summary::from_body(br#"{"error":"bad"}"#).message.as_deref(), Some("bad"));
        assert!(Summary::from_body(b"<html>").message.is_none());
    }

    #[test]
    fn summaries_of_huge_bodies_are_bounded() {
        let body = format!(r#"{{"message":"{}","details":{{"a":1}}}}"#, "m".repeat(100_000));
        let s = Summary::from_body(body.as_bytes());
        let message = s.message.unwrap();
        assert!(message.len() < MESSAGE_BYTES + 32 && message.ends_with("(98976 more bytes)"), "{message}");
        assert!(s.details.is_none());
    }

    #[test]
    fn excerpts_are_bounded_single_lines() {
        let body = format!("{}\n{}", "a".repeat(500), "b".repeat(500));
        let e = Excerpt::new(body.as_bytes(), 500, body.len());
        assert!(e.text.len() <= EXCERPT_BYTES + 8);
        assert!(!e.text.contains('\n'));
        assert_eq!((e.start, e.end, e.total), (400, 600, 1001));
        assert!(e.is_cut());
    }

    #[test]
    fn cuts_never_split_a_character() {
        let text = "é".repeat(10);
        assert_eq!(utf8_floor(text.as_bytes(), 5), 4);
        assert_eq!(bounded(&text, 5), "éé… (16 more bytes)");
        assert_eq!(utf8_floor(b"abc", 10), 3);
    }

    #[test]
    fn debug_of_a_huge_value_is_cut() {
        let huge = "x".repeat(KEPT_BODY_BYTES * 2);
        let shown = format!("{:?}", CappedDebug(&huge));
        assert!(shown.len() < KEPT_BODY_BYTES + 64, "{}", shown.len());
        assert!(shown.ends_with(&format!("… ({} more bytes)", KEPT_BODY_BYTES + 2)), "{}", &shown[shown.len() - 40..]);
    }
}
