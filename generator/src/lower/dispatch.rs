//! How the value of a union without a `discriminator` finds its variant, settled once every
//! type is lowered (a variant may still be a placeholder when its union is made): by a
//! property whose values tell the variants apart, by a property only one variant has, or by
//! trying the variants in an order that puts the more specific first, with one warning for
//! those that overlap.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashSet};

use super::Lowerer;
use crate::ir::{
    EnumRepr, EnumValue, Scalar, StructType, Tagging, TypeArena, TypeId, TypeKind, UnionType, UnionVariant,
};

/// What the order and ambiguity checks need to know about a variant.
struct Shape {
    /// Lower ranks are tried first: the more specific a type, the lower its rank.
    rank: u8,
    required: BTreeSet<String>,
    properties: BTreeSet<String>,
    enum_values: BTreeSet<EnumValue>,
}

/// How deep [`takes`] looks into unions within unions.
const MAX_NESTING: usize = 8;

/// A property whose values tell a union's variants apart.
struct ByProperty {
    property: String,
    /// The values selecting each variant, in variant order.
    tags: Vec<Vec<String>>,
    /// Variants that do not require the property, in the order to try them when it is absent.
    when_absent: Vec<usize>,
}

impl Lowerer<'_> {
    /// Settle the dispatch of every union made untagged, warning once per union about
    /// variants that cannot be told apart.
    pub(super) fn settle_unions(&mut self) {
        let mut settled = HashSet::new();
        for (id, c) in std::mem::take(&mut self.unsettled_unions) {
            // A union made twice from identical parts is one type.
            if !settled.insert(id) {
                continue;
            }
            let TypeKind::Union(u) = &self.types.get(id).kind else { continue };
            let mut u = u.clone();
            if let Some(warning) = settle(&self.types, &mut u) {
                self.warn(&c, warning);
            }
            self.types.get_mut(id).kind = TypeKind::Union(u);
        }
    }
}

/// Settle how `u` is read; the warning about variants that overlap, if any do.
fn settle(types: &TypeArena, u: &mut UnionType) -> Option<String> {
    if let Some(by) = by_property(types, &u.variants) {
        for (v, tags) in u.variants.iter_mut().zip(by.tags) {
            v.tag_values = tags;
        }
        u.tagging = Tagging::Internal { property: by.property, when_absent: by.when_absent };
        return None;
    }
    let mut shaped: Vec<(UnionVariant, Shape)> = u
        .variants
        .drain(..)
        .map(|v| {
            let s = shape(types, v.ty);
            (v, s)
        })
        .collect();
    // Stable: equal ranks keep schema order; among objects, more required keys first (which
    // also decides between keys when an object has several).
    shaped.sort_by_key(|(_, s)| (s.rank, Reverse(s.required.len())));
    let (variants, shapes): (Vec<UnionVariant>, Vec<Shape>) = shaped.into_iter().unzip();
    u.variants = variants;
    if let Some(keys) = keys(types, &u.variants) {
        u.tagging = Tagging::Keyed { keys };
        return None;
    }
    lenient(types, &mut u.variants);
    let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    overlap_warning(&names, &shapes)
}

/// A value an untagged variant only tolerates belongs to another variant that takes it as its
/// own: an open enum keeps unlisted strings (integers) only when no other variant is a string
/// (a number), and a number (date) reads numeric strings (date-times) only when no other
/// variant is a string. `buildSHA: oneOf [40-character string, enum [latest]]` reads a SHA as
/// the string, not as an unlisted value of the enum.
fn lenient(types: &TypeArena, variants: &mut [UnionVariant]) {
    let strings: Vec<bool> = variants.iter().map(|v| takes(types, v.ty, Json::String, 0)).collect();
    let numbers: Vec<bool> = variants.iter().map(|v| takes(types, v.ty, Json::Number, 0)).collect();
    for (i, v) in variants.iter_mut().enumerate() {
        let rivals = match types.kind(v.ty) {
            TypeKind::Enum(e) if e.repr == EnumRepr::Integer => &numbers,
            _ => &strings,
        };
        v.lenient = !rivals.iter().enumerate().any(|(j, &takes)| takes && j != i);
    }
}

