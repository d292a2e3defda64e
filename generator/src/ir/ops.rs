//! Operations: one HTTP call each, with parameters, body and responses.

use super::types::{Docs, TypeId};

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Safe to repeat (RFC 9110 §9.2.2): retried by default.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a query parameter's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    /// `k=a&k=b` when exploded, `k=a,b` when not (the default for queries).
    Form {
        /// Repeat the key for each array item / object member.
        explode: bool,
    },
    /// `k=a b`.
    SpaceDelimited,
    /// `k=a|b`.
    PipeDelimited,
    /// `k[x]=1&k[y]=2`.
    DeepObject,
    /// `a,b` (path and header parameters).
    Simple,
}

/// One parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (snake_case, unique in the operation).
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Must be given.
    pub required: bool,
    /// Its type.
    pub ty: TypeId,
    /// Serialization style.
    pub style: ParamStyle,
    /// Documentation.
    pub docs: Docs,
}

/// Media types the client can send or receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Text: `text/*`.
    Text,
    /// Anything else, as raw bytes.
    Binary,
}

/// The request body.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    /// How it is encoded.
    pub media: MediaKind,
    /// The `Content-Type` sent.
    pub content_type: String,
    /// Its type (`Scalar::Bytes` for binary, `Scalar::String` for text).
    pub ty: TypeId,
    /// Must be sent.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
}

/// Which statuses a response describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusMatch {
    /// Exactly this code.
    Code(u16),
    /// A class: `2` for `2XX`.
    Range(u8),
    /// Every status not described otherwise.
    Default,
}

impl StatusMatch {
    /// Whether this describes success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(c) => (200..300).contains(&c),
            StatusMatch::Range(r) => r == 2,
            StatusMatch::Default => false,
        }
    }
}

/// One documented response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Body encoding and type; `None` for responses without a body.
    pub body: Option<ResponseBody>,
    /// Documentation (the response `description`).
    pub docs: Docs,
}

/// A response body.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseBody {
    /// How it is encoded.
    pub media: MediaKind,
    /// Its type.
    pub ty: TypeId,
}

/// A step through a struct field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldStep {
    /// The struct.
    pub ty: TypeId,
    /// Index of the field in it.
    pub field: usize,
}

/// How to page through a cursor-paginated operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// Index (in `params`) of the query parameter that carries the cursor.
    pub cursor_param: usize,
    /// Path from the success body to the next cursor (a string, possibly optional).
    pub next_cursor: Vec<FieldStep>,
    /// Path to a boolean saying whether another page exists, if the response has one.
    pub has_more: Option<Vec<FieldStep>>,
    /// Path to the array of items.
    pub items: Vec<FieldStep>,
    /// The item type.
    pub item: TypeId,
    /// The method streaming every page (`<operation>_pages` unless an operation has that name).
    pub pages_method: String,
    /// The method streaming every item (`<operation>_stream` unless an operation has that name).
    pub stream_method: String,
}

/// One operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The schema's `operationId` (or a stable derived one).
    pub id: String,
    /// Rust method name (snake_case, unique).
    pub name: String,
    /// HTTP method.
    pub method: Method,
    /// The path template as written, e.g. `/v1/projects/{projectId}/jobs`.
    pub path: String,
    /// The template split into literal text and parameters (indices into `params`).
    pub segments: Vec<PathPart>,
    /// Documentation (summary, description, notes).
    pub docs: Docs,
    /// Parameters: path parameters first in template order, then the rest in schema order.
    pub params: Vec<Param>,
    /// Name of the generated struct holding query, header and cookie parameters, if any.
    pub params_struct: Option<String>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Documented responses, successes first, by status.
    pub responses: Vec<Response>,
    /// Name of the enum of success bodies, when the successes have different types.
    pub success_enum: Option<String>,
    /// Cursor pagination, when detected or declared.
    pub pagination: Option<Pagination>,
    /// Whether the operation sends credentials.
    pub authenticated: bool,
    /// The operation's tags, in document order (the first groups it, as the document's
    /// tools group it).
    pub tags: Vec<String>,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// A path parameter, by index into `params`.
    Param(usize),
}

impl Operation {
    /// Successful responses that carry a body, in status order.
    pub fn success_bodies(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// Error responses (non-2xx and `default`).
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }

    /// Parameters that go into the params struct (everything but path parameters).
    pub fn non_path_params(&self) -> impl Iterator<Item = (usize, &Param)> {
        self.params.iter().enumerate().filter(|(_, p)| p.location != ParamLocation::Path)
    }

    /// Path parameters in template order.
    pub fn path_params(&self) -> impl Iterator<Item = (usize, &Param)> {
        self.params.iter().enumerate().filter(|(_, p)| p.location == ParamLocation::Path)
    }
}
