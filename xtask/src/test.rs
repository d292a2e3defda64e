//! `cargo xtask test`: everything the tests need, then every test, then the conformance check.
//!
//! The contract tests run the generated client against Prism and the conformance check reads
//! Northflank's JS client (npm packages), so the npm tools pinned in `tests/package-lock.json`
//! are installed first: a new machine needs nothing but cargo and npm.

use std::process::Command;

use crate::util::{Failure, Outcome, cargo, root, run};

pub fn run_tests(args: &[String]) -> Outcome {
    install_npm_tools()?;
    let semver_checks = install_semver_checks()?;
    run(cargo()
        .current_dir(root())
        .env(SEMVER_CHECKS_ENV, &semver_checks)
        .args(["test", "--workspace", "--all-targets"])
        .args(args))?;
    // Doc tests of the library crates (the generated crate's docs have none that run).
    run(cargo().current_dir(root()).args(["test", "--workspace", "--doc"]))?;
    // The Northflank schema against Northflank's own typings.
    crate::conformance::run(&[])
}

/// `npm ci` in `tests/` unless the installed tools already match the lock file.
pub fn install_npm_tools() -> Outcome {
    let tests = root().join("tests");
    let lock = tests.join("package-lock.json");
    let installed = tests.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::read(&lock), std::fs::read(&installed)) {
        // npm writes its own copy of the lock into node_modules; same packages, same file.
        (Ok(_), Ok(_)) => {
            let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
            modified(&installed) >= modified(&lock)
        }
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(Command::new("npm").current_dir(&tests).args(["ci", "--no-audit", "--no-fund"])).map_err(|e| match e {
        Failure::Failed(m) => Failure::Failed(format!("{m}\n(the contract tests need Node.js and npm on PATH)")),
        other => other,
    })
}

/// cargo-semver-checks, pinned: the outside check of `clientgen diff`'s Rust verdicts.
const SEMVER_CHECKS: &str = "0.51.0";

/// How the tests learn where cargo-semver-checks is (`tests/tests/semver_checks.rs`).
const SEMVER_CHECKS_ENV: &str = "CLIENTGEN_SEMVER_CHECKS";

/// Install cargo-semver-checks into `target/tools` unless the pinned version is there, and
/// return its path. From source (crates.io is the only registry here): five to eight minutes
/// on two cores, once per target directory.
fn install_semver_checks() -> Result<std::path::PathBuf, Failure> {
    let tools = root().join("target/tools");
    let bin = tools.join("bin/cargo-semver-checks");
    let installed = Command::new(&bin).arg("--version").output().ok().filter(|o| o.status.success());
    if installed.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(SEMVER_CHECKS)) {
        return Ok(bin);
    }
    let started = std::time::Instant::now();
    run(cargo()
        .args(["install", "cargo-semver-checks", "--locked", "--version", SEMVER_CHECKS, "--root"])
        .arg(&tools))?;
    eprintln!("installed cargo-semver-checks {SEMVER_CHECKS} in {} s", started.elapsed().as_secs());
    Ok(bin)
}
