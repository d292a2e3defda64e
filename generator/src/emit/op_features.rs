//! Cargo features that switch a generated crate's operations on and off (`--features-by tag`).
//!
//! Each operation is behind the feature of its first tag (untagged ones behind [`UNTAGGED`]),
//! and each type is compiled only when an enabled operation reaches it ([`crate::ir::Reach`]);
//! types no operation reaches are always compiled. Every feature is on by default, so the
//! default build is the whole client. The names are decided here, once: the manifest, the
//! README, the operations' modules and every `cfg` ask.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToKebabCase;

use super::feature::When;
use crate::ir::{Api, TypeId};

/// How a generated crate's operations are grouped into Cargo features.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeaturesBy {
    /// One feature per first tag of an operation, named after it in kebab-case.
    Tag,
}

/// The feature of operations that have no tag.
pub const UNTAGGED: &str = "untagged";

/// Names no tag's feature may take: those the manifest has already (or Cargo gives a meaning),
/// and the untagged operations' feature (even in a crate without such operations, so that
/// adding one later renames nothing).
const RESERVED: &[&str] = &["default", super::FULL_SERDE, "tracing", UNTAGGED];

/// One Cargo feature and the operations behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpFeature {
    /// The feature's name: lowercase ASCII letters, digits and `-`, starting with a letter.
    pub name: String,
    /// The tag it is named after; `None` for the untagged operations.
    pub tag: Option<String>,
    /// Its operations (indices into `Api::operations`), in order.
    pub operations: Vec<usize>,
    /// The module of `operations` its methods are written in.
    pub module: String,
}

/// The features of a crate's operations, and under which of them each type is compiled.
#[derive(Clone, Debug)]
pub struct OpFeatures {
    /// Sorted by name.
    features: Vec<OpFeature>,
    /// Each operation's feature (an index into `features`).
    of_operation: Vec<usize>,
    /// Types only some features' operations reach, with those features.
    of_type: HashMap<TypeId, When>,
}

impl OpFeatures {
    /// The features of `api`'s operations, grouped `by`.
    pub fn new(api: &Api, by: FeaturesBy) -> Self {
        let FeaturesBy::Tag = by;
        // Tags in sorted order choose their names first; the untagged operations' name is theirs.
        let mut groups: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (i, op) in api.operations.iter().enumerate() {
            groups.entry(op.tags.first().map(String::as_str)).or_default().push(i);
        }
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|r| r.to_string()).collect();
        let mut features = Vec::new();
        for (tag, operations) in groups {
            let name = match tag {
                None => UNTAGGED.to_string(),
                Some(tag) => unique(&base_name(tag), &mut taken),
            };
            features.push(OpFeature { module: module_name(&name), name, tag: tag.map(str::to_owned), operations });
        }
        features.sort_by(|a, b| a.name.cmp(&b.name));
        let mut of_operation = vec![0; api.operations.len()];
        for (f, feature) in features.iter().enumerate() {
            for &op in &feature.operations {
                of_operation[op] = f;
            }
        }
        let reach = api.reach();
        let of_type = api
            .types
            .iter()
            .filter_map(|(id, _)| {
                let ops = reach.operations(id)?;
                let names = ops.iter().map(|&op| features[of_operation[op]].name.clone()).collect();
                Some((id, When::Any(names)))
            })
            .collect();
        OpFeatures { features, of_operation, of_type }
    }

    /// Every feature, sorted by name.
    pub fn all(&self) -> &[OpFeature] {
        &self.features
    }

    /// The feature operation `op` is behind.
    pub fn of_operation(&self, op: usize) -> &OpFeature {
        &self.features[self.of_operation[op]]
    }

    /// When code of `feature` alone is compiled.
    pub fn when(feature: &OpFeature) -> When {
        When::Any(BTreeSet::from([feature.name.clone()]))
    }

    /// When type `id` is compiled: with any feature whose operations reach it, or always.
    pub fn when_type(&self, id: TypeId) -> When {
        self.of_type.get(&id).cloned().unwrap_or(When::Always)
    }
}

/// A tag's name as a feature: kebab-case ASCII (other characters separate words), starting with
/// a letter (`tag` when nothing is left of it, `tag-` before a leading digit), which Cargo and
/// crates.io both accept.
fn base_name(tag: &str) -> String {
    let ascii: String = tag.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let kebab = ascii.to_kebab_case();
    match kebab.chars().next() {
        None => "tag".into(),
        Some(c) if c.is_ascii_digit() => format!("tag-{kebab}"),
        Some(_) => kebab,
    }
}

