//! The generated crates checked into the workspace, and how each is generated.
//!
//! Shared by `cargo xtask generate` and the workspace test that checks the crates are fresh
//! (it includes this file with `#[path]`), so both generate in exactly the same way.
//!
//! Each crate carries the schema it was generated from (`openapi.yaml`), its version and a
//! `CHANGELOG.md`. When the schema changes, generating compares the carried schema with the new
//! one (`clientgen diff`), bumps the version as the Rust verdict requires and adds a changelog
//! entry with the report; `generate --check` then fails until that has been done.

use std::fmt::Write as _;
use std::path::Path;

use clientgen::diag::{Diagnostic, Diagnostics};
use clientgen::diff::{self, Level, Location, Report, RustLevel};
use clientgen::emit::Package;
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
    /// Search words for its manifest.
    pub keywords: &'static [&'static str],
}

/// Every checked-in generated crate.
pub const TARGETS: &[Target] = &[Target {
    schema: "schema/northflank-jobs.yaml",
    out: "generated-client",
    crate_name: "northflank-jobs",
    examples: "schema/examples/northflank-jobs",
    keywords: &["northflank", "jobs", "api", "client", "openapi"],
}];

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
    /// Generate the crate in memory, with the version and changelog the schema change requires.
    ///
    /// # Errors
    /// The schema's diagnostics, or one saying a file could not be read.
    pub fn generate(&self, root: &Path) -> Result<(GeneratedCrate, Release), Diagnostics> {
        let unreadable =
            |what: &str, e: std::io::Error| Diagnostics::from(Diagnostic::error(format!("cannot read {what}: {e}")));
        let schema_path = root.join(self.schema);
        let schema = std::fs::read_to_string(&schema_path).map_err(|e| unreadable(self.schema, e))?;
        let out = root.join(self.out);
        let recorded = std::fs::read_to_string(out.join(SCHEMA_COPY)).ok();
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
        let version = package_version(&manifest).unwrap_or_else(|| "0.1.0".to_owned());
        let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).ok();

        let (version, changelog, report) = match recorded {
            Some(old) if old == schema => {
                let changelog = changelog.unwrap_or_else(|| first_changelog(&version, self.schema));
                (version, changelog, None)
            }
            Some(old) => {
                let report = compare(&old, &schema_path, self.crate_name)?;
                let next = bump(&version, report.rust());
                let entry = entry(&next, &report);
                (next, add_entry(changelog.as_deref(), &entry), Some(report))
            }
            None => (version.clone(), first_changelog(&version, self.schema), None),
        };

        let mut options = Options::new(self.crate_name);
        options.crate_version = version.clone();
        options.package = Package {
            license: Some("MIT OR Apache-2.0".into()),
            documentation: Some(format!("https://docs.rs/{}", self.crate_name)),
            keywords: self.keywords.iter().map(|k| (*k).to_owned()).collect(),
            categories: vec!["api-bindings".into(), "web-programming::http-client".into()],
            ..Package::default()
        };
        options.extra_files = clientgen::read_examples(&root.join(self.examples))
            .map_err(|e| unreadable(&format!("examples from {}", self.examples), e))?;
        options.extra_files.push((SCHEMA_COPY.to_owned(), schema));
        options.extra_files.push(("CHANGELOG.md".to_owned(), changelog));
        let generated = clientgen::generate(&schema_path, &options)?;
        Ok((generated, Release { version, report }))
    }
}

/// `clientgen diff` of the carried schema text against the schema file.
fn compare(old: &str, new: &Path, crate_name: &str) -> Result<Report, Diagnostics> {
    let dir = std::env::temp_dir().join(format!("clientgen-release-{}-{crate_name}", std::process::id()));
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("previous.yaml"), old));
    if let Err(e) = written {
        return Err(Diagnostic::error(format!("cannot write the previous schema to {}: {e}", dir.display())).into());
    }
    let report = diff::diff(&dir.join("previous.yaml"), new, crate_name);
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// The `version` of `[package]` in a manifest.
fn package_version(manifest: &str) -> Option<String> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .take_while(|l| !l.trim().starts_with('[') || l.trim() == "[package]")
        .find_map(|l| l.trim().strip_prefix("version = ").map(|v| v.trim_matches('"').to_owned()))
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

const CHANGELOG_HEAD: &str = "# Changelog\n\nEvery version of this crate, newest first, with what the schema change behind it does to \
clients on the wire and to this crate's API (from `clientgen diff`).\n";

fn first_changelog(version: &str, schema: &str) -> String {
    format!("{CHANGELOG_HEAD}\n## {version}\n\nFirst version, generated from `{schema}`.\n")
}

/// `changelog` with `entry` above its newest entry.
fn add_entry(changelog: Option<&str>, entry: &str) -> String {
    let old = changelog.unwrap_or(CHANGELOG_HEAD);
    match old.find("\n## ") {
        Some(i) => format!("{}{entry}\n{}", &old[..=i], &old[i + 1..]),
        None => format!("{}\n\n{entry}", old.trim_end()),
    }
}

/// One changelog entry: the verdicts, then every change.
pub fn entry(version: &str, report: &Report) -> String {
    let mut out = format!(
        "## {version}\n\nSchema change: on the wire **{}**, to this crate's API **{}**.\n",
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
