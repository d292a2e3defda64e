//! The checked-in generated crates are exactly what the generator makes of the schemas now
//! (what `cargo xtask generate --check` checks), and generating is deterministic.

#[path = "../../xtask/src/targets.rs"]
mod targets;

use clientgen::output::{self, Change};

#[test]
fn checked_in_clients_are_fresh() {
    let root = clientgen_tests::workspace_root();
    for target in targets::TARGETS {
        let (generated, release) =
            target.generate(&root).unwrap_or_else(|d| panic!("{}: {}", target.schema, d.render(false)));
        let changes = output::check(&root.join(target.out), &generated.files);
        let shown: Vec<String> = changes
            .iter()
            .map(|c| match c {
                Change::Modified(_, diff) => diff.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        // What is pending, when the schema (or the generator) changed since the committed crate.
        let pending =
            release.report.as_ref().map(|r| format!("\nversion {}:\n{}", release.version, clientgen::diff::text(r)));
        assert!(
            changes.is_empty(),
            "{} is stale; run `cargo xtask generate`:\n{}{}",
            target.out,
            shown.join("\n"),
            pending.unwrap_or_default()
        );
    }
}

#[test]
fn generating_twice_gives_identical_files() {
    let root = clientgen_tests::workspace_root();
    for target in targets::TARGETS {
        let (first, _) = target.generate(&root).unwrap();
        let (second, _) = target.generate(&root).unwrap();
        assert_eq!(first.files, second.files, "{} is not deterministic", target.schema);
    }
}

#[test]
fn every_generated_crate_is_a_workspace_member() {
    // The workspace's `members` cannot read `TARGETS`, so it is checked against it: a crate left
    // out would escape the workspace's clippy, rustdoc and tests without a word.
    let root = clientgen_tests::workspace_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = manifest.lines().find(|l| l.trim_start().starts_with("members = [")).expect("workspace members");
    for target in targets::TARGETS {
        assert!(members.contains(&format!("\"{}\"", target.out)), "{} is not in the workspace's {members}", target.out);
    }
}
