//! Sending a request: one non-generic path shared by every operation, with retries and hooks.

use std::time::Instant;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT};
// clientgen:if header_params
use reqwest::header::HeaderName;
// clientgen:end
use reqwest::{Method, StatusCode};
// clientgen:if query_params | header_params | cookie_params | json_body | form
use serde::Serialize;
// clientgen:end
// clientgen:if json_response | typed_errors
use serde::de::DeserializeOwned;
// clientgen:end

use super::client::{Client, Credentials};
use super::encode::{self, Query};
// clientgen:if query_params
use super::encode::Style;
// clientgen:end
use super::error::{is_retryable_status, ConfigError, Error, Origin, TransportError};
// clientgen:if json_response
use super::error::DecodeError;
// clientgen:end
// clientgen:if typed_errors | untyped_errors
use super::error::{ApiError, ErrorPayload, Summary};
// clientgen:end
use super::hooks::{Outcome, RequestInfo};
use super::response::Response;
use super::retry::retry_after;

/// A request being put together by an operation method.
pub(crate) struct Request {
    operation: &'static str,
    method: Method,
    path: String,
    query: Query,
    headers: HeaderMap,
    body: Option<(HeaderValue, Bytes)>,
    accept: &'static str,
    authenticated: bool,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, path: String) -> Self {
        Request {
            operation,
            method,
            path,
            query: Query::new(),
            headers: HeaderMap::new(),
            body: None,
            accept: "application/json",
            authenticated: true,
        }
    }

    // clientgen:if anonymous
    /// Send no credentials (the operation declares `security: []`).
    pub(crate) fn anonymous(mut self) -> Self {
        self.authenticated = false;
        self
    }
    // clientgen:end

    // clientgen:if accept
    /// The media type asked for with `Accept`.
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        self.accept = media;
        self
    }
    // clientgen:end

    // clientgen:if query_params
    /// Add a query parameter (skipped when `None`).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, key: &str, value: &T, style: Style) -> Result<(), Error> {
        self.query.push(key, value, style)
    }
    // clientgen:end

    // clientgen:if header_params
    /// Add a header parameter (skipped when `None`).
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        if let Some(text) = encode::header_value(name, value)? {
            let value = HeaderValue::from_str(&text).map_err(|_| {
                Error::Validation(
                    super::validate::ValidationError::new("contains characters not allowed in a header").within(name),
                )
            })?;
            self.headers.append(HeaderName::from_static(name), value);
        }
        Ok(())
    }
    // clientgen:end

    // clientgen:if cookie_params
    /// Add a cookie parameter (skipped when `None`).
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        if let Some(text) = encode::header_value(name, value)? {
            let mut pair = String::new();
            encode::percent_encode(&mut pair, name);
            pair.push('=');
            encode::percent_encode(&mut pair, &text);
            self.append_cookie(&pair);
        }
        Ok(())
    }
    // clientgen:end

    // clientgen:if cookie_params
    fn append_cookie(&mut self, pair: &str) {
        let joined = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair.to_owned(),
        };
        if let Ok(v) = HeaderValue::from_str(&joined) {
            self.headers.insert(COOKIE, v);
        }
    }
    // clientgen:end

    // clientgen:if json_body
    /// A JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::Validation(super::validate::ValidationError::new(format!("cannot be encoded: {e}")).within("body"))
        })?;
        self.body = Some((HeaderValue::from_static("application/json"), bytes.into()));
        Ok(())
    }
    // clientgen:end

    // clientgen:if form
    /// A form-encoded body.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = encode::form_body(body)?;
        self.body = Some((HeaderValue::from_static("application/x-www-form-urlencoded"), bytes.into()));
        Ok(())
    }
    // clientgen:end

    // clientgen:if multipart
    /// A multipart body.
    pub(crate) fn multipart(&mut self, body: encode::Multipart) {
        let (content_type, bytes) = body.finish();
        let content_type =
            HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("multipart/form-data"));
        self.body = Some((content_type, bytes.into()));
    }
    // clientgen:end

    // clientgen:if raw_body
    /// A raw body with the given content type.
    pub(crate) fn raw(&mut self, content_type: &'static str, bytes: impl Into<Bytes>) {
        self.body = Some((HeaderValue::from_static(content_type), bytes.into()));
    }
    // clientgen:end
}

/// A response as received, before it is decoded.
pub(crate) struct Raw {
    origin: Origin,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
}

impl Raw {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    // clientgen:if json_response
    fn decode_error(&self, path: String, err: serde_json::Error) -> Error {
        Error::Decode(Box::new(DecodeError::new(
            self.origin.clone(),
            self.status,
            self.attempts,
            &self.body,
            path,
            err,
        )))
    }
    // clientgen:end

