//! The fixture schemas under `tests/fixtures/`, and a workspace to build their crates in.
//!
//! A fixture is `<name>.yaml`, `<name>.json`, or a directory `<name>/` whose entry point is
//! `openapi.yaml` or `openapi.json` (for `$ref`s into other files). `<name>.rs` beside it is
//! the fixture's round-trip test; it becomes `tests/roundtrip.rs` of the crate
//! `fixture-<name>`. A YAML fixture asks for generator flags in a comment at its top,
//! `# clientgen: --features-by tag`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One fixture schema.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// File stem (or directory name): `enums`, `refs`.
    pub name: String,
    /// The document to generate from.
    pub schema: PathBuf,
    /// The round-trip test program, if there is one.
    pub roundtrip: Option<PathBuf>,
}

impl Fixture {
    /// Package name of the generated crate: `fixture-<name>` (underscores become dashes).
    pub fn crate_name(&self) -> String {
        format!("fixture-{}", self.name.replace('_', "-"))
    }

    /// The generator flags the fixture asks for (`# clientgen: --features-by tag` in the
    /// comments at its top).
    ///
    /// # Panics
    /// When the schema cannot be read.
    pub fn flags(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.schema)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", self.schema.display()));
        text.lines()
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| l.strip_prefix("# clientgen:"))
            .flat_map(|flags| flags.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    }

    /// Whether the fixture's crate puts its operations behind Cargo features by tag.
    ///
    /// # Panics
    /// When it asks for a flag other than `--features-by tag`.
    pub fn features_by_tag(&self) -> bool {
        match self.flags().as_slice() {
            [] => false,
            [flag, by] if flag == "--features-by" && by == "tag" => true,
            other => panic!("fixture `{}` asks for {other:?}; only `--features-by tag` is known", self.name),
        }
    }

    /// Extra files for the generated crate: the round-trip test, if any, and the local server
    /// it shares with the others (`tests/fixtures/support.rs`) when it says `mod support;`.
    ///
    /// # Panics
    /// When a file cannot be read.
    pub fn extra_files(&self) -> Vec<(String, String)> {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
        let mut out = Vec::new();
        if let Some(p) = &self.roundtrip {
            let text = read(p);
            if text.contains("\nmod support;\n") {
                out.push(("tests/support/mod.rs".to_string(), read(&dir().join("support.rs"))));
            }
            out.push(("tests/roundtrip.rs".to_string(), text));
        }
        out
    }
}

/// `tests/fixtures/`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture, sorted by name.
///
/// # Panics
/// When the directory cannot be read.
pub fn all() -> Vec<Fixture> {
    let dir = dir();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures exists") {
        let path = entry.expect("readable directory entry").path();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let schema = if path.is_dir() {
            ["openapi.yaml", "openapi.json"].iter().map(|f| path.join(f)).find(|p| p.exists())
        } else {
            matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")).then(|| path.clone())
        };
        let Some(schema) = schema else { continue };
        let roundtrip = Some(dir.join(format!("{stem}.rs"))).filter(|p| p.exists());
        out.push(Fixture { name: stem, schema, roundtrip });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The fixture called `name`.
///
/// # Panics
/// When there is none.
pub fn get(name: &str) -> Fixture {
    all().into_iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no fixture `{name}` in tests/fixtures"))
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The target directory the running test binary was built in (`.../target`), found from the
/// binary's own path (`target/debug/deps/<test>`), so `CARGO_TARGET_DIR` is honoured.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() { dir } else { workspace_root().join(dir) };
    }
    let exe = std::env::current_exe().expect("test binary path");
    exe.ancestors().nth(3).map(Path::to_path_buf).unwrap_or_else(|| workspace_root().join("target"))
}

/// Output of one cargo run.
#[derive(Debug)]
pub struct CargoRun {
    /// Whether cargo exited successfully.
    pub success: bool,
    /// stdout and stderr together.
    pub output: String,
    /// How long it took.
    pub seconds: f64,
}

/// Run `cargo <args>` in `dir` with the given target directory.
///
/// # Panics
/// When cargo cannot be started.
pub fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> CargoRun {
    let start = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(args).current_dir(dir).env("CARGO_TARGET_DIR", target);
    // `cargo clippy` sets this for its own workspace; the inner cargo chooses for itself.
    cmd.env_remove("RUSTC_WORKSPACE_WRAPPER");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
    output.push_str(&String::from_utf8_lossy(&out.stderr));
    CargoRun { success: out.status.success(), output, seconds: start.elapsed().as_secs_f64() }
}

/// A `Cargo.toml` for a workspace of the crates in `members` (directory names).
pub fn workspace_manifest(members: &[String]) -> String {
    let mut s = String::from(
        "# Written by the clientgen-tests tests: generated crates, built together.\n\
         # Resolver 1 unifies the features of dev-dependencies with the others, so `cargo doc`\n\
         # reuses what `cargo clippy --all-targets` built instead of building it again.\n\
         [workspace]\nresolver = \"1\"\nmembers = [\n",
    );
    for m in members {
        let _ = writeln!(s, "    \"{m}\",");
    }
    s.push_str("]\n");
    s
}

/// The features a generated crate's manifest enables by default (`default = [...]`), in order.
///
/// # Panics
/// When the manifest cannot be read.
pub fn default_features(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_else(|e| panic!("cannot read {}: {e}", manifest.display()));
    let Some(list) = text.lines().find_map(|l| l.strip_prefix("default = [")) else { return Vec::new() };
    list.trim_end_matches(']')
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}

/// The target directory every workspace of generated crates builds in
/// (`target/fixture-target`): their dependencies compile once for all of them.
pub fn crates_target_dir() -> PathBuf {
    target_dir().join("fixture-target")
}

/// Give the workspace at `dir` the project's `Cargo.lock` if it has none: dependencies at the
/// versions the project builds with, the same in every such workspace (so their builds share
/// them), and no index update to resolve them.
///
/// # Panics
/// When the lock file cannot be copied.
pub fn seed_lock(dir: &Path) {
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(workspace_root().join("Cargo.lock"), &lock)
            .unwrap_or_else(|e| panic!("cannot copy Cargo.lock to {}: {e}", dir.display()));
    }
}

/// Remove directories under `dir` that are not in `keep` (crates of removed fixtures).
///
/// # Panics
/// When a directory cannot be removed.
pub fn remove_others(dir: &Path, keep: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() && !keep.contains(&name) {
            std::fs::remove_dir_all(e.path()).unwrap_or_else(|err| panic!("cannot remove {name}: {err}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_found_with_their_round_trip_tests() {
        let all = all();
        assert!(all.iter().any(|f| f.name == "enums" && f.roundtrip.is_some()), "{all:?}");
        assert!(all.iter().all(|f| f.schema.exists()));
        assert_eq!(get("enums").crate_name(), "fixture-enums");
        assert!(get("tags").features_by_tag() && !get("enums").features_by_tag());
    }

    #[test]
    fn workspace_manifest_lists_members() {
        let m = workspace_manifest(&["a".into(), "b".into()]);
        assert!(m.contains("members = [\n    \"a\",\n    \"b\",\n]"), "{m}");
    }
}
