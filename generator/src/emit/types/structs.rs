//! Structs: fields with serde attributes for optional, nullable and defaulted properties, a
//! constructor taking the required fields, and `Default` when nothing is required.

use heck::ToLowerCamelCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::super::docs;
use super::super::tokens::{Ctx, Scope, Serde, ident};
use super::super::validate;
use super::newtypes::default_literal;
use super::object::{self, Finish};
use super::{MAX_CONSTRUCTOR_ARGS, int_bounds};
use crate::ir::{Additional, EnumRepr, EnumValue, Field, Scalar, StructType, TypeId, TypeKind};

/// How a field is written: its type expression, and how it is read and written.
pub(super) struct FieldShape {
    pub(super) ty: TokenStream,
    /// `skip_serializing_if = "Option::is_none"`: an absent optional field is not sent.
    skip_none: bool,
    /// How `Deserialize` turns the field's slot (an `Option` of what is read) into its value.
    pub(super) finish: Finish,
    /// The field's value in `Default` and `new`, unless `new` takes it as an argument.
    default: Option<TokenStream>,
    /// Whether `default` is what `#[derive(Default)]` would give.
    derivable: bool,
    /// Whether the Rust type is an `Option`.
    optional: bool,
}

fn field_shape(ctx: &Ctx<'_>, f: &Field, default_fns: &mut Vec<TokenStream>) -> FieldShape {
    let option = ctx.std("Option");
    let inner_id = match (f.boxed, ctx.api.types.kind(f.ty)) {
        // Box the inside of a nullable: `Option<Box<T>>`.
        (true, TypeKind::Nullable(inner)) => Some(*inner),
        _ => None,
    };
    let rust_option = is_option(ctx, f);
    let mut ty = match inner_id {
        Some(inner) => {
            let b = ctx.std("Box");
            let t = ctx.ty(inner, Scope::Types);
            quote!(#option<#b<#t>>)
        }
        None => ctx.ty(f.ty, Scope::Types),
    };
    if f.boxed && inner_id.is_none() {
        let b = ctx.std("Box");
        ty = quote!(#b<#ty>);
    }
    let none = Some(quote!(None));
    match (f.required, f.nullable) {
        (true, false) => {
            // A property with one possible value (`const`) needs no argument.
            let fixed = (!f.boxed).then(|| fixed_value(ctx, f.ty)).flatten();
            let finish = if decodes_required(ctx, f) { Finish::Required } else { Finish::Flatten };
            FieldShape { ty, skip_none: false, finish, default: fixed, derivable: false, optional: rust_option }
        }
        (true, true) => FieldShape {
            ty: quote!(#option<#ty>),
            skip_none: false,
            finish: Finish::Flatten,
            default: None,
            derivable: true,
            optional: true,
        },
        (false, true) => FieldShape {
            ty: quote!(#option<#option<#ty>>),
            skip_none: true,
            finish: Finish::AsIs,
            default: none,
            derivable: true,
            optional: true,
        },
        (false, false) => match f.default.as_ref().and_then(|d| default_expr(ctx, f.ty, d)) {
            // The schema's default is the type's own: `Default::default()`.
            Some(SchemaDefault::Zero) => {
                let d = ctx.std("Default");
                FieldShape {
                    ty,
                    skip_none: false,
                    finish: Finish::Zero,
                    default: Some(quote!(#d::default())),
                    derivable: true,
                    optional: false,
                }
            }
            Some(SchemaDefault::Value(expr)) => {
                let fn_name = format_ident!("default_{}", f.name.trim_end_matches('_'));
                default_fns.push(quote! {
                    fn #fn_name() -> #ty {
                        #expr
                    }
                });
                let default = Some(quote!(Self::#fn_name()));
                FieldShape {
                    ty,
                    skip_none: false,
                    finish: Finish::DefaultFn(fn_name),
                    default,
                    derivable: false,
                    optional: false,
                }
            }
            None => FieldShape {
                ty: quote!(#option<#ty>),
                skip_none: true,
                finish: Finish::Flatten,
                default: none,
                derivable: true,
                optional: true,
            },
        },
    }
}

/// Whether the field's own type is an `Option` (a nullable alias).
fn is_option(ctx: &Ctx<'_>, f: &Field) -> bool {
    matches!(ctx.api.types.kind(f.ty), TypeKind::Nullable(_))
}

/// Whether decoding fails when the property is missing: required, and neither nullable nor of
/// a type that is itself an `Option` (those read a missing property as `None`).
pub(super) fn decodes_required(ctx: &Ctx<'_>, f: &Field) -> bool {
    f.required && !f.nullable && !is_option(ctx, f)
}

/// The only value of a one-value enum (a `const`), as an expression.
fn fixed_value(ctx: &Ctx<'_>, ty: TypeId) -> Option<TokenStream> {
    let resolved = ctx.api.types.resolve(ty);
    let entry = ctx.api.types.get(resolved);
    match &entry.kind {
        TypeKind::Enum(e) if e.variants.len() == 1 => {
            let name = ident(entry.name.as_deref()?);
            let variant = ident(&e.variants[0].name);
            Some(quote!(#name::#variant))
        }
        _ => None,
    }
}

/// A schema default in Rust.
enum SchemaDefault {
    /// The type's `Default::default()` (`false`, `0`, `""`, `[]`, `{}`).
    Zero,
    /// Another value.
    Value(TokenStream),
}

/// A Rust expression for a default value, or `None` to keep the field optional.
fn default_expr(ctx: &Ctx<'_>, ty: TypeId, value: &serde_json::Value) -> Option<SchemaDefault> {
    use serde_json::Value as J;
    let resolved = ctx.api.types.resolve(ty);
    let zero = match (&ctx.api.types.get(resolved).kind, value) {
        (TypeKind::Scalar(Scalar::Bool), J::Bool(b)) => !b,
        (TypeKind::Scalar(Scalar::Int(_) | Scalar::F32 | Scalar::F64), J::Number(n)) => n.as_f64() == Some(0.0),
        (TypeKind::Scalar(Scalar::String), J::String(s)) => s.is_empty(),
        (TypeKind::Array(_), J::Array(a)) => a.is_empty(),
        (TypeKind::Map { .. }, J::Object(o)) => o.is_empty(),
        _ => false,
    };
    if zero {
        return Some(SchemaDefault::Zero);
    }
    let expr = match (&ctx.api.types.get(resolved).kind, value) {
        (TypeKind::Scalar(Scalar::Bool), J::Bool(b)) => quote!(#b),
        (TypeKind::Scalar(Scalar::Int(k)), J::Number(n)) => {
            let v = n.as_i64()?;
            let (lo, hi) = int_bounds(*k);
            if (v as i128) < lo || (v as i128) > hi {
                return None;
            }
            let lit = Literal::i64_unsuffixed(v);
            quote!(#lit)
        }
        (TypeKind::Scalar(Scalar::F32 | Scalar::F64), J::Number(n)) => {
            let lit = Literal::f64_unsuffixed(n.as_f64()?);
            quote!(#lit)
        }
        (TypeKind::Scalar(Scalar::String), J::String(s)) => {
            let to_string = ctx.std("ToString");
            quote!(#to_string::to_string(#s))
        }
        (TypeKind::Enum(e), v) => {
            let name = ident(ctx.api.types.get(resolved).name.as_deref()?);
            let wire = match (e.repr, v) {
                (EnumRepr::String, J::String(s)) => EnumValue::String(s.clone()),
                (EnumRepr::Integer, J::Number(n)) => EnumValue::Integer(n.as_i64()?),
                _ => return None,
            };
            let variant = e.variants.iter().find(|v| v.value == wire)?;
            let vi = ident(&variant.name);
            quote!(#name::#vi)
        }
        (TypeKind::Newtype(nt), v) => {
            let name = ident(ctx.api.types.get(resolved).name.as_deref()?);
            let inner = default_literal(ctx, nt, v)?;
            quote!(#name(#inner))
        }
        _ => return None,
    };
    Some(SchemaDefault::Value(expr))
}

/// The struct and its impls.
pub(super) fn struct_item(ctx: &Ctx<'_>, id: TypeId, name: &str, s: &StructType) -> TokenStream {
    let n = ident(name);
    let mut default_fns = Vec::new();
    let shapes: Vec<FieldShape> = s.fields.iter().map(|f| field_shape(ctx, f, &mut default_fns)).collect();
    // `rename_all = "camelCase"` when it covers every field, else per-field renames.
    let camel = !s.fields.is_empty()
        && s.fields.iter().all(|f| f.name.trim_end_matches('_').to_lower_camel_case() == f.wire_name)
        && s.fields.iter().any(|f| f.name != f.wire_name);
    // `Deserialize` is written out below; the attributes are for the derived `Serialize`, and
    // exist only where it does.
    let feature = super::super::runtime::FULL_SERDE;
    let serialize_gated = ctx.serde_gated(id, Serde::Serialize);
    let serde_attr = |args: Vec<TokenStream>| -> Option<TokenStream> {
        if args.is_empty() {
            return None;
        }
        Some(if serialize_gated {
            quote!(#[cfg_attr(feature = #feature, serde(#(#args),*))])
        } else {
            quote!(#[serde(#(#args),*)])
        })
    };
    let mut fields: Vec<TokenStream> = Vec::new();
    for (f, shape) in s.fields.iter().zip(&shapes) {
        let fname = ident(&f.name);
        let mut serde = Vec::new();
        // Under `rename_all` every field already has its wire name.
        if !camel && f.name != f.wire_name {
            let wire = &f.wire_name;
            serde.push(quote!(rename = #wire));
        }
        if shape.skip_none {
            serde.push(quote!(skip_serializing_if = "std::option::Option::is_none"));
        }
        let serde_attr = serde_attr(serde);
        let mut extra = Vec::new();
        if f.sensitive {
            extra.push("Sensitive: never shown by `Debug`.".to_string());
        }
        if f.read_only {
            extra.push("Set by the server; ignored in requests.".to_string());
        }
        let doc = docs::attrs(&f.docs, &extra);
        let ty = &shape.ty;
        fields.push(quote! {
            #doc
            #serde_attr
            pub #fname: #ty,
        });
    }
    let additional_name = match &s.additional {
        Additional::Map(value) => {
            let fi = ident(&additional_field(s));
            let v = ctx.ty(*value, Scope::Types);
            let string = ctx.std("String");
            let flatten = serde_attr(vec![quote!(flatten)]);
            fields.push(quote! {
                /// Properties not declared by the schema.
                #flatten
                pub #fi: std::collections::BTreeMap<#string, #v>,
            });
            Some(fi)
        }
        _ => None,
    };
    let sensitive = s.fields.iter().any(|f| f.sensitive);
    let all_defaulted = shapes.iter().all(|s| s.default.is_some());
    let derive_default = all_defaulted && shapes.iter().all(|s| s.derivable);
    let mut derives = Vec::new();
    if !sensitive {
        derives.push(quote!(Debug));
    }
    derives.extend([quote!(Clone), quote!(PartialEq)]);
    if derive_default {
        derives.push(quote!(Default));
    }
    if !serialize_gated {
        derives.push(quote!(serde::Serialize));
    }
    let gated_derives = serialize_gated.then(|| quote!(#[cfg_attr(feature = #feature, derive(serde::Serialize))]));
    let camel_attr = camel.then(|| serde_attr(vec![quote!(rename_all = "camelCase")]));
    let mut out = quote! {
        #[derive(#(#derives),*)]
        #gated_derives
        #camel_attr
        pub struct #n {
            #(#fields)*
        }
    };
    let default = ctx.std("Default");
    let extra_init = additional_name.as_ref().map(|fi| quote!(#fi: #default::default(),));
    let inits: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&shapes)
        .map(|(f, sh)| {
            let fi = ident(&f.name);
            match &sh.default {
                Some(d) => quote!(#fi: #d,),
                None => quote!(#fi,),
            }
        })
        .collect();
    let required: Vec<(&Field, &FieldShape)> =
        s.fields.iter().zip(&shapes).filter(|(_, sh)| sh.default.is_none()).collect();
    // Where a literal does the same, a `new` would be noise, unless the struct is
    // non-exhaustive and a literal cannot be written outside the crate.
    let literal_suffices =
        required.len() == s.fields.len() + usize::from(additional_name.is_some()) && !super::non_exhaustive(ctx, id);
    let constructor =
        (!required.is_empty() && !literal_suffices && required.len() <= MAX_CONSTRUCTOR_ARGS).then(|| {
            let params = required.iter().map(|(f, sh)| {
                let fi = ident(&f.name);
                let ty = &sh.ty;
                quote!(#fi: #ty)
            });
            quote! {
                /// A value with the required fields set and every other field absent or at its default.
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits)* #extra_init }
                }
            }
        });
    // A request struct with one required field of a type of this crate converts from that type, so
    // chains of single-field wrappers (`JobRunInternalOverride` around `InternalSource`) are
    // one `.into()` each. Strings, numbers and aliases of foreign types get no such `From`.
    let from_impl = match required.as_slice() {
        [(f, sh)] if constructor.is_some() && super::sent(ctx, id) => {
            let entry = ctx.api.types.get(f.ty);
            let own_type = entry.name.is_some()
                && entry.kind.is_named_kind()
                && !matches!(entry.kind, TypeKind::Alias(_))
                // The field holds the type itself, not an `Option` or a `Box` of it.
                && !sh.optional
                && !f.boxed;
            own_type.then(|| {
                let from = ctx.std("From");
                let ty = &sh.ty;
                quote! {
                    impl #from<#ty> for #n {
                        fn from(value: #ty) -> Self {
                            Self::new(value)
                        }
                    }
                }
            })
        }
        _ => None,
    };
    // Defaults only `Deserialize` reads exist only when it does.
    let defaults_elsewhere = constructor.is_some() || (all_defaulted && !derive_default);
    let default_cfg = (!defaults_elsewhere).then(|| ctx.serde_cfg(id, Serde::Deserialize)).flatten();
    if !default_fns.is_empty() || constructor.is_some() {
        out.extend(quote! {
            impl #n {
                #constructor
                #(#default_cfg #default_fns)*
            }
        });
    }
    if all_defaulted && !derive_default {
        out.extend(quote! {
            impl #default for #n {
                fn default() -> Self {
                    Self { #(#inits)* #extra_init }
                }
            }
        });
    }
    out.extend(from_impl);
    out.extend(object::deserialize_impl(ctx, id, name, s, &shapes, additional_name.as_ref()));
    if sensitive {
        out.extend(redacted_debug(ctx, name, s, &shapes, additional_name.as_ref()));
    }
    if ctx.validated.contains(&id) {
        out.extend(validate::struct_impl(ctx, name, s));
    }
    out
}

/// Name of the field holding undeclared properties: `additional_properties`, unless a
/// property already has that name.
pub(in super::super) fn additional_field(s: &StructType) -> String {
    unused_name(s, "additional_properties")
}

/// `base`, with underscores added until no field of `s` has the name.
pub(super) fn unused_name(s: &StructType, base: &str) -> String {
    let mut name = base.to_owned();
    while s.fields.iter().any(|f| f.name == name) {
        name.push('_');
    }
    name
}

/// Whether `Debug` shows the keys of sensitive field `f` (a map: names of environment
/// variables or paths of secret files), hiding only the values.
pub(in super::super) fn shows_keys(ctx: &Ctx<'_>, f: &Field) -> bool {
    f.sensitive && matches!(ctx.api.types.kind(f.ty), TypeKind::Map { .. })
}

/// `Debug` that shows whether a sensitive field is set (and a map's keys), never its values.
fn redacted_debug(
    ctx: &Ctx<'_>,
    name: &str,
    s: &StructType,
    shapes: &[FieldShape],
    additional: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let n = ident(name);
    let shown = s.fields.iter().zip(shapes).map(|(f, sh)| {
        let fi = ident(&f.name);
        let label = &f.name;
        if shows_keys(ctx, f) {
            if sh.optional {
                quote!(.field(#label, &self.#fi.as_ref().map(crate::runtime::RedactedKeys)))
            } else {
                quote!(.field(#label, &crate::runtime::RedactedKeys(&self.#fi)))
            }
        } else if f.sensitive {
            if sh.optional {
                quote!(.field(#label, &crate::runtime::Redacted(self.#fi.is_some())))
            } else {
                quote!(.field(#label, &crate::runtime::Redacted(true)))
            }
        } else {
            quote!(.field(#label, &self.#fi))
        }
    });
    let extra = additional.map(|fi| {
        let label = fi.to_string();
        quote!(.field(#label, &self.#fi))
    });
    quote! {
        impl std::fmt::Debug for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name) #(#shown)* #extra .finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::types_rs;

    #[test]
    fn defaults_equal_to_the_types_own_are_derived() {
        let code = types_rs(
            r#"{"S": {"type": "object", "properties": {
                "on": {"type": "boolean", "default": false},
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                "n": {"type": "integer", "default": 2}
            }}}"#,
        );
        assert!(code.contains("on: on.flatten().unwrap_or_default(),"), "{code}");
        assert!(code.contains("tags: tags.flatten().unwrap_or_default(),"), "{code}");
        assert!(code.contains("n: n.flatten().unwrap_or_else(Self::default_n),"), "{code}");
        assert!(code.contains("impl Default for S"), "{code}");
    }

    #[test]
    fn a_required_constant_is_filled_in_by_the_constructor() {
        let code = types_rs(
            r#"{"S": {"type": "object", "required": ["kind", "size"], "properties": {
                "kind": {"const": "box"}, "size": {"type": "integer"}
            }}}"#,
        );
        assert!(code.contains("pub fn new(size: i64) -> Self"), "{code}");
        assert!(code.contains("kind: SKind::Box,"), "{code}");
    }
}
