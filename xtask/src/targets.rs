//! The generated crates checked into the workspace, and how each is generated.
//!
//! Shared by `cargo xtask generate` and the workspace test that checks the crates are fresh
//! (it includes this file with `#[path]`), so both generate in exactly the same way.
//!
//! Each crate carries the schema it was generated from (`openapi.yaml`), its version and a
//! `CHANGELOG.md`. When what is generated differs from what is committed (`HEAD`), generating
//! reports what changed (`clientgen diff`: the carried schema against the new one on the wire,
//! the committed crate's API against the new one), bumps the version as the Rust verdict
//! requires and adds a changelog entry; `generate --check` then fails until that is committed.
//! Comparing with `HEAD`, not the working tree, makes generating twice give the same version.

use std::fmt::Write as _;
use std::path::Path;

use clientgen::diag::{Diagnostic, Diagnostics};
use clientgen::diff::{self, Level, Location, Report, RustLevel};
use clientgen::emit::Package;
use clientgen::{EmittedFile, GeneratedCrate, Options};

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
    /// Search words for its manifest.
    pub keywords: &'static [&'static str],
}

/// Every checked-in generated crate. The first is Northflank's, which `cargo xtask conformance`
/// checks against Northflank's own typings.
pub const TARGETS: &[Target] = &[
    Target {
        schema: "schema/northflank-jobs.yaml",
        out: "generated-client",
        crate_name: "northflank-jobs",
        examples: "schema/examples/northflank-jobs",
        keywords: &["northflank", "jobs", "api", "client", "openapi"],
    },
    Target {
        schema: "schema/ejjy-jobs.yaml",
        out: "generated-client-ejjy",
        crate_name: "ejjy-jobs",
        examples: "schema/examples/ejjy-jobs",
        keywords: &["ejjy", "jobs", "api", "client", "openapi"],
    },
];

/// The copy of the schema a crate carries: what its next generation is compared with.
pub const SCHEMA_COPY: &str = "openapi.yaml";

/// What generating a crate released: its version, and the report of the schema change that
/// made it (none when the schema did not change).
pub struct Release {
    /// The crate's version after generating.
    pub version: String,
    /// The schema change since the crate was last generated, if there was one.
    pub report: Option<Report>,
}

