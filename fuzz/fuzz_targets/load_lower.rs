//! Load and lower arbitrary bytes as a schema: any outcome but a panic, a hang or an error
//! that cannot be located is fine.

#![no_main]

use clientgen::diag::Diagnostics;
use clientgen::{load, lower};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader's own byte checks (NUL, UTF-16, invalid UTF-8) are part of what is fuzzed.
    let result = load::Documents::from_bytes("fuzz.yaml", data.to_vec()).and_then(|(docs, _)| lower::lower(&docs));
    if let Err(errors) = result {
        check_located(&errors);
    }
});

/// Every error says where it is, and rendering it (excerpts, columns) does not panic.
fn check_located(errors: &Diagnostics) {
    for d in errors.iter() {
        assert!(d.location.is_some() || d.pointer.is_some(), "error without a location or pointer: {d}");
        let _ = d.render(false);
    }
}
