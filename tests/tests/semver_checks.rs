//! `clientgen diff`'s Rust verdicts are never weaker than cargo-semver-checks': for every case of
//! `diff_cases`, both crates are generated, written out, and checked by cargo-semver-checks
//! (pinned, installed by `cargo xtask test`) as if the change were a patch
//! release; the bump it asks for must not exceed ours.
//!
//! cargo-semver-checks sees what rustdoc sees, so it is the outside check of `diff::surface`,
//! which reads the generated source itself.

mod diff_cases;

use std::path::{Path, PathBuf};
use std::process::Command;

use clientgen::{Options, generate_from_str, output};

/// The pinned cargo-semver-checks, as `cargo xtask test` installs it and says where.
fn tool() -> PathBuf {
    let bin = std::env::var_os("CLIENTGEN_SEMVER_CHECKS").map(PathBuf::from);
    match bin {
        Some(bin) if bin.exists() => bin,
        _ => panic!("run the tests with `cargo xtask test`: it installs the pinned cargo-semver-checks and says where"),
    }
}

/// Write the crate generated from `schema` into `dir`, outside the workspace.
fn write_crate(schema: &str, dir: &Path) {
    let krate = generate_from_str("api.yaml", schema, &Options::new("semver-case")).expect("the case generates");
    let mut files = krate.files;
    for f in &mut files {
        if f.path == "Cargo.toml" {
            // Its own workspace: the case crates live under the project's target directory.
            f.contents.push_str("\n[workspace]\n");
        }
    }
    output::write(dir, &files).expect("write the case crate");
}

/// The bump cargo-semver-checks asks for, from its summary line.
fn their_verdict(case: &str, old: &Path, new: &Path) -> &'static str {
    let target = clientgen_tests::workspace_root().join("target/semver-checks");
    let out = Command::new(tool())
        .args(["semver-checks", "--release-type", "patch", "--baseline-root"])
        .arg(old)
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo-semver-checks");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if text.contains("requires new major version") {
        "major"
    } else if text.contains("requires new minor version") {
        "minor"
    } else if text.contains("no semver update required") {
        "patch"
    } else {
        panic!("{case}: no verdict from cargo-semver-checks:\n{text}");
    }
}

fn rank(level: &str) -> u8 {
    match level {
        "patch" => 0,
        "minor" => 1,
        _ => 2,
    }
}

fn check(case: &str, old: &str, new: &str, _wire: &str, ours: &str, _kinds: &[&str]) {
    let slug: String = case.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let dir = clientgen_tests::workspace_root().join("target/semver-cases").join(slug);
    let (old_dir, new_dir) = (dir.join("old"), dir.join("new"));
    write_crate(old, &old_dir);
    write_crate(new, &new_dir);
    let theirs = their_verdict(case, &old_dir, &new_dir);
    assert!(rank(ours) >= rank(theirs), "{case}: clientgen diff says {ours}, cargo-semver-checks {theirs}");
    eprintln!("{case}: ours {ours}, cargo-semver-checks {theirs}");
}

#[test]
fn our_rust_verdicts_are_never_weaker_than_cargo_semver_checks() {
    tool();
    diff_cases::no_change_is_non_breaking_and_a_patch(&check);
    diff_cases::operations(&check);
    diff_cases::parameters(&check);
    diff_cases::request_bodies(&check);
    diff_cases::responses(&check);
    diff_cases::types_and_names(&check);
    diff_cases::security_servers_and_pagination(&check);
}
