//! A field's Rust shape, decided once: its type expression (`T`, `Option<T>`,
//! `Option<Option<T>>`, or `T` filled from the schema's default), how it is decoded and what
//! a constructor puts in it. Structs, their `Deserialize`, parameters, pagination, multipart
//! bodies and validation all ask [`field_form`] or [`field_shape`]; none re-derives it from
//! `required` and `nullable`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::pattern;
use super::tokens::{Ctx, Scope, ident, int_bounds};
use crate::ir::{EnumRepr, EnumValue, Field, NewtypeType, Number, Param, Scalar, TypeId, TypeKind};

/// How a field is written: its type expression, and how it is read and written.
pub struct FieldShape {
    /// The field's type.
    pub ty: TokenStream,
    /// `skip_serializing_if = "Option::is_none"`: an absent optional field is not sent.
    pub skip_none: bool,
    /// How `Deserialize` turns the field's slot (an `Option` of what is read) into its value.
    pub finish: Finish,
    /// The field's value in `Default` and `new`, unless `new` takes it as an argument.
    pub default: Option<TokenStream>,
    /// Whether `default` is what `#[derive(Default)]` would give.
    pub derivable: bool,
    /// Whether the Rust type is an `Option`.
    pub optional: bool,
}

/// How many `Option`s wrap a field's value, and why.
pub enum FieldForm {
    /// `T`: the property is required and not nullable.
    Required,
    /// `T`: an optional property the schema gives a default for, which fills it when absent.
    Defaulted(SchemaDefault),
    /// `Option<T>`: an optional property, or a required one that may be `null`.
    Optional,
    /// `Option<Option<T>>`: an optional property that may also be `null`, so that absent
    /// (`None`) and `null` (`Some(None)`) stay apart.
    OptionalNullable,
}

impl FieldForm {
    /// The `Option` layers around the value (a nullable alias type's own `Option` is part of
    /// the value).
    pub fn layers(&self) -> usize {
        match self {
            Self::Required | Self::Defaulted(_) => 0,
            Self::Optional => 1,
            Self::OptionalNullable => 2,
        }
    }
}

/// The form of struct field `f`.
pub fn field_form(ctx: &Ctx<'_>, f: &Field) -> FieldForm {
    match (f.required, f.nullable) {
        (true, false) => FieldForm::Required,
        (true, true) => FieldForm::Optional,
        (false, true) => FieldForm::OptionalNullable,
        (false, false) => match f.default.as_ref().and_then(|d| default_expr(ctx, f.ty, d)) {
            Some(d) => FieldForm::Defaulted(d),
            None => FieldForm::Optional,
        },
    }
}

/// The value type of parameter `p` and its form in a params struct: `Option<T>` when it may be
/// left out or is nullable (a nullable parameter's `null` is never sent, so `None` covers it).
pub fn param_form(ctx: &Ctx<'_>, p: &Param) -> (TypeId, FieldForm) {
    let (ty, nullable) = match ctx.api.types.kind(p.ty) {
        TypeKind::Nullable(inner) => (*inner, true),
        _ => (p.ty, false),
    };
    (ty, if p.required && !nullable { FieldForm::Required } else { FieldForm::Optional })
}

