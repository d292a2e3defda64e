//! Sending a request: one non-generic path shared by every operation, with retries, the
//! call's deadline and hooks.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::{Method, StatusCode};

use super::client::{http_url, Client, Credentials};
use super::encode;
use super::error::{is_retryable_status, ConfigError, DeadlineError, Error, Origin, TooLargeError, TransportError};
use super::hooks::{Outcome, RequestInfo};
use super::raw::{read_body, BodyError, Raw};
use super::request::Request;
use super::retry::retry_after;

/// How one attempt ended.
enum Attempt {
    /// The server answered, and the whole body was read.
    Answered { status: StatusCode, headers: HeaderMap, body: bytes::Bytes },
    /// The server answered with a body over the size limit.
    TooLarge { status: StatusCode, content_length: Option<u64> },
    /// No usable answer.
    Failed(reqwest::Error),
}

impl Attempt {
    /// What the call ends with after this attempt (the `attempts`th); `cut` is the deadline
    /// when it left no time for the retry the policy asked for.
    fn end(self, origin: Origin, attempts: u32, limit: u64, cut: Option<Duration>) -> Result<Raw, Error> {
        let error = match self {
            // An error status becomes an error once the operation has decoded it.
            Attempt::Answered { status, headers, body } => {
                return Ok(Raw { origin, status, headers, body, attempts, deadline: cut });
            }
            Attempt::TooLarge { status, content_length } => {
                return Err(Error::TooLarge(TooLargeError { origin, status, attempts, limit, content_length }));
            }
            Attempt::Failed(error) => error,
        };
        let (timeout, never_sent) = (error.is_timeout(), error.is_connect());
        let transport = TransportError { origin: origin.clone(), attempts, source: error };
        let error = if timeout {
            Error::Timeout(transport)
        } else if never_sent {
            Error::Connect(transport)
        } else {
            Error::Transport(transport)
        };
        Err(match cut {
            Some(deadline) => {
                Error::Deadline(DeadlineError { origin, attempts, deadline, last: Some(Box::new(error)) })
            }
            None => error,
        })
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_str(value).ok()?;
    v.set_sensitive(true);
    Some(v)
}

/// The time budget of one call.
#[derive(Clone, Copy)]
struct Deadline {
    budget: Duration,
    at: Instant,
}

impl Deadline {
    /// Whether a retry fits: its wait, then an attempt as long as the last one took.
    fn fits(&self, wait: Duration, last_attempt: Duration) -> bool {
        // Saturating: a server's `Retry-After` may be anything the policy lets through.
        wait.saturating_add(last_attempt) <= self.at.saturating_duration_since(Instant::now())
    }
}

impl Client {
    /// Send `req`, retrying as the policy allows; returns any status, decoded by the caller.
    pub(crate) async fn send(&self, req: Request) -> Result<Raw, Error> {
        let call = super::trace::Call::start(&req);
        let result = call.instrument(self.send_with_retries(req)).await;
        call.finish(&result);
        result
    }