    // clientgen:if json_response
    /// Decode a JSON body.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        // The path of a failure is worked out from the text only when there is one: tracking it
        // while decoding doubled the cost of every response (see BENCHMARKS.md).
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(Response::new(self.status, self.headers, value)),
            Err(e) => Err(self.decode_error(super::json_path::path_at(&self.body, e.line(), e.column()), e)),
        }
    }
    // clientgen:end

    // clientgen:if text_response
    /// A text body.
    pub(crate) fn text(self) -> Result<Response<String>, Error> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        Ok(Response::new(self.status, self.headers, text))
    }
    // clientgen:end

    // clientgen:if bytes_response
    /// A binary body.
    pub(crate) fn bytes(self) -> Result<Response<Bytes>, Error> {
        Ok(Response::new(self.status, self.headers, self.body))
    }
    // clientgen:end

    // clientgen:if empty_response
    /// No body is documented; any body is ignored.
    pub(crate) fn empty(self) -> Result<Response<()>, Error> {
        Ok(Response::new(self.status, self.headers, ()))
    }
    // clientgen:end

    // clientgen:if typed_errors
    /// An error response with a body documented as `E`; the raw body is kept either way.
    pub(crate) fn error<E: DeserializeOwned + ErrorPayload>(self) -> Error {
        let payload = serde_json::from_slice::<E>(&self.body).ok().map(|p| Box::new(p) as Box<dyn ErrorPayload>);
        self.into_error(payload)
    }
    // clientgen:end

    // clientgen:if untyped_errors
    /// An error response without a documented body.
    pub(crate) fn error_untyped(self) -> Error {
        self.into_error(None)
    }
    // clientgen:end

    // clientgen:if typed_errors | untyped_errors
    fn into_error(self, payload: Option<Box<dyn ErrorPayload>>) -> Error {
        Error::Api(Box::new(ApiError {
            summary: Summary::from_body(&self.body),
            origin: self.origin,
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts: self.attempts,
            payload,
        }))
    }
    // clientgen:end
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_str(value).ok()?;
    v.set_sensitive(true);
    Some(v)
}

impl Client {
    /// Send `req`, retrying as the policy allows; returns any status, decoded by the caller.
    pub(crate) async fn send(&self, req: Request) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let origin = Origin { operation: req.operation, method: req.method.clone(), path: req.path.clone() };
        let mut query = req.query;
        let mut headers = req.headers;
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
        if let Some((content_type, _)) = &req.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        let mut url = String::with_capacity(inner.base_url.len() + req.path.len() + query.as_str().len() + 1);
        url.push_str(&inner.base_url);
        url.push_str(&req.path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query.as_str());
        }
        let url = reqwest::Url::parse(&url)
            .map_err(|e| Error::Config(ConfigError::new(format!("cannot form a URL for {}: {e}", req.operation))))?;
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
            let info = RequestInfo { operation_id: req.operation, method: &req.method, path: &req.path, attempt };
            if let Some(hooks) = &inner.hooks {
                hooks.before_request(&info, &mut request);
            }
            let started = Instant::now();
            let result = async {
                let mut response = inner.http.execute(request).await?;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>((status, headers, body))
            }
            .await;
            let elapsed = started.elapsed();
            match result {
                Ok((status, headers, body)) => {
                    if let Some(hooks) = &inner.hooks {
                        hooks.after_response(&info, Outcome::Response { status, headers: &headers, elapsed });
                    }
                    if is_retryable_status(status) && idempotent && attempt < max_attempts {
                        let wait = match retry_after(&headers) {
                            Some(d) if d <= inner.retry.max_retry_after => Some(d),
                            // The server asks for more patience than allowed: report it now.
                            Some(_) => None,
                            None => Some(inner.retry.backoff(attempt)),
                        };
                        if let Some(wait) = wait {
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                    }
                    return Ok(Raw { origin, status, headers, body, attempts: attempt });
                }
                Err(error) => {
                    if let Some(hooks) = &inner.hooks {
                        hooks.after_response(&info, Outcome::Failed { error: &error, elapsed });
                    }
                    // A connection that never opened carried nothing, so even a POST is safe to resend.
                    let never_sent = error.is_connect();
                    if attempt < max_attempts && (never_sent || idempotent) {
                        tokio::time::sleep(inner.retry.backoff(attempt)).await;
                        continue;
                    }
                    let timeout = error.is_timeout();
                    let te = TransportError { origin, attempts: attempt, source: error.without_url() };
                    return Err(if timeout {
                        Error::Timeout(te)
                    } else if never_sent {
                        Error::Connect(te)
                    } else {
                        Error::Transport(te)
                    });
                }
            }
        }
    }
}

// clientgen:if validated_request
/// Validate a value before it is sent.
pub(crate) fn validated<T: super::validate::Validate + ?Sized>(name: &str, value: &T) -> Result<(), Error> {
    value.validate().map_err(|e| Error::Validation(e.within(name)))
}
// clientgen:end
