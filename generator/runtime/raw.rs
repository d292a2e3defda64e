//! A response as received: its body read within the size limit, then decoded by the operation.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
// clientgen:if json_response | typed_errors
// clientgen:gate json_response | typed_errors
use serde::de::DeserializeOwned;
// clientgen:end

// clientgen:if typed_errors | untyped_errors
// clientgen:gate typed_errors | untyped_errors
use super::error::DeadlineError;
// clientgen:end
use super::error::{Error, Origin};
// clientgen:if json_response
// clientgen:gate json_response
use super::response_error::DecodeError;
// clientgen:end
// clientgen:if typed_errors | untyped_errors
// clientgen:gate typed_errors | untyped_errors
use super::response_error::{ApiError, ErrorPayload};
// clientgen:end
use super::response::Response;

/// A response as received, before it is decoded.
pub(crate) struct Raw {
    pub(super) origin: Origin,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    pub(super) attempts: u32,
    /// The deadline that left no time for the retry this response asked for.
    pub(super) deadline: Option<Duration>,
}

impl Raw {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    // clientgen:if json_response
    // clientgen:gate json_response
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
    // clientgen:gate json_response
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
    // clientgen:gate text_response
    /// A text body.
    pub(crate) fn text(self) -> Result<Response<String>, Error> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        Ok(Response::new(self.status, self.headers, text))
    }
    // clientgen:end

    // clientgen:if bytes_response
    // clientgen:gate bytes_response
    /// A binary body.
    pub(crate) fn bytes(self) -> Result<Response<Bytes>, Error> {
        Ok(Response::new(self.status, self.headers, self.body))
    }
    // clientgen:end

    // clientgen:if empty_response
    // clientgen:gate empty_response
    /// No body is documented; any body is ignored.
    pub(crate) fn empty(self) -> Result<Response<()>, Error> {
        Ok(Response::new(self.status, self.headers, ()))
    }
    // clientgen:end

    // clientgen:if typed_errors
    // clientgen:gate typed_errors
    /// An error response with a body documented as `E`, decoded from the whole body.
    pub(crate) fn error<E: DeserializeOwned + ErrorPayload>(self) -> Error {
        let payload = serde_json::from_slice::<E>(&self.body).ok().map(|p| Box::new(p) as Box<dyn ErrorPayload>);
        self.into_error(payload)
    }
    // clientgen:end

    // clientgen:if untyped_errors
    // clientgen:gate untyped_errors
    /// An error response without a documented body.
    pub(crate) fn error_untyped(self) -> Error {
        self.into_error(None)
    }
    // clientgen:end

    // clientgen:if typed_errors | untyped_errors
    // clientgen:gate typed_errors | untyped_errors
    fn into_error(self, payload: Option<Box<dyn ErrorPayload>>) -> Error {
        let Raw { origin, status, headers, body, attempts, deadline } = self;
        let error = Error::Api(Box::new(ApiError::new(origin.clone(), status, headers, &body, attempts, payload)));
        match deadline {
            Some(deadline) => {
                Error::Deadline(DeadlineError { origin, attempts, deadline, last: Some(Box::new(error)) })
            }
            None => error,
        }
    }
    // clientgen:end
}

/// Why a body could not be read.
pub(super) enum BodyError {
    /// It is longer than the limit; `Content-Length` when the server sent one.
    TooLarge(Option<u64>),
    /// The connection failed while reading it.
    Http(reqwest::Error),
}

/// The body of `response`, failing as soon as it is known to exceed `limit` bytes: before
/// reading when `Content-Length` says so, else at the chunk that crosses it.
pub(super) async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, BodyError> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge(announced));
    }
    let too_large = |length: usize| u64::try_from(length).map_or(true, |length| length > limit);
    let Some(first) = response.chunk().await.map_err(BodyError::Http)? else { return Ok(Bytes::new()) };
    if too_large(first.len()) {
        return Err(BodyError::TooLarge(announced));
    }
    // Most bodies arrive in one chunk, which is kept as it is.
    let Some(second) = response.chunk().await.map_err(BodyError::Http)? else { return Ok(first) };
    // Reserved on the server's word only up to 1 MiB: a lying `Content-Length` costs little, and
    // a body really that long grows the buffer as it comes.
    let capacity = announced.map_or(0, |length| usize::try_from(length.min(limit).min(1 << 20)).unwrap_or(0));
    let mut body = BytesMut::with_capacity(capacity.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if too_large(body.len() + chunk.len()) {
            return Err(BodyError::TooLarge(announced));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(BodyError::Http)?;
    }
    Ok(body.freeze())
}