/// Kinds of JSON values a variant may take as its own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Json {
    String,
    Number,
}

/// Whether values of `ty` may be JSON values of kind `json`.
fn takes(types: &TypeArena, ty: TypeId, json: Json, depth: usize) -> bool {
    match types.kind(ty) {
        TypeKind::Scalar(Scalar::Json) => true,
        TypeKind::Scalar(Scalar::Int(_) | Scalar::F32 | Scalar::F64) => json == Json::Number,
        TypeKind::Scalar(Scalar::Bool | Scalar::Unit) => false,
        TypeKind::Scalar(_) => json == Json::String,
        TypeKind::Newtype(n) => takes(types, n.inner, json, depth),
        TypeKind::Enum(e) => (e.repr == EnumRepr::String) == (json == Json::String),
        TypeKind::Nullable(t) => takes(types, *t, json, depth),
        TypeKind::Union(u) => depth < MAX_NESTING && u.variants.iter().any(|v| takes(types, v.ty, json, depth + 1)),
        TypeKind::Array(_) | TypeKind::Map { .. } | TypeKind::Struct(_) => false,
        TypeKind::Placeholder | TypeKind::Alias(_) => false,
    }
}

/// The variants as structs, if all of them are.
fn structs<'t>(types: &'t TypeArena, variants: &[UnionVariant]) -> Option<Vec<&'t StructType>> {
    let structs: Vec<&StructType> = variants
        .iter()
        .map(|v| match types.kind(v.ty) {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        })
        .collect::<Option<_>>()?;
    (structs.len() >= 2).then_some(structs)
}

/// A property every variant has, each with its own values (a `const` or an `enum` of strings,
/// no value shared), that every variant requires or defaults to one of its values; the first
/// such property of the first variant, preferring one every variant requires.
fn by_property(types: &TypeArena, variants: &[UnionVariant]) -> Option<ByProperty> {
    let structs = structs(types, variants)?;
    let required_everywhere =
        |p: &str| structs.iter().all(|s| s.fields.iter().any(|f| f.wire_name == p && f.required && !f.nullable));
    let mut candidates: Vec<&str> = structs[0].fields.iter().map(|f| f.wire_name.as_str()).collect();
    candidates.sort_by_key(|p| !required_everywhere(p));
    candidates.into_iter().find_map(|p| tag_sets(types, &structs, p))
}

