//! `cargo xtask corpus [DIR...] [--no-build]`: a client for every spec in the DIRs (by default
//! the shared real-world specs in `../shared/specs` and the project's own in `tests/corpus`, the
//! Swagger 2.0 ones), built, tabulated.
//!
//! Every spec is generated in-process and written to `target/corpus/<slug>/`; the crates form
//! one workspace (`target/corpus/Cargo.toml`) that is built with ONE `cargo build` and ONE
//! `cargo clippy`, sharing `target/corpus-target`, so dependencies compile once for all of them.
//! The JSON messages of both runs are attributed to crates by manifest path.
//!
//! Specs listed in [`FEATURES_BY_TAG`] are generated with their operations behind features by
//! tag: the build and clippy runs above compile them with every feature (the default), and one
//! more clippy run per spec compiles each with only one small tag's feature.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use clientgen::{FeaturesBy, Options, generate};

use crate::util::{self, Failure, Outcome, cargo, root};

/// Where the fixtures are: the legal hostile inputs (`ok-*`), built with the corpus but not
/// counted in its goal. Their generated code must compile cleanly too: hostile names and docs
/// must not break or inject code, and degraded constructs must still build.
const FIXTURES: &str = "tests/hostile";

/// The spec directories read when none is given, relative to the workspace.
const DEFAULT_DIRS: &[&str] = &["../shared/specs", "tests/corpus"];

/// Specs generated with `--features-by tag`, each with the feature of a small tag that is also
/// built alone: GitHub's client is the one big enough for users to want only part of it.
const FEATURES_BY_TAG: &[(&str, &str)] = &[("progenitor/api.github.com.json", "licenses")];

/// One spec and what became of it.
struct Row {
    /// Path relative to the corpus directory (or the workspace, for fixtures).
    spec: String,
    slug: String,
    fixture: bool,
    /// `None` when generation failed.
    generated: Option<Generated>,
    notes: Vec<String>,
    build: Counts,
}

struct Generated {
    operations: usize,
    types: usize,
    millis: u128,
    lines: usize,
}

/// Compiler output attributed to one crate.
#[derive(Default)]
struct Counts {
    /// The library artifact was produced.
    built: bool,
    /// Compiler errors, deduplicated like the warnings.
    errors: BTreeSet<String>,
    /// rustc warnings, deduplicated across the build and clippy runs (by rendered text).
    rustc: BTreeSet<String>,
    /// clippy warnings, deduplicated across targets (the lib and its test build share them).
    clippy: BTreeSet<String>,
}

impl Row {
    fn clean(&self) -> bool {
        self.generated.is_some()
            && self.build.built
            && self.build.errors.is_empty()
            && self.build.rustc.is_empty()
            && self.build.clippy.is_empty()
    }
}

