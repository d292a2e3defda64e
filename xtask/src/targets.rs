//! The generated crates checked into the workspace, and how each is generated.
//!
//! Shared by `cargo xtask generate` and the workspace test that checks the crates are fresh
//! (it includes this file with `#[path]`), so both generate in exactly the same way.

use std::path::Path;

use clientgen::diag::Diagnostics;
use clientgen::{GeneratedCrate, Options};

/// One generated crate of the workspace.
pub struct Target {
    /// The OpenAPI document, relative to the workspace root.
    pub schema: &'static str,
    /// The crate's directory, relative to the workspace root.
    pub out: &'static str,
    /// Package name.
    pub crate_name: &'static str,
    /// Hand-written example programs copied into the crate's `examples/`.
    pub examples: &'static str,
}

/// Every checked-in generated crate.
pub const TARGETS: &[Target] = &[Target {
    schema: "schema/northflank-jobs.yaml",
    out: "generated-client",
    crate_name: "northflank-jobs",
    examples: "schema/examples/northflank-jobs",
}];

impl Target {
    /// Generate the crate in memory.
    ///
    /// # Errors
    /// The schema's diagnostics, or one saying the examples could not be read.
    pub fn generate(&self, root: &Path) -> Result<GeneratedCrate, Diagnostics> {
        let mut options = Options::new(self.crate_name);
        options.extra_files = clientgen::read_examples(&root.join(self.examples)).map_err(|e| {
            Diagnostics::from(clientgen::diag::Diagnostic::error(format!(
                "cannot read examples from {}: {e}",
                self.examples
            )))
        })?;
        clientgen::generate(&root.join(self.schema), &options)
    }
}
