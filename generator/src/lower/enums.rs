//! `enum` and `const` to Rust enums (open to unlisted values), and `type` lists to unions.

use super::coerce::{JsonType, coerce, shown};
use super::names::{self, Namespace};
use super::schema::{Lowered, NameSpec};
use super::union::Part;
use super::{Cursor, Lowerer};
use crate::ir::{Docs, EnumRepr, EnumType, EnumValue, EnumVariant, Scalar, TypeKind};
use crate::load::Value;

impl<'a> Lowerer<'a> {
    /// `enum` or `const`: a Rust enum of the listed values.
    pub(super) fn enumeration(
        &mut self,
        c: &Cursor<'a>,
        values: Vec<Cursor<'a>>,
        types: &[String],
        name: NameSpec,
    ) -> Lowered {
        let nullable = values.iter().any(|v| matches!(v.node.value, Value::Null));
        let declared = types.first().map(String::as_str);
        // Each value as the schema's type reads it: a value of another type where the intent
        // is plain (`1` in a string enum) is taken as that type, any other is left out.
        let expected = declared.and_then(JsonType::named);
        let mut items: Vec<(Cursor<'a>, Value)> = Vec::new();
        for v in values.into_iter().filter(|v| !matches!(v.node.value, Value::Null)) {
            match expected {
                // Not a mistake of type: a number no enum can hold.
                Some(JsonType::Integer) if matches!(v.node.value, Value::UInt(_)) => {
                    self.error(
                        &v,
                        format!("enum value is {}, but enum values must fit 64 signed bits", v.node.type_name()),
                    );
                    return self.json();
                }
                Some(t) if !t.holds(v.node) => {
                    let found = v.node.type_name();
                    let (what, wanted) = (shown(&v.node.value), t.described());
                    match coerce(v.node, t) {
                        Some(value) => {
                            let read = shown(&value);
                            self.warn(
                                &v,
                                format!(
                                    "enum value {what} is {found}, but the schema's type is {wanted}; read as {read}"
                                ),
                            );
                            items.push((v, value));
                        }
                        None => {
                            self.warn(
                                &v,
                                format!("enum value {what} is {found}, but the schema's type is {wanted}; left out"),
                            );
                        }
                    }
                }
                _ => {
                    let value = v.node.value.clone();
                    items.push((v, value));
                }
            }
        }
        if items.is_empty() {
            let mut out = self.by_type(c, types, name);
            out.nullable |= nullable;
            return out;
        }
        let all_strings = items.iter().all(|(_, v)| matches!(v, Value::String(_)));
        let all_ints = items.iter().all(|(_, v)| matches!(v, Value::Int(_)));
        let repr = if all_strings {
            EnumRepr::String
        } else if all_ints && declared != Some("number") {
            EnumRepr::Integer
        } else if items.iter().all(|(_, v)| matches!(v, Value::Bool(_))) {
            return Lowered { ty: self.scalar(Scalar::Bool), nullable };
        } else {
            self.warn(
                c,
                "an enum of non-integer numbers or mixed types cannot be a Rust enum; any JSON value is accepted",
            );
            let mut out = self.json();
            out.nullable = nullable;
            return out;
        };
        let var_names = ["x-enum-varnames", "x-enumNames", "x-enum-names"]
            .iter()
            .find_map(|k| c.child(k))
            .map(|n| n.items().iter().map(|i| i.node.as_str().map(str::to_owned)).collect::<Vec<_>>())
            .filter(|n| n.len() == items.len());
        let descriptions = ["x-enum-descriptions", "x-enumDescriptions"]
            .iter()
            .find_map(|k| c.child(k))
            .map(|n| n.items().iter().map(|i| i.node.as_str().map(str::to_owned)).collect::<Vec<_>>());
        let listed = items
            .iter()
            .enumerate()
            .filter_map(|(i, (_, v))| {
                let value = match v {
                    Value::String(s) => EnumValue::String(s.clone()),
                    Value::Int(n) => EnumValue::Integer(*n),
                    _ => return None,
                };
                let name = var_names.as_ref().and_then(|n| n[i].clone());
                let docs = descriptions.as_ref().and_then(|d| d.get(i).cloned().flatten());
                Some(Listed { value, name, docs })
            })
            .collect();
        let kind = TypeKind::Enum(enum_type(repr, listed));
        Lowered { ty: self.named(c, kind, name), nullable }
    }

    /// `type: [string, integer]`: an untagged union of the scalar types.
    pub(super) fn multi_type(&mut self, c: &Cursor<'a>, types: &[&str], name: NameSpec) -> Lowered {
        let parts: Vec<Part> = types
            .iter()
            .map(|t| {
                let variant = match *t {
                    "boolean" => "Bool".to_string(),
                    other => names::camel(other, "V").unwrap_or_else(|| "Value".into()),
                };
                let hint = format!("{}{variant}", name.base());
                let l = self.by_type(c, &[t.to_string()], NameSpec::Hint(hint));
                Part { name: variant, ty: l.ty, docs: Docs::default() }
            })
            .collect();
        self.untagged_of(c, parts, name)
    }
}

/// One listed value of an enum, with the variant name and description the document gives it.
pub(super) struct Listed {
    /// The value.
    pub value: EnumValue,
    /// A variant name from the document (`x-enum-varnames`), used when it makes an identifier.
    pub name: Option<String>,
    /// Documentation of the value.
    pub docs: Option<String>,
}

/// The enum of `values` (repeats dropped): a distinct, valid variant name for each, and one
/// more variant for values the list does not have.
pub(super) fn enum_type(repr: EnumRepr, values: Vec<Listed>) -> EnumType {
    let mut variant_names = Namespace::camel();
    let mut variants: Vec<EnumVariant> = Vec::new();
    for Listed { value, name, docs } in values {
        if variants.iter().any(|x| x.value == value) {
            continue;
        }
        let explicit = name.as_deref().and_then(|n| names::camel(n, "V"));
        let base = explicit.unwrap_or_else(|| match &value {
            // What camel case drops is spelled out when that tells two values apart
            // (`1` and `+1`), or is all there is (`""`, `-`, emoji).
            EnumValue::String(s) => {
                names::camel(s, "V").filter(|n| !variant_names.contains(n)).unwrap_or_else(|| names::spelled(s))
            }
            EnumValue::Integer(n) if *n < 0 => format!("ValueMinus{}", n.unsigned_abs()),
            EnumValue::Integer(n) => format!("Value{n}"),
        });
        variants.push(EnumVariant { name: variant_names.unique(&base), value, docs });
    }
    let unknown_variant = names::unknown_variant(&mut variant_names);
    EnumType { repr, variants, unknown_variant }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind};
    use crate::load::Documents;

