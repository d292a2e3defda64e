//! Callbacks around every request, for tracing and metrics without forking the client.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// What a hook is told about the request in flight.
#[derive(Clone, Copy, Debug)]
pub struct RequestInfo<'a> {
    /// The `operationId`.
    pub operation_id: &'a str,
    /// The HTTP method.
    pub method: &'a Method,
    /// The path, without the query string (which may hold credentials).
    pub path: &'a str,
    /// The path as documented, its `{parameters}` unfilled: a label for metrics that does not
    /// hold ids.
    pub path_template: &'a str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
}

/// How an attempt ended.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// The server answered (any status).
    Response {
        /// The status.
        status: StatusCode,
        /// The headers.
        headers: &'a HeaderMap,
        /// Time from sending to the end of the body.
        elapsed: Duration,
    },
    /// No usable answer (connection failure, timeout, broken body).
    Failed {
        /// What went wrong.
        error: &'a reqwest::Error,
        /// Time until the failure.
        elapsed: Duration,
    },
    /// The server answered with a body over the size limit, which was not read.
    TooLarge {
        /// The status.
        status: StatusCode,
        /// Time until the limit was known to be crossed.
        elapsed: Duration,
    },
    /// The call's deadline ran out during the attempt, which was abandoned.
    Deadline {
        /// Time until the deadline.
        elapsed: Duration,
    },
}

/// Callbacks around each attempt of each request. Both default to doing nothing.
///
/// The `Authorization` header is marked sensitive, so printing the request with `{:?}` does
/// not show the credential.
pub trait Hooks: Send + Sync + 'static {
    /// Called before each attempt is sent; may change the request (e.g. add a trace header).
    fn before_request(&self, info: &RequestInfo<'_>, request: &mut reqwest::Request) {
        let _ = (info, request);
    }

    /// Called after each attempt, with its outcome.
    fn after_response(&self, info: &RequestInfo<'_>, outcome: Outcome<'_>) {
        let _ = (info, outcome);
    }
}
