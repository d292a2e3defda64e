//! The hand-written runtime shipped inside every generated crate.
//!
//! Its sources live in `generator/runtime/` as ordinary Rust. Blocks between
//! `// clientgen:if FEATURE` and `// clientgen:end` are kept only when the API uses the
//! feature, so no generated crate carries dead code (and none needs `allow(dead_code)`).

use std::collections::BTreeSet;

/// The runtime files, by name.
const FILES: &[(&str, &str)] = &[
    ("base64.rs", include_str!("../../runtime/base64.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("encode.rs", include_str!("../../runtime/encode.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("hooks.rs", include_str!("../../runtime/hooks.rs")),
    ("json_path.rs", include_str!("../../runtime/json_path.rs")),
    ("pagination.rs", include_str!("../../runtime/pagination.rs")),
    ("pattern.rs", include_str!("../../runtime/pattern.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("secret.rs", include_str!("../../runtime/secret.rs")),
    ("serde_helpers.rs", include_str!("../../runtime/serde_helpers.rs")),
    ("validate.rs", include_str!("../../runtime/validate.rs")),
];

/// Modules kept only with the feature named beside them.
const OPTIONAL_MODULES: &[(&str, &str)] =
    &[("json_path", "json_response"), ("pagination", "pagination"), ("pattern", "pattern")];

/// The runtime's `mod.rs`.
const MOD_RS: &str = include_str!("../../runtime/mod.rs");

/// What the generated code uses of the runtime.
pub type Features = BTreeSet<&'static str>;

/// The runtime files (relative to `src/runtime/`) for `features`.
pub fn files(features: &Features) -> Result<Vec<(String, String)>, String> {
    let mut out = vec![("mod.rs".to_string(), strip("mod.rs", MOD_RS, features)?)];
    for (name, src) in FILES {
        let module = name.trim_end_matches(".rs");
        if OPTIONAL_MODULES.iter().any(|(m, f)| *m == module && !features.contains(f)) {
            continue;
        }
        out.push((name.to_string(), strip(name, src, features)?));
    }
    Ok(out)
}

/// Keep the blocks whose feature is enabled; drop the marker lines.
fn strip(name: &str, src: &str, features: &Features) -> Result<String, String> {
    let mut out = String::with_capacity(src.len());
    // Whether each open block is kept.
    let mut stack: Vec<bool> = Vec::new();
    for (i, line) in src.lines().enumerate() {
        let t = line.trim();
        if let Some(cond) = t.strip_prefix("// clientgen:if ") {
            let kept = cond.split('|').map(str::trim).any(|f| features.contains(f));
            stack.push(kept);
            continue;
        }
        if t == "// clientgen:end" {
            if stack.pop().is_none() {
                return Err(format!("runtime/{name}:{}: `clientgen:end` without `clientgen:if`", i + 1));
            }
            continue;
        }
        if stack.iter().all(|&k| k) {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !stack.is_empty() {
        return Err(format!("runtime/{name}: unclosed `clientgen:if`"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_kept_by_feature_and_markers_dropped() {
        let src = "a\n// clientgen:if x\nb\n// clientgen:if y | z\nc\n// clientgen:end\n// clientgen:end\nd\n";
        let f: Features = ["x"].into_iter().collect();
        assert_eq!(strip("t", src, &f).unwrap(), "a\nb\nd\n");
        let f: Features = ["x", "z"].into_iter().collect();
        assert_eq!(strip("t", src, &f).unwrap(), "a\nb\nc\nd\n");
        assert!(strip("t", "// clientgen:if x\n", &f).is_err());
        assert!(strip("t", "// clientgen:end\n", &f).is_err());
    }

    #[test]
    fn every_runtime_file_has_balanced_markers() {
        let f = Features::new();
        for (name, src) in FILES {
            strip(name, src, &f).unwrap();
        }
    }
}
