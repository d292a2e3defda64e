//! The hand-written runtime shipped inside every generated crate.
//!
//! Its sources live in `generator/runtime/` as ordinary Rust. Blocks between
//! `// clientgen:if FEATURE` and `// clientgen:end` are kept only when the emitted code used the
//! feature (see [`super::feature`]), so no generated crate carries dead code (and none needs
//! `allow(dead_code)`). `// clientgen:gate FEATURE` before an item becomes
//! `#[cfg(feature = "full-serde")]` when only code behind the generated crate's `full-serde`
//! feature uses it. A marker naming no [`Feature`] is an error.

use super::feature::{Feature, Features};

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
const OPTIONAL_MODULES: &[(&str, Feature)] = &[
    ("json_path", Feature::JsonResponse),
    ("options", Feature::Operations),
    ("pagination", Feature::Pagination),
    ("pattern", Feature::Pattern),
    ("raw", Feature::Operations),
    ("response_error", Feature::Operations),
    ("send", Feature::Operations),
    ("trace", Feature::Operations),
];

/// The runtime's `mod.rs`.
const MOD_RS: &str = include_str!("../../runtime/mod.rs");

/// The generated crate's feature that adds the serde impls the API does not need.
pub const FULL_SERDE: &str = "full-serde";

/// The runtime files (relative to `src/runtime/`) for `features`.
pub fn files(features: &Features) -> Result<Vec<(String, String)>, String> {
    let mut out = vec![("mod.rs".to_string(), strip("mod.rs", MOD_RS, features)?)];
    for (name, src) in FILES {
        let module = name.trim_end_matches(".rs");
        if OPTIONAL_MODULES.iter().any(|(m, f)| *m == module && !features.contains(*f)) {
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
        let at = || format!("runtime/{name}:{}", i + 1);
        if let Some(cond) = t.strip_prefix("// clientgen:if ") {
            let kept = markers(cond, &at)?.iter().any(|f| features.contains(*f));
            stack.push(kept);
            continue;
        }
        if let Some(cond) = t.strip_prefix("// clientgen:gate ") {
            let gated = markers(cond, &at)?.iter().all(|f| !features.contains(*f) || features.only_gated(*f));
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

/// The features `a | b` names.
fn markers(cond: &str, at: &dyn Fn() -> String) -> Result<Vec<Feature>, String> {
    cond.split('|')
        .map(str::trim)
        .map(|m| Feature::from_marker(m).ok_or_else(|| format!("{}: `{m}` is no runtime feature", at())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_kept_by_feature_and_markers_dropped() {
        let src =
            "a\n// clientgen:if form\nb\n// clientgen:if pattern | base64\nc\n// clientgen:end\n// clientgen:end\nd\n";
        let mut f = Features::default();
        f.insert(Feature::Form);
        assert_eq!(strip("t", src, &f).unwrap(), "a\nb\nd\n");
        f.insert_gated(Feature::Base64, true);
        assert_eq!(strip("t", src, &f).unwrap(), "a\nb\nc\nd\n");
        assert!(strip("t", "// clientgen:if form\n", &f).is_err());
        assert!(strip("t", "// clientgen:end\n", &f).is_err());
        assert!(strip("t", "// clientgen:if nothing_of_that_name\n// clientgen:end\n", &f).is_err());
    }

    #[test]
    fn a_gate_cfgs_what_only_full_serde_uses() {
        let src =
            "// clientgen:if object | form\n    // clientgen:gate object | form\n    fn f() {}\n// clientgen:end\n";
        let mut f = Features::default();
        f.insert_gated(Feature::Object, true);
        assert_eq!(strip("t", src, &f).unwrap(), "    #[cfg(feature = \"full-serde\")]\n    fn f() {}\n");
        f.insert(Feature::Form);
        assert_eq!(strip("t", src, &f).unwrap(), "    fn f() {}\n");
        f.insert(Feature::Object);
        assert!(!f.only_gated(Feature::Object));
    }

    #[test]
    fn every_runtime_file_has_balanced_markers_naming_features() {
        let f = Features::default();
        strip("mod.rs", MOD_RS, &f).unwrap();
        for (name, src) in FILES {
            strip(name, src, &f).unwrap();
        }
    }

    /// Every feature keeps something: a marked block or a module.
    #[test]
    fn every_feature_is_marked_in_the_runtime() {
        let sources: Vec<&str> = FILES.iter().map(|(_, s)| *s).chain([MOD_RS]).collect();
        for f in Feature::ALL {
            let marked = sources.iter().flat_map(|s| s.lines()).any(|l| {
                let t = l.trim();
                let cond = t.strip_prefix("// clientgen:if ").or_else(|| t.strip_prefix("// clientgen:gate "));
                cond.is_some_and(|c| c.split('|').any(|m| m.trim() == f.marker()))
            });
            let module = OPTIONAL_MODULES.iter().any(|(_, m)| m == f);
            assert!(marked || module, "`{}` keeps nothing in the runtime", f.marker());
        }
    }
}
