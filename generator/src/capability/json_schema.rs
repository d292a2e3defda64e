//! JSON Schema (2020-12) for the values a tool takes, written from the IR's types: what the
//! typed client accepts is what the schema describes. Structs and unions go to `$defs` (they
//! may refer to themselves); everything else is written inline.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{
    Additional, Constraints, Docs, EnumRepr, EnumValue, IntKind, Number, Scalar, Tagging, TypeArena, TypeId, TypeKind,
};

/// Writes schemas for types of one arena, collecting the named ones as `$defs`.
pub struct SchemaWriter<'a> {
    types: &'a TypeArena,
    defs: BTreeMap<String, Value>,
}

/// The text of `docs` as one description.
pub fn description(docs: &Docs) -> Option<String> {
    let parts: Vec<&str> =
        [docs.title.as_deref(), docs.description.as_deref()].into_iter().flatten().map(str::trim).collect();
    let text = parts.join("\n\n");
    (!text.is_empty()).then_some(text)
}

fn number(n: Number) -> Value {
    match n {
        Number::Int(i) => json!(i),
        Number::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
    }
}

impl<'a> SchemaWriter<'a> {
    /// A writer for types of `types`.
    pub fn new(types: &'a TypeArena) -> Self {
        SchemaWriter { types, defs: BTreeMap::new() }
    }

    /// The `$defs` written so far, by name.
    pub fn into_defs(self) -> BTreeMap<String, Value> {
        self.defs
    }

    /// The schema of `ty`: inline, or a `$ref` into `$defs` for structs and unions.
    pub fn schema(&mut self, ty: TypeId) -> Value {
        let entry = self.types.get(ty);
        match &entry.kind {
            TypeKind::Struct(_) | TypeKind::Union(_) => {
                let name = entry.name.clone().unwrap_or_else(|| format!("Type{}", ty.0));
                if !self.defs.contains_key(&name) {
                    // Reserved first: a type that contains itself refers to its own entry.
                    self.defs.insert(name.clone(), Value::Null);
                    let mut schema = self.body(ty);
                    if let (Some(text), Value::Object(map)) = (description(&entry.docs), &mut schema) {
                        map.insert("description".into(), json!(text));
                    }
                    self.defs.insert(name.clone(), schema);
                }
                json!({ "$ref": format!("#/$defs/{name}") })
            }
            _ => self.body(ty),
        }
    }

    /// The schema of `ty` itself, never a `$ref` to it.
    fn body(&mut self, ty: TypeId) -> Value {
        match &self.types.get(ty).kind {
            TypeKind::Placeholder | TypeKind::Scalar(Scalar::Json) => json!({}),
            TypeKind::Scalar(s) => scalar(*s),
            TypeKind::Alias(target) => self.schema(*target),
            TypeKind::Array(item) => json!({ "type": "array", "items": self.schema(*item) }),
            TypeKind::Map { key, value } => {
                let mut map = Map::new();
                map.insert("type".into(), json!("object"));
                map.insert("additionalProperties".into(), self.schema(*value));
                if let Some(key) = key {
                    map.insert("propertyNames".into(), self.schema(*key));
                }
                Value::Object(map)
            }
            TypeKind::Nullable(inner) => json!({ "anyOf": [self.schema(*inner), { "type": "null" }] }),
            TypeKind::Struct(s) => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for field in &s.fields {
                    let mut schema = self.schema(field.ty);
                    if field.nullable {
                        schema = json!({ "anyOf": [schema, { "type": "null" }] });
                    }
                    if let Value::Object(map) = &mut schema {
                        if let Some(text) = description(&field.docs) {
                            map.insert("description".into(), json!(text));
                        }
                        if let Some(default) = &field.default {
                            map.insert("default".into(), default.clone());
                        }
                        if field.read_only {
                            map.insert("readOnly".into(), json!(true));
                        }
                    }
                    properties.insert(field.wire_name.clone(), schema);
                    if field.required {
                        required.push(json!(field.wire_name));
                    }
                }
                let mut map = Map::new();
                map.insert("type".into(), json!("object"));
                map.insert("properties".into(), Value::Object(properties));
                if !required.is_empty() {
                    map.insert("required".into(), Value::Array(required));
                }
                match &s.additional {
                    Additional::Ignore => {}
                    Additional::Deny => {
                        map.insert("additionalProperties".into(), json!(false));
                    }
                    Additional::Map(value) => {
                        let value = self.schema(*value);
                        map.insert("additionalProperties".into(), value);
                    }
                }
                Value::Object(map)
            }
            TypeKind::Enum(e) => {
                let values: Vec<Value> = e
                    .variants
                    .iter()
                    .map(|v| match &v.value {
                        EnumValue::String(s) => json!(s),
                        EnumValue::Integer(i) => json!(i),
                    })
                    .collect();
                let kind = match e.repr {
                    EnumRepr::String => "string",
                    EnumRepr::Integer => "integer",
                };
                json!({ "type": kind, "enum": values })
            }
            TypeKind::Union(u) => {
                let variants: Vec<Value> = u.variants.iter().map(|v| self.schema(v.ty)).collect();
                // Untagged unions take the first variant that fits; tagged ones exactly one.
                let keyword = if matches!(u.tagging, Tagging::Untagged) { "anyOf" } else { "oneOf" };
                json!({ keyword: variants })
            }
            TypeKind::Newtype(n) => {
                let mut schema = self.schema(n.inner);
                if let Value::Object(map) = &mut schema {
                    constrain(map, &n.constraints);
                }
                schema
            }
        }
    }
}