impl Target {
    /// Generate the crate in memory, with the version and changelog that what changed since
    /// the checked-in state requires: the schema (on the wire and in the crate's API) or the
    /// generator (in the crate's API).
    ///
    /// # Errors
    /// The schema's diagnostics, or one saying a file could not be read.
    pub fn generate(&self, root: &Path) -> Result<(GeneratedCrate, Release), Diagnostics> {
        let unreadable =
            |what: &str, e: std::io::Error| Diagnostics::from(Diagnostic::error(format!("cannot read {what}: {e}")));
        let schema_path = root.join(self.schema);
        let schema = std::fs::read_to_string(&schema_path).map_err(|e| unreadable(self.schema, e))?;
        let committed = |file: &str| checked_in(root, &format!("{}/{file}", self.out));
        let version =
            committed("Cargo.toml").as_deref().and_then(package_version).unwrap_or_else(|| "0.1.0".to_owned());
        let changelog = committed("CHANGELOG.md");
        let recorded = committed(SCHEMA_COPY);
        let examples = clientgen::read_examples(&root.join(self.examples))
            .map_err(|e| unreadable(&format!("examples from {}", self.examples), e))?;
        let build = |version: &str, changelog: String| -> Result<GeneratedCrate, Diagnostics> {
            let mut options = Options::new(self.crate_name);
            options.crate_version = version.to_owned();
            options.package = Package {
                // The generated crate is licensed as this workspace is.
                license: std::fs::read_to_string(root.join("Cargo.toml"))
                    .ok()
                    .and_then(|m| manifest_value(&m, "[workspace.package]", "license")),
                documentation: Some(format!("https://docs.rs/{}", self.crate_name)),
                keywords: self.keywords.iter().map(|k| (*k).to_owned()).collect(),
                categories: vec!["api-bindings".into(), "web-programming::http-client".into()],
                ..Package::default()
            };
            options.extra_files = examples.clone();
            options.extra_files.push((SCHEMA_COPY.to_owned(), schema.clone()));
            options.extra_files.push(("CHANGELOG.md".to_owned(), changelog));
            clientgen::generate(&schema_path, &options)
        };

        let first = changelog.clone().unwrap_or_else(|| first_changelog(&version, self.schema));
        let generated = build(&version, first.clone())?;
        let Some(recorded) = recorded else {
            // Nothing checked in yet: this is the first version.
            return Ok((generated, Release { version, report: None }));
        };
        // What changed since the checked-in state: on the wire if the schema did, and in the
        // crate's API whatever made it (the schema or the generator).
        // Line endings do not count: a CRLF checkout of the schema is the schema committed.
        let mut changes = if clientgen::output::same_text(&schema, &recorded) {
            Vec::new()
        } else {
            diff::wire_changes_from_text("previous openapi.yaml", &recorded, &schema_path)?
        };
        let mut sources: Vec<String> =
            generated.files.iter().map(|f| f.path.clone()).filter(|p| is_source(p)).collect();
        sources.extend(committed_sources(root, self.out));
        sources.sort();
        sources.dedup();
        let before: Vec<EmittedFile> =
            sources.iter().filter_map(|f| Some(EmittedFile { path: f.clone(), contents: committed(f)? })).collect();
        let after: Vec<EmittedFile> = generated.files.iter().filter(|f| is_source(&f.path)).cloned().collect();
        changes.extend(diff::compare_crates(&before, &after));
        let code_changed = generated.files.iter().any(|f| {
            !matches!(f.path.as_str(), "Cargo.toml" | "CHANGELOG.md")
                && committed(&f.path).is_none_or(|c| !clientgen::output::same_text(&f.contents, &c))
        });
        if changes.is_empty() && !code_changed {
            return Ok((generated, Release { version, report: None }));
        }
        let report = Report { changes };
        let next = bump(&version, report.rust());
        let changelog =
            add_entry(Some(&first), &entry(&next, &report, !clientgen::output::same_text(&schema, &recorded)));
        Ok((build(&next, changelog)?, Release { version: next, report: Some(report) }))
    }
}

/// Whether a crate file is Rust source whose items may make the crate's public API.
fn is_source(path: &str) -> bool {
    path.starts_with("src/") && path.ends_with(".rs")
}

/// The source files of crate `out` as committed at `HEAD` (none where git cannot tell).
fn committed_sources(root: &Path, out: &str) -> Vec<String> {
    let listed = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-tree", "-r", "--name-only", "HEAD", "--", &format!("{out}/src")])
        .output();
    match listed {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{out}/")).map(str::to_owned))
            .filter(|p| is_source(p))
            .collect(),
        _ => Vec::new(),
    }
}

/// `path` (relative to `root`) as committed at `HEAD`, or as on disk where git cannot tell.
fn checked_in(root: &Path, path: &str) -> Option<String> {
    let shown = std::process::Command::new("git").arg("-C").arg(root).args(["show", &format!("HEAD:{path}")]).output();
    match shown {
        Ok(out) if out.status.success() => String::from_utf8(out.stdout).ok(),
        // Not committed (yet): nothing was released from it.
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("exists on disk, but not in") => None,
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("does not exist in") => None,
        _ => std::fs::read_to_string(root.join(path)).ok(),
    }
}

/// The `version` of `[package]` in a manifest.
fn package_version(manifest: &str) -> Option<String> {
    manifest_value(manifest, "[package]", "version")
}

/// The string `key` of table `table` (`[workspace.package]`) in a manifest.
fn manifest_value(manifest: &str, table: &str, key: &str) -> Option<String> {
    let prefix = format!("{key} = ");
    manifest
        .lines()
        .skip_while(|l| l.trim() != table)
        .take_while(|l| !l.trim().starts_with('[') || l.trim() == table)
        .find_map(|l| l.trim().strip_prefix(prefix.as_str()).map(|v| v.trim_matches('"').to_owned()))
}

