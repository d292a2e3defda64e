//! The hand-written runtime shipped inside every generated crate.
//!
//! Its sources live in `generator/runtime/` as ordinary Rust. Blocks between
//! `// clientgen:if FEATURE` and `// clientgen:end` are kept only when the API uses the
//! feature, so no generated crate carries dead code (and none needs `allow(dead_code)`).
//! `// clientgen:gate FEATURE` before an item becomes `#[cfg(feature = "full-serde")]` when
//! only code behind the generated crate's `full-serde` feature uses it.

use std::collections::BTreeSet;

/// The runtime files, by name.
const FILES: &[(&str, &str)] = &[
    ("base64.rs", include_str!("../../runtime/base64.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("encode.rs", include_str!("../../runtime/encode.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("hooks.rs", include_str!("../../runtime/hooks.rs")),
    ("json_path.rs", include_str!("../../runtime/json_path.rs")),
    ("options.rs", include_str!("../../runtime/options.rs")),
    ("pagination.rs", include_str!("../../runtime/pagination.rs")),
    ("pattern.rs", include_str!("../../runtime/pattern.rs")),
    ("raw.rs", include_str!("../../runtime/raw.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("response_error.rs", include_str!("../../runtime/response_error.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("secret.rs", include_str!("../../runtime/secret.rs")),
    ("send.rs", include_str!("../../runtime/send.rs")),
    ("serde_helpers.rs", include_str!("../../runtime/serde_helpers.rs")),
    ("tolerant.rs", include_str!("../../runtime/tolerant.rs")),
    ("trace.rs", include_str!("../../runtime/trace.rs")),
    ("validate.rs", include_str!("../../runtime/validate.rs")),
];

/// Modules kept only with the feature named beside them.
const OPTIONAL_MODULES: &[(&str, &str)] = &[
    ("json_path", "json_response"),
    ("options", "operations"),
    ("pagination", "pagination"),
    ("pattern", "pattern"),
    ("raw", "operations"),
    ("response_error", "operations"),
    ("send", "operations"),
    ("trace", "operations"),
];

/// The runtime's `mod.rs`.
const MOD_RS: &str = include_str!("../../runtime/mod.rs");

/// The generated crate's feature that adds the serde impls the API does not need.
pub const FULL_SERDE: &str = "full-serde";

/// What the generated code uses of the runtime: each feature always, or only with the
/// generated crate's [`FULL_SERDE`] feature.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Features {
    always: BTreeSet<&'static str>,
    gated: BTreeSet<&'static str>,
}

impl Features {
    /// No features.
    pub fn new() -> Self {
        Self::default()
    }

    /// Use `name` always; whether it was new.
    pub fn insert(&mut self, name: &'static str) -> bool {
        self.always.insert(name)
    }

    /// Use `name`, only with [`FULL_SERDE`] when `gated`.
    pub fn insert_gated(&mut self, name: &'static str, gated: bool) {
        if gated {
            self.gated.insert(name);
        } else {
            self.always.insert(name);
        }
    }

    /// Whether `name` is used at all.
    pub fn contains(&self, name: &str) -> bool {
        self.always.contains(name) || self.gated.contains(name)
    }

    /// Whether `name` is used only with [`FULL_SERDE`].
    pub fn only_gated(&self, name: &str) -> bool {
        self.gated.contains(name) && !self.always.contains(name)
    }
}

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
        if let Some(cond) = t.strip_prefix("// clientgen:gate ") {
            let names: Vec<&str> = cond.split('|').map(str::trim).collect();
            let gated = names.iter().all(|f| !features.contains(f) || features.only_gated(f));
            if gated && stack.iter().all(|&k| k) {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}#[cfg(feature = \"{FULL_SERDE}\")]\n"));
            }
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
        let mut f = Features::new();
        f.insert("x");
        assert_eq!(strip("t", src, &f).unwrap(), "a\nb\nd\n");
        f.insert_gated("z", true);
        assert_eq!(strip("t", src, &f).unwrap(), "a\nb\nc\nd\n");
        assert!(strip("t", "// clientgen:if x\n", &f).is_err());
        assert!(strip("t", "// clientgen:end\n", &f).is_err());
    }

    #[test]
    fn a_gate_cfgs_what_only_full_serde_uses() {
        let src = "// clientgen:if a | b\n    // clientgen:gate a | b\n    fn f() {}\n// clientgen:end\n";
        let mut f = Features::new();
        f.insert_gated("a", true);
        assert_eq!(strip("t", src, &f).unwrap(), "    #[cfg(feature = \"full-serde\")]\n    fn f() {}\n");
        f.insert("b");
        assert_eq!(strip("t", src, &f).unwrap(), "    fn f() {}\n");
        f.insert("a");
        assert!(!f.only_gated("a"));
    }

    #[test]
    fn every_runtime_file_has_balanced_markers() {
        let f = Features::new();
        for (name, src) in FILES {
            strip(name, src, &f).unwrap();
        }
    }
}
