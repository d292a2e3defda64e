//! When and how long to wait before trying a request again.

// clientgen:if operations
// clientgen:gate calls
use std::sync::atomic::{AtomicU64, Ordering};
// clientgen:end
use std::time::{Duration, SystemTime};
// clientgen:if operations
// clientgen:gate calls
use std::time::UNIX_EPOCH;
// clientgen:end

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How failed requests are retried.
///
/// Retried: connection failures (for every method: nothing reached the server), and, for
/// idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) unless
/// [`RetryPolicy::retry_non_idempotent`] is set, timeouts, broken connections and 429, 502,
/// 503 and 504 responses. Waits grow exponentially with full jitter; a `Retry-After` header
/// is honoured when it asks for no more than [`RetryPolicy::max_retry_after`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest wait between attempts (before jitter).
    pub max_backoff: Duration,
    /// Longest `Retry-After` obeyed; a longer one ends retrying.
    pub max_retry_after: Duration,
    /// Also retry POST and PATCH after the request may have reached the server.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    // clientgen:if operations
    // clientgen:gate calls
    /// The wait before attempt `attempt + 1` (after `attempt` failures), with full jitter.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(jitter())
    }
    // clientgen:end
}

// clientgen:if operations
// clientgen:gate calls
/// A number in [0.5, 1): full jitter would allow zero, which hammers a struggling server.
fn jitter() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    // splitmix64
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    0.5 + (x >> 11) as f64 / (1u64 << 53) as f64 / 2.0
}
// clientgen:end

/// `Retry-After`, as delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    // clientgen:if operations
    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        for attempt in 1..10 {
            let d = p.backoff(attempt);
            let cap = p.initial_backoff.saturating_mul(1 << (attempt - 1)).min(p.max_backoff);
            assert!(d >= cap / 2 && d <= cap, "attempt {attempt}: {d:?} vs {cap:?}");
        }
    }
    // clientgen:end

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        h.insert(RETRY_AFTER, HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap());
        let d = retry_after(&h).unwrap();
        assert!(d > Duration::from_secs(100) && d <= Duration::from_secs(120), "{d:?}");
        h.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }
}
