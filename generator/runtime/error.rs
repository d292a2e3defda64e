//! The one error type every operation returns.

use std::any::Any;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::response::RateLimit;
use super::validate::ValidationError;

/// Largest body excerpt shown in messages.
const EXCERPT_BYTES: usize = 200;

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status.
    Api(Box<ApiError>),
    /// No connection could be made (nothing reached the server).
    Connect(TransportError),
    /// The request or the response body took longer than the configured timeout.
    Timeout(TransportError),
    /// The connection failed after the request was sent (reset, truncated body, ...).
    Transport(TransportError),
    /// The response did not have the documented shape.
    Decode(Box<DecodeError>),
    /// A value breaks a constraint of the API; nothing was sent.
    Validation(ValidationError),
    /// A paginated listing misbehaved (e.g. the server repeated a cursor).
    Pagination(PaginationError),
    /// The client is misconfigured.
    Config(ConfigError),
}

impl Error {
    /// Whether trying again later may succeed: connection problems, timeouts, and 429, 502,
    /// 503 and 504 responses.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => is_retryable_status(e.status),
            Error::Connect(_) | Error::Timeout(_) | Error::Transport(_) => true,
            _ => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// How many attempts were made before giving up (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts,
            Error::Connect(e) | Error::Timeout(e) | Error::Transport(e) => e.attempts,
            Error::Decode(e) => e.attempts,
            Error::Validation(_) | Error::Pagination(_) | Error::Config(_) => 0,
        }
    }
}

pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Connect(e) => write!(f, "could not connect: {e}"),
            Error::Timeout(e) => write!(f, "timed out: {e}"),
            Error::Transport(e) => write!(f, "connection failed: {e}"),
            Error::Decode(e) => e.fmt(f),
            Error::Validation(e) => e.fmt(f),
            Error::Pagination(e) => e.fmt(f),
            Error::Config(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connect(e) | Error::Timeout(e) | Error::Transport(e) => Some(&e.source),
            _ => None,
        }
    }
}

/// Which request an error is about.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The path only: query strings may carry credentials.
    pub(crate) path: String,
}

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
pub struct ApiError {
    pub(crate) origin: Origin,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    pub(crate) payload: Option<Box<dyn ErrorPayload>>,
    pub(crate) summary: Summary,
}

/// What could be read from a JSON error body of any common shape.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    message: Option<String>,
    id: Option<String>,
    details: Option<serde_json::Value>,
}

impl Summary {
    /// Read `{"error": {"message", "id", "details"}}`, `{"message": ...}`, `{"detail": ...}`
    /// and similar shapes.
    pub(crate) fn from_body(body: &[u8]) -> Summary {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Summary::default();
        };
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
        let inner = match map.get("error") {
            Some(serde_json::Value::Object(inner)) => Some(inner),
            _ => None,
        };
        let pick = |keys: &[&str]| -> Option<String> {
            keys.iter().find_map(|k| text(inner.and_then(|i| i.get(*k))).or_else(|| text(map.get(*k))))
        };
        Summary {
            message: pick(&["message", "detail", "title", "error_description", "error"]),
            id: pick(&["id", "request_id", "requestId", "code"]),
            details: inner.and_then(|i| i.get("details")).or_else(|| map.get("details")).cloned(),
        }
    }
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, whether or not it parsed.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, if it is UTF-8.
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

    /// The error message from the body (`error.message`, `message`, `detail`, ...).
    pub fn message(&self) -> Option<&str> {
        self.summary.message.as_deref()
    }

    /// The error or request id from the body, for support requests.
    pub fn error_id(&self) -> Option<&str> {
        self.summary.id.as_deref()
    }

    /// Structured details from the body (`error.details`), if any.
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
            .field("payload", &self.payload)
            .field("body", &excerpt(&self.body, 0))
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Origin { operation, method, path } = &self.origin;
        write!(f, "{operation} ({method} {path}) failed with {}", self.status)?;
        match (&self.summary.message, &self.summary.id) {
            (Some(m), Some(id)) => write!(f, ": {m} (id {id})")?,
            (Some(m), None) => write!(f, ": {m}")?,
            _ if !self.body.is_empty() => write!(f, ": {}", excerpt(&self.body, 0))?,
            _ => {}
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A connection-level failure.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) origin: Origin,
    pub(crate) attempts: u32,
    pub(crate) source: reqwest::Error,
}

impl TransportError {
    /// The `operationId` of the call.
    pub fn operation_id(&self) -> &str {
        self.origin.operation
    }

    /// Attempts made, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Origin { operation, method, path } = &self.origin;
        write!(f, "{operation} ({method} {path}): {}", self.source)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// A response body that does not have the documented shape.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) origin: Origin,
    pub(crate) status: StatusCode,
    pub(crate) attempts: u32,
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) excerpt: String,
}

impl DecodeError {
    // clientgen:if json_response
    pub(crate) fn new(
        origin: Origin,
        status: StatusCode,
        attempts: u32,
        body: &[u8],
        path: String,
        err: serde_json::Error,
    ) -> Self {
        let offset = super::json_path::offset_of(body, err.line(), err.column());
        DecodeError { origin, status, attempts, path, message: err.to_string(), excerpt: excerpt(body, offset) }
    }
    // clientgen:end

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Where in the body decoding failed, e.g. `data.runs[3].status` (`.` for the top).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What serde said.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A short piece of the body around the failure.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Origin { operation, method, path } = &self.origin;
        write!(
            f,
            "cannot decode the {} response of {operation} ({method} {path}) at `{}`: {}; body near the error: `{}`",
            self.status, self.path, self.message, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// A paginated listing that cannot continue safely.
#[derive(Clone, Debug)]
pub struct PaginationError {
    pub(crate) operation: &'static str,
    pub(crate) cursor: String,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the server returned the cursor `{}` twice; stopped to avoid an endless loop",
            self.operation, self.cursor
        )
    }
}

impl std::error::Error for PaginationError {}

/// A misconfigured client.
#[derive(Clone, Debug)]
pub struct ConfigError(String);

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError(message.into())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Up to [`EXCERPT_BYTES`] of the body around `offset`, on one line, as lossy UTF-8.
pub(crate) fn excerpt(body: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(EXCERPT_BYTES / 2).min(body.len());
    let end = (start + EXCERPT_BYTES).min(body.len());
    let text: String =
        String::from_utf8_lossy(&body[start..end]).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(text.trim());
    if end < body.len() {
        out.push('…');
    }
    out
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
    fn excerpts_are_bounded_single_lines() {
        let body = format!("{}\n{}", "a".repeat(500), "b".repeat(500));
        let e = excerpt(body.as_bytes(), 500);
        assert!(e.len() <= EXCERPT_BYTES + 8);
        assert!(!e.contains('\n'));
    }
}