/// `base`, or `base-2`, `base-3`, ... when it is taken; the name is taken from then on.
fn unique(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The Rust module for a feature: its name in snake_case, with `_` after a keyword. Feature
/// names have no `_`, so no two modules share a name.
fn module_name(feature: &str) -> String {
    let mut module = feature.replace('-', "_");
    if syn::parse_str::<syn::Ident>(&module).is_err() {
        module.push('_');
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(yaml_ops: &str) -> Api {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{yaml_ops}\ncomponents:\n  schemas:\n    \
             Shared: {{type: object, properties: {{a: {{type: string}}}}}}\n    \
             Unused: {{type: object, properties: {{s: {{$ref: '#/components/schemas/Shared'}}}}}}\n"
        );
        let (docs, _) = crate::load::Documents::from_text("t.yaml", &text).expect("loads");
        crate::lower::lower(&docs).expect("lowers").0
    }

    fn op(path: &str, tags: &str) -> String {
        format!(
            "  {path}:\n    get:\n      tags: {tags}\n      responses:\n        '200':\n          description: ok\n"
        )
    }

    #[test]
    fn tags_become_unique_valid_feature_names() {
        let ops: String = [
            op("/a", "[Jobs]"),
            op("/b", "[jobs, other]"),
            op("/c", "[full-serde]"),
            op("/d", "['Default']"),
            op("/e", "[]"),
            op("/f", "['2fa settings']"),
            op("/g", "['Über']"),
            op("/h", "['!!']"),
            op("/i", "[untagged]"),
            op("/j", "[type]"),
            op("/k", "[tracing, jobs]"),
        ]
        .concat();
        let api = api(&ops);
        let features = OpFeatures::new(&api, FeaturesBy::Tag);
        let names: Vec<(&str, Option<&str>, &str)> =
            features.all().iter().map(|f| (f.name.as_str(), f.tag.as_deref(), f.module.as_str())).collect();
        assert_eq!(
            names,
            vec![
                ("ber", Some("Über"), "ber"),
                ("default-2", Some("Default"), "default_2"),
                ("full-serde-2", Some("full-serde"), "full_serde_2"),
                ("jobs", Some("Jobs"), "jobs"),
                ("jobs-2", Some("jobs"), "jobs_2"),
                ("tag", Some("!!"), "tag"),
                ("tag-2fa-settings", Some("2fa settings"), "tag_2fa_settings"),
                ("tracing-2", Some("tracing"), "tracing_2"),
                ("type", Some("type"), "type_"),
                ("untagged", None, "untagged"),
                ("untagged-2", Some("untagged"), "untagged_2"),
            ]
        );
        let jobs = features.all().iter().find(|f| f.name == "jobs-2").expect("jobs-2");
        assert_eq!(jobs.operations.len(), 1, "the first tag groups an operation");
        assert_eq!(features.of_operation(jobs.operations[0]).name, "jobs-2");
    }

    #[test]
    fn types_are_compiled_with_the_features_whose_operations_reach_them() {
        let ops = "  /a:\n    post:\n      tags: [a]\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {x: {$ref: '#/components/schemas/Sent'}}}\n      responses:\n        '204': {description: ok}\n  /b:\n    get:\n      tags: [b]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Sent'}\n";
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{ops}components:\n  schemas:\n    \
             Sent: {{type: object, properties: {{a: {{type: string}}}}}}\n    \
             Alone: {{type: object, properties: {{b: {{type: string}}}}}}\n"
        );
        let (docs, _) = crate::load::Documents::from_text("t.yaml", &text).expect("loads");
        let api = crate::lower::lower(&docs).expect("lowers").0;
        let features = OpFeatures::new(&api, FeaturesBy::Tag);
        let named = |n: &str| api.types.iter().find(|(_, e)| e.name.as_deref() == Some(n)).expect(n).0;
        let any = |names: &[&str]| When::Any(names.iter().map(|n| n.to_string()).collect());
        assert_eq!(features.when_type(named("Sent")), any(&["a", "b"]));
        assert_eq!(features.when_type(named("Alone")), When::Always);
        let body = api.operations.iter().find_map(|op| op.body.as_ref()).expect("a body").ty;
        assert_eq!(features.when_type(body), any(&["a"]));
    }
}
