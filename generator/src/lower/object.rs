//! Object schemas to structs and maps: properties, `required`, `additionalProperties`,
//! `propertyNames`, and the defaults and flags of each property.

use super::coerce::{JsonType, coerce, shown};
use super::names::{self, Namespace};
use super::schema::{Lowered, NameSpec, example_note};
use super::{Cursor, Lowerer};
use crate::ir::{Additional, Docs, EnumRepr, Field, IntKind, Scalar, StructType, TypeId, TypeKind};
use crate::load::{Node, Value};

impl<'a> Lowerer<'a> {
    pub(super) fn object(&mut self, c: &Cursor<'a>, name: NameSpec) -> Lowered {
        let props = c.child("properties").map(|p| p.members()).unwrap_or_default();
        let additional = self.additional(c, name.base());
        if props.is_empty() {
            let ty = match additional {
                Additional::Deny => self.named(
                    c,
                    TypeKind::Struct(StructType { fields: Vec::new(), additional: Additional::Deny }),
                    name,
                ),
                Additional::Map(value) => {
                    let key = self.property_names(c, name.base());
                    self.structural(TypeKind::Map { key, value })
                }
                Additional::Ignore => {
                    let value = self.json().ty;
                    self.structural(TypeKind::Map { key: None, value })
                }
            };
            return Lowered { ty, nullable: false };
        }
        let required = self.required_list(c);
        let props: Vec<(String, Cursor<'a>)> = props.into_iter().map(|(w, p)| (w.to_owned(), p)).collect();
        self.struct_of(c, &props, &required, additional, name)
    }

    /// A struct of `props` (wire name and schema, in order), the `required` ones without `Option`.
    pub(super) fn struct_of(
        &mut self,
        c: &Cursor<'a>,
        props: &[(String, Cursor<'a>)],
        required: &[String],
        additional: Additional,
        name: NameSpec,
    ) -> Lowered {
        let mut field_names = Namespace::snake();
        let fields = props
            .iter()
            .enumerate()
            .map(|(i, (wire, prop))| {
                let req = required.iter().any(|r| r == wire);
                self.field(name.base(), wire, prop, req, i, &mut field_names)
            })
            .collect();
        let kind = TypeKind::Struct(StructType { fields, additional });
        Lowered { ty: self.named(c, kind, name), nullable: false }
    }

    /// `required`, as a list of names.
    pub(super) fn required_list(&mut self, c: &Cursor<'a>) -> Vec<String> {
        let Some(r) = c.child("required") else { return Vec::new() };
        match r.node.as_array() {
            Some(items) => items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect(),
            None => {
                // Swagger-style `required: true` on a property schema: not an object's list.
                if r.node.as_bool().is_none() {
                    self.error(
                        &r,
                        format!("`required` must be an array of property names, found {}", r.node.type_name()),
                    );
                }
                Vec::new()
            }
        }
    }

    /// `additionalProperties` (and `patternProperties`) of an object schema.
    fn additional(&mut self, c: &Cursor<'a>, hint: &str) -> Additional {
        if let Some(pp) = c.child("patternProperties") {
            if let Some((_, first)) = pp.members().into_iter().next() {
                let value = self.schema_with_null(&first, &format!("{hint}Value"));
                return Additional::Map(value);
            }
        }
        match c.child("additionalProperties") {
            None => Additional::Ignore,
            Some(ap) => match ap.node.value {
                Value::Bool(false) => Additional::Deny,
                Value::Bool(true) => Additional::Ignore,
                Value::Object(ref o) if o.is_empty() => Additional::Ignore,
                _ => Additional::Map(self.schema_with_null(&ap, &format!("{hint}Value"))),
            },
        }
    }

    /// A constrained key type from `propertyNames`, if it constrains anything.
    fn property_names(&mut self, c: &Cursor<'a>, hint: &str) -> Option<TypeId> {
        let pn = c.child("propertyNames")?;
        let l = self.schema(&pn, &format!("{hint}Key"));
        match self.types.kind(l.ty) {
            TypeKind::Newtype(_) | TypeKind::Enum(_) => Some(l.ty),
            _ => None,
        }
    }

    /// One property of a struct.
    pub(super) fn field(
        &mut self,
        parent: &str,
        wire: &str,
        prop: &Cursor<'a>,
        required: bool,
        index: usize,
        names: &mut Namespace,
    ) -> Field {
        let base = names::snake(wire).unwrap_or_else(|| format!("field_{index}"));
        let name = names.unique(&base);
        let hint = format!("{parent}{}", names::camel(wire, "V").unwrap_or_else(|| format!("Field{index}")));
        let lowered = self.schema(prop, &hint);
        let target = if prop.has("$ref") { self.deref(prop) } else { Some(prop.clone()) };
        let flag =
            |key: &str| prop.bool(key) == Some(true) || target.as_ref().is_some_and(|t| t.bool(key) == Some(true));
        let read_only = flag("readOnly");
        let write_only = flag("writeOnly");
        let sensitive =
            flag("x-sensitive") || write_only || target.as_ref().is_some_and(|t| t.str("format") == Some("password"));
        let mut docs = Docs {
            title: prop.str("title").map(str::to_owned),
            description: prop.str("description").map(str::to_owned),
            notes: Vec::new(),
            deprecated: flag("deprecated"),
        };
        let default = prop.child("default").or_else(|| target.as_ref().and_then(|t| t.child("default")));
        let default = default.and_then(|d| self.checked_default(&d, lowered.ty));
        if let Some(d) = &default {
            docs.notes.push(format!("Defaults to `{d}`."));
        }
        docs.notes.extend(example_note(prop));
        Field {
            wire_name: wire.to_string(),
            name,
            ty: lowered.ty,
            // A read-only property is never sent and a write-only one never received, so
            // neither can be required of both directions.
            required: required && !read_only && !write_only,
            nullable: lowered.nullable,
            default,
            docs,
            read_only,
            write_only,
            sensitive,
            boxed: false,
        }
    }

    /// A default value, if its JSON type fits the field's type or it becomes one without loss
    /// (`"false"` for a boolean); left out with a warning otherwise, the field then optional.
    fn checked_default(&mut self, d: &Cursor<'a>, ty: TypeId) -> Option<serde_json::Value> {
        if matches!(d.node.value, Value::Null) {
            return None;
        }
        let Some(expected) = self.json_type_mismatch(d.node, ty) else { return Some(d.node.to_json()) };
        let (what, found) = (shown(&d.node.value), d.node.type_name());
        let article = if matches!(expected, "integer" | "array" | "object") { "an" } else { "a" };
        let expected = format!("{article} {expected}");
        let coerced = JsonType::named(expected.trim_start_matches(article).trim()).and_then(|t| coerce(d.node, t));
        let Some(value) = coerced else {
            let what = format!("default value {what} is {found}, but the schema's type is {expected}");
            self.warn(d, format!("{what}; left out, so the field is optional"));
            return None;
        };
        self.warn(
            d,
            format!("default value {what} is {found}, but the schema's type is {expected}; read as {}", shown(&value)),
        );
        Some(Node { span: d.node.span, value }.to_json())
    }

    /// `Some(expected type)` if a JSON value can never be a value of `ty`.
    pub(super) fn json_type_mismatch(&self, v: &Node, ty: TypeId) -> Option<&'static str> {
        let kind = self.types.kind(ty);
        let scalar = match kind {
            TypeKind::Scalar(s) => Some(*s),
            TypeKind::Newtype(n) => match self.types.kind(n.inner) {
                TypeKind::Scalar(s) => Some(*s),
                _ => None,
            },
            TypeKind::Enum(e) => Some(match e.repr {
                EnumRepr::String => Scalar::String,
                EnumRepr::Integer => Scalar::Int(IntKind::I64),
            }),
            TypeKind::Array(_) => return (!matches!(v.value, Value::Array(_))).then_some("array"),
            TypeKind::Struct(_) | TypeKind::Map { .. } => {
                return (!matches!(v.value, Value::Object(_))).then_some("object");
            }
            _ => None,
        }?;
        let ok = match scalar {
            Scalar::String | Scalar::DateTime | Scalar::Date | Scalar::Uuid | Scalar::Base64 => {
                matches!(v.value, Value::String(_))
            }
            Scalar::Bool => matches!(v.value, Value::Bool(_)),
            Scalar::Int(_) => v.as_i64().is_some() || matches!(v.value, Value::UInt(_)),
            Scalar::F32 | Scalar::F64 => v.as_f64().is_some(),
            _ => true,
        };
        let expected = match scalar {
            Scalar::Bool => "boolean",
            Scalar::Int(_) => "integer",
            Scalar::F32 | Scalar::F64 => "number",
            _ => "string",
        };
        (!ok).then_some(expected)
    }
}