pub fn run(args: &[String]) -> Outcome {
    let root = root();
    let mut dirs = Vec::new();
    let mut build = true;
    for a in args {
        match a.as_str() {
            "--no-build" => build = false,
            flag if flag.starts_with('-') => {
                return Err(Failure::Usage(format!("`corpus` takes [DIR...] and --no-build, not `{flag}`")));
            }
            path => dirs.push(PathBuf::from(path)),
        }
    }
    if dirs.is_empty() {
        dirs = DEFAULT_DIRS.iter().map(|d| root.join(d)).collect();
    }
    // Each spec is named by its path in its directory (`oai/petstore.yaml`, `swagger2/petstore.json`).
    let mut inputs: Vec<(String, PathBuf, bool)> = Vec::new();
    for dir in &dirs {
        let specs = util::schema_files(dir)?;
        if specs.is_empty() {
            return Err(Failure::Failed(format!("no *.json, *.yaml or *.yml files under {}", dir.display())));
        }
        inputs.extend(specs.into_iter().map(|p| (relative(&p, dir), p, false)));
    }
    let started = Instant::now();
    let out = root.join("target/corpus");
    fs::create_dir_all(&out).map_err(|e| Failure::Failed(format!("cannot create {}: {e}", out.display())))?;

    let fixtures = util::schema_files(&root.join(FIXTURES))?
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("ok-")));
    inputs.extend(fixtures.map(|p| (format!("{FIXTURES}/{}", relative(&p, &root.join(FIXTURES))), p, true)));
    let mut slugs = BTreeSet::new();
    let mut rows = Vec::new();
    for (spec, path, fixture) in inputs {
        let slug = unique_slug(&spec, fixture, &mut slugs);
        rows.push(generate_one(spec, &path, slug, fixture, &out));
    }
    remove_stale(&out, &slugs);
    write_workspace(&root, &out, &rows)?;

    if build {
        let by_manifest: BTreeMap<PathBuf, usize> =
            rows.iter().enumerate().map(|(i, r)| (canonical(&out.join(&r.slug).join("Cargo.toml")), i)).collect();
        let target = root.join("target/corpus-target");
        for (subcommand, clippy) in [("build", false), ("clippy", true)] {
            let messages = cargo_json(&out, &target, subcommand, &[])?;
            attribute(&messages, &by_manifest, &mut rows, clippy);
        }
        for (spec, feature) in FEATURES_BY_TAG {
            let Some(i) = rows.iter().position(|r| r.spec == *spec && r.generated.is_some()) else { continue };
            let package = package_name(&rows[i].slug);
            let only = ["-p", &package, "--lib", "--no-default-features", "--features", feature];
            let messages = cargo_json(&out, &target, "clippy", &only)?;
            attribute(&messages, &by_manifest, &mut rows, true);
            rows[i].notes.push(format!("features by tag, also built with only `{feature}`"));
        }
    }
    print_table(&rows, build);
    let goal_total = rows.iter().filter(|r| !r.fixture).count();
    let goal_ok = rows.iter().filter(|r| !r.fixture && (if build { r.clean() } else { r.generated.is_some() })).count();
    let what = if build { "generated and built with zero warnings" } else { "generated (not built: --no-build)" };
    println!("\n{goal_ok}/{goal_total} {what}");
    let fixtures_ok = rows.iter().filter(|r| r.fixture).all(|r| if build { r.clean() } else { r.generated.is_some() });
    println!("corpus took {:.1} s", started.elapsed().as_secs_f64());
    if goal_ok == goal_total && fixtures_ok {
        Ok(())
    } else {
        Err(Failure::Failed("the corpus is not clean (see the table above)".into()))
    }
}

/// The package name of the crate generated as `slug`.
fn package_name(slug: &str) -> String {
    format!("corpus-{slug}")
}

fn relative(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// `progenitor/api.github.com.json` → `progenitor-api-github-com`; the extension is kept only
/// when two specs would otherwise share a slug.
fn unique_slug(spec: &str, fixture: bool, taken: &mut BTreeSet<String>) -> String {
    let stem = spec.rsplit_once('.').map_or(spec, |(s, _)| s);
    let stem = stem.strip_prefix("tests/hostile/ok-").unwrap_or(stem);
    let prefix = if fixture { "fixture-" } else { "" };
    let candidates = [format!("{prefix}{}", slugify(stem)), format!("{prefix}{}", slugify(spec))];
    let mut slug = candidates.iter().find(|c| !taken.contains(*c)).cloned().unwrap_or_else(|| candidates[1].clone());
    let base = slug.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(slug.clone());
    slug
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "spec".into() } else { out }
}

fn generate_one(spec: String, path: &Path, slug: String, fixture: bool, out: &Path) -> Row {
    let mut row = Row { spec, slug, fixture, generated: None, notes: Vec::new(), build: Counts::default() };
    let started = Instant::now();
    let mut options = Options::new(package_name(&row.slug));
    if FEATURES_BY_TAG.iter().any(|(spec, _)| *spec == row.spec) {
        options.features_by = Some(FeaturesBy::Tag);
    }
    match generate(path, &options) {
        Ok(g) => {
            let millis = started.elapsed().as_millis();
            if !g.warnings.is_empty() {
                row.notes.push(format!("{} schema warning(s)", g.warnings.len()));
            }
            let dir = out.join(&row.slug);
            match clientgen::output::write(&dir, &g.files) {
                Ok(_) => {
                    row.generated = Some(Generated {
                        operations: g.stats.operations,
                        types: g.stats.types,
                        millis,
                        lines: g.stats.lines,
                    });
                }
                Err(e) => row.notes.push(format!("cannot write {}: {e}", dir.display())),
            }
        }
        Err(diags) => {
            let first = diags.iter().next().map_or_else(|| "failed without a diagnostic".into(), |d| d.to_string());
            row.notes.push(first);
        }
    }
    row
}

