//! Helpers shared by the commands.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a command did not succeed.
pub enum Failure {
    /// The command line was wrong (exit 2).
    Usage(String),
    /// The work failed (exit 1).
    Failed(String),
}

/// The result of a command.
pub type Outcome = Result<(), Failure>;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Run `cmd`, failing with its description if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Outcome {
    let shown = format!("{cmd:?}");
    eprintln!("$ {shown}");
    let status = cmd.status().map_err(|e| Failure::Failed(format!("cannot run {shown}: {e}")))?;
    if status.success() { Ok(()) } else { Err(Failure::Failed(format!("{shown} failed ({status})"))) }
}

/// `cargo`, as the one running this xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Every `*.json`, `*.yaml` and `*.yml` file under `dir`, recursively, sorted.
pub fn schema_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| Failure::Failed(format!("cannot read {}: {e}", d.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
