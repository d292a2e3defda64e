//! `Validate` implementations: constraint checks of newtypes, and walks through the structs
//! and unions that contain them.

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::feature::Feature;
use super::fields::field_form;
use super::pattern::pattern_flags;
use super::tokens::{Ctx, ident};
use super::tokens::{additional_field, int_bounds};
use crate::ir::{Additional, IntKind, NewtypeType, Number, Scalar, StructType, TypeId, TypeKind, UnionType};

/// What a newtype's `validate` needs: statics (compiled patterns) and the checks.
pub struct Checks {
    /// Items to place beside the type.
    pub statics: TokenStream,
    /// Statements that return early with the first violation.
    pub body: TokenStream,
}

/// The checks of a newtype's constraints.
pub fn constraint_checks(ctx: &Ctx<'_>, name: &str, nt: &NewtypeType) -> Checks {
    let c = &nt.constraints;
    let some = ctx.std("Some");
    let none = ctx.std("None");
    let mut statics = TokenStream::new();
    let mut body = TokenStream::new();
    let opt = |v: Option<u64>| match v {
        Some(n) => quote!(#some(#n)),
        None => quote!(#none),
    };
    match ctx.api.types.kind(nt.inner) {
        TypeKind::Scalar(Scalar::String) => {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt(c.min_length), opt(c.max_length));
                ctx.uses(Feature::CheckLength);
                body.extend(quote!(crate::runtime::check_length(&self.0, #min, #max)?;));
            }
            if let Some(p) = &c.pattern {
                ctx.uses(Feature::Pattern);
                let stat = pattern_static(name);
                let flags = pattern_flags(p);
                statics.extend(quote! {
                    static #stat: crate::runtime::Pattern = crate::runtime::Pattern::new(#p, #flags);
                });
                body.extend(quote!(#stat.check(&self.0)?;));
            }
        }
        TypeKind::Scalar(scalar) => {
            let float = matches!(scalar, Scalar::F32 | Scalar::F64);
            let bounds = match scalar {
                Scalar::Int(k) => Some(int_bounds(*k)),
                _ => None,
            };
            // Integer types take integer bounds, rounded inward; bounds outside the type's range
            // hold anyway and are dropped.
            let bound = |n: Option<Number>, is_min: bool| -> TokenStream {
                let n = match (n, bounds) {
                    (Some(Number::Float(f)), Some(_)) => {
                        Some(Number::Int(if is_min { f.ceil() } else { f.floor() } as i64))
                    }
                    (other, _) => other,
                };
                let n = match (n, bounds) {
                    (Some(Number::Int(i)), Some((lo, hi))) if (i as i128) < lo || (i as i128) > hi => None,
                    (other, _) => other,
                };
                match n.and_then(|n| number_literal(n, float)) {
                    Some(lit) => quote!(#some(#lit)),
                    None => quote!(#none),
                }
            };
            if c.minimum.is_some() || c.maximum.is_some() {
                let (min, max) = (bound(c.minimum, true), bound(c.maximum, false));
                let (xmin, xmax) = (c.exclusive_minimum, c.exclusive_maximum);
                ctx.uses(Feature::CheckRange);
                body.extend(quote!(crate::runtime::check_range(self.0, #min, #xmin, #max, #xmax)?;));
            }
            if let Some(lit) = c.multiple_of.and_then(|m| number_literal(m, true)) {
                // Lossless where `From` exists; a cast of an `f64` would be a clippy warning.
                let value = match scalar {
                    Scalar::F64 => quote!(self.0),
                    Scalar::Int(IntKind::I64 | IntKind::U64) => quote!(self.0 as f64),
                    _ => quote!(f64::from(self.0)),
                };
                ctx.uses(Feature::CheckMultipleOf);
                body.extend(quote!(crate::runtime::check_multiple_of(#value, #lit)?;));
            }
        }
        _ => {}
    }
    Checks { statics, body }
}

/// Whether `ty` is a map whose keys are constrained but whose values are not: its values do not
/// implement `Validate`, so only the keys are checked.
fn keys_only_map(ctx: &Ctx<'_>, ty: TypeId) -> bool {
    matches!(ctx.api.types.kind(ty), TypeKind::Map { key: Some(k), value }
        if ctx.validated.contains(k) && !ctx.validated.contains(value))
}

/// A statement checking `value` (a reference to a value of `ty`, under `options` layers of
/// `Option`), reporting violations under `wire`.
pub fn check(ctx: &Ctx<'_>, ty: TypeId, value: TokenStream, options: usize, wire: &str) -> TokenStream {
    ctx.uses(Feature::ValidateWithin);
    if !keys_only_map(ctx, ty) {
        return quote!(crate::runtime::within(crate::Validate::validate(#value), #wire)?;);
    }
    ctx.uses(Feature::ValidateKeys);
    let some = ctx.std("Some");
    let check = quote!(crate::runtime::within(crate::runtime::validate_keys(map), #wire)?;);
    match options {
        0 => quote!(let map = #value; #check),
        1 => quote!(if let #some(map) = #value { #check }),
        _ => quote!(if let #some(#some(map)) = #value { #check }),
    }
}

/// `Validate` for a struct: each field that holds a constrained value, under its wire name.
pub fn struct_impl(ctx: &Ctx<'_>, name: &str, s: &StructType) -> TokenStream {
    let n = ident(name);
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    let mut checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| ctx.validated.contains(&f.ty))
        .map(|f| {
            let fi = ident(&f.name);
            check(ctx, f.ty, quote!(&self.#fi), field_form(ctx, f).layers(), &f.wire_name)
        })
        .collect();
    if let Additional::Map(value) = &s.additional {
        if ctx.validated.contains(value) {
            let fi = ident(&additional_field(s));
            checks.push(quote!(crate::Validate::validate(&self.#fi)?;));
        }
    }
    quote! {
        impl crate::Validate for #n {
            fn validate(&self) -> #result<(), crate::ValidationError> {
                #(#checks)*
                #ok(())
            }
        }
    }
}

/// `Validate` for a union: the payload of whichever variant is set.
pub fn union_impl(ctx: &Ctx<'_>, name: &str, u: &UnionType) -> TokenStream {
    let n = ident(name);
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    let arms = u.variants.iter().map(|v| {
        let vi = ident(&v.name);
        if keys_only_map(ctx, v.ty) {
            let check = check(ctx, v.ty, quote!(value), 0, "");
            quote!(Self::#vi(value) => { #check #ok(()) })
        } else if ctx.validated.contains(&v.ty) {
            quote!(Self::#vi(value) => crate::Validate::validate(value),)
        } else {
            quote!(Self::#vi(_) => #ok(()),)
        }
    });
    // A value kept as it came is sent back as it came.
    let unknown = u.unknown_variant.as_deref().map(|v| {
        let vi = ident(v);
        quote!(Self::#vi(_) => #ok(()),)
    });
    quote! {
        impl crate::Validate for #n {
            fn validate(&self) -> #result<(), crate::ValidationError> {
                match self {
                    #(#arms)*
                    #unknown
                }
            }
        }
    }
}

/// Name of the `static` holding a type's pattern.
pub fn pattern_static(name: &str) -> proc_macro2::Ident {
    format_ident!("{}_PATTERN", name.to_shouty_snake_case())
}

/// A number literal typed for `inner` (integer types get integers, floats get floats).
pub fn number_literal(n: Number, float: bool) -> Option<Literal> {
    match (n, float) {
        (Number::Int(i), false) => Some(Literal::i64_unsuffixed(i)),
        (Number::Int(i), true) => Some(Literal::f64_unsuffixed(i as f64)),
        (Number::Float(f), true) if f.is_finite() => Some(Literal::f64_unsuffixed(f)),
        (Number::Float(_), _) => None,
    }
}
