//! The `clientgen` command.
//!
//! `clientgen generate --schema FILE --out DIR --crate-name NAME [--features-by tag] [--check]`,
//! `clientgen diff --old A --new B [--format text|json]`,
//! `clientgen capability check --capability FILE --schema FILE` and
//! `clientgen capability mcp --capability FILE --schema FILE --out DIR --crate-name NAME`.
//! Exit status: 0 on success, 1 for bad input (located errors on stderr) or, with `--check`, a
//! stale crate, and 2 for bad usage.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use clientgen::capability::mcp::McpOptions;
use clientgen::output::{self, Change};
use clientgen::{Options, generate};

#[derive(Parser)]
#[command(
    name = "clientgen",
    version,
    about = "Generate a typed Rust client crate from an OpenAPI 3 or Swagger 2.0 document"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate (or check that one is up to date).
    Generate {
        /// The OpenAPI 3 or Swagger 2.0 document (YAML or JSON).
        #[arg(long)]
        schema: PathBuf,
        /// Directory of the crate to write.
        #[arg(long)]
        out: PathBuf,
        /// Package name of the crate.
        #[arg(long)]
        crate_name: String,
        /// Package version of the crate.
        #[arg(long, default_value = "0.1.0")]
        crate_version: String,
        /// Directory of example programs (`*.rs`) to copy into the crate's `examples/`.
        #[arg(long)]
        examples: Option<PathBuf>,
        /// Put each operation behind a Cargo feature (`tag`: named after its first tag; all on
        /// by default), and compile each type only with the operations that use it.
        #[arg(long, value_enum)]
        features_by: Option<FeaturesBy>,
        /// Write nothing; print a diff of what would change and exit 1 if anything would.
        #[arg(long)]
        check: bool,
        /// Print only errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Report what changing a schema from OLD to NEW does to its clients: on the wire, and to
    /// the public API of the generated crate (with the version bump it needs).
    Diff {
        /// The schema before the change.
        #[arg(long)]
        old: PathBuf,
        /// The schema after the change.
        #[arg(long)]
        new: PathBuf,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Naftiko capabilities: check one against an OpenAPI document, or serve its tools over MCP.
    Capability {
        #[command(subcommand)]
        command: CapabilityCommand,
    },
}

#[derive(Subcommand)]
enum CapabilityCommand {
    /// Check that every consumed operation, input and exposed mapping of the capability
    /// resolves against the OpenAPI document.
    Check {
        /// The capability (Naftiko YAML).
        #[arg(long)]
        capability: PathBuf,
        /// The OpenAPI document it consumes.
        #[arg(long)]
        schema: PathBuf,
    },
    /// Check the capability, then write an MCP server crate (rmcp, stdio) serving its tools
    /// through a typed client of the document.
    Mcp {
        /// The capability (Naftiko YAML).
        #[arg(long)]
        capability: PathBuf,
        /// The OpenAPI document it consumes.
        #[arg(long)]
        schema: PathBuf,
        /// Directory of the crate to write.
        #[arg(long)]
        out: PathBuf,
        /// Package name of the server crate (and its binary).
        #[arg(long)]
        crate_name: String,
        /// Print only errors.
        #[arg(long, short)]
        quiet: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FeaturesBy {
    /// One feature per first tag of an operation.
    Tag,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Diagnostics printed before the rest are only counted.
const MAX_SHOWN: usize = 100;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal(),
    };
    match cli.command {
        Command::Generate { schema, out, crate_name, crate_version, examples, features_by, check, quiet } => {
            if !valid_crate_name(&crate_name) {
                eprintln!(
                    "error: `{crate_name}` is not a valid crate name (letters, digits, `-` and `_`, starting with a letter)"
                );
                return ExitCode::from(2);
            }
            let mut options = Options::new(crate_name.clone());
            options.crate_version = crate_version;
            options.features_by = features_by.map(|FeaturesBy::Tag| clientgen::FeaturesBy::Tag);
            if let Some(dir) = &examples {
                match clientgen::read_examples(dir) {
                    Ok(files) => options.extra_files = files,
                    Err(e) => {
                        eprintln!("error: cannot read examples from `{}`: {e}", dir.display());
                        return ExitCode::from(1);
                    }
                }
            }
            run_generate(&schema, &out, &options, check, quiet, color)
        }
        Command::Diff { old, new, format } => run_diff(&old, &new, format, color),
        Command::Capability { command: CapabilityCommand::Check { capability, schema } } => {
            run_capability_check(&capability, &schema, color)
        }
        Command::Capability { command: CapabilityCommand::Mcp { capability, schema, out, crate_name, quiet } } => {
            if !valid_crate_name(&crate_name) {
                eprintln!(
                    "error: `{crate_name}` is not a valid crate name (letters, digits, `-` and `_`, starting with a letter)"
                );
                return ExitCode::from(2);
            }
            run_capability_mcp(&capability, &schema, &out, &McpOptions::new(crate_name), quiet, color)
        }
    }
}

fn run_capability_check(capability: &Path, schema: &Path, color: bool) -> ExitCode {
    match clientgen::capability::check(capability, schema) {
        Ok(checked) => {
            eprint!("{}", checked.warnings.render_first(MAX_SHOWN, color));
            let r = &checked.resolved;
            let operations: usize = r.namespaces.iter().map(|n| n.operations.len()).sum();
            println!(
                "{} resolves against {}: {operations} consumed operation{}, {} MCP tool{}",
                capability.display(),
                schema.display(),
                plural(operations),
                r.tools.len(),
                plural(r.tools.len())
            );
            ExitCode::SUCCESS
        }
        Err(diags) => capability_failed(&diags, capability, schema, color),
    }
}

fn capability_failed(diags: &clientgen::diag::Diagnostics, capability: &Path, schema: &Path, color: bool) -> ExitCode {
    eprint!("{}", diags.render_first(MAX_SHOWN, color));
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: `{}` does not resolve against `{}` ({errors} error{})",
        capability.display(),
        schema.display(),
        plural(errors)
    );
    ExitCode::from(1)
}

fn run_capability_mcp(
    capability: &Path,
    schema: &Path,
    out: &Path,
    options: &McpOptions,
    quiet: bool,
    color: bool,
) -> ExitCode {
    let server = match clientgen::capability::mcp(capability, schema, options) {
        Ok(server) => server,
        Err(diags) => return capability_failed(&diags, capability, schema, color),
    };
    if !quiet {
        eprint!("{}", server.warnings.render_first(MAX_SHOWN, color));
    }
    match output::write(out, &server.files) {
        Ok(changes) => {
            if !quiet {
                println!(
                    "generated MCP server {} in {}: {} files ({} changed)",
                    options.crate_name,
                    out.display(),
                    server.files.len(),
                    changes.len()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write to `{}`: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

fn run_diff(old: &Path, new: &Path, format: Format, color: bool) -> ExitCode {
    match clientgen::diff::diff(old, new, "client") {
        Ok(report) => {
            match format {
                Format::Text => print!("{}", clientgen::diff::text(&report)),
                Format::Json => println!("{:#}", clientgen::diff::json(&report)),
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", diags.render_first(MAX_SHOWN, color));
            eprintln!("error: cannot compare `{}` with `{}`", old.display(), new.display());
            ExitCode::from(1)
        }
    }
}

fn valid_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn run_generate(schema: &Path, out: &Path, options: &Options, check: bool, quiet: bool, color: bool) -> ExitCode {
    let started = Instant::now();
    let generated = match generate(schema, options) {
        Ok(g) => g,
        Err(diags) => {
            eprint!("{}", diags.render_first(MAX_SHOWN, color));
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: could not generate a client from `{}` ({errors} error{})",
                schema.display(),
                plural(errors)
            );
            return ExitCode::from(1);
        }
    };
    if !quiet && !generated.warnings.is_empty() {
        eprint!("{}", generated.warnings.render_first(MAX_SHOWN, color));
    }
    let elapsed = started.elapsed();
    let s = generated.stats;
    if check {
        let changes = output::check(out, &generated.files);
        if changes.is_empty() {
            if !quiet {
                println!(
                    "{} is up to date ({} operations, {} types, {} files)",
                    out.display(),
                    s.operations,
                    s.types,
                    s.files
                );
            }
            return ExitCode::SUCCESS;
        }
        for change in &changes {
            match change {
                Change::Added(p) => println!("would create {p}"),
                Change::Removed(p) => println!("would remove {p}"),
                Change::Modified(_, diff) => print!("{diff}"),
            }
        }
        eprintln!(
            "error: {} is stale: {} file{} would change; run the generator to update it",
            out.display(),
            changes.len(),
            plural(changes.len())
        );
        return ExitCode::from(1);
    }
    match output::write(out, &generated.files) {
        Ok(changes) => {
            if !quiet {
                println!(
                    "generated {} in {}: {} operations, {} types, {} files ({} changed), {} lines in {} ms",
                    options.crate_name,
                    out.display(),
                    s.operations,
                    s.types,
                    s.files,
                    changes.len(),
                    s.lines,
                    elapsed.as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write to `{}`: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
