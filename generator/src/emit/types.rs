//! The `types` module: one item per named type, sorted by name.

use std::collections::HashMap;

use heck::{ToLowerCamelCase, ToShoutySnakeCase};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::operations;
use super::tokens::{Ctx, Scope, ident};
use super::validate;
use crate::ir::{
    Additional, EnumRepr, EnumType, EnumValue, Field, NewtypeType, Number, Scalar, StructType, Tagging, TypeEntry,
    TypeId, TypeKind, UnionType,
};

/// Largest size difference between union variants before the big one is boxed (clippy's
/// `large_enum_variant` fires at 200 bytes).
const MAX_VARIANT_SPREAD: usize = 128;

/// The whole `types` module.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let mut items: Vec<(String, TokenStream)> = Vec::new();
    for id in ctx.api.types.named_sorted() {
        let entry = ctx.api.types.get(id);
        let Some(name) = &entry.name else { continue };
        items.push((name.clone(), item(ctx, id, entry)));
    }
    items.extend(operations::type_items(ctx));
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let items = items.into_iter().map(|(_, t)| t);
    quote! {
        //! Types of the API's schemas, and parameter and response types of its operations.
        #(#items)*
    }
}

fn item(ctx: &Ctx<'_>, id: TypeId, entry: &TypeEntry) -> TokenStream {
    let name = entry.name.as_deref().unwrap_or("Unnamed");
    let doc = docs::attrs(&entry.docs, &[]);
    let body = match &entry.kind {
        TypeKind::Struct(s) => struct_item(ctx, id, name, s),
        TypeKind::Enum(e) => match e.repr {
            EnumRepr::String => string_enum(ctx, name, e),
            EnumRepr::Integer => int_enum(ctx, name, e),
        },
        TypeKind::Union(u) => union_item(ctx, id, name, u),
        TypeKind::Newtype(n) => newtype_item(ctx, name, n),
        TypeKind::Alias(target) => {
            let n = ident(name);
            let t = ctx.ty(*target, Scope::Types);
            quote!(pub type #n = #t;)
        }
        _ => quote!(),
    };
    quote! {
        #doc
        #body
    }
}

/// How a field is written: its type expression and serde attributes.
struct FieldShape {
    ty: TokenStream,
    serde: Vec<TokenStream>,
    /// `Some(expr)` for the value of `Default`/`new` when not required.
    default: Option<TokenStream>,
    /// Whether the Rust type is an `Option`.
    optional: bool,
}

fn field_shape(ctx: &Ctx<'_>, owner: &str, f: &Field, defaults: &mut Vec<TokenStream>) -> FieldShape {
    let option = ctx.std("Option");
    let inner_id = match (f.boxed, ctx.api.types.kind(f.ty)) {
        // Box the inside of a nullable: `Option<Box<T>>`.
        (true, TypeKind::Nullable(inner)) => Some(*inner),
        _ => None,
    };
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
    let mut serde = Vec::new();
    match (f.required, f.nullable) {
        (true, false) => FieldShape { ty, serde, default: None, optional: false },
        (true, true) => {
            serde.push(quote!(default));
            FieldShape { ty: quote!(#option<#ty>), serde, default: None, optional: true }
        }
        (false, true) => {
            serde.push(quote!(default));
            serde.push(quote!(skip_serializing_if = "std::option::Option::is_none"));
            serde.push(quote!(deserialize_with = "crate::runtime::double_option"));
            FieldShape { ty: quote!(#option<#option<#ty>>), serde, default: Some(quote!(None)), optional: true }
        }
        (false, false) => {
            if let Some(expr) = f.default.as_ref().and_then(|d| default_expr(ctx, f.ty, d)) {
                let fn_name = format_ident!("default_{}", f.name.trim_end_matches('_'));
                let owner_ident = ident(owner);
                let path = format!("{owner}::{fn_name}");
                serde.push(quote!(default = #path));
                defaults.push(quote! {
                    fn #fn_name() -> #ty {
                        #expr
                    }
                });
                FieldShape { ty, serde, default: Some(quote!(#owner_ident::#fn_name())), optional: false }
            } else {
                serde.push(quote!(default));
                serde.push(quote!(skip_serializing_if = "std::option::Option::is_none"));
                FieldShape { ty: quote!(#option<#ty>), serde, default: Some(quote!(None)), optional: true }
            }
        }
    }
}

/// A Rust expression for a default value of a simple type, or `None` to keep the field optional.
fn default_expr(ctx: &Ctx<'_>, ty: TypeId, value: &serde_json::Value) -> Option<TokenStream> {
    use serde_json::Value as J;
    let resolved = ctx.api.types.resolve(ty);
    match (&ctx.api.types.get(resolved).kind, value) {
        (TypeKind::Scalar(Scalar::Bool), J::Bool(b)) => Some(quote!(#b)),
        (TypeKind::Scalar(Scalar::Int(k)), J::Number(n)) => {
            let v = n.as_i64()?;
            let (lo, hi) = int_bounds(*k);
            if (v as i128) < lo || (v as i128) > hi {
                return None;
            }
            let lit = Literal::i64_unsuffixed(v);
            Some(quote!(#lit))
        }
        (TypeKind::Scalar(Scalar::F32 | Scalar::F64), J::Number(n)) => {
            let lit = Literal::f64_unsuffixed(n.as_f64()?);
            Some(quote!(#lit))
        }
        (TypeKind::Scalar(Scalar::String), J::String(s)) => {
            let to_string = ctx.std("ToString");
            Some(quote!(#to_string::to_string(#s)))
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
            Some(quote!(#name::#vi))
        }
        (TypeKind::Array(_) | TypeKind::Map { .. }, J::Array(a)) if a.is_empty() => {
            let d = ctx.std("Default");
            Some(quote!(#d::default()))
        }
        (TypeKind::Map { .. }, J::Object(o)) if o.is_empty() => {
            let d = ctx.std("Default");
            Some(quote!(#d::default()))
        }
        _ => None,
    }
}

pub(super) fn int_bounds(k: crate::ir::IntKind) -> (i128, i128) {
    use crate::ir::IntKind::*;
    match k {
        I8 => (i8::MIN as i128, i8::MAX as i128),
        I16 => (i16::MIN as i128, i16::MAX as i128),
        I32 => (i32::MIN as i128, i32::MAX as i128),
        I64 => (i64::MIN as i128, i64::MAX as i128),
        U8 => (0, u8::MAX as i128),
        U16 => (0, u16::MAX as i128),
        U32 => (0, u32::MAX as i128),
        U64 => (0, u64::MAX as i128),
    }
}

fn struct_item(ctx: &Ctx<'_>, id: TypeId, name: &str, s: &StructType) -> TokenStream {
    let n = ident(name);
    let mut defaults = Vec::new();
    let shapes: Vec<FieldShape> = s.fields.iter().map(|f| field_shape(ctx, name, f, &mut defaults)).collect();
    // `rename_all = "camelCase"` when it covers every field, else per-field renames.
    let camel = !s.fields.is_empty()
        && s.fields.iter().all(|f| f.name.trim_end_matches('_').to_lower_camel_case() == f.wire_name)
        && s.fields.iter().any(|f| f.name != f.wire_name);
    let mut fields: Vec<TokenStream> = Vec::new();
    for (f, shape) in s.fields.iter().zip(&shapes) {
        let fname = ident(&f.name);
        let mut serde = shape.serde.clone();
        // Under `rename_all` every field already has its wire name.
        if !camel && f.name != f.wire_name {
            let wire = &f.wire_name;
            serde.insert(0, quote!(rename = #wire));
        }
        let serde_attr = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
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
            let mut fname = "additional_properties".to_string();
            while s.fields.iter().any(|f| f.name == fname) {
                fname.push('_');
            }
            let fi = ident(&fname);
            let v = ctx.ty(*value, Scope::Types);
            let string = ctx.std("String");
            fields.push(quote! {
                /// Properties not declared by the schema.
                #[serde(flatten)]
                pub #fi: std::collections::BTreeMap<#string, #v>,
            });
            Some(fi)
        }
        _ => None,
    };
    let sensitive = s.fields.iter().any(|f| f.sensitive);
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    let all_optional = shapes.iter().all(|s| s.default.is_some());
    let custom_defaults = !defaults.is_empty();
    let derive_default = (all_optional && !custom_defaults).then(|| quote!(Default,));
    let camel_attr = camel.then(|| quote!(#[serde(rename_all = "camelCase")]));
    let mut out = quote! {
        #[derive(#derive_debug Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
        #camel_attr
        pub struct #n {
            #(#fields)*
        }
    };
    if custom_defaults {
        out.extend(quote! {
            impl #n {
                #(#defaults)*
            }
        });
    }
    if all_optional && custom_defaults {
        let default = ctx.std("Default");
        let inits = s.fields.iter().zip(&shapes).map(|(f, shape)| {
            let fi = ident(&f.name);
            let d = shape.default.clone().unwrap_or_else(|| quote!(#default::default()));
            quote!(#fi: #d,)
        });
        let extra = additional_name.as_ref().map(|fi| quote!(#fi: #default::default(),));
        out.extend(quote! {
            impl #default for #n {
                fn default() -> Self {
                    Self { #(#inits)* #extra }
                }
            }
        });
    }
    let required: Vec<(&Field, &FieldShape)> =
        s.fields.iter().zip(&shapes).filter(|(_, sh)| sh.default.is_none()).collect();
    if !required.is_empty()
        && required.len() < s.fields.len() + usize::from(additional_name.is_some())
        && required.len() <= 6
    {
        let params = required.iter().map(|(f, sh)| {
            let fi = ident(&f.name);
            let ty = &sh.ty;
            quote!(#fi: #ty)
        });
        let default = ctx.std("Default");
        let inits = s.fields.iter().zip(&shapes).map(|(f, sh)| {
            let fi = ident(&f.name);
            match &sh.default {
                Some(d) => quote!(#fi: #d,),
                None => quote!(#fi,),
            }
        });
        let extra = additional_name.as_ref().map(|fi| quote!(#fi: #default::default(),));
        out.extend(quote! {
            impl #n {
                /// A value with the required fields set and every other field absent or at its default.
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits)* #extra }
                }
            }
        });
    }
    if sensitive {
        let shown = s.fields.iter().zip(&shapes).map(|(f, sh)| {
            let fi = ident(&f.name);
            let label = &f.name;
            if f.sensitive {
                if sh.optional {
                    quote!(.field(#label, &crate::runtime::Redacted(self.#fi.is_some())))
                } else {
                    quote!(.field(#label, &crate::runtime::Redacted(true)))
                }
            } else {
                quote!(.field(#label, &self.#fi))
            }
        });
        let extra = additional_name.as_ref().map(|fi| {
            let label = fi.to_string();
            quote!(.field(#label, &self.#fi))
        });
        out.extend(quote! {
            impl std::fmt::Debug for #n {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#name) #(#shown)* #extra .finish()
                }
            }
        });
    }
    if ctx.validated.contains(&id) {
        out.extend(validate::struct_impl(ctx, name, s));
    }
    out
}

fn string_enum(ctx: &Ctx<'_>, name: &str, e: &EnumType) -> TokenStream {
    let n = ident(name);
    let string = ctx.std("String");
    let unknown = ident(&e.unknown_variant);
    let mut variants = Vec::new();
    let mut as_str = Vec::new();
    let mut from = Vec::new();
    for v in &e.variants {
        let vi = ident(&v.name);
        let EnumValue::String(wire) = &v.value else { continue };
        let mut paragraphs = Vec::new();
        if let Some(d) = &v.docs {
            paragraphs.push(docs::sanitize(d));
        }
        paragraphs.push(format!("`{}`", wire.replace('`', "'")));
        let doc = docs::lines_to_attrs(&paragraphs);
        variants.push(quote! { #doc #vi, });
        as_str.push(quote!(Self::#vi => #wire,));
        from.push(quote!(#wire => Self::#vi,));
    }
    let to_string = ctx.std("ToString");
    let from_trait = ctx.std("From");
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #n {
            #(#variants)*
            /// A value this version of the client does not know, kept as it was sent.
            #unknown(#string),
        }

        impl #n {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl #from_trait<&str> for #n {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(#to_string::to_string(other)),
                }
            }
        }

        impl std::str::FromStr for #n {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> #result<Self, Self::Err> {
                #ok(#from_trait::from(value))
            }
        }

        impl std::fmt::Display for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #n {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #n {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                crate::runtime::deserialize_str(deserializer, |value| #from_trait::from(value))
            }
        }
    }
}

fn int_enum(ctx: &Ctx<'_>, name: &str, e: &EnumType) -> TokenStream {
    let n = ident(name);
    let unknown = ident(&e.unknown_variant);
    let mut variants = Vec::new();
    let mut value = Vec::new();
    let mut from = Vec::new();
    for v in &e.variants {
        let vi = ident(&v.name);
        let EnumValue::Integer(wire) = v.value else { continue };
        let mut paragraphs = Vec::new();
        if let Some(d) = &v.docs {
            paragraphs.push(docs::sanitize(d));
        }
        paragraphs.push(format!("`{wire}`"));
        let doc = docs::lines_to_attrs(&paragraphs);
        let lit = Literal::i64_unsuffixed(wire);
        variants.push(quote! { #doc #vi, });
        value.push(quote!(Self::#vi => #lit,));
        from.push(quote!(#lit => Self::#vi,));
    }
    let result = ctx.std("Result");
    let from_trait = ctx.std("From");
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #n {
            #(#variants)*
            /// A value this version of the client does not know, kept as it was sent.
            #unknown(i64),
        }

        impl #n {
            /// The value as it appears on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#value)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl #from_trait<i64> for #n {
            fn from(value: i64) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl std::fmt::Display for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #n {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #n {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(<Self as #from_trait<i64>>::from)
            }
        }
    }
}

/// Rough in-memory size of a type, to keep enum variants balanced.
pub(super) fn size_of(ctx: &Ctx<'_>, id: TypeId, memo: &mut HashMap<TypeId, usize>, depth: usize) -> usize {
    if let Some(&s) = memo.get(&id) {
        return s;
    }
    if depth > 24 {
        return 24;
    }
    let size = match &ctx.api.types.get(id).kind {
        TypeKind::Scalar(s) => match s {
            Scalar::Bool => 1,
            Scalar::Int(_) | Scalar::F32 | Scalar::F64 => 8,
            Scalar::DateTime => 12,
            Scalar::Date => 4,
            Scalar::Uuid => 16,
            Scalar::Json => 32,
            Scalar::Unit => 0,
            Scalar::String | Scalar::Base64 | Scalar::Bytes => 24,
        },
        TypeKind::Array(_) | TypeKind::Map { .. } => 24,
        TypeKind::Nullable(inner) => size_of(ctx, *inner, memo, depth + 1) + 8,
        TypeKind::Struct(s) => {
            s.fields
                .iter()
                .map(|f| if f.boxed { 8 } else { size_of(ctx, f.ty, memo, depth + 1) + if f.required { 0 } else { 8 } })
                .sum::<usize>()
                + usize::from(matches!(s.additional, Additional::Map(_))) * 24
        }
        TypeKind::Enum(_) => 24,
        TypeKind::Union(u) => {
            u.variants.iter().map(|v| if v.boxed { 8 } else { size_of(ctx, v.ty, memo, depth + 1) }).max().unwrap_or(0)
                + 8
        }
        TypeKind::Newtype(n) => size_of(ctx, n.inner, memo, depth + 1),
        TypeKind::Alias(t) => size_of(ctx, *t, memo, depth + 1),
        TypeKind::Placeholder => 8,
    };
    memo.insert(id, size);
    size
}

/// Which payloads of an enum to box so that no variant dwarfs the others.
pub(super) fn boxed_variants(sizes: &[usize]) -> Vec<bool> {
    let mut sizes: Vec<usize> = sizes.to_vec();
    let mut boxed = vec![false; sizes.len()];
    loop {
        let mut order: Vec<usize> = (0..sizes.len()).collect();
        order.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]));
        let (Some(&largest), Some(&second)) = (order.first(), order.get(1)) else { return boxed };
        if sizes[largest] <= sizes[second] + MAX_VARIANT_SPREAD || boxed[largest] {
            return boxed;
        }
        boxed[largest] = true;
        sizes[largest] = 8;
    }
}

fn union_item(ctx: &Ctx<'_>, id: TypeId, name: &str, u: &UnionType) -> TokenStream {
    let n = ident(name);
    let mut memo = HashMap::new();
    let sizes: Vec<usize> =
        u.variants.iter().map(|v| if v.boxed { 8 } else { size_of(ctx, v.ty, &mut memo, 0) }).collect();
    let big = boxed_variants(&sizes);
    let boxed: Vec<bool> = u.variants.iter().zip(&big).map(|(v, b)| v.boxed || *b).collect();
    let payload = |i: usize| {
        let t = ctx.ty(u.variants[i].ty, Scope::Types);
        if boxed[i] {
            let b = ctx.std("Box");
            quote!(#b<#t>)
        } else {
            t
        }
    };
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let vi = ident(&v.name);
        let mut extra = Vec::new();
        if let Some(tag) = v.tag_values.first() {
            extra.push(format!("Tag value `{}`.", tag.replace('`', "'")));
        }
        let doc = docs::attrs(&v.docs, &extra);
        let t = payload(i);
        quote! { #doc #vi(#t), }
    });
    let result = ctx.std("Result");
    let mut out = match &u.tagging {
        Tagging::Untagged => quote! {
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #n {
                #(#variants)*
            }
        },
        Tagging::Internal { property } => {
            let ser = u.variants.iter().map(|v| {
                let vi = ident(&v.name);
                let tag = v.tag_values.first().cloned().unwrap_or_else(|| v.name.clone());
                quote!(Self::#vi(value) => crate::runtime::serialize_tagged(serializer, #property, #tag, value),)
            });
            let de = u.variants.iter().enumerate().map(|(i, v)| {
                let vi = ident(&v.name);
                let tags = &v.tag_values;
                let wrap = if boxed[i] {
                    let b = ctx.std("Box");
                    quote!(.map(#b::new))
                } else {
                    quote!()
                };
                quote!(#(#tags)|* => crate::runtime::variant::<D, _>(value) #wrap .map(Self::#vi),)
            });
            let all_tags: Vec<&String> = u.variants.iter().flat_map(|v| v.tag_values.iter()).collect();
            quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #n {
                    #(#variants)*
                }

                impl serde::Serialize for #n {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                        match self {
                            #(#ser)*
                        }
                    }
                }

                impl<'de> serde::Deserialize<'de> for #n {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        let (tag, value) = crate::runtime::deserialize_tagged(deserializer, #property)?;
                        match tag.as_str() {
                            #(#de)*
                            other => crate::runtime::unknown_tag::<D, _>(other, &[#(#all_tags),*]),
                        }
                    }
                }
            }
        }
    };
    if ctx.validated.contains(&id) {
        out.extend(validate::union_impl(ctx, name, u));
    }
    out
}

fn newtype_item(ctx: &Ctx<'_>, name: &str, nt: &NewtypeType) -> TokenStream {
    let n = ident(name);
    let inner = ctx.ty(nt.inner, Scope::Types);
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    let checks = validate::constraint_checks(ctx, name, nt);
    let statics = checks.statics;
    let body = checks.body;
    let common = quote! {
        impl crate::Validate for #n {
            fn validate(&self) -> #result<(), crate::ValidationError> {
                #body
                #ok(())
            }
        }

        impl std::fmt::Display for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }
    };
    let is_string = matches!(ctx.api.types.kind(nt.inner), TypeKind::Scalar(Scalar::String));
    let try_from = ctx.std("TryFrom");
    if is_string {
        let string = ctx.std("String");
        let into = ctx.std("Into");
        let as_ref = ctx.std("AsRef");
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            #[serde(transparent)]
            pub struct #n(#string);

            #statics

            impl #n {
                /// Check `value` against the constraints and wrap it.
                ///
                /// # Errors
                /// The constraint `value` breaks.
                pub fn new(value: impl #into<#string>) -> #result<Self, crate::ValidationError> {
                    let value = Self(#into::into(value));
                    crate::Validate::validate(&value)?;
                    #ok(value)
                }

                /// The text.
                pub fn as_str(&self) -> &str {
                    &self.0
                }

                /// The text, unwrapped.
                pub fn into_inner(self) -> #string {
                    self.0
                }
            }

            impl std::ops::Deref for #n {
                type Target = str;
                fn deref(&self) -> &str {
                    &self.0
                }
            }

            impl #as_ref<str> for #n {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }

            impl std::str::FromStr for #n {
                type Err = crate::ValidationError;
                fn from_str(value: &str) -> #result<Self, Self::Err> {
                    Self::new(value)
                }
            }

            impl #try_from<#string> for #n {
                type Error = crate::ValidationError;
                fn try_from(value: #string) -> #result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            impl #try_from<&str> for #n {
                type Error = crate::ValidationError;
                fn try_from(value: &str) -> #result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            #common
        }
    } else {
        let integer = matches!(ctx.api.types.kind(nt.inner), TypeKind::Scalar(Scalar::Int(_)));
        let eq = integer.then(|| quote!(Eq, Hash, Ord,));
        quote! {
            #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, #eq serde::Serialize, serde::Deserialize)]
            #[serde(transparent)]
            pub struct #n(#inner);

            #statics

            impl #n {
                /// Check `value` against the constraints and wrap it.
                ///
                /// # Errors
                /// The constraint `value` breaks.
                pub fn new(value: #inner) -> #result<Self, crate::ValidationError> {
                    let value = Self(value);
                    crate::Validate::validate(&value)?;
                    #ok(value)
                }

                /// The number.
                pub fn get(self) -> #inner {
                    self.0
                }
            }

            impl #try_from<#inner> for #n {
                type Error = crate::ValidationError;
                fn try_from(value: #inner) -> #result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            impl std::str::FromStr for #n {
                type Err = crate::ValidationError;
                fn from_str(value: &str) -> #result<Self, Self::Err> {
                    let parsed: #inner = value
                        .trim()
                        .parse()
                        .map_err(|_| crate::ValidationError::new(format!("`{value}` is not a number")))?;
                    Self::new(parsed)
                }
            }

            #common
        }
    }
}

/// Name of the `static` holding a type's pattern.
pub(super) fn pattern_static(name: &str) -> proc_macro2::Ident {
    format_ident!("{}_PATTERN", name.to_shouty_snake_case())
}

/// A number literal typed for `inner` (integer types get integers, floats get floats).
pub(super) fn number_literal(n: Number, float: bool) -> Option<Literal> {
    match (n, float) {
        (Number::Int(i), false) => Some(Literal::i64_unsuffixed(i)),
        (Number::Int(i), true) => Some(Literal::f64_unsuffixed(i as f64)),
        (Number::Float(f), true) if f.is_finite() => Some(Literal::f64_unsuffixed(f)),
        (Number::Float(_), _) => None,
    }
}
