//! Schemas: Swagger's Schema Objects (definitions, bodies, responses) and the simpler types of
//! other parameters, headers and their `items`.

use super::build::{Obj, Place, array, boolean, string};
use super::{Converter, Role};
use crate::load::{Node, Value};

/// Keys of a Schema Object whose values are maps of schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties"];

/// Keys of a Schema Object whose values are lists of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];

/// Keys of a parameter, header or items object that describe its value (its `schema` in
/// OpenAPI 3); `items` and `default` are converted on their own.
const SIMPLE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
];

/// Whether `key` of a parameter or header belongs to its value's schema.
pub(super) fn is_simple_keyword(key: &str) -> bool {
    SIMPLE_KEYWORDS.contains(&key) || matches!(key, "items" | "default" | "x-nullable" | "collectionFormat")
}

impl<'d> Converter<'d> {
    /// A Schema Object: `x-nullable` → `nullable`, `type: file` → a binary string, a string
    /// `discriminator` → `{propertyName}`, `$ref`s rewritten; the same for every subschema.
    pub(super) fn schema(&mut self, at: &Place<'d>) -> Node {
        if at.node.as_object().is_none() {
            // Booleans (JSON Schema) and mistakes alike: lowering judges them.
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            match key {
                "$ref" => out.put(key, key_span, self.reference(&child, Role::Schema)),
                "x-nullable" => self.nullable(at, &child, key_span, &mut out),
                "type" if child.node.as_str() == Some("file") => file_type(at, &child, key_span, &mut out),
                "discriminator" => {
                    let node = match child.node.as_str() {
                        Some(name) => {
                            let mut d = Obj::new(child.span());
                            d.put("propertyName", child.span(), string(child.span(), name));
                            d.node()
                        }
                        None => child.node.clone(),
                    };
                    out.put(key, key_span, node);
                }
                k if SCHEMA_MAPS.contains(&k) && child.node.as_object().is_some() => {
                    let mut map = Obj::new(child.span());
                    for (name, name_span, s) in child.members() {
                        map.put(name, name_span, self.schema(&s));
                    }
                    out.put(key, key_span, map.node());
                }
                k if SCHEMA_LISTS.contains(&k) || (k == "items" && child.node.as_array().is_some()) => {
                    let items = child.items().iter().map(|s| self.schema(s)).collect();
                    out.put(key, key_span, array(child.span(), items));
                }
                "items" | "additionalProperties" | "not" => out.put(key, key_span, self.schema(&child)),
                _ => out.put(key, key_span, child.node.clone()),
            }
        }
        out.node()
    }

    /// `x-nullable: true` → `nullable: true` (unless `nullable` is written too).
    fn nullable(&mut self, at: &Place<'d>, flag: &Place<'d>, key_span: crate::diag::Span, out: &mut Obj) {
        match flag.node.as_bool() {
            Some(b) if !at.has("nullable") => out.put("nullable", key_span, boolean(flag.span(), b)),
            Some(_) => {}
            None => self
                .warn(flag, format!("`x-nullable` must be a boolean, found {}; it is ignored", flag.node.type_name())),
        }
    }

    /// The schema of a non-body parameter, a header or their `items` (`at`): its type keywords,
    /// `items` and `default`, with `x-nullable` as `nullable`. `nested` is set for `items`.
    pub(super) fn simple_schema(&mut self, at: &Place<'d>, nested: bool) -> Node {
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            match key {
                "type" if child.node.as_str() == Some("file") => file_type(at, &child, key_span, &mut out),
                "items" if child.has("$ref") => out.put(key, key_span, self.schema(&child)),
                "items" if child.node.as_object().is_some() => out.put(key, key_span, self.simple_schema(&child, true)),
                "default" => out.put(key, key_span, self.array_default(at, &child)),
                "x-nullable" => self.nullable(at, &child, key_span, &mut out),
                "collectionFormat" if nested && at.str("type") == Some("array") => self.warn(
                    &child,
                    "`collectionFormat` of nested `items` has no OpenAPI 3 equivalent; the inner arrays are sent \
                     as the client encodes arrays",
                ),
                k if SIMPLE_KEYWORDS.contains(&k) || k == "items" => out.put(key, key_span, child.node.clone()),
                _ => {}
            }
        }
        out.node()
    }

    /// A parameter's `default`. Swagger documents often give an array parameter's default in
    /// its wire form (`default: available`, `default: "a,b"`): that becomes the array it means.
    fn array_default(&mut self, at: &Place<'d>, default: &Place<'d>) -> Node {
        if at.str("type") != Some("array") {
            return default.node.clone();
        }
        let span = default.span();
        let item_type = at.child("items").and_then(|i| i.str("type").map(str::to_owned));
        let item = |text: &str| -> Node {
            let value = match item_type.as_deref() {
                Some("integer") => text.trim().parse::<i64>().map(Value::Int).ok(),
                Some("number") => text.trim().parse::<f64>().map(Value::Float).ok(),
                Some("boolean") => text.trim().parse::<bool>().map(Value::Bool).ok(),
                _ => None,
            };
            Node::new(span, value.unwrap_or_else(|| Value::String(text.to_string())))
        };
        match &default.node.value {
            Value::Array(_) => default.node.clone(),
            Value::String(s) if s.is_empty() => array(span, Vec::new()),
            Value::String(s) => {
                let items = match delimiter(at.str("collectionFormat")) {
                    Some(d) => s.split(d).map(item).collect(),
                    None => vec![item(s)],
                };
                array(span, items)
            }
            _ => array(span, vec![default.node.clone()]),
        }
    }
}

/// `type: file` → `type: string` and, unless written, `format: binary`.
fn file_type(at: &Place<'_>, file: &Place<'_>, key_span: crate::diag::Span, out: &mut Obj) {
    out.put("type", key_span, string(file.span(), "string"));
    if !at.has("format") {
        out.put("format", key_span, string(file.span(), "binary"));
    }
}

/// What separates the values of a `collectionFormat` in one string; `None` for `multi`, whose
/// values each have a field of their own.
pub(super) fn delimiter(collection_format: Option<&str>) -> Option<char> {
    match collection_format {
        Some("ssv") => Some(' '),
        Some("tsv") => Some('\t'),
        Some("pipes") => Some('|'),
        Some("multi") => None,
        _ => Some(','),
    }
}
