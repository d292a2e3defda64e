//! `oneOf` / `anyOf` to unions: their variants and names, and the tags a `discriminator`
//! gives them. Unions without one are settled later (`dispatch.rs`), once their variants'
//! types are complete.

use super::names::{self, Namespace};
use super::schema::{Lowered, NameSpec};
use super::{Cursor, Lowerer};
use crate::ir::{Docs, EnumRepr, EnumValue, Scalar, Tagging, TypeId, TypeKind, UnionType, UnionVariant};
use crate::load::Value;

/// Keywords that only validate; a `oneOf` made only of them constrains, it does not type.
const VALIDATION_ONLY: &[&str] =
    &["required", "description", "title", "not", "minProperties", "maxProperties", "dependentRequired"];

/// One alternative of a union before it is a variant: its name, type and documentation.
pub(super) struct Part {
    /// The variant's name, before it is made unique.
    pub name: String,
    /// The payload type.
    pub ty: TypeId,
    /// The variant's documentation.
    pub docs: Docs,
}

impl<'a> Lowerer<'a> {
    /// Lower `oneOf`/`anyOf` at `c` if it defines alternatives; `None` if there is none or it
    /// only lists validation rules (then the rest of the schema gives the type).
    pub(super) fn union_if_any(&mut self, c: &Cursor<'a>, name: &NameSpec) -> Option<Lowered> {
        let list = c.child("oneOf").or_else(|| c.child("anyOf"))?;
        if list.node.as_array().is_none() {
            self.error(
                &list,
                format!("`{}` must be an array of schemas, found {}", list.last_token(), list.node.type_name()),
            );
            return None;
        }
        let items = list.items();
        let validation_only = |i: &Cursor<'a>| {
            i.object().is_some_and(|o| o.iter().all(|(k, _)| VALIDATION_ONLY.contains(&k) || k.starts_with("x-")))
        };
        if items.iter().all(validation_only) {
            return None;
        }
        if c.has("properties") {
            self.warn(
                &list,
                "`properties` beside `oneOf`/`anyOf` cannot be combined into one Rust type; the alternatives are ignored",
            );
            return None;
        }
        let mut nullable = false;
        let mut rest = Vec::new();
        for item in items {
            if self.is_null_schema(&item) {
                nullable = true;
            } else {
                rest.push(item);
            }
        }
        if rest.is_empty() {
            return Some(Lowered { ty: self.scalar(Scalar::Unit), nullable: true });
        }
        if rest.len() == 1 {
            let only = &rest[0];
            let mut l = if only.has("$ref") { self.schema(only, name.base()) } else { self.inline(only, name.clone()) };
            l.nullable |= nullable;
            return Some(l);
        }
        let parts: Vec<(String, TypeId, Cursor<'a>)> = rest
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let base = self.variant_base_name(v, i, &rest);
                let ty = self.schema_with_null(v, &format!("{}{base}", name.base()));
                (base, ty, v.clone())
            })
            .collect();
        let mut parts = parts;
        let short = shorten_variant_names(&parts.iter().map(|p| p.0.clone()).collect::<Vec<_>>());
        for (part, name) in parts.iter_mut().zip(short) {
            part.0 = name;
        }
        let mut l = match c.child("discriminator") {
            Some(d) => self.discriminated(c, &d, parts, name.clone()),
            None => self.untagged_of(c, parts.into_iter().map(|(n, t, v)| part(n, t, &v)).collect(), name.clone()),
        };
        l.nullable |= nullable;
        Some(l)
    }

    fn is_null_schema(&mut self, c: &Cursor<'a>) -> bool {
        let target = if c.has("$ref") { self.deref(c) } else { Some(c.clone()) };
        let Some(t) = target else { return false };
        t.str("type") == Some("null")
            || t.child("enum").is_some_and(|e| e.items().iter().all(|i| matches!(i.node.value, Value::Null)))
    }

    /// A name for the variant from what the schema says before it is lowered.
    fn variant_base_name(&mut self, v: &Cursor<'a>, index: usize, all: &[Cursor<'a>]) -> String {
        if v.has("$ref") {
            if let Some(t) = self.deref(v) {
                if let Some(name) = self.component_names.get(&(t.file, t.pointer.clone())) {
                    return name.clone();
                }
                if let Some(n) = names::camel(&t.last_token(), "V").filter(|n| n.parse::<u64>().is_err()) {
                    return n;
                }
            }
        }
        if let Some(title) = v.str("title").and_then(|t| names::camel(t, "V")) {
            return title;
        }
        // A required key no other variant requires names the variant well (`vcs`, `external`).
        let required = |c: &Cursor<'a>| -> Vec<String> {
            c.child("required")
                .map(|r| r.items().iter().filter_map(|i| i.node.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        let mine = required(v);
        let others: Vec<String> =
            all.iter().enumerate().filter(|(j, _)| *j != index).flat_map(|(_, c)| required(c)).collect();
        if let Some(unique) = mine.iter().find(|k| !others.contains(k)).and_then(|k| names::camel(k, "V")) {
            return unique;
        }
        if let Some(k) = v
            .child("const")
            .or_else(|| v.child("enum").filter(|e| e.items().len() == 1).and_then(|e| e.items().into_iter().next()))
        {
            if let Some(n) = k.node.as_str().and_then(|s| names::camel(s, "V")) {
                return n;
            }
        }
        match v.str("type") {
            Some("string") => "String".into(),
            Some("integer") => "Integer".into(),
            Some("number") => "Number".into(),
            Some("boolean") => "Bool".into(),
            Some("array") => "Array".into(),
            Some("object") => "Object".into(),
            _ => format!("Variant{index}"),
        }
    }

    /// A union with a `discriminator`.
    fn discriminated(
        &mut self,
        c: &Cursor<'a>,
        d: &Cursor<'a>,
        parts: Vec<(String, TypeId, Cursor<'a>)>,
        name: NameSpec,
    ) -> Lowered {
        let Some(property) = d.str("propertyName").map(str::to_owned) else {
            self.error(d, "`discriminator` needs a `propertyName`");
            return self.untagged_of(c, parts.into_iter().map(|(n, t, v)| part(n, t, &v)).collect(), name);
        };
        // mapping: tag value -> target location
        let mut mapping: Vec<(String, (crate::load::FileId, String))> = Vec::new();
        if let Some(m) = d.child("mapping") {
            for (value, target) in m.members() {
                let Some(reference) = target.node.as_str() else { continue };
                // A mapping value is a reference or a bare schema name.
                let reference = if reference.contains('#') || reference.contains('/') || reference.contains('.') {
                    reference.to_string()
                } else {
                    format!("#/components/schemas/{reference}")
                };
                match self.docs.resolve(target.file, &reference) {
                    Ok(t) => mapping.push((value.to_string(), (t.file, t.pointer))),
                    Err(msg) => self.error(&target, msg),
                }
            }
        }
        let mut tags = Vec::new();
        for (base, ty, v) in &parts {
            let location = if v.has("$ref") { self.deref(v).map(|t| (t.file, t.pointer)) } else { None };
            let mut values: Vec<String> = mapping
                .iter()
                .filter(|(_, loc)| Some(loc) == location.as_ref())
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                values = self.single_value_of(*ty, &property).into_iter().collect();
            }
            if values.is_empty() {
                if let Some((_, pointer)) = &location {
                    // Without a mapping, the tag is the schema's name.
                    values.push(pointer.rsplit('/').next().unwrap_or(base).replace("~1", "/").replace("~0", "~"));
                }
            }
            if values.is_empty() {
                self.warn(v, format!("cannot tell which `{property}` value selects this variant; using `{base}`"));
                values.push(base.clone());
            }
            tags.push(values);
        }
        // A value two variants claim can select only one of them when reading: the first.
        for later in 1..tags.len() {
            for value in &tags[later] {
                if let Some(first) = (0..later).find(|&earlier| tags[earlier].contains(value)) {
                    let (a, b) = (&parts[first].0, &parts[later].0);
                    self.warn(
                        d,
                        format!("`{property}` value `{value}` selects both `{a}` and `{b}`; reading it gives `{a}`"),
                    );
                }
            }
        }
        self.tagged(c, property, parts, tags, name)
    }

    /// The single string value a struct's property can take, if it is fixed (`const` or a
    /// one-value enum).
    fn single_value_of(&self, ty: TypeId, property: &str) -> Option<String> {
        let TypeKind::Struct(s) = self.types.kind(ty) else { return None };
        let f = s.fields.iter().find(|f| f.wire_name == property)?;
        match self.types.kind(f.ty) {
            TypeKind::Enum(e) if e.variants.len() == 1 && e.repr == EnumRepr::String => match &e.variants[0].value {
                EnumValue::String(s) => Some(s.clone()),
                EnumValue::Integer(_) => None,
            },
            _ => None,
        }
    }

    fn tagged(
        &mut self,
        c: &Cursor<'a>,
        property: String,
        parts: Vec<(String, TypeId, Cursor<'a>)>,
        tags: Vec<Vec<String>>,
        name: NameSpec,
    ) -> Lowered {
        let mut variant_names = Namespace::camel();
        let variants = parts
            .into_iter()
            .zip(tags)
            .map(|((base, ty, v), tag_values)| UnionVariant {
                tag_values,
                ..variant(&mut variant_names, part(base, ty, &v))
            })
            .collect();
        let unknown_variant = Some(names::unknown_variant(&mut variant_names));
        let tagging = Tagging::Internal { property, when_absent: Vec::new() };
        let kind = TypeKind::Union(UnionType { tagging, variants, unknown_variant });
        Lowered { ty: self.named(c, kind, name), nullable: false }
    }

    /// An untagged union of `parts`, in schema order until its dispatch is settled (see
    /// `dispatch.rs`): tagged or keyed if its variants allow, else ordered so that more specific
    /// variants are tried first.
    pub(super) fn untagged_of(&mut self, c: &Cursor<'a>, parts: Vec<Part>, name: NameSpec) -> Lowered {
        let mut variant_names = Namespace::camel();
        let variants = parts.into_iter().map(|p| variant(&mut variant_names, p)).collect();
        let unknown_variant = Some(names::unknown_variant(&mut variant_names));
        let kind = TypeKind::Union(UnionType { tagging: Tagging::Untagged, variants, unknown_variant });
        let ty = self.named(c, kind, name);
        self.unsettled_unions.push((ty, c.clone()));
        Lowered { ty, nullable: false }
    }
}

/// A part of a union written in the document at `v`: documented by its `description`.
fn part(name: String, ty: TypeId, v: &Cursor<'_>) -> Part {
    Part { name, ty, docs: Docs { description: v.str("description").map(str::to_owned), ..Docs::default() } }
}

/// The variant of `part`, its name made unique among `names`.
fn variant(names: &mut Namespace, part: Part) -> UnionVariant {
    UnionVariant {
        name: names.unique(&part.name),
        ty: part.ty,
        tag_values: Vec::new(),
        docs: part.docs,
        boxed: false,
        lenient: true,
    }
}

/// Variant names without the words every variant shares: `JobRunInternalOverride` and
/// `JobRunExternalOverride` become `Internal` and `External`, as the enum already says the rest.
/// Names stay as they are when shortening would leave one empty, starting with a digit, or
/// equal to another.
fn shorten_variant_names(names: &[String]) -> Vec<String> {
    let words: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    if words.len() < 2 {
        return names.to_vec();
    }
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let common = |from_end: bool| {
        (0..shortest)
            .take_while(|&i| {
                let at = |w: &[&str]| if from_end { w[w.len() - 1 - i].to_owned() } else { w[i].to_owned() };
                words.iter().all(|w| at(w) == at(&words[0]))
            })
            .count()
    };
    let (prefix, suffix) = (common(false), common(true));
    for (p, s) in [(prefix, suffix), (prefix, 0), (0, suffix)] {
        if p + s == 0 || p + s >= shortest {
            continue;
        }
        let candidates: Vec<String> = words.iter().map(|w| w[p..w.len() - s].concat()).collect();
        let valid = candidates.iter().all(|c| c.starts_with(|ch: char| ch.is_ascii_uppercase()));
        let distinct = candidates.iter().collect::<std::collections::HashSet<_>>().len() == candidates.len();
        if valid && distinct {
            return candidates;
        }
    }
    names.to_vec()
}

/// A CamelCase name split before each upper-case letter (`JobRunV2` → `Job`, `Run`, `V2`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn variant_names_drop_the_words_all_variants_share() {
        let names = |v: &[&str]| super::shorten_variant_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(names(&["JobRunInternalOverride", "JobRunExternalOverride"]), ["Internal", "External"]);
        assert_eq!(
            names(&["VcsDeployment", "ExternalDeployment", "InternalDeployment"]),
            ["Vcs", "External", "Internal"]
        );
        assert_eq!(names(&["DockerfileBuildSettings", "BuildpackBuildSettings"]), ["Dockerfile", "Buildpack"]);
        // Nothing shared, a name that would vanish, or one that would start with a digit: as is.
        assert_eq!(names(&["Cat", "Dog"]), ["Cat", "Dog"]);
        assert_eq!(names(&["Pet", "PetOwner"]), ["Pet", "PetOwner"]);
        assert_eq!(names(&["ApiV1", "Api2"]), ["ApiV1", "Api2"]);
        assert_eq!(names(&["Single"]), ["Single"]);
    }
}