    async fn send_with_retries(&self, mut req: Request) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let started = Instant::now();
        // A budget past what `Instant` can hold (`Duration::MAX`) is no deadline at all.
        let deadline =
            inner.deadline.and_then(|budget| Some(Deadline { budget, at: started.checked_add(budget)? }));
        let origin = Origin { operation: req.operation, method: req.method.clone(), path: req.path.clone() };
        let (url, headers) = self.prepare(&mut req)?;
        let idempotent = is_idempotent(&req.method) || inner.retry.retry_non_idempotent;
        let max_attempts = inner.retry.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = reqwest::Request::new(req.method.clone(), url.clone());
            *request.timeout_mut() = Some(inner.timeout);
            *request.headers_mut() = headers.clone();
            if let Some((_, bytes)) = &req.body {
                *request.body_mut() = Some(bytes.clone().into());
            }
            let info = RequestInfo {
                operation_id: req.operation,
                method: &req.method,
                path: &req.path,
                path_template: req.template,
                attempt,
            };
            if let Some(hooks) = &inner.hooks {
                hooks.before_request(&info, &mut request);
            }
            let attempt_started = Instant::now();
            let outcome = match deadline {
                // The per-attempt timeout is reqwest's; the deadline cuts whatever is in flight.
                Some(d) => match tokio::time::timeout_at(d.at.into(), self.attempt(request)).await {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        if let Some(hooks) = &inner.hooks {
                            hooks.after_response(&info, Outcome::Deadline { elapsed: attempt_started.elapsed() });
                        }
                        let deadline = d.budget;
                        return Err(Error::Deadline(DeadlineError { origin, attempts: attempt, deadline, last: None }));
                    }
                },
                None => self.attempt(request).await,
            };
            let elapsed = attempt_started.elapsed();
            if let Some(hooks) = &inner.hooks {
                let outcome = match &outcome {
                    Attempt::Answered { status, headers, .. } => {
                        Outcome::Response { status: *status, headers, elapsed }
                    }
                    Attempt::TooLarge { status, .. } => Outcome::TooLarge { status: *status, elapsed },
                    Attempt::Failed(error) => Outcome::Failed { error, elapsed },
                };
                hooks.after_response(&info, outcome);
            }
            // The wait before a retry, when the policy allows one.
            let retry = attempt < max_attempts;
            let wait = match &outcome {
                Attempt::Answered { status, headers, .. } if is_retryable_status(*status) && idempotent && retry => {
                    match retry_after(headers) {
                        Some(d) if d <= inner.retry.max_retry_after => Some(d),
                        // The server asks for more patience than allowed: report it now.
                        Some(_) => None,
                        None => Some(inner.retry.backoff(attempt)),
                    }
                }
                // A connection that never opened carried nothing, so even a POST is safe to resend.
                Attempt::Failed(error) if retry && (idempotent || error.is_connect()) => {
                    Some(inner.retry.backoff(attempt))
                }
                _ => None,
            };
            match (wait, deadline) {
                (Some(wait), Some(d)) if !d.fits(wait, elapsed) => {
                    return outcome.end(origin, attempt, inner.max_response_size, Some(d.budget));
                }
                (Some(wait), _) => tokio::time::sleep(wait).await,
                (None, _) => return outcome.end(origin, attempt, inner.max_response_size, None),
            }
        }
    }

    /// One attempt: send, then read the body within the size limit. A failure drops its URL
    /// before hooks or errors see it: the query may hold an API key.
    async fn attempt(&self, request: reqwest::Request) -> Attempt {
        let mut response = match self.inner.http.execute(request).await {
            Ok(response) => response,
            Err(error) => return Attempt::Failed(error.without_url()),
        };
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        match read_body(&mut response, self.inner.max_response_size).await {
            Ok(body) => Attempt::Answered { status, headers, body },
            Err(BodyError::TooLarge(content_length)) => Attempt::TooLarge { status, content_length },
            Err(BodyError::Http(error)) => Attempt::Failed(error.without_url()),
        }
    }

    /// The URL and headers every attempt of `req` sends (taking its query and headers).
    fn prepare(&self, req: &mut Request) -> Result<(reqwest::Url, HeaderMap), Error> {
        let inner = &*self.inner;
        let mut query = std::mem::take(&mut req.query);
        let mut headers = std::mem::take(&mut req.headers);
        if req.authenticated {
            if let Some((name, value)) = &inner.auth_header {
                headers.insert(name.clone(), value.clone());
            }
            match &inner.credentials {
                Some(Credentials::ApiKeyQuery { name, key }) => query.push_str(name, key.expose()),
                Some(Credentials::ApiKeyCookie { name, key }) => {
                    let mut pair = format!("{name}=");
                    encode::percent_encode(&mut pair, key.expose());
                    if let Some(v) = sensitive(&pair) {
                        headers.append(COOKIE, v);
                    }
                }
                _ => {}
            }
        }
        for (name, value) in &inner.default_headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static(req.accept));
        match &req.body {
            Some((content_type, _)) => {
                headers.insert(CONTENT_TYPE, content_type.clone());
            }
            // Without a body nothing says its length, and some proxies answer 411 Length Required.
            None if matches!(req.method, Method::POST | Method::PUT | Method::PATCH) => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            }
            None => {}
        }
        let mut url = String::with_capacity(inner.base_url.len() + req.path.len() + query.as_str().len() + 1);
        url.push_str(&inner.base_url);
        url.push_str(&req.path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query.as_str());
        }
        let url = http_url(&url)
            .map_err(|e| Error::Config(ConfigError::new(format!("cannot form a URL for {}: {e}", req.operation))))?;
        Ok((url, headers))
    }
}
