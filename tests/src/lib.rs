//! Helpers for the workspace tests: a fault-injecting HTTP server, Prism, the schema's
//! documented examples, and random OpenAPI documents.

pub mod fixtures;
pub mod mock;
pub mod prism;
pub mod random_api;

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// A documented example of the Northflank schema (`components.examples.<name>.value`), as JSON.
///
/// # Panics
/// When the schema cannot be read or has no such example (a test failure).
pub fn schema_example(name: &str) -> serde_json::Value {
    let path = workspace_root().join("schema/northflank-jobs.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let doc: serde_json::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
    doc.pointer(&format!("/components/examples/{name}/value"))
        .cloned()
        .unwrap_or_else(|| panic!("the schema has no example `{name}`"))
}
