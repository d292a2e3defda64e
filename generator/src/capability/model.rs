//! The capability document as clientgen reads it: the part of a Naftiko capability
//! (`naftiko: 1.0.0-alpha2`) that says which HTTP operations it consumes and how it exposes
//! them, every value with its place in the file so that checks can point at it.
//!
//! This is the document as written; [`super::resolve`] relates it to an OpenAPI document.

use crate::diag::Span;

/// Where a value is in the capability file: the span of its node and its JSON pointer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The node's bytes in the file.
    pub span: Span,
    /// Its JSON pointer, e.g. `#/capability/consumes/0/baseUri`.
    pub pointer: String,
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is.
    pub at: Place,
}

/// A whole capability.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capability {
    /// `info.label`.
    pub label: Option<String>,
    /// `info.description`.
    pub description: Option<String>,
    /// `binds`: where secrets and settings come from.
    pub binds: Vec<Bind>,
    /// `capability.consumes`: the HTTP APIs called.
    pub consumes: Vec<Consumes>,
    /// `capability.exposes`: the surfaces served.
    pub exposes: Vec<Exposes>,
}

/// One entry of `binds`: named keys read from a source (the environment unless `location`
/// names a file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bind {
    /// `namespace`, the prefix references use (`env` in `{{env.KEY}}`).
    pub namespace: Located<String>,
    /// `location`, a file the keys are read from; absent for the environment.
    pub location: Option<Located<String>>,
    /// `keys`: the name references use, and the name in the source (an environment variable).
    pub keys: Vec<(Located<String>, Located<String>)>,
}

/// One entry of `capability.consumes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumes {
    /// `type` (only `http` is known).
    pub kind: Located<String>,
    /// `namespace`, which `call: namespace.operation` names.
    pub namespace: Located<String>,
    /// `baseUri`.
    pub base_uri: Located<String>,
    /// `resources`.
    pub resources: Vec<Resource>,
    /// `authentication`.
    pub authentication: Option<Authentication>,
    /// The entry itself.
    pub at: Place,
}

/// How requests to a consumed API authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authentication {
    /// `type`: `bearer`, `basic`, `apikey`, ...
    pub kind: Located<String>,
    /// `token`, for bearer authentication: a reference such as `{{env.API_KEY}}`.
    pub token: Option<Located<String>>,
    /// The `authentication` object.
    pub at: Place,
}

/// A consumed resource: one path and the operations on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// `name`.
    pub name: Option<String>,
    /// `path`, relative to the `baseUri`; `{param}` (or `{{param}}`) marks path parameters.
    pub path: Located<String>,
    /// `operations`.
    pub operations: Vec<ConsumedOperation>,
}

/// A consumed operation: one HTTP method on its resource's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumedOperation {
    /// `name`, unique in its namespace.
    pub name: Located<String>,
    /// `method`, as written.
    pub method: Located<String>,
    /// `description`.
    pub description: Option<String>,
    /// `inputParameters`.
    pub inputs: Vec<Input>,
    /// The operation object.
    pub at: Place,
}

/// An input parameter (of a consumed operation, a REST operation or a tool).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// `name`.
    pub name: Located<String>,
    /// `in`: `path`, `query`, `header` or `body` (consumed operations only).
    pub location: Option<Located<String>>,
    /// `type`: a JSON type name.
    pub ty: Option<Located<String>>,
    /// `required` (Naftiko's default is `true`).
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// The parameter object.
    pub at: Place,
}

/// One entry of `capability.exposes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exposes {
    /// `type: rest`: an HTTP API of the capability's own.
    Rest(RestSurface),
    /// `type: mcp`: an MCP server.
    Mcp(McpSurface),
    /// Another type, not checked.
    Other {
        /// The `type` as written.
        kind: Located<String>,
    },
}

/// `exposes: type: rest`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestSurface {
    /// `namespace`.
    pub namespace: Located<String>,
    /// `resources`.
    pub resources: Vec<RestResource>,
}

/// A resource of a REST surface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestResource {
    /// `path`, with `{param}` path parameters.
    pub path: Located<String>,
    /// `operations`.
    pub operations: Vec<RestOperation>,
}

/// An operation of a REST surface, served by calling a consumed operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestOperation {
    /// `method`.
    pub method: Located<String>,
    /// `call`: `namespace.operation`.
    pub call: Option<Located<String>>,
    /// `with`: consumed input name → value.
    pub with: Vec<With>,
    /// `inputParameters` the operation declares (query parameters, headers).
    pub inputs: Vec<Input>,
    /// The operation object.
    pub at: Place,
}

/// `exposes: type: mcp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct McpSurface {
    /// `namespace`.
    pub namespace: Located<String>,
    /// `description`.
    pub description: Option<String>,
    /// `transport`: `http` (Naftiko's default) or `stdio`.
    pub transport: Option<Located<String>>,
    /// `tools`.
    pub tools: Vec<Tool>,
}

/// An MCP tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tool {
    /// `name`, the tool's name in `tools/list`.
    pub name: Located<String>,
    /// `description`.
    pub description: Option<Located<String>>,
    /// `hints`.
    pub hints: Hints,
    /// `call`: `namespace.operation`.
    pub call: Option<Located<String>>,
    /// `with`: consumed input name → value.
    pub with: Vec<With>,
    /// `inputParameters` the tool declares.
    pub inputs: Vec<Input>,
    /// The `mapping` of each of its `outputParameters` (`$.` for the whole answer).
    pub output_mappings: Vec<Located<String>>,
    /// The tool object.
    pub at: Place,
}

/// A tool's `hints`, which become MCP tool annotations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    /// `readOnly` → `readOnlyHint`.
    pub read_only: Option<bool>,
    /// `destructive` → `destructiveHint`.
    pub destructive: Option<bool>,
    /// `idempotent` → `idempotentHint`.
    pub idempotent: Option<bool>,
    /// `openWorld` → `openWorldHint`.
    pub open_world: Option<bool>,
}

/// One entry of a `with` mapping: which value a consumed input gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct With {
    /// The consumed operation's input, as the key names it.
    pub key: Located<String>,
    /// The value, as written: `tools.jobId`, `rest.jobId`, `{{jobId}}`.
    pub value: Located<String>,
}
