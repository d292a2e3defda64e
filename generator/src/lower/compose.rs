//! `allOf` (and 3.1 `$ref` with sibling keywords): the parts merged into one struct.

use super::schema::{Lowered, NameSpec};
use super::{Cursor, Lowerer};
use crate::ir::Additional;
use crate::load::FileId;

/// Keys that make a schema more than an annotation.
const STRUCTURAL: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "patternProperties",
];

impl<'a> Lowerer<'a> {
    /// Merge the parts of `allOf` (plus a `$ref` and the schema's own properties) into one type.
    pub(super) fn compose(&mut self, c: &Cursor<'a>, name: NameSpec) -> Lowered {
        let mut parts: Vec<Cursor<'a>> = Vec::new();
        if c.has("$ref") {
            if let Some(t) = self.deref(c) {
                parts.push(t);
            }
        }
        if let Some(all) = c.child("allOf") {
            if all.node.as_array().is_none() {
                self.error(&all, format!("`allOf` must be an array of schemas, found {}", all.node.type_name()));
                return self.json();
            }
            for item in all.items() {
                parts.push(item);
            }
        }
        let own_structure = c.has("properties") || c.has("additionalProperties");
        let substantive: Vec<&Cursor<'a>> = parts.iter().filter(|p| is_structural(p)).collect();
        if substantive.is_empty() && !own_structure {
            return self.json();
        }
        if substantive.len() == 1 && !own_structure {
            // `allOf: [$ref]` with a description, the 3.0 way to annotate a reference.
            let only = substantive[0].clone();
            return if only.has("$ref") {
                self.schema(&only, name.base())
            } else if c.has("$ref") {
                self.at_location(&only)
            } else {
                self.inline(&only, name)
            };
        }
        // Flatten nested allOf and references into the list of object schemas to merge.
        let mut flat: Vec<Cursor<'a>> = Vec::new();
        let mut seen: Vec<(FileId, String)> = Vec::new();
        for p in parts {
            self.flatten(p, &mut flat, &mut seen, 0);
        }
        let mut merged: Vec<(String, Cursor<'a>)> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = Additional::Ignore;
        let own = std::iter::once(c.clone()).filter(|_| own_structure);
        for part in flat.into_iter().chain(own) {
            if part.has("oneOf") || part.has("anyOf") {
                self.warn(&part, "a `oneOf`/`anyOf` inside `allOf` cannot be merged into a struct and is ignored");
            }
            if let Some(t) = part.str("type").filter(|t| *t != "object") {
                self.warn(
                    &part,
                    format!("an `allOf` part of type `{t}` cannot be merged into a struct and is ignored"),
                );
                continue;
            }
            required.extend(self.required_list(&part));
            if let Some(ap) = part.child("additionalProperties") {
                if ap.node.as_object().is_some_and(|o| !o.is_empty()) {
                    additional = Additional::Map(self.schema_with_null(&ap, &format!("{}Value", name.base())));
                }
            }
            for (wire, prop) in part.child("properties").map(|p| p.members()).unwrap_or_default() {
                match merged.iter_mut().find(|(w, _)| w == wire) {
                    Some((_, existing)) => {
                        if !self.same_schema(existing, &prop) {
                            self.warn(
                                &prop,
                                format!("property `{wire}` is defined differently by two `allOf` parts; the later definition is used"),
                            );
                        }
                        *existing = prop;
                    }
                    None => merged.push((wire.to_string(), prop)),
                }
            }
        }
        self.struct_of(c, &merged, &required, additional, name)
    }

    fn flatten(&mut self, part: Cursor<'a>, out: &mut Vec<Cursor<'a>>, seen: &mut Vec<(FileId, String)>, depth: usize) {
        let Some(part) = (if part.has("$ref") { self.deref(&part) } else { Some(part) }) else { return };
        let key = (part.file, part.pointer.clone());
        if seen.contains(&key) || depth > 32 {
            return;
        }
        seen.push(key);
        if let Some(all) = part.child("allOf") {
            for item in all.items() {
                self.flatten(item, out, seen, depth + 1);
            }
        }
        out.push(part);
    }

    /// Whether two property schemas are the same, by location after references, or by text.
    fn same_schema(&mut self, a: &Cursor<'a>, b: &Cursor<'a>) -> bool {
        let ra = if a.has("$ref") { self.deref(a) } else { Some(a.clone()) };
        let rb = if b.has("$ref") { self.deref(b) } else { Some(b.clone()) };
        match (ra, rb) {
            (Some(x), Some(y)) => {
                (x.file == y.file && x.pointer == y.pointer)
                    || strip_docs(&x.node.to_json()) == strip_docs(&y.node.to_json())
            }
            _ => true,
        }
    }
}

fn is_structural(c: &Cursor<'_>) -> bool {
    c.object().is_some_and(|o| o.iter().any(|(k, _)| STRUCTURAL.contains(&k)))
}

/// A schema without its descriptions, for comparing shapes.
fn strip_docs(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "title" | "example" | "examples"))
                .map(|(k, v)| (k.clone(), strip_docs(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
