//! Every real-world spec in `../shared/specs` and `tests/corpus` (the Swagger 2.0 ones)
//! generates, and generating it twice gives byte-identical files (GitHub's with features by tag
//! too). Building the crates is
//! `cargo xtask corpus`'s job: too slow here.

use std::path::{Path, PathBuf};

use clientgen::{FeaturesBy, GeneratedCrate, Options, generate};
use clientgen_tests::workspace_root;

fn specs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn generate_ok(spec: &Path) -> GeneratedCrate {
    generate(spec, &Options::new("corpus-check"))
        .unwrap_or_else(|d| panic!("{} does not generate:\n{}", spec.display(), d.render(false)))
}

#[test]
fn every_corpus_spec_generates_deterministically() {
    let dir = workspace_root().join("../shared/specs");
    let shared = specs(&dir);
    assert!(shared.len() >= 18, "expected the 18 corpus specs in {}, found {}", dir.display(), shared.len());
    let ours = specs(&workspace_root().join("tests/corpus"));
    assert!(ours.len() >= 3, "expected the 3 Swagger 2.0 specs in tests/corpus, found {}", ours.len());
    let specs: Vec<PathBuf> = shared.into_iter().chain(ours).collect();
    // Two cores: specs in parallel keep the test near the time of the largest spec.
    std::thread::scope(|scope| {
        let handles: Vec<_> = specs
            .iter()
            .map(|spec| {
                scope.spawn(move || {
                    let first = generate_ok(spec);
                    let second = generate_ok(spec);
                    (spec, first, second)
                })
            })
            .collect();
        for handle in handles {
            let (spec, first, second) = handle.join().expect("generation panicked");
            let name = spec.display();
            assert!(first.files.iter().any(|f| f.path == "src/lib.rs"), "{name}: no src/lib.rs");
            assert_eq!(first.files.len(), second.files.len(), "{name}: file lists differ between runs");
            for (a, b) in first.files.iter().zip(&second.files) {
                assert_eq!(a.path, b.path, "{name}: file lists differ between runs");
                assert!(a.contents == b.contents, "{name}: {} differs between runs", a.path);
            }
            assert_eq!(first.warnings, second.warnings, "{name}: warnings differ between runs");
            for w in first.warnings.iter() {
                assert!(!w.is_error(), "{name}: an error among the warnings: {w}");
                assert!(w.location.is_some() || w.pointer.is_some(), "{name}: warning without a place: {w}");
            }
        }
    });
}

#[test]
fn features_by_tag_are_deterministic_too() {
    let spec = workspace_root().join("../shared/specs/progenitor/api.github.com.json");
    let mut options = Options::new("corpus-check");
    options.features_by = Some(FeaturesBy::Tag);
    let run = || generate(&spec, &options).unwrap_or_else(|d| panic!("GitHub does not generate:\n{}", d.render(false)));
    let (first, second) = std::thread::scope(|scope| {
        let other = scope.spawn(run);
        (run(), other.join().expect("generation panicked"))
    });
    let modules = first.files.iter().filter(|f| f.path.starts_with("src/operations/")).count();
    assert!(modules > 20, "one module per tag's feature, found {modules}");
    assert_eq!(first.files.len(), second.files.len(), "file lists differ between runs");
    for (a, b) in first.files.iter().zip(&second.files) {
        assert_eq!(a.path, b.path, "file lists differ between runs");
        assert!(a.contents == b.contents, "{} differs between runs", a.path);
    }
}
