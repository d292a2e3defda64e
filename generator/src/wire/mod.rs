//! The wire contract of a document: each operation's method and paths, its parameters, body
//! and successful response as [`Shape`]s, every part located in the document.
//!
//! This is what goes over the wire, read straight from the document and independent of how a
//! client is generated: `clientgen diff` compares two of them for the wire-level report, and
//! `cargo xtask conformance` compares one with Northflank's own typings.

mod read;
mod shape;

use std::collections::{BTreeMap, BTreeSet};

pub use read::endpoints;
pub use shape::{Additional, Field, FieldPath, Kind, Origin, Prop, Shape, Step, flatten};

/// One operation as it travels over the wire.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// Its `operationId`, or another name for it where it has none.
    pub name: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path template as the document writes it (`/projects/{projectId}/jobs`).
    pub path: String,
    /// The full path templates it is served at: one per server, the server's path before the
    /// operation's (`/v1/projects/{projectId}/jobs`, `/v1/teams/{teamId}/projects/...`).
    pub forms: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// String-valued vendor extensions of the operation (`x-required-permission`), by name.
    pub extensions: BTreeMap<String, String>,
    /// Names of the security schemes any of whose requirements it accepts; `None` when the
    /// document says nothing (neither on the operation nor at the root).
    pub security: Option<BTreeSet<String>>,
    /// Path parameter names (server variables excluded).
    pub path_params: BTreeSet<String>,
    /// Query parameters, as the properties of one object.
    pub query: Shape,
    /// Header parameters, as the properties of one object.
    pub headers: Shape,
    /// The request body and whether it is required.
    pub body: Option<Prop>,
    /// The body of the successful response (`200`, else the first 2xx).
    pub response: Shape,
    /// Where the operation is written, when read from a document.
    pub origin: Option<Origin>,
}
