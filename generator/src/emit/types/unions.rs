//! Unions (`oneOf`/`anyOf`): internally tagged, keyed by a property only one variant has, or
//! untagged.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs;
use super::super::tokens::{Ctx, Scope, Serde, ident};
use super::super::validate;
use super::{boxed_variants, size_of};
use crate::ir::{StructType, Tagging, TypeId, TypeKind, UnionType};

/// The enum of a union and its serde implementations.
pub(super) fn union_item(ctx: &Ctx<'_>, id: TypeId, name: &str, u: &UnionType) -> TokenStream {
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
    let ser_cfg = ctx.serde_cfg(id, Serde::Serialize);
    let de_cfg = ctx.serde_cfg(id, Serde::Deserialize);
    // The untagged ones derive `Serialize`, under the same condition.
    let (serialize, untagged) = match ctx.serde_gated(id, Serde::Serialize) {
        false => (quote!(, serde::Serialize), quote!(#[serde(untagged)])),
        true => {
            let feature = crate::emit::FULL_SERDE;
            (quote!(), quote!(#[cfg_attr(feature = #feature, derive(serde::Serialize), serde(untagged))]))
        }
    };
    let mut out = match &u.tagging {
        Tagging::Untagged => {
            let decode = match keys(ctx, u) {
                // Each variant has a property no other has: decode by which one is there, so an
                // error names what is wrong inside that variant.
                Some(keys) => {
                    let arms = u.variants.iter().enumerate().map(|(i, v)| {
                        let vi = ident(&v.name);
                        let wrap = boxed[i].then(|| {
                            let b = ctx.std("Box");
                            quote!(.map(#b::new))
                        });
                        let decode = quote!(serde_json::from_slice(json) #wrap .map(Self::#vi));
                        if i + 1 == u.variants.len() {
                            quote!(_ => #decode,)
                        } else {
                            let index = proc_macro2::Literal::usize_unsuffixed(i);
                            quote!(#index => #decode,)
                        }
                    });
                    quote! {
                        crate::runtime::deserialize_keyed(&raw, &[#(#keys),*], |key, json| match key {
                            #(#arms)*
                        })
                    }
                }
                // Variants are tried in order, each decoded from the value's JSON text.
                None => {
                    let ok = ctx.std("Ok");
                    let tries = u.variants.iter().enumerate().map(|(i, v)| {
                        let vi = ident(&v.name);
                        let value = if boxed[i] {
                            let b = ctx.std("Box");
                            quote!(#b::new(value))
                        } else {
                            quote!(value)
                        };
                        quote! {
                            if let #ok(value) = serde_json::from_slice(json) {
                                return #ok(Self::#vi(#value));
                            }
                        }
                    });
                    let err = ctx.std("Err");
                    quote! {
                        let json = raw.get().as_bytes();
                        #(#tries)*
                        #err(crate::runtime::no_variant_fits(#name))
                    }
                }
            };
            quote! {
                #[derive(Debug, Clone, PartialEq #serialize)]
                #untagged
                pub enum #n {
                    #(#variants)*
                }

                #de_cfg
                impl<'de> serde::Deserialize<'de> for #n {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        let raw = crate::runtime::raw_json(deserializer)?;
                        #decode
                    }
                }
            }
        }
        Tagging::Internal { property } => {
            let ser = u.variants.iter().map(|v| {
                let vi = ident(&v.name);
                let tags: Vec<&String> =
                    if v.tag_values.is_empty() { vec![&v.name] } else { v.tag_values.iter().collect() };
                quote!(Self::#vi(value) => crate::runtime::serialize_tagged(serializer, #property, &[#(#tags),*], value),)
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
                let name = tags.first().map_or(v.name.as_str(), String::as_str);
                quote!(#(#tags)|* => crate::runtime::variant(&raw, #name) #wrap .map(Self::#vi),)
            });
            let all_tags: Vec<&String> = u.variants.iter().flat_map(|v| v.tag_values.iter()).collect();
            let err = ctx.std("Err");
            quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #n {
                    #(#variants)*
                }

                #ser_cfg
                impl serde::Serialize for #n {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                        match self {
                            #(#ser)*
                        }
                    }
                }

                #de_cfg
                impl<'de> serde::Deserialize<'de> for #n {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        let raw = crate::runtime::raw_json(deserializer)?;
                        let tag = crate::runtime::tag_of::<D::Error>(&raw, #property)?;
                        match tag.as_str() {
                            #(#de)*
                            other => #err(serde::de::Error::unknown_variant(other, &[#(#all_tags),*])),
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

/// For an untagged union of objects where every variant requires a property that no other
/// variant has (`vcs`, `external`, `internal`), those properties in variant order.
pub(in super::super) fn keys(ctx: &Ctx<'_>, u: &UnionType) -> Option<Vec<String>> {
    if u.tagging != Tagging::Untagged || u.variants.len() < 2 {
        return None;
    }
    let structs: Vec<&StructType> = u
        .variants
        .iter()
        .map(|v| match ctx.api.types.kind(v.ty) {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        })
        .collect::<Option<_>>()?;
    structs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let elsewhere = |wire: &str| {
                structs.iter().enumerate().any(|(j, o)| j != i && o.fields.iter().any(|f| f.wire_name == wire))
            };
            s.fields.iter().find(|f| f.required && !f.nullable && !elsewhere(&f.wire_name)).map(|f| f.wire_name.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::types_rs;

    #[test]
    fn a_required_key_only_one_variant_has_keys_the_union() {
        let keyed = types_rs(
            r#"{"U": {"oneOf": [
                {"type": "object", "required": ["vcs"], "properties": {"vcs": {"type": "string"}, "region": {"type": "string"}}},
                {"type": "object", "required": ["external"], "properties": {"external": {"type": "string"}, "region": {"type": "string"}}}
            ]}}"#,
        );
        assert!(keyed.contains(r#"&["vcs", "external"]"#), "{keyed}");
        // A key the other variant may also have does not tell them apart.
        let untagged = types_rs(
            r#"{"U": {"oneOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                {"type": "object", "required": ["b"], "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}
            ]}}"#,
        );
        assert!(!untagged.contains("deserialize_keyed") && untagged.contains("#[serde(untagged)]"), "{untagged}");
    }
}
