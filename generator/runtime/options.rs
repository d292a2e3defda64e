//! Settings for some calls rather than all: a deadline, a timeout, a retry policy, headers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::client::{Client, Inner};
use super::retry::RetryPolicy;

/// What [`Client::with_options`] changes; anything left unset stays as the client has it.
///
/// ```text
/// let quick = client.with_options(RequestOptions::new().deadline(Duration::from_secs(2)));
/// quick.some_operation(..).await?;
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    deadline: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials: only their names are shown.
        f.debug_struct("RequestOptions")
            .field("deadline", &self.deadline)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time budget of each call, retries and waits included (see
    /// [`ClientBuilder::deadline`](super::ClientBuilder::deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The time allowed for each attempt (see [`ClientBuilder::timeout`](super::ClientBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed requests are retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// A header sent with every request, like a
    /// [`ClientBuilder::default_header`](super::ClientBuilder::default_header) (it replaces
    /// one of the same name). Its value is marked sensitive, so `Debug` output never shows it.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.headers.insert(name, value);
        self
    }
}

impl Client {
    /// A client whose calls use `options`, sharing this one's connection pool and the rest of
    /// its configuration. Cheap: meant to be made for one call or a few.
    ///
    /// ```text
    /// let traced = client.with_options(
    ///     RequestOptions::new()
    ///         .deadline(Duration::from_secs(5))
    ///         .header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("abc")),
    /// );
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut inner = Inner::clone(&self.inner);
        if let Some(deadline) = options.deadline {
            inner.deadline = Some(deadline);
        }
        if let Some(timeout) = options.timeout {
            inner.timeout = timeout;
        }
        if let Some(retry) = options.retry {
            inner.retry = retry;
        }
        inner.default_headers.extend(options.headers);
        Client { inner: Arc::new(inner) }
    }
}