/// The shape of struct field `f`; functions for its schema default go to `default_fns`.
pub fn field_shape(ctx: &Ctx<'_>, f: &Field, default_fns: &mut Vec<TokenStream>) -> FieldShape {
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
    match field_form(ctx, f) {
        FieldForm::Required => {
            // A property with one possible value (`const`) needs no argument.
            let fixed = (!f.boxed).then(|| fixed_value(ctx, f.ty)).flatten();
            let finish = if decodes_required(ctx, f) { Finish::Required } else { Finish::Flatten };
            FieldShape { ty, skip_none: false, finish, default: fixed, derivable: false, optional: rust_option }
        }
        // Required but nullable: always sent, `null` included.
        FieldForm::Optional if f.required => FieldShape {
            ty: quote!(#option<#ty>),
            skip_none: false,
            finish: Finish::Flatten,
            default: None,
            derivable: true,
            optional: true,
        },
        FieldForm::Optional => FieldShape {
            ty: quote!(#option<#ty>),
            skip_none: true,
            finish: Finish::Flatten,
            default: none,
            derivable: true,
            optional: true,
        },
        FieldForm::OptionalNullable => FieldShape {
            ty: quote!(#option<#option<#ty>>),
            skip_none: true,
            finish: Finish::AsIs,
            default: none,
            derivable: true,
            optional: true,
        },
        // The schema's default is the type's own: `Default::default()`.
        FieldForm::Defaulted(SchemaDefault::Zero) => {
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
        FieldForm::Defaulted(SchemaDefault::Value(expr)) => {
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
    }
}

/// Whether the field's own type is an `Option` (a nullable alias).
fn is_option(ctx: &Ctx<'_>, f: &Field) -> bool {
    matches!(ctx.api.types.kind(f.ty), TypeKind::Nullable(_))
}

/// Whether decoding fails when the property is missing: required, and neither nullable nor of
/// a type that is itself an `Option` (those read a missing property as `None`).
pub fn decodes_required(ctx: &Ctx<'_>, f: &Field) -> bool {
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
pub enum SchemaDefault {
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

/// What a missing property becomes when a struct is decoded.
pub enum Finish {
    /// An error: the property is required.
    Required,
    /// `None`: the field is an `Option` read as itself (`null` is `None` too).
    Flatten,
    /// `None`, while `null` is `Some(None)`: the slot is the field.
    AsIs,
    /// The type's `Default` (for `null` too: it stands for an absent property).
    Zero,
    /// The schema's default, from the function of that name (for `null` too).
    DefaultFn(proc_macro2::Ident),
}

/// `value` as the wrapped literal of a newtype default, if it is of the right type and
/// satisfies the constraints (a default that breaks them stays `None`, the field optional).
fn default_literal(ctx: &Ctx<'_>, nt: &NewtypeType, value: &serde_json::Value) -> Option<TokenStream> {
    let c = &nt.constraints;
    let as_f64 = |n: Number| match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    };
    let in_range = |x: f64| {
        let above = c.minimum.is_none_or(|m| if c.exclusive_minimum { x > as_f64(m) } else { x >= as_f64(m) });
        let below = c.maximum.is_none_or(|m| if c.exclusive_maximum { x < as_f64(m) } else { x <= as_f64(m) });
        let multiple = c.multiple_of.is_none_or(|m| {
            let q = x / as_f64(m);
            (q - q.round()).abs() <= 1e-9
        });
        above && below && multiple
    };
    match (ctx.api.types.kind(nt.inner), value) {
        (TypeKind::Scalar(Scalar::Int(k)), serde_json::Value::Number(n)) => {
            let v = n.as_i64()?;
            let (lo, hi) = int_bounds(*k);
            ((v as i128) >= lo && (v as i128) <= hi && in_range(v as f64)).then(|| {
                let lit = Literal::i64_unsuffixed(v);
                quote!(#lit)
            })
        }
        (TypeKind::Scalar(Scalar::F32 | Scalar::F64), serde_json::Value::Number(n)) => {
            let v = n.as_f64()?;
            in_range(v).then(|| {
                let lit = Literal::f64_unsuffixed(v);
                quote!(#lit)
            })
        }
        (TypeKind::Scalar(Scalar::String), serde_json::Value::String(s)) => {
            let len = s.chars().count() as u64;
            let length_ok = c.min_length.is_none_or(|m| len >= m) && c.max_length.is_none_or(|m| len <= m);
            let pattern_ok = c.pattern.as_deref().is_none_or(|p| pattern::matches(p, s));
            (length_ok && pattern_ok).then(|| {
                let to_string = ctx.std("ToString");
                quote!(#to_string::to_string(#s))
            })
        }
        _ => None,
    }
}
