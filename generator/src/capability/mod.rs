//! Naftiko capabilities (`naftiko: 1.0.0-alpha2`) checked against an OpenAPI document, and
//! served as MCP servers.
//!
//! A capability says which HTTP operations it consumes (`baseUri`, resource `path`, `method`,
//! `inputParameters`) and how it exposes them (REST resources, MCP tools). [`check`] reads it
//! with the loader that keeps source positions ([`crate::load`]), lowers the OpenAPI document
//! to the IR, and relates the two: every consumed operation to an operation of the document,
//! every input to a parameter or the body, every path parameter to an input, every exposed
//! `call` to a consumed operation and its `with:` mapping to inputs and to what the surface
//! has. Each problem is a located [`crate::diag::Diagnostic`] in the capability file.
//!
//! [`mcp()`] checks first, then writes an MCP server crate ([`mcp::emit`]) from the resolved
//! model: it never reads the OpenAPI document again.
//!
//! - [`model`]: the capability as written; [`read`]: YAML tree → model.
//! - [`resolve`]: consumed operations → the document's operations and inputs; `credentials`:
//!   the token → a bind of the environment.
//! - [`surface`]: exposed REST operations and tools → consumed operations; tool arguments.
//! - [`json_schema`]: tool input schemas from IR types; [`urls`]: URL templates matched.

mod credentials;
pub mod json_schema;
pub mod mcp;
pub mod model;
pub mod read;
pub mod resolve;
pub mod surface;
pub mod urls;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::diag::Diagnostics;
use crate::ir::Api;
use crate::load::Documents;

/// A capability related to an OpenAPI document, with nothing left unresolved.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The OpenAPI document, lowered.
    pub api: Api,
    /// The document's file name, for messages and generated headers.
    pub schema_name: String,
    /// The capability file's name.
    pub capability_name: String,
    /// The capability as written.
    pub capability: model::Capability,
    /// The consumed namespaces, their operations bound to the document's.
    pub namespaces: Vec<resolve::Namespace>,
    /// The MCP tools, ready to serve.
    pub tools: Vec<surface::ResolvedTool>,
}

/// A capability that passed the check.
#[derive(Clone, Debug)]
pub struct Checked {
    /// What it resolved to.
    pub resolved: Resolved,
    /// Warnings: things that work, but likely not as meant.
    pub warnings: Diagnostics,
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Check the capability at `capability` against the OpenAPI document at `schema`.
///
/// # Errors
/// Every problem found (errors, with the warnings), located in the capability file; or the
/// document's own errors when it cannot be read.
pub fn check(capability: &Path, schema: &Path) -> Result<Checked, Diagnostics> {
    let (capability, schema) = (capability.to_path_buf(), schema.to_path_buf());
    crate::on_big_stack(move || check_on_this_thread(&capability, &schema))
}

fn check_on_this_thread(capability_path: &Path, schema: &Path) -> Result<Checked, Diagnostics> {
    check_loaded(capability_path, schema).map(|(_, checked)| checked)
}

/// The check, with the loaded capability file for locating what comes after it.
fn check_loaded(capability_path: &Path, schema: &Path) -> Result<(Documents, Checked), Diagnostics> {
    let (docs, warnings) = Documents::load(capability_path)?;
    let (schema_docs, _) = Documents::load(schema)?;
    let checked = check_documents(&docs, warnings, &schema_docs, &file_name(capability_path), &file_name(schema))?;
    Ok((docs, checked))
}

/// The check of a loaded capability (with the warnings of loading it) against a loaded
/// document.
fn check_documents(
    docs: &Documents,
    mut diags: Diagnostics,
    schema_docs: &Documents,
    capability_name: &str,
    schema_name: &str,
) -> Result<Checked, Diagnostics> {
    let capability = read::read(docs)?;
    // The document's own warnings are the client generator's business, not the capability's.
    let (api, _) = crate::lower::lower(schema_docs)?;
    let src = read::Source::new(docs);
    let mut resolver =
        resolve::Resolver { capability: &capability, api: &api, src: &src, schema_name, diags: Diagnostics::new() };
    let namespaces = resolver.namespaces();
    diags.extend(resolver.diags);
    let mut surfaces = surface::SurfaceChecker {
        capability: &capability,
        api: &api,
        namespaces: &namespaces,
        src: &src,
        diags: Diagnostics::new(),
    };
    let tools = surfaces.check();
    diags.extend(surfaces.diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    let resolved = Resolved {
        schema_name: schema_name.to_string(),
        capability_name: capability_name.to_string(),
        capability,
        namespaces,
        tools,
        api,
    };
    Ok(Checked { resolved, warnings: diags })
}

/// Check the capability, then write an MCP server crate serving its tools.
///
/// # Errors
/// The check's errors, or those of a tool the server cannot serve.
pub fn mcp(capability: &Path, schema: &Path, options: &mcp::McpOptions) -> Result<mcp::McpServer, Diagnostics> {
    let (capability_path, schema_path, options) = (capability.to_path_buf(), schema.to_path_buf(), options.clone());
    crate::on_big_stack(move || {
        let (docs, checked) = check_loaded(&capability_path, &schema_path)?;
        let src = read::Source::new(&docs);
        mcp::emit(&checked.resolved, &src, &options, checked.warnings)
    })
}