/// Remove crate directories of specs that are gone, so the directory mirrors the corpus.
fn remove_stale(out: &Path, slugs: &BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.join("Cargo.toml").is_file() && !slugs.contains(&name) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The workspace manifest; the main lock file seeds the corpus one so versions match the
/// ones the project builds with and resolution needs no index update.
fn write_workspace(root: &Path, out: &Path, rows: &[Row]) -> Outcome {
    let members: Vec<String> =
        rows.iter().filter(|r| r.generated.is_some()).map(|r| format!("    \"{}\",", r.slug)).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`; every crate here is generated.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n\n[profile.dev]\ndebug = false\n",
        members.join("\n")
    );
    let write = |path: PathBuf, text: &[u8]| {
        fs::write(&path, text).map_err(|e| Failure::Failed(format!("cannot write {}: {e}", path.display())))
    };
    write(out.join("Cargo.toml"), manifest.as_bytes())?;
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        if let Ok(main_lock) = fs::read(root.join("Cargo.lock")) {
            write(lock, &main_lock)?;
        }
    }
    Ok(())
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// Run `cargo <subcommand> --workspace` (clippy also with `--all-targets --all-features`: the
/// build is of what users compile), or with `only` instead of those when given, and return its
/// JSON messages.
fn cargo_json(
    workspace: &Path,
    target: &Path,
    subcommand: &str,
    only: &[&str],
) -> Result<Vec<serde_json::Value>, Failure> {
    let mut cmd = cargo();
    cmd.current_dir(workspace).env("CARGO_TARGET_DIR", target).args([
        subcommand,
        "--keep-going",
        "--message-format=json",
    ]);
    if !only.is_empty() {
        cmd.args(only);
    } else {
        cmd.arg("--workspace");
        // The build is with default features (rustc's warnings, dead code included, as users
        // compile it); clippy with all, so code behind `full-serde` is linted too.
        if subcommand == "clippy" {
            cmd.args(["--all-targets", "--all-features"]);
        }
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    eprintln!("$ {cmd:?}");
    let output = cmd.output().map_err(|e| Failure::Failed(format!("cannot run cargo {subcommand}: {e}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let messages: Vec<serde_json::Value> = stdout.lines().filter_map(|line| serde_json::from_str(line).ok()).collect();
    let compiled = messages.iter().any(|m| m["reason"] == "compiler-artifact");
    if !output.status.success() && !compiled {
        // cargo itself failed (e.g. resolution): nothing to attribute, so show why.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(Failure::Failed(format!("cargo {subcommand} failed:\n{}", tail.join("\n"))));
    }
    Ok(messages)
}

/// Add the messages of one cargo run to the rows they belong to.
fn attribute(messages: &[serde_json::Value], by_manifest: &BTreeMap<PathBuf, usize>, rows: &mut [Row], clippy: bool) {
    for m in messages {
        let Some(manifest) = m["manifest_path"].as_str() else { continue };
        let Some(&i) = by_manifest.get(&canonical(Path::new(manifest))) else { continue };
        let counts = &mut rows[i].build;
        match m["reason"].as_str() {
            Some("compiler-artifact") if !clippy => {
                let kinds = m["target"]["kind"].as_array().cloned().unwrap_or_default();
                if kinds.iter().any(|k| k == "lib" || k == "rlib") {
                    counts.built = true;
                }
            }
            Some("compiler-message") => {
                let msg = &m["message"];
                let text = msg["message"].as_str().unwrap_or_default();
                // rustc's own summaries ("2 warnings emitted", "aborting due to ...").
                if text.ends_with("emitted") || text.starts_with("aborting due to") {
                    continue;
                }
                let code = msg["code"]["code"].as_str().unwrap_or_default();
                let rendered = msg["rendered"].as_str().unwrap_or(text).to_string();
                match msg["level"].as_str() {
                    Some("error") => counts.errors.insert(rendered),
                    Some("warning") if code.starts_with("clippy::") => counts.clippy.insert(rendered),
                    Some("warning") => counts.rustc.insert(rendered),
                    _ => false,
                };
                if rows[i].notes.len() < 4 && matches!(msg["level"].as_str(), Some("error" | "warning")) {
                    let first = msg["rendered"].as_str().and_then(|r| r.lines().next()).unwrap_or(text);
                    let note = first.chars().take(100).collect::<String>();
                    if !rows[i].notes.contains(&note) {
                        rows[i].notes.push(note);
                    }
                }
            }
            _ => {}
        }
    }
}

fn print_table(rows: &[Row], built: bool) {
    let spec_w = rows.iter().map(|r| r.spec.len()).max().unwrap_or(4).max(5);
    println!(
        "{:<spec_w$}  {:>5}  {:>5}  {:>7}  {:>7}  {:>5}  {:>5}  {:>6}  notes",
        "spec", "ops", "types", "gen ms", "LOC", "build", "rustc", "clippy"
    );
    println!("{}", "-".repeat(spec_w + 62));
    let mut totals = (0, 0, 0u128, 0, 0, 0, 0);
    let mut fixtures_header = false;
    for r in rows {
        if r.fixture && !fixtures_header {
            println!("{}", "-".repeat(spec_w + 62));
            fixtures_header = true;
        }
        let (ops, types, ms, loc) = match &r.generated {
            Some(g) => (g.operations.to_string(), g.types.to_string(), g.millis.to_string(), g.lines.to_string()),
            None => ("-".into(), "-".into(), "-".into(), "-".into()),
        };
        let build = match (built, r.generated.is_some()) {
            (false, _) => "n/a",
            (true, false) => "-",
            (true, true) if r.build.built && r.build.errors.is_empty() => "ok",
            (true, true) => "FAIL",
        };
        println!(
            "{:<spec_w$}  {ops:>5}  {types:>5}  {ms:>7}  {loc:>7}  {build:>5}  {:>5}  {:>6}  {}",
            r.spec,
            r.build.rustc.len(),
            r.build.clippy.len(),
            r.notes.join("; ")
        );
        if !r.fixture {
            if let Some(g) = &r.generated {
                totals.0 += g.operations;
                totals.1 += g.types;
                totals.2 += g.millis;
                totals.3 += g.lines;
                totals.4 += usize::from(r.build.built && r.build.errors.is_empty());
            }
            totals.5 += r.build.rustc.len();
            totals.6 += r.build.clippy.len();
        }
    }
    println!("{}", "-".repeat(spec_w + 62));
    let count = rows.iter().filter(|r| !r.fixture).count();
    let built_total = if built { format!("{}/{count}", totals.4) } else { "n/a".into() };
    println!(
        "{:<spec_w$}  {:>5}  {:>5}  {:>7}  {:>7}  {built_total:>5}  {:>5}  {:>6}  (fixtures not included)",
        format!("total ({count} specs)"),
        totals.0,
        totals.1,
        totals.2,
        totals.3,
        totals.5,
        totals.6
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_crate_name_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_slug("progenitor/api.github.com.json", false, &mut taken), "progenitor-api-github-com");
        assert_eq!(unique_slug("adyen/BinLookupService-v54.json", false, &mut taken), "adyen-binlookupservice-v54");
        assert_eq!(unique_slug("a/x.json", false, &mut taken), "a-x");
        assert_eq!(unique_slug("a/x.yaml", false, &mut taken), "a-x-yaml");
        assert_eq!(unique_slug("tests/hostile/ok-injection.json", true, &mut taken), "fixture-injection");
        assert_eq!(slugify("__"), "spec");
    }
}