/// The values of `property` in each of `structs`, if they tell them apart.
fn tag_sets(types: &TypeArena, structs: &[&StructType], property: &str) -> Option<ByProperty> {
    let mut seen = BTreeSet::new();
    let mut tags = Vec::new();
    let mut when_absent = Vec::new();
    for (i, s) in structs.iter().enumerate() {
        let f = s.fields.iter().find(|f| f.wire_name == property)?;
        let TypeKind::Enum(e) = types.kind(f.ty) else { return None };
        let values: Vec<String> = e
            .variants
            .iter()
            .map(|v| match &v.value {
                EnumValue::String(s) if e.repr == EnumRepr::String => Some(s.clone()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let required = f.required && !f.nullable;
        let default = f.default.as_ref().and_then(|d| d.as_str());
        let defaulted = default.is_some_and(|d| values.iter().any(|v| v == d));
        if values.is_empty() || !(required || defaulted) || !values.iter().all(|v| seen.insert(v.clone())) {
            return None;
        }
        if !required {
            when_absent.push(i);
        }
        tags.push(values);
    }
    // Without the tag, the variant with more required properties is the more specific.
    when_absent.sort_by_key(|&i| Reverse(structs[i].fields.iter().filter(|f| f.required).count()));
    Some(ByProperty { property: property.to_owned(), tags, when_absent })
}

/// For a union of objects where every variant requires a property that no other variant has
/// (`vcs`, `external`, `internal`), those properties in variant order.
fn keys(types: &TypeArena, variants: &[UnionVariant]) -> Option<Vec<String>> {
    let structs = structs(types, variants)?;
    structs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let elsewhere = |wire: &str| {
                structs.iter().enumerate().any(|(j, o)| j != i && o.fields.iter().any(|f| f.wire_name == wire))
            };
            s.fields.iter().find(|f| f.required && !f.nullable && !elsewhere(&f.wire_name)).map(|f| f.wire_name.clone())
        })
        .collect()
}

fn shape(types: &TypeArena, ty: TypeId) -> Shape {
    let mut shape =
        Shape { rank: 12, required: BTreeSet::new(), properties: BTreeSet::new(), enum_values: BTreeSet::new() };
    let scalar_rank = |s: &Scalar| match s {
        Scalar::Unit => 0,
        Scalar::Bool => 1,
        Scalar::Int(_) => 3,
        Scalar::F32 | Scalar::F64 => 4,
        Scalar::DateTime | Scalar::Date | Scalar::Uuid => 6,
        Scalar::String | Scalar::Base64 | Scalar::Bytes => 8,
        Scalar::Json => 12,
    };
    shape.rank = match types.kind(ty) {
        TypeKind::Scalar(s) => scalar_rank(s),
        TypeKind::Newtype(n) => match types.kind(n.inner) {
            // Newtypes decode leniently, so a string newtype takes any string.
            TypeKind::Scalar(s) => scalar_rank(s),
            _ => 8,
        },
        TypeKind::Enum(e) => {
            shape.enum_values = e.variants.iter().map(|v| v.value.clone()).collect();
            if e.repr == EnumRepr::Integer { 2 } else { 5 }
        }
        TypeKind::Array(_) => 9,
        TypeKind::Struct(s) => {
            shape.required = s.fields.iter().filter(|f| f.required).map(|f| f.wire_name.clone()).collect();
            shape.properties = s.fields.iter().map(|f| f.wire_name.clone()).collect();
            if shape.required.is_empty() { 11 } else { 10 }
        }
        TypeKind::Map { .. } | TypeKind::Union(_) => 11,
        TypeKind::Nullable(_) => 0,
        TypeKind::Placeholder | TypeKind::Alias(_) => 11,
    };
    shape
}

/// Whether a value of one variant could also decode as the other, whichever comes first.
fn ambiguous(a: &Shape, b: &Shape) -> bool {
    let any_string = |r: u8| r == 8;
    match (a.rank, b.rank) {
        (2, 2) | (5, 5) => !a.enum_values.is_disjoint(&b.enum_values),
        (10 | 11, 10 | 11) => a.required.is_subset(&b.properties) && b.required.is_subset(&a.properties),
        (9, 9) => false,
        (x, y) if any_string(x) && any_string(y) => true,
        (x, y) => x == y && x != 9,
    }
}

/// One warning for all the variants (`names`, in the order they are tried) that overlap: each
/// group of variants linked by overlaps, named once.
fn overlap_warning(names: &[&str], shapes: &[Shape]) -> Option<String> {
    // Each variant's group, as the first variant of the group.
    let mut group: Vec<usize> = (0..names.len()).collect();
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            if ambiguous(&shapes[i], &shapes[j]) {
                let (gi, gj) = (group[i], group[j]);
                let (keep, gone) = (gi.min(gj), gi.max(gj));
                group.iter_mut().filter(|g| **g == gone).for_each(|g| *g = keep);
            }
        }
    }
    let groups: Vec<Vec<&str>> = (0..names.len())
        .filter(|&first| group[first] == first)
        .map(|first| (0..names.len()).filter(|&i| group[i] == first).map(|i| names[i]).collect::<Vec<_>>())
        .filter(|g| g.len() > 1)
        .collect();
    match groups.as_slice() {
        [] => None,
        [pair] if pair.len() == 2 => Some(format!(
            "variants {} cannot be told apart by their shape; a value that fits both is read as `{}`",
            listed(pair),
            pair[0]
        )),
        [group] => Some(format!(
            "variants {} cannot be told apart by their shape; a value that fits several is read as the first of them listed",
            listed(group)
        )),
        groups => Some(format!(
            "variants cannot be told apart by their shape in {} groups: {}; a value that fits several of a group is read as the first of them listed",
            groups.len(),
            groups.iter().map(|g| listed(g)).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// `` `A`, `B` and `C` ``.
fn listed(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Tagging, TypeKind};
    use crate::load::Documents;

    /// The API and warnings of a 3.1 document whose component schemas are `schemas` (JSON).
    fn lower(schemas: &str) -> (Api, Vec<String>) {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
                "components": {{"schemas": {schemas}}}}}"#
        );
        let (docs, _) = Documents::from_text("t.json", &text).expect("loads");
        let (api, diags) = super::super::lower(&docs).expect("lowers");
        (api, diags.iter().map(|d| d.message.clone()).collect())
    }

    fn union<'a>(api: &'a Api, name: &str) -> &'a crate::ir::UnionType {
        let id = api.types.iter().find(|(_, e)| e.name.as_deref() == Some(name)).map(|(id, _)| id).expect("named");
        match api.types.kind(id) {
            TypeKind::Union(u) => u,
            other => panic!("not a union: {other:?}"),
        }
    }

    #[test]
    fn variants_that_overlap_are_reported_once_per_union_by_group() {
        let object =
            |p: &str| format!(r#"{{"type": "object", "title": "{p}", "properties": {{"{p}": {{"type": "string"}}}}}}"#);
        let variants: Vec<String> = ["a", "b", "c"].iter().map(|p| object(p)).collect();
        let (_, warnings) = lower(&format!(
            r#"{{"U": {{"oneOf": [{}, {{"type": "string"}}, {{"type": "string", "format": "email"}}]}}}}"#,
            variants.join(", ")
        ));
        assert_eq!(
            warnings,
            ["variants cannot be told apart by their shape in 2 groups: `String` and `String2`; `A`, `B` and `C`; \
              a value that fits several of a group is read as the first of them listed"]
        );
    }

    #[test]
    fn a_property_with_disjoint_values_tags_the_union_even_when_defaulted() {
        let (api, warnings) = lower(
            r#"{"U": {"oneOf": [
                {"type": "object", "title": "Card", "properties": {
                    "type": {"type": "string", "enum": ["card", "scheme"], "default": "scheme"},
                    "number": {"type": "string"}}},
                {"type": "object", "title": "Ach", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": ["ach"]}}},
                {"type": "object", "title": "Wallet", "properties": {
                    "type": {"type": "string", "enum": ["applepay", "googlepay"], "default": "applepay"}}}
            ]}}"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let u = union(&api, "U");
        assert_eq!(u.tagging, Tagging::Internal { property: "type".into(), when_absent: vec![0, 2] });
        let tags: Vec<&[String]> = u.variants.iter().map(|v| v.tag_values.as_slice()).collect();
        assert_eq!(
            tags,
            [&["card".to_string(), "scheme".into()][..], &["ach".into()], &["applepay".into(), "googlepay".into()]]
        );
    }

    #[test]
    fn shared_values_or_an_optional_tag_without_default_do_not_tag() {
        let (api, _) = lower(
            r#"{"U": {"oneOf": [
                {"type": "object", "title": "A", "required": ["kind"], "properties": {"kind": {"enum": ["a", "b"]}}},
                {"type": "object", "title": "B", "required": ["kind"], "properties": {"kind": {"enum": ["b"]}}}
            ]}, "V": {"oneOf": [
                {"type": "object", "title": "A", "properties": {"kind": {"enum": ["a"]}}},
                {"type": "object", "title": "B", "required": ["kind"], "properties": {"kind": {"enum": ["b"]}}}
            ]}}"#,
        );
        assert_eq!(union(&api, "U").tagging, Tagging::Untagged);
        assert_eq!(union(&api, "V").tagging, Tagging::Untagged);
    }

    #[test]
    fn a_value_a_variant_only_tolerates_belongs_to_the_variant_that_takes_it() {
        let (api, _) = lower(
            r#"{"Sha": {"oneOf": [{"type": "string", "minLength": 40, "maxLength": 40}, {"type": "string", "enum": ["latest"]}]},
                "Count": {"oneOf": [{"type": "integer"}, {"type": "boolean"}]},
                "Metric": {"oneOf": [{"type": "number"}, {"type": "string"}]},
                "Level": {"oneOf": [{"type": "integer", "enum": [0, 1]}, {"type": "integer"}, {"type": "string", "enum": ["max"]}]}}"#,
        );
        let lenient = |name: &str| -> Vec<(String, bool)> {
            union(&api, name).variants.iter().map(|v| (v.name.clone(), v.lenient)).collect()
        };
        let pairs =
            |p: &[(&str, bool)]| -> Vec<(String, bool)> { p.iter().map(|(n, l)| (n.to_string(), *l)).collect() };
        assert_eq!(lenient("Sha"), pairs(&[("Latest", false), ("String", false)]));
        assert_eq!(lenient("Count"), pairs(&[("Bool", true), ("Integer", true)]));
        assert_eq!(lenient("Metric"), pairs(&[("Number", false), ("String", true)]));
        // The integer enum yields to the integer, the integer (numeric strings) to the string enum.
        assert_eq!(lenient("Level"), pairs(&[("Integer", false), ("Integer2", false), ("Max", true)]));
    }

    #[test]
    fn a_payments_union_of_58_methods_is_tagged_by_type_without_a_warning() {
        // As in the payments API that printed 851 warnings: each method's `type` is an enum of
        // its own values (one, or up to 30), required in most, optional with a default in some.
        let mut methods = Vec::new();
        let mut components = Vec::new();
        for i in 0..58 {
            let count = if i % 7 == 0 { 30 } else { 1 + i % 3 };
            let values: Vec<String> = (0..count).map(|j| format!(r#""m{i}v{j}""#)).collect();
            let defaulted = i % 5 == 0;
            let default = if defaulted { format!(r#", "default": "m{i}v0""#) } else { String::new() };
            let required = if defaulted { r#"["holder"]"# } else { r#"["type", "holder"]"# };
            components.push(format!(
                r#""Method{i}": {{"type": "object", "required": {required}, "properties": {{
                    "type": {{"type": "string", "enum": [{}]{default}}},
                    "holder": {{"type": "string"}}, "brand": {{"type": "string"}}}}}}"#,
                values.join(", ")
            ));
            methods.push(format!(r##"{{"$ref": "#/components/schemas/Method{i}"}}"##));
        }
        let (api, warnings) =
            lower(&format!(r#"{{"U": {{"oneOf": [{}]}}, {}}}"#, methods.join(", "), components.join(", ")));
        assert!(warnings.is_empty(), "{warnings:?}");
        let u = union(&api, "U");
        let Tagging::Internal { property, when_absent } = &u.tagging else { panic!("{:?}", u.tagging) };
        assert_eq!(property, "type");
        assert_eq!(when_absent.len(), 12, "the methods that default `type`");
        let listed: usize = (0..58).map(|i| if i % 7 == 0 { 30 } else { 1 + i % 3 }).sum();
        assert_eq!(u.variants.iter().map(|v| v.tag_values.len()).sum::<usize>(), listed);
    }

    #[test]
    fn many_variants_that_overlap_are_one_warning() {
        let variants: Vec<String> = (0..58)
            .map(|i| {
                format!(r#"{{"type": "object", "title": "M{i}", "properties": {{"p{i}": {{"type": "string"}}}}}}"#)
            })
            .collect();
        let (_, warnings) = lower(&format!(r#"{{"U": {{"oneOf": [{}]}}}}"#, variants.join(", ")));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("variants `M0`, `M1`, `M2`,"), "{}", warnings[0]);
    }
}
