//! The hand-written runtime shipped inside every generated crate.
//!
//! Its sources live in `generator/runtime/` as ordinary Rust. Blocks between
//! `// clientgen:if FEATURE` and `// clientgen:end` are kept only when the emitted code used the
//! feature (see [`super::feature`]), so no generated crate carries dead code (and none needs
//! `allow(dead_code)`). `// clientgen:gate FEATURE` before an item becomes the `#[cfg(..)]` of
//! the code that uses the feature, when none of it is compiled always: code behind the generated
//! crate's `full-serde` feature, or behind the features of the operations using it (see
//! [`super::feature::When`]). Either marker takes `A | B` (any of them), or `!A`: a block kept
//! when `A` is not used, an item compiled when code using `A` is not. A marker naming no
//! [`Feature`] is an error.

use super::feature::{Feature, Features, Predicate};

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
            let kept = match condition(cond, &at)? {
                Condition::Any(any) => any.iter().any(|f| features.contains(*f)),
                Condition::Not(f) => !features.contains(f),
            };
            stack.push(kept);
            continue;
        }
        if let Some(cond) = t.strip_prefix("// clientgen:gate ") {
            let predicate = match condition(cond, &at)? {
                Condition::Any(any) => features.predicate(&any),
                Condition::Not(f) => match features.predicate(&[f]) {
                    Some(p) => Some(Predicate::Not(Box::new(p))),
                    // Compiled always where it is used: never compiled.
                    None if features.contains(f) => Some(Predicate::Any(Vec::new())),
                    None => None,
                },
            };
            if let Some(predicate) = predicate.filter(|_| stack.iter().all(|&k| k)) {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&predicate.attribute(indent));
                out.push('\n');
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

/// What a marker line asks for.
enum Condition {
    /// `a | b`: any of these features is used.
    Any(Vec<Feature>),
    /// `!a`: the feature is not used (`if`), or code using it is not compiled (`gate`).
    Not(Feature),
}

/// The condition `a | b` or `!a` names.
fn condition(cond: &str, at: &dyn Fn() -> String) -> Result<Condition, String> {
    let feature = |m: &str| Feature::from_marker(m).ok_or_else(|| format!("{}: `{m}` is no runtime feature", at()));
    if let Some(negated) = cond.trim().strip_prefix('!') {
        return feature(negated.trim()).map(Condition::Not);
    }
    cond.split('|').map(str::trim).map(feature).collect::<Result<_, _>>().map(Condition::Any)
}

#[cfg(test)]
mod tests {
    use super::super::feature::When;
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
        assert_eq!(f.predicate(&[Feature::Object]), None);
    }

    #[test]
    fn negated_markers_keep_what_the_feature_does_not() {
        let src = "// clientgen:if !op_features\na\n// clientgen:end\n// clientgen:if op_features\n// clientgen:gate !calls\nb\n// clientgen:end\n";
        let mut f = Features::default();
        f.insert(Feature::Calls);
        assert_eq!(strip("t", src, &f).unwrap(), "a\n");
        f.insert(Feature::OpFeatures);
        assert_eq!(strip("t", src, &f).unwrap(), "#[cfg(any())]\nb\n", "calls are compiled always: b never is");
        let mut f = Features::default();
        f.insert(Feature::OpFeatures);
        f.insert_when(Feature::Calls, &When::Any(["jobs".to_string()].into()), false);
        assert_eq!(strip("t", src, &f).unwrap(), "#[cfg(not(feature = \"jobs\"))]\nb\n");
        assert!(strip("t", "// clientgen:if !nothing\n// clientgen:end\n", &f).is_err());
    }

    #[test]
    fn a_gate_cfgs_what_only_some_operation_features_use() {
        let src = "// clientgen:if path_params\n// clientgen:gate path_params\npub(crate) use encode::push_segment;\n// clientgen:end\n";
        let mut f = Features::default();
        let jobs = When::Any(["jobs".to_string(), "runs".to_string()].into());
        f.insert_when(Feature::PathParams, &jobs, false);
        assert_eq!(
            strip("t", src, &f).unwrap(),
            "#[cfg(any(feature = \"jobs\", feature = \"runs\"))]\npub(crate) use encode::push_segment;\n"
        );
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
                cond.is_some_and(|c| c.split('|').any(|m| m.trim().trim_start_matches('!') == f.marker()))
            });
            let module = OPTIONAL_MODULES.iter().any(|(_, m)| m == f);
            assert!(marked || module, "`{}` keeps nothing in the runtime", f.marker());
        }
    }
}