fn scalar(s: Scalar) -> Value {
    match s {
        Scalar::String => json!({ "type": "string" }),
        Scalar::Bool => json!({ "type": "boolean" }),
        Scalar::Int(kind) => {
            let (min, max): (Option<i64>, Option<u64>) = match kind {
                IntKind::I8 => (Some(i8::MIN.into()), Some(i8::MAX as u64)),
                IntKind::I16 => (Some(i16::MIN.into()), Some(i16::MAX as u64)),
                IntKind::I32 => (Some(i32::MIN.into()), Some(i32::MAX as u64)),
                IntKind::I64 => (None, None),
                IntKind::U8 => (Some(0), Some(u8::MAX.into())),
                IntKind::U16 => (Some(0), Some(u16::MAX.into())),
                IntKind::U32 => (Some(0), Some(u32::MAX.into())),
                IntKind::U64 => (Some(0), None),
            };
            let mut map = Map::new();
            map.insert("type".into(), json!("integer"));
            if let Some(min) = min {
                map.insert("minimum".into(), json!(min));
            }
            if let Some(max) = max {
                map.insert("maximum".into(), json!(max));
            }
            Value::Object(map)
        }
        Scalar::F32 | Scalar::F64 => json!({ "type": "number" }),
        Scalar::DateTime => json!({ "type": "string", "format": "date-time" }),
        Scalar::Date => json!({ "type": "string", "format": "date" }),
        Scalar::Uuid => json!({ "type": "string", "format": "uuid" }),
        Scalar::Base64 => json!({ "type": "string", "contentEncoding": "base64" }),
        Scalar::Bytes => json!({ "type": "string", "contentMediaType": "application/octet-stream" }),
        Scalar::Json => json!({}),
        Scalar::Unit => json!({ "type": "object", "additionalProperties": false }),
    }
}

/// Add the constraints of a validated scalar, replacing the width bounds of its integer type
/// where the schema gives its own.
fn constrain(map: &mut Map<String, Value>, c: &Constraints) {
    if let Some(p) = &c.pattern {
        map.insert("pattern".into(), json!(p));
    }
    if let Some(n) = c.min_length {
        map.insert("minLength".into(), json!(n));
    }
    if let Some(n) = c.max_length {
        map.insert("maxLength".into(), json!(n));
    }
    if let Some(n) = c.minimum {
        let key = if c.exclusive_minimum { "exclusiveMinimum" } else { "minimum" };
        map.remove("minimum");
        map.insert(key.into(), number(n));
    }
    if let Some(n) = c.maximum {
        let key = if c.exclusive_maximum { "exclusiveMaximum" } else { "maximum" };
        map.remove("maximum");
        map.insert(key.into(), number(n));
    }
    if let Some(n) = c.multiple_of {
        map.insert("multipleOf".into(), number(n));
    }
}

