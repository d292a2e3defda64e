//! Every fixture schema (`tests/fixtures/`) generates a crate that passes
//! `cargo clippy -- -D warnings` with default features and with all of them, documents without
//! warnings and passes its own round-trip test; so do two real-world specs, one generated
//! through the CLI. A crate whose operations are behind features (`--features-by tag`) also
//! passes clippy and rustdoc with none of them and with each alone.
//!
//! The crates are written to `target/fixture-crates/` as one workspace and built together in
//! `target/fixture-target/`, so dependencies are compiled once for all of them and stay cached
//! between runs.

use std::path::Path;

use clientgen::{FeaturesBy, Options, output};
use clientgen_tests::fixtures::{self, CargoRun};

/// Generate `schema` with the library into `dir`.
fn generate(schema: &Path, crate_name: &str, extra_files: Vec<(String, String)>, features_by_tag: bool, dir: &Path) {
    let mut options = Options::new(crate_name);
    options.extra_files = extra_files;
    options.features_by = features_by_tag.then_some(FeaturesBy::Tag);
    let krate = clientgen::generate(schema, &options)
        .unwrap_or_else(|d| panic!("{} does not generate:\n{d}", schema.display()));
    output::write(dir, &krate.files).unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.display()));
}

/// Generate `schema` by running the CLI (`cargo run -p clientgen -- generate`) into `dir`.
fn generate_with_cli(schema: &Path, crate_name: &str, dir: &Path) {
    let root = fixtures::workspace_root();
    let (schema, out) = (schema.to_string_lossy(), dir.to_string_lossy());
    let args = ["run", "-q", "-p", "clientgen", "--", "generate", "--schema", &schema, "--out", &out];
    let target = fixtures::target_dir();
    let run = fixtures::cargo(&root, &target, &[&args[..], &["--crate-name", crate_name, "--quiet"]].concat(), &[]);
    assert!(run.success, "the CLI failed on {schema}:\n{}", run.output);
}

fn report(what: &str, run: &CargoRun) {
    eprintln!("{what}: {:.1} s", run.seconds);
    assert!(run.success, "{what} failed in target/fixture-crates:\n{}", run.output);
}

#[test]
fn fixture_crates_pass_clippy_doc_and_their_tests() {
    let target = fixtures::target_dir();
    let root = target.join("fixture-crates");
    let mut members = Vec::new();
    let mut by_tag = Vec::new();
    for f in fixtures::all() {
        assert!(f.roundtrip.is_some(), "fixture `{}` has no round-trip test `tests/fixtures/{}.rs`", f.name, f.name);
        generate(&f.schema, &f.crate_name(), f.extra_files(), f.features_by_tag(), &root.join(&f.name));
        if f.features_by_tag() {
            by_tag.push(f.clone());
        }
        members.push(f.name);
    }
    let specs = fixtures::workspace_root().join("../shared/specs");
    generate(&specs.join("oai/petstore.yaml"), "corpus-petstore", Vec::new(), false, &root.join("corpus-petstore"));
    members.push("corpus-petstore".into());
    generate_with_cli(&specs.join("progenitor/keeper.json"), "corpus-keeper", &root.join("corpus-keeper"));
    members.push("corpus-keeper".into());
    fixtures::remove_others(&root, &members);
    std::fs::write(root.join("Cargo.toml"), fixtures::workspace_manifest(&members)).expect("write the workspace");
    fixtures::seed_lock(&root);

    // One shared target directory; never one per crate (CI has two cores).
    let build = fixtures::crates_target_dir();
    // The libraries as users get them, then everything with `full-serde` (the round trips
    // encode what they decode, responses included).
    let clippy = ["clippy", "--workspace", "--lib", "--keep-going", "--", "-D", "warnings"];
    report("cargo clippy (default features)", &fixtures::cargo(&root, &build, &clippy, &[]));
    let clippy = ["clippy", "--workspace", "--all-targets", "--all-features", "--keep-going", "--", "-D", "warnings"];
    report("cargo clippy", &fixtures::cargo(&root, &build, &clippy, &[]));
    let doc = ["doc", "--workspace", "--no-deps", "--all-features", "--keep-going"];
    report("cargo doc", &fixtures::cargo(&root, &build, &doc, &[("RUSTDOCFLAGS", "-D warnings")]));
    let test = ["test", "--workspace", "--all-features", "--no-fail-fast"];
    report("cargo test", &fixtures::cargo(&root, &build, &test, &[]));

    // A program that calls some operations builds the crate with only their features: with
    // none, and with each alone, the crate has no dead code and its docs no broken link.
    for f in by_tag {
        let features = fixtures::default_features(&root.join(&f.name).join("Cargo.toml"));
        assert!(features.len() > 1, "`{}` has no features by tag: {features:?}", f.name);
        let krate = f.crate_name();
        for only in std::iter::once(None).chain(features.iter().map(Some)) {
            let mut selected = vec!["-p", &krate, "--lib", "--no-default-features"];
            if let Some(feature) = only {
                selected.extend(["--features", feature.as_str()]);
            }
            let what = format!("{krate} with {}", only.map_or("no features".to_string(), |f| format!("only `{f}`")));
            let clippy = [&["clippy"][..], &selected, &["--", "-D", "warnings"]].concat();
            report(&format!("cargo clippy, {what}"), &fixtures::cargo(&root, &build, &clippy, &[]));
            let doc = [&["doc", "--no-deps"][..], &selected].concat();
            report(
                &format!("cargo doc, {what}"),
                &fixtures::cargo(&root, &build, &doc, &[("RUSTDOCFLAGS", "-D warnings")]),
            );
        }
    }
}
