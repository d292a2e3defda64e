//! An MCP server crate for a checked capability, on the official Rust SDK (`rmcp`), over
//! stdio.
//!
//! The crate is a workspace of its own: the server at the root and, in `client/`, the typed
//! client clientgen writes for the same OpenAPI document (with its `full-serde` feature, so the
//! server can read arguments into request types and write responses back as JSON). Every tool
//! calls the client; nothing is sent that the client would not send.
//!
//! - `src/main.rs`, `src/server.rs`, `src/args.rs`: the fixed part (`generator/mcp-server/`).
//! - `src/tools.rs`: the tools, their input schemas and calls ([`tools`]), written from the
//!   resolved model; how each client method takes its arguments is asked of the emitter that
//!   writes it ([`crate::emit::method_arguments`]).

pub mod prune;
pub mod tools;

use super::Resolved;
use super::model::{Exposes, Located};
use super::read::Source;
use super::resolve::describe;
use crate::diag::{Diagnostic, Diagnostics};
use crate::emit::{self, EmittedFile};
use crate::ir::MediaKind;

/// The version of `rmcp`, the official MCP SDK, the server is written against.
pub const RMCP_VERSION: &str = "3.11";

/// The fixed part of every server, by path in the crate.
const FIXED: &[(&str, &str)] = &[
    ("src/args.rs", include_str!("../../../mcp-server/args.rs")),
    ("src/main.rs", include_str!("../../../mcp-server/main.rs")),
    ("src/server.rs", include_str!("../../../mcp-server/server.rs")),
];

/// How to write the server.
#[derive(Clone, Debug)]
pub struct McpOptions {
    /// Package name of the server crate (and of its binary).
    pub crate_name: String,
}

impl McpOptions {
    /// Options for a server crate called `crate_name`.
    pub fn new(crate_name: impl Into<String>) -> Self {
        McpOptions { crate_name: crate_name.into() }
    }

    /// The package name of the client crate inside it.
    pub fn client_name(&self) -> String {
        format!("{}-client", self.crate_name)
    }
}

/// A server crate, in memory.
#[derive(Clone, Debug)]
pub struct McpServer {
    /// Its files, sorted by path (the client's under `client/`).
    pub files: Vec<EmittedFile>,
    /// The check's warnings and the server's own.
    pub warnings: Diagnostics,
}

fn internal(message: String) -> Diagnostics {
    Diagnostics::from(
        Diagnostic::error(message).with_help("this is a bug in clientgen; please report it with the capability"),
    )
}

/// Write the server for `resolved` (which [`super::check`] produced).
///
/// # Errors
/// A located error for each tool the server cannot serve (an operation answering in several
/// shapes, or with bytes), or an internal error.
pub fn emit(
    resolved: &Resolved,
    src: &Source<'_>,
    options: &McpOptions,
    mut warnings: Diagnostics,
) -> Result<McpServer, Diagnostics> {
    let mut errors = Diagnostics::new();
    let mut any_mcp = false;
    for exposes in &resolved.capability.exposes {
        let Exposes::Mcp(mcp) = exposes else { continue };
        any_mcp = true;
        if let Some(t) = mcp.transport.as_ref().filter(|t| t.value != "stdio") {
            let w = src.warning(
                &t.at,
                format!("the generated server speaks MCP over stdio; `transport: {}` is not served", t.value),
            );
            warnings.push(w.with_help(
                "run it as a stdio server (an MCP client starts it), or put a stdio-to-HTTP bridge in front",
            ));
        }
        for tool in &mcp.tools {
            let Some(resolved_tool) = resolved.tools.iter().find(|t| t.name == tool.name.value) else { continue };
            let at = tool.call.as_ref().unwrap_or(&tool.name);
            servable(resolved, resolved_tool, at, src, &mut errors);
            for mapping in tool.output_mappings.iter().filter(|m| !matches!(m.value.trim(), "$" | "$.")) {
                let w = src.warning(
                    &mapping.at,
                    format!(
                        "output mapping `{}` is not applied: tool `{}` answers with the whole response",
                        mapping.value, tool.name.value
                    ),
                );
                warnings.push(w.with_help("write `mapping: $.` to say so"));
            }
        }
    }
    if !any_mcp || resolved.tools.is_empty() {
        errors.push(
            Diagnostic::error(format!("{} exposes no MCP tools", resolved.capability_name))
                .with_help("add `- type: mcp` with `tools` under `capability.exposes`"),
        );
    }
    if errors.has_errors() {
        errors.extend(warnings);
        errors.sort();
        return Err(errors);
    }

    let client_name = options.client_name();
    // The client holds only what the tools call: the server builds in a fraction of the time.
    let mut called: Vec<usize> =
        resolved.tools.iter().map(|t| resolved.namespaces[t.namespace].operations[t.operation].operation).collect();
    called.sort_unstable();
    called.dedup();
    let api = prune::to_operations(&resolved.api, &called);
    let client =
        emit::emit(&api, &crate::Options::new(client_name.clone()), &resolved.schema_name).map_err(internal)?;
    let methods = emit::method_arguments(&api);
    let tokens = tools::module(resolved, &methods).map_err(internal)?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| internal(format!("internal error: the tools do not parse: {e}")))?;
    let header = format!(
        "// This file is @generated by clientgen from the capability `{}` and the OpenAPI document `{}`. Do not edit it by hand; regenerate it instead.\n",
        resolved.capability_name, resolved.schema_name
    );
    let fixed_header = "// This file is @generated by clientgen: the fixed part of every MCP server it writes. Do not edit it by hand.\n";
    let mut files = vec![
        EmittedFile { path: "Cargo.toml".into(), contents: manifest(options, &client_name) },
        EmittedFile { path: "README.md".into(), contents: readme(resolved, options) },
        EmittedFile { path: "src/tools.rs".into(), contents: format!("{header}\n{}", items_apart(file)) },
    ];
    for (path, text) in FIXED {
        files.push(EmittedFile { path: (*path).into(), contents: format!("{fixed_header}\n{text}") });
    }
    for f in client {
        files.push(EmittedFile { path: format!("client/{}", f.path), contents: f.contents });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    warnings.sort();
    Ok(McpServer { files, warnings })
}

