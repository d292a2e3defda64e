//! A request being put together by an operation method.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
// clientgen:if cookie_params
// clientgen:gate cookie_params
use reqwest::header::COOKIE;
// clientgen:end
// clientgen:if header_params
// clientgen:gate header_params
use reqwest::header::HeaderName;
// clientgen:end
use reqwest::Method;
// clientgen:if query_params | header_params | cookie_params | json_body | form
// clientgen:gate query_params | header_params | cookie_params | json_body | form
use serde::Serialize;
// clientgen:end

// clientgen:if cookie_params | header_params | form | multipart
// clientgen:gate cookie_params | header_params | form | multipart
use super::encode;
// clientgen:end
use super::encode::Query;
// clientgen:if query_params
// clientgen:gate query_params
use super::encode::Style;
// clientgen:end
// clientgen:if query_params | header_params | cookie_params | json_body | form | validated_request
// clientgen:gate query_params | header_params | cookie_params | json_body | form | validated_request
use super::error::Error;
// clientgen:end

/// A request being put together by an operation method.
pub(crate) struct Request {
    /// The `operationId`.
    pub(super) operation: &'static str,
    pub(super) method: Method,
    /// The path as documented, `{parameters}` unfilled: what metrics and traces may show.
    pub(super) template: &'static str,
    /// The path with its parameters filled in.
    pub(super) path: String,
    pub(super) query: Query,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<(HeaderValue, Bytes)>,
    pub(super) accept: &'static str,
    pub(super) authenticated: bool,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, template: &'static str, path: String) -> Self {
        Request {
            operation,
            method,
            template,
            path,
            query: Query::new(),
            headers: HeaderMap::new(),
            body: None,
            accept: "application/json",
            authenticated: true,
        }
    }

    // clientgen:if anonymous
    // clientgen:gate anonymous
    /// Send no credentials (the operation declares `security: []`).
    pub(crate) fn anonymous(mut self) -> Self {
        self.authenticated = false;
        self
    }
    // clientgen:end

    // clientgen:if accept
    // clientgen:gate accept
    /// The media type asked for with `Accept`.
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        self.accept = media;
        self
    }
    // clientgen:end

    // clientgen:if query_params
    // clientgen:gate query_params
    /// Add a query parameter (skipped when `None`).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, key: &str, value: &T, style: Style) -> Result<(), Error> {
        self.query.push(key, value, style)
    }
    // clientgen:end

    // clientgen:if header_params
    // clientgen:gate header_params
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
    // clientgen:gate cookie_params
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
    // clientgen:gate cookie_params
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
    // clientgen:gate json_body
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
    // clientgen:gate form
    /// A form-encoded body.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = encode::form_body(body)?;
        self.body = Some((HeaderValue::from_static("application/x-www-form-urlencoded"), bytes.into()));
        Ok(())
    }
    // clientgen:end

    // clientgen:if multipart
    // clientgen:gate multipart
    /// A multipart body.
    pub(crate) fn multipart(&mut self, body: encode::Multipart) {
        let (content_type, bytes) = body.finish();
        let content_type =
            HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("multipart/form-data"));
        self.body = Some((content_type, bytes.into()));
    }
    // clientgen:end

    // clientgen:if raw_body
    // clientgen:gate raw_body
    /// A raw body with the given content type.
    pub(crate) fn raw(&mut self, content_type: &'static str, bytes: impl Into<Bytes>) {
        self.body = Some((HeaderValue::from_static(content_type), bytes.into()));
    }
    // clientgen:end
}

// clientgen:if validated_request
// clientgen:gate validated_request
/// Validate a value before it is sent.
pub(crate) fn validated<T: super::validate::Validate + ?Sized>(name: &str, value: &T) -> Result<(), Error> {
    value.validate().map_err(|e| Error::Validation(e.within(name)))
}
// clientgen:end
