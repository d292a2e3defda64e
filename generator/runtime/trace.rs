//! One `tracing` span per call, with the crate's `tracing` feature; without it, nothing.
//!
//! The span names the operation, the HTTP method and the path template, then records the
//! final status, the attempts and the duration. It never holds a header, a body, a query
//! string or the filled-in path: those may carry credentials, personal data or ids.

use std::future::Future;

use super::error::Error;
use super::raw::Raw;
use super::request::Request;

/// The span of one call.
#[cfg(feature = "tracing")]
pub(super) struct Call {
    span: tracing::Span,
    started: std::time::Instant,
}

#[cfg(feature = "tracing")]
impl Call {
    pub(super) fn start(req: &Request) -> Call {
        use tracing::field::Empty;
        let span = tracing::info_span!(
            "http_request",
            operation = req.operation,
            http.request.method = %req.method,
            url.template = req.template,
            http.response.status_code = Empty,
            attempts = Empty,
            duration_ms = Empty,
            "error.type" = Empty,
        );
        Call { span, started: std::time::Instant::now() }
    }

    pub(super) fn instrument<F: Future>(&self, future: F) -> tracing::instrument::Instrumented<F> {
        tracing::Instrument::instrument(future, self.span.clone())
    }

    pub(super) fn finish(&self, result: &Result<Raw, Error>) {
        let span = &self.span;
        let (status, attempts, error) = match result {
            // The operation turns these into errors once it has decoded them.
            Ok(raw) if raw.deadline.is_some() => (Some(raw.status), raw.attempts, Some("deadline")),
            Ok(raw) if !raw.status.is_success() => (Some(raw.status), raw.attempts, Some("api")),
            Ok(raw) => (Some(raw.status), raw.attempts, None),
            Err(e) => (e.status(), e.attempts(), Some(e.case())),
        };
        if let Some(status) = status {
            span.record("http.response.status_code", status.as_u16());
        }
        span.record("attempts", attempts);
        span.record("duration_ms", self.started.elapsed().as_secs_f64() * 1000.0);
        if let Some(error) = error {
            span.record("error.type", error);
        }
    }
}

/// No span: the `tracing` feature is off.
#[cfg(not(feature = "tracing"))]
pub(super) struct Call;

#[cfg(not(feature = "tracing"))]
impl Call {
    pub(super) fn start(_: &Request) -> Call {
        Call
    }

    pub(super) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }

    pub(super) fn finish(&self, _: &Result<Raw, Error>) {}
}