/// The JSON type (`string`, `integer`, `number`, `boolean`, `object`, `array`) values of `ty`
/// have, when they have exactly one.
pub fn json_type(types: &TypeArena, ty: TypeId) -> Option<&'static str> {
    match types.kind(ty) {
        TypeKind::Scalar(s) => match s {
            Scalar::String | Scalar::DateTime | Scalar::Date | Scalar::Uuid | Scalar::Base64 | Scalar::Bytes => {
                Some("string")
            }
            Scalar::Bool => Some("boolean"),
            Scalar::Int(_) => Some("integer"),
            Scalar::F32 | Scalar::F64 => Some("number"),
            Scalar::Unit => Some("object"),
            Scalar::Json => None,
        },
        TypeKind::Array(_) => Some("array"),
        TypeKind::Map { .. } | TypeKind::Struct(_) => Some("object"),
        TypeKind::Nullable(inner) | TypeKind::Newtype(crate::ir::NewtypeType { inner, .. }) => json_type(types, *inner),
        TypeKind::Enum(e) => Some(match e.repr {
            EnumRepr::String => "string",
            EnumRepr::Integer => "integer",
        }),
        TypeKind::Union(_) | TypeKind::Placeholder | TypeKind::Alias(_) => None,
    }
}

/// Whether `{}` is a value of `ty`: an object none of whose properties is required (so a body
/// the API requires can be sent empty when the capability does not bind it).
pub fn accepts_empty_object(types: &TypeArena, ty: TypeId) -> bool {
    match types.kind(ty) {
        TypeKind::Struct(s) => s.fields.iter().all(|f| !f.required),
        TypeKind::Map { .. } | TypeKind::Scalar(Scalar::Json) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, NewtypeType, StructType, TypeEntry};

    fn add(types: &mut TypeArena, name: Option<&str>, kind: TypeKind) -> TypeId {
        types.add(TypeEntry { name: name.map(str::to_owned), docs: Docs::default(), kind, origin: None })
    }

    fn field(name: &str, ty: TypeId, required: bool) -> Field {
        Field {
            wire_name: name.into(),
            name: name.into(),
            ty,
            required,
            nullable: false,
            default: None,
            docs: Docs { description: Some(format!("The {name}.")), ..Docs::default() },
            read_only: false,
            write_only: false,
            sensitive: false,
            boxed: false,
        }
    }

    #[test]
    fn structs_go_to_defs_and_may_refer_to_themselves() {
        let mut types = TypeArena::new();
        let string = add(&mut types, None, TypeKind::Scalar(Scalar::String));
        let node = add(&mut types, Some("Node"), TypeKind::Placeholder);
        let children = add(&mut types, None, TypeKind::Array(node));
        types.get_mut(node).kind = TypeKind::Struct(StructType {
            fields: vec![field("name", string, true), field("children", children, false)],
            additional: Additional::Deny,
        });
        let mut w = SchemaWriter::new(&types);
        assert_eq!(w.schema(node), json!({"$ref": "#/$defs/Node"}));
        let defs = w.into_defs();
        assert_eq!(
            defs["Node"],
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "The name."},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}, "description": "The children."}
                },
                "required": ["name"],
                "additionalProperties": false
            })
        );
        assert!(!accepts_empty_object(&types, node));
    }

    #[test]
    fn constrained_integers_replace_their_width_bounds() {
        let mut types = TypeArena::new();
        let int = add(&mut types, None, TypeKind::Scalar(Scalar::Int(IntKind::U32)));
        let constraints =
            Constraints { minimum: Some(Number::Int(1)), maximum: Some(Number::Int(100)), ..Constraints::default() };
        let per_page = add(&mut types, Some("PerPage"), TypeKind::Newtype(NewtypeType { inner: int, constraints }));
        let mut w = SchemaWriter::new(&types);
        assert_eq!(w.schema(per_page), json!({"type": "integer", "minimum": 1, "maximum": 100}));
        assert_eq!(json_type(&types, per_page), Some("integer"));
    }
}
