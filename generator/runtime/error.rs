//! The one error type every operation returns, and its small cases.

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};

use super::response_error::{ApiError, DecodeError};
use super::validate::ValidationError;

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status.
    Api(Box<ApiError>),
    /// No connection could be made (nothing reached the server).
    Connect(TransportError),
    /// One attempt took longer than the per-attempt timeout ([`ClientBuilder::timeout`]) and
    /// no retry followed.
    ///
    /// [`ClientBuilder::timeout`]: super::ClientBuilder::timeout
    Timeout(TransportError),
    /// The call's deadline ([`ClientBuilder::deadline`]) ran out: during an attempt, or before
    /// a retry the policy would have made.
    ///
    /// [`ClientBuilder::deadline`]: super::ClientBuilder::deadline
    Deadline(DeadlineError),
    /// The connection failed after the request was sent (reset, truncated body, ...).
    Transport(TransportError),
    /// The response body is larger than [`ClientBuilder::max_response_size`] allows.
    ///
    /// [`ClientBuilder::max_response_size`]: super::ClientBuilder::max_response_size
    TooLarge(TooLargeError),
    /// The response did not have the documented shape.
    Decode(Box<DecodeError>),
    /// A value breaks a constraint of the API; nothing was sent.
    Validation(ValidationError),
    /// A paginated listing cannot go on (the server repeated a cursor, or left one out).
    Pagination(PaginationError),
    /// The client is misconfigured.
    Config(ConfigError),
}

impl Error {
    /// Whether trying again later may succeed: connection problems, timeouts, a deadline that
    /// ran out, and 429, 502, 503 and 504 responses.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => is_retryable_status(e.status()),
            Error::Connect(_) | Error::Timeout(_) | Error::Deadline(_) | Error::Transport(_) => true,
            _ => false,
        }
    }

    /// The HTTP status, when the server answered (for [`Error::Deadline`]: in the last attempt).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::TooLarge(e) => Some(e.status),
            Error::Deadline(e) => e.last.as_ref().and_then(|last| last.status()),
            _ => None,
        }
    }

    /// How many attempts were made before giving up (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts(),
            Error::Connect(e) | Error::Timeout(e) | Error::Transport(e) => e.attempts,
            Error::Deadline(e) => e.attempts,
            Error::TooLarge(e) => e.attempts,
            Error::Decode(e) => e.attempts(),
            Error::Validation(_) | Error::Pagination(_) | Error::Config(_) => 0,
        }
    }

    /// The case, as a word for logs and metrics.
    #[cfg(feature = "tracing")]
    pub(crate) fn case(&self) -> &'static str {
        match self {
            Error::Api(_) => "api",
            Error::Connect(_) => "connect",
            Error::Timeout(_) => "timeout",
            Error::Deadline(_) => "deadline",
            Error::Transport(_) => "transport",
            Error::TooLarge(_) => "too_large",
            Error::Decode(_) => "decode",
            Error::Validation(_) => "validation",
            Error::Pagination(_) => "pagination",
            Error::Config(_) => "config",
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
            Error::Deadline(e) => e.fmt(f),
            Error::Transport(e) => write!(f, "connection failed: {e}"),
            Error::TooLarge(e) => e.fmt(f),
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
            Error::Deadline(e) => e.last.as_deref().map(|last| last as &(dyn std::error::Error + 'static)),
            _ => None,
        }
    }
}

/// `?` on the crate's own fallible constructors (`PerPage::new(..)?`) in a function that
/// returns this crate's [`Error`].
impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Error::Validation(error)
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

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation, self.method, self.path)
    }
}

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
        write!(f, "{}: {}", self.origin, self.source)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// A call whose deadline ran out.
#[derive(Debug)]
pub struct DeadlineError {
    pub(crate) origin: Origin,
    pub(crate) attempts: u32,
    pub(crate) deadline: Duration,
    /// How the last attempt ended, when it ended before the deadline and no retry fitted.
    pub(crate) last: Option<Box<Error>>,
}

impl DeadlineError {
    /// The `operationId` of the call.
    pub fn operation_id(&self) -> &str {
        self.origin.operation
    }

    /// Attempts made, the one cut short (if any) included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The time budget of the call.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// How the last attempt ended, when it ended in time but the retry the policy asked for
    /// did not fit in what was left of the deadline; `None` when the deadline cut an attempt
    /// short.
    pub fn last_error(&self) -> Option<&Error> {
        self.last.as_deref()
    }
}

impl fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the deadline of {:?} ran out", self.origin, self.deadline)?;
        match &self.last {
            None => write!(f, " during attempt {}", self.attempts),
            Some(last) => write!(f, " before a retry could be made; attempt {} ended with: {last}", self.attempts),
        }
    }
}

/// A response body larger than the configured limit; it was not read (past the limit).
#[derive(Debug)]
pub struct TooLargeError {
    pub(crate) origin: Origin,
    pub(crate) status: StatusCode,
    pub(crate) attempts: u32,
    pub(crate) limit: u64,
    /// The length the server announced, when it announced one.
    pub(crate) content_length: Option<u64>,
}

impl TooLargeError {
    /// The `operationId` of the call.
    pub fn operation_id(&self) -> &str {
        self.origin.operation
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The limit in bytes ([`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size)).
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The `Content-Length` of the response, when it had one.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the {} response body ", self.origin, self.status)?;
        if let Some(length) = self.content_length {
            write!(f, "({length} bytes) ")?;
        }
        write!(f, "is larger than the limit of {} bytes (`ClientBuilder::max_response_size`)", self.limit)
    }
}

impl std::error::Error for TooLargeError {}

/// Why a paginated listing stopped with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationErrorKind {
    /// The server returned a cursor it had returned before: following it would loop forever.
    RepeatedCursor,
    /// A page said more pages follow but gave no cursor to fetch them with: ending there would
    /// pass an incomplete listing off as complete.
    MissingCursor,
}

/// A paginated listing that cannot continue safely.
#[derive(Clone, Debug)]
pub struct PaginationError {
    pub(crate) operation: &'static str,
    pub(crate) kind: PaginationErrorKind,
    /// The repeated cursor ([`PaginationErrorKind::RepeatedCursor`]).
    pub(crate) cursor: Option<String>,
}

impl PaginationError {
    /// The `operationId` of the listing.
    pub fn operation_id(&self) -> &str {
        self.operation
    }

    /// What went wrong.
    pub fn kind(&self) -> PaginationErrorKind {
        self.kind
    }

    /// The cursor the server repeated, for [`PaginationErrorKind::RepeatedCursor`].
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, &self.cursor) {
            (PaginationErrorKind::RepeatedCursor, cursor) => write!(
                f,
                "{}: the server returned the cursor `{}` twice; stopped to avoid an endless loop",
                self.operation,
                cursor.as_deref().unwrap_or_default()
            ),
            (PaginationErrorKind::MissingCursor, _) => write!(
                f,
                "{}: a page says more pages follow but has no cursor for the next one; stopped, as the listing \
                 is incomplete",
                self.operation
            ),
        }
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
