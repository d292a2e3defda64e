//! Successful responses: the decoded value with status and headers.

use std::ops::Deref;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A successful response: the decoded body with the status and headers it came with.
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    // clientgen:if operations
    // clientgen:gate calls
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Response { status, headers, value }
    }
    // clientgen:end

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers (`x-ratelimit-limit`, `-remaining`, `-reset`).
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Transform the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, value: f(self.value) }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Rate-limit state reported by the server. Fields are `None` when the header is absent or
/// not a number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the current window (`x-ratelimit-limit`).
    pub limit: Option<u64>,
    /// Requests left in the current window (`x-ratelimit-remaining`).
    pub remaining: Option<u64>,
    /// Seconds until the window resets (`x-ratelimit-reset`).
    pub reset: Option<u64>,
}

impl RateLimit {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let number =
            |names: &[&str]| names.iter().find_map(|n| headers.get(*n)?.to_str().ok()?.trim().parse::<u64>().ok());
        RateLimit {
            limit: number(&["x-ratelimit-limit", "ratelimit-limit"]),
            remaining: number(&["x-ratelimit-remaining", "ratelimit-remaining"]),
            reset: number(&["x-ratelimit-reset", "ratelimit-reset"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn rate_limit_headers_are_read_as_numbers() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("1000"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static(" 998 "));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("soon"));
        assert_eq!(RateLimit::from_headers(&h), RateLimit { limit: Some(1000), remaining: Some(998), reset: None });
    }
}