/// Format `file` with a blank line between its items, as a person would write it.
fn items_apart(mut file: syn::File) -> String {
    let items = std::mem::take(&mut file.items);
    let mut out = prettyplease::unparse(&file);
    file.attrs.clear();
    file.shebang = None;
    for item in items {
        if !out.is_empty() {
            out.push('\n');
        }
        file.items = vec![item];
        out.push_str(&prettyplease::unparse(&file));
    }
    out
}

/// Refuse what the server cannot carry: answers in several shapes (no one type to write back)
/// and bytes either way.
fn servable(
    resolved: &Resolved,
    tool: &super::surface::ResolvedTool,
    at: &Located<String>,
    src: &Source<'_>,
    errors: &mut Diagnostics,
) {
    let bound = &resolved.namespaces[tool.namespace].operations[tool.operation];
    let op = &resolved.api.operations[bound.operation];
    let mut refuse = |why: String| {
        let e = src.error(&at.at, format!("tool `{}` cannot be served: {} {why}", tool.name, describe(op)));
        errors.push(e.with_help("call another operation, or leave this one to another surface than MCP"));
    };
    if op.success_enum.is_some() {
        refuse("answers with a different type for each success status".into());
    }
    if op.success_bodies().filter_map(|r| r.body.as_ref()).any(|b| b.media == MediaKind::Binary) {
        refuse("answers with bytes, which a tool result does not carry".into());
    }
    if op.body.as_ref().is_some_and(|b| matches!(b.media, MediaKind::Binary | MediaKind::Multipart)) {
        refuse("takes bytes (a binary or multipart body), which tool arguments do not carry".into());
    }
}

fn manifest(options: &McpOptions, client_name: &str) -> String {
    let name = &options.crate_name;
    let feature = emit::FULL_SERDE;
    format!(
        r#"# This file is @generated by clientgen. Do not edit it by hand; regenerate it instead.
[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
# rmcp's own minimum.
rust-version = "1.88"
description = "MCP server (stdio) for the tools of a Naftiko capability (generated by clientgen)"
publish = false

# The server and its client (`client/`) are a workspace of their own.
[workspace]

[dependencies]
# The typed client for the API; `{feature}` lets the server read arguments into request types
# and write responses back as JSON.
api = {{ package = "{client_name}", path = "client", features = ["{feature}"] }}
# The official MCP SDK: the server role over stdio, nothing else.
rmcp = {{ version = "{RMCP_VERSION}", default-features = false, features = ["server", "transport-io"] }}
serde = "1"
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt"] }}
"#
    )
}

fn readme(resolved: &Resolved, options: &McpOptions) -> String {
    let name = &options.crate_name;
    let mut tools = String::new();
    for t in &resolved.tools {
        let bound = &resolved.namespaces[t.namespace].operations[t.operation];
        let op = &resolved.api.operations[bound.operation];
        tools.push_str(&format!("- `{}`: {}\n", t.name, describe(op)));
    }
    let variables: Vec<String> = resolved.namespaces.iter().filter_map(|n| n.token_env.clone()).collect();
    let env = if variables.is_empty() {
        String::new()
    } else {
        format!(
            "\nThe API token is read from {} and never printed.\n",
            variables.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        )
    };
    format!(
        "<!-- This file is @generated by clientgen. Do not edit it by hand; regenerate it instead. -->\n\
         # {name}\n\n\
         An MCP server, over stdio, for the tools of `{capability}`, generated by clientgen. Each tool\n\
         calls one operation of `{schema}` through the typed client in `client/`.\n\n\
         {tools}{env}\n\
         ```sh\n\
         cargo build --release\n\
         target/release/{name} [--base-url URL]\n\
         ```\n\n\
         `--base-url` sends requests somewhere else than the capability's `baseUri`. An MCP\n\
         client starts the binary and speaks JSON-RPC on its stdin and stdout.\n",
        capability = resolved.capability_name,
        schema = resolved.schema_name,
    )
}