/// The version after a change of `level`; before 1.0 a major change bumps the minor number
/// and everything else the patch number, as Cargo reads `0.x` versions.
pub fn bump(version: &str, level: RustLevel) -> String {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    match (major, level) {
        (0, RustLevel::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, RustLevel::Major) => format!("{}.0.0", major + 1),
        (_, RustLevel::Minor) => format!("{major}.{}.0", minor + 1),
        (_, RustLevel::Patch) => format!("{major}.{minor}.{}", patch + 1),
    }
}

const CHANGELOG_HEAD: &str = "# Changelog\n\nEvery version of this crate, newest first, with what changed behind it (the schema or the \
generator) does to clients on the wire and to this crate's API (from `clientgen diff`).\n";

fn first_changelog(version: &str, schema: &str) -> String {
    format!("{CHANGELOG_HEAD}\n## {version}\n\nFirst version, generated from `{schema}`.\n")
}

/// `changelog` with `entry` above its newest entry, under the current head.
fn add_entry(changelog: Option<&str>, entry: &str) -> String {
    // The head is always this generator's; the entries below it are history.
    let older = changelog.and_then(|c| c.find("\n## ").map(|i| &c[i + 1..])).unwrap_or_default();
    if older.is_empty() { format!("{CHANGELOG_HEAD}\n{entry}") } else { format!("{CHANGELOG_HEAD}\n{entry}\n{older}") }
}

/// One changelog entry: what changed and the verdicts, then every change.
pub fn entry(version: &str, report: &Report, schema_changed: bool) -> String {
    let cause = if schema_changed { "The schema changed" } else { "The generator changed (the schema did not)" };
    let mut out = format!(
        "## {version}\n\n{cause}: on the wire **{}**, to this crate's API **{}**.\n",
        report.wire().name(),
        report.rust().name()
    );
    for (scope, title) in [("wire", "On the wire"), ("rust", "This crate's API")] {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.level.scope() == scope).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = write!(out, "\n{title}:\n\n");
        for c in changes {
            let at = match &c.location {
                Some(Location::Old(o)) => format!(" (`{}` of the previous schema)", o.pointer),
                Some(Location::New(o)) => format!(" (`{}`)", o.pointer),
                Some(Location::Item(_)) | None => String::new(),
            };
            let level = match c.level {
                Level::Wire(w) => w.name(),
                Level::Rust(r) => r.name(),
            };
            let _ = writeln!(out, "- {level} `{}`: {}{at}", c.kind, c.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_as_cargo_reads_them() {
        assert_eq!(bump("0.1.0", RustLevel::Major), "0.2.0");
        assert_eq!(bump("0.1.3", RustLevel::Minor), "0.1.4");
        assert_eq!(bump("0.1.3", RustLevel::Patch), "0.1.4");
        assert_eq!(bump("1.2.3", RustLevel::Major), "2.0.0");
        assert_eq!(bump("1.2.3", RustLevel::Minor), "1.3.0");
        assert_eq!(bump("1.2.3", RustLevel::Patch), "1.2.4");
    }

    #[test]
    fn the_manifest_version_is_read_from_the_package_table() {
        let manifest = "[package]\nname = \"x\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("[dependencies]\nversion = \"9\"\n"), None);
    }

    #[test]
    fn a_new_entry_goes_above_the_newest() {
        let first = first_changelog("0.1.0", "schema/x.yaml");
        let next = add_entry(Some(&first), "## 0.2.0\n\nChanged.\n");
        let heads: Vec<&str> = next.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(heads, ["## 0.2.0", "## 0.1.0"]);
        assert!(next.contains("Changed.\n\n## 0.1.0"), "{next}");
        assert!(!next.contains("\n\n\n"), "{next}");
    }
}
