//! Inputs the fuzzer (`cargo xtask fuzz`) once crashed on, minimized, in `fuzz/regressions/`:
//! each must load, lower and render its errors the way the fuzz target does, without panicking.

use clientgen::{load, lower};

#[test]
fn fuzzer_findings_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "no regression inputs in {}", dir.display());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let result = load::Documents::from_bytes("regression", bytes).and_then(|(docs, _)| lower::lower(&docs));
        if let Err(errors) = result {
            for d in errors.iter() {
                assert!(d.location.is_some() || d.pointer.is_some(), "{}: {d}", path.display());
                assert!(!d.render(false).is_empty());
            }
        }
    }
}