    /// The API of a document whose only component schema `S` is `schema` (JSON).
    fn lower(schema: &str) -> Api {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
                "components": {{"schemas": {{"S": {schema}}}}}}}"#
        );
        let (docs, _) = Documents::from_text("t.json", &text).expect("loads");
        super::super::lower(&docs).expect("lowers").0
    }

    fn kind_of_s(api: &Api) -> &TypeKind {
        let id = api.types.iter().find(|(_, e)| e.name.as_deref() == Some("S")).map(|(id, _)| id).expect("S");
        api.types.kind(id)
    }

    #[test]
    fn odd_and_colliding_values_get_distinct_valid_names() {
        let api = lower(r#"{"type": "string", "enum": ["", "1", "+1", "😀", "-", "asc", "ASC", "Unknown", "self"]}"#);
        let TypeKind::Enum(e) = kind_of_s(&api) else { panic!("an enum") };
        let names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Empty", "V1", "Plus1", "U1F600", "Minus", "Asc", "Asc2", "Unknown", "Self_"]);
        assert_eq!(e.unknown_variant, "UnknownValue");
    }

    #[test]
    fn type_lists_are_unions_with_camel_case_variants() {
        let api = lower(r#"{"type": ["string", "integer", "boolean", "null"]}"#);
        let TypeKind::Union(u) = kind_of_s(&api) else { panic!("a union") };
        let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Bool", "Integer", "String"]);
    }
}
