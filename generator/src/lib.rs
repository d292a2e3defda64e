//! clientgen reads an OpenAPI 3.0/3.1 document and writes a typed, self-contained Rust client crate.
//!
//! The pipeline runs one way: [`load`] (YAML/JSON with positions, `$ref` files) →
//! [`lower`] (OpenAPI → [`ir`]) → [`emit`] (IR → formatted Rust files). [`generate`] runs it
//! all and is usable from a build script; [`output`] writes or checks the result on disk.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod output;

use std::path::Path;

use diag::{Diagnostic, Diagnostics};
pub use emit::EmittedFile;

/// Stack for the generation thread: deep (but bounded) schemas recurse in lowering.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// How to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Package name of the generated crate.
    pub crate_name: String,
    /// Package version of the generated crate.
    pub crate_version: String,
    /// Extra files copied verbatim into the crate (relative path, contents), e.g. examples.
    pub extra_files: Vec<(String, String)>,
}

impl Options {
    /// Options for a crate called `crate_name`, version 0.1.0, with no extra files.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Options { crate_name: crate_name.into(), crate_version: "0.1.0".into(), extra_files: Vec::new() }
    }
}

/// Counts describing a generated crate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Named types emitted.
    pub types: usize,
    /// Operations emitted.
    pub operations: usize,
    /// Files emitted.
    pub files: usize,
    /// Lines of all files.
    pub lines: usize,
}

/// A generated crate, in memory.
#[derive(Clone, Debug)]
pub struct GeneratedCrate {
    /// The files, sorted by path.
    pub files: Vec<EmittedFile>,
    /// Warnings about the schema (degraded constructs, ignored keywords).
    pub warnings: Diagnostics,
    /// Counts.
    pub stats: Stats,
}

/// Generate a crate from the schema at `schema`.
///
/// # Errors
/// Located diagnostics when the schema cannot be read or is not a usable OpenAPI document.
pub fn generate(schema: &Path, options: &Options) -> Result<GeneratedCrate, Diagnostics> {
    let schema = schema.to_path_buf();
    let options = options.clone();
    on_big_stack(move || {
        let (docs, load_warnings) = load::Documents::load(&schema)?;
        let name = schema.file_name().map_or_else(|| schema.display().to_string(), |n| n.to_string_lossy().into_owned());
        finish(&docs, load_warnings, &name, &options)
    })
}

/// Generate a crate from schema text in memory (named `name` in messages).
///
/// # Errors
/// As [`generate`].
pub fn generate_from_str(name: &str, text: &str, options: &Options) -> Result<GeneratedCrate, Diagnostics> {
    let (docs, load_warnings) = load::Documents::from_text(name, text)?;
    finish(&docs, load_warnings, name, options)
}

fn finish(
    docs: &load::Documents,
    load_warnings: Diagnostics,
    schema_name: &str,
    options: &Options,
) -> Result<GeneratedCrate, Diagnostics> {
    let (api, lower_warnings) = lower::lower(docs)?;
    let emit_options = emit::EmitOptions {
        crate_name: options.crate_name.clone(),
        crate_version: options.crate_version.clone(),
        schema_name: schema_name.to_string(),
        extra_files: options.extra_files.clone(),
    };
    let files = emit::emit(&api, &emit_options).map_err(|e| Diagnostics::from(Diagnostic::error(e)))?;
    let mut warnings = load_warnings;
    warnings.extend(lower_warnings);
    warnings.sort();
    let stats = Stats {
        types: api.types.named_sorted().len(),
        operations: api.operations.len(),
        files: files.len(),
        lines: files.iter().map(|f| f.contents.lines().count()).sum(),
    };
    Ok(GeneratedCrate { files, warnings, stats })
}

/// Run `f` on a thread with a large stack; a panic becomes an internal-error diagnostic.
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> Result<T, Diagnostics> + Send + 'static) -> Result<T, Diagnostics> {
    let handle = std::thread::Builder::new().name("clientgen".into()).stack_size(STACK_BYTES).spawn(f);
    let internal = |what: String| {
        Diagnostics::from(
            Diagnostic::error(format!("internal error: {what}"))
                .with_help("this is a bug in clientgen; please report it with the schema that caused it"),
        )
    };
    match handle {
        Ok(h) => h.join().unwrap_or_else(|panic| {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(internal(format!("clientgen panicked: {msg}")))
        }),
        Err(e) => Err(internal(format!("cannot start the generation thread: {e}"))),
    }
}
