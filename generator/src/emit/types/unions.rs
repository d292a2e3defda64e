//! Unions (`oneOf`/`anyOf`): internally tagged, keyed by a property only one variant has, or
//! untagged, as lowering settled.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs;
use super::super::feature::Feature;
use super::super::tokens::{Ctx, Scope, Serde, ident};
use super::super::validate;
use super::tolerance::tolerance;
use super::{boxed_variants, size_of};
use crate::ir::{Tagging, TypeId, TypeKind, UnionType};

/// `Tag value `cat`.` or `Tag values `cat` and `kitten`.` for a variant's docs.
fn tag_doc(tags: &[String]) -> Option<String> {
    let quoted: Vec<String> = tags.iter().map(|t| format!("`{}`", t.replace('`', "'"))).collect();
    match quoted.split_last()? {
        (only, []) => Some(format!("Tag value {only}.")),
        (last, rest) => Some(format!("Tag values {} and {last}.", rest.join(", "))),
    }
}

/// The enum of a union and its serde implementations.
pub(super) fn union_item(ctx: &Ctx<'_>, id: TypeId, name: &str, u: &UnionType) -> TokenStream {
    let gated = ctx.serde_gated(id, Serde::Deserialize);
    ctx.uses_gated(Feature::RawUnion, gated);
    if u.unknown_variant.is_some() {
        ctx.uses_gated(Feature::UnionUnknown, gated);
    }
    super::union_tolerance(ctx, u).record(ctx, Feature::TolerantUnion, gated);
    match u.tagging {
        Tagging::Internal { .. } => {
            ctx.uses_gated(Feature::TaggedUnion, gated);
            ctx.uses_gated(Feature::TaggedUnionSer, ctx.serde_gated(id, Serde::Serialize));
        }
        Tagging::Keyed { .. } => ctx.uses_gated(Feature::KeyedUnion, gated),
        Tagging::Untagged => ctx.uses_gated(Feature::UntaggedUnion, gated),
    }
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
    // `.map(Box::new)` after decoding a boxed variant.
    let wrap: Vec<Option<TokenStream>> = boxed
        .iter()
        .map(|b| {
            b.then(|| {
                let b = ctx.std("Box");
                quote!(.map(#b::new))
            })
        })
        .collect();
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let vi = ident(&v.name);
        let mut extra = Vec::new();
        if let Some(tags) = tag_doc(&v.tag_values) {
            extra.push(tags);
        }
        let doc = docs::attrs(&v.docs, &extra);
        let t = payload(i);
        quote! { #doc #vi(#t), }
    });
    // The variant that keeps a value of a kind this client does not know.
    let unknown = u.unknown_variant.as_deref().map(ident);
    let unknown_variant = unknown.as_ref().map(|vi| {
        quote! {
            /// A value of a kind this version of the client does not know, kept as the JSON it came as
            /// (and sent back unchanged).
            #vi(serde_json::Value),
        }
    });
    let err = ctx.std("Err");
    // Statements for a value no variant takes, given the error it would be: kept by that
    // variant (unless decoding strictly), else the error.
    let otherwise = |error: TokenStream| match &unknown {
        Some(vi) => quote! {
            let error = #error;
            crate::runtime::unknown(&raw, error).map(Self::#vi)
        },
        None => quote!(#err(#error)),
    };
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
        Tagging::Untagged | Tagging::Keyed { .. } => {
            let decode = match &u.tagging {
                // Each variant has a property no other has: decode by which one is there, so an
                // error names what is wrong inside that variant.
                Tagging::Keyed { keys } => {
                    let arms = u.variants.iter().enumerate().map(|(i, v)| {
                        let vi = ident(&v.name);
                        let wrap = &wrap[i];
                        let decode = quote!(serde_json::from_slice(json) #wrap .map(Self::#vi));
                        if i + 1 == u.variants.len() {
                            quote!(_ => #decode,)
                        } else {
                            let index = proc_macro2::Literal::usize_unsuffixed(i);
                            quote!(#index => #decode,)
                        }
                    });
                    // A value with none of the keys.
                    let otherwise = match &unknown {
                        Some(vi) => quote!(|error| crate::runtime::unknown(&raw, error).map(Self::#vi)),
                        None => quote!(#err),
                    };
                    quote! {
                        crate::runtime::deserialize_keyed(&raw, &[#(#keys),*], #otherwise, |key, json| match key {
                            #(#arms)*
                        })
                    }
                }
                // Variants are tried in order, each decoded from the value's JSON text.
                _ => {
                    let tries = tries(ctx, u, &boxed, 0..u.variants.len());
                    let otherwise = otherwise(quote!(crate::runtime::no_variant_fits(#name)));
                    quote! {
                        let json = raw.get().as_bytes();
                        #tries
                        #otherwise
                    }
                }
            };
            quote! {
                #[derive(Debug, Clone, PartialEq #serialize)]
                #untagged
                pub enum #n {
                    #(#variants)*
                    #unknown_variant
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
        Tagging::Internal { property, when_absent } => {
            let ser = u.variants.iter().map(|v| {
                let vi = ident(&v.name);
                let tags: Vec<&String> =
                    if v.tag_values.is_empty() { vec![&v.name] } else { v.tag_values.iter().collect() };
                quote!(Self::#vi(value) => crate::runtime::serialize_tagged(serializer, #property, &[#(#tags),*], value),)
            });
            // Sent back as it came.
            let ser_unknown =
                unknown.as_ref().map(|vi| quote!(Self::#vi(value) => serde::Serialize::serialize(value, serializer),));
            let some = ctx.std("Some");
            let none = ctx.std("None");
            let mut read_tags: Vec<&String> = Vec::new();
            let de = u.variants.iter().enumerate().map(|(i, v)| {
                let vi = ident(&v.name);
                let wrap = &wrap[i];
                // A value an earlier variant lists selects that variant (see `UnionVariant`).
                let tags: Vec<&String> = v.tag_values.iter().filter(|t| !read_tags.contains(t)).collect();
                read_tags.extend(tags.iter().copied());
                // Errors inside the variant name the tag it was selected by.
                match tags.as_slice() {
                    // Every value it has selects an earlier variant: it is only ever sent.
                    [] => quote!(),
                    [tag] => quote!(#some(#tag) => crate::runtime::variant(&raw, #tag) #wrap .map(Self::#vi),),
                    tags => {
                        quote!(#some(tag @ (#(#tags)|*)) => crate::runtime::variant(&raw, tag) #wrap .map(Self::#vi),)
                    }
                }
            });
            let missing = quote!(serde::de::Error::missing_field(#property));
            // Without the tag, the variants that do not require it may still fit.
            let absent = match when_absent.as_slice() {
                [] => quote!(#err(#missing)),
                [only] => {
                    let v = &u.variants[*only];
                    let vi = ident(&v.name);
                    let name = v.tag_values.first().map_or(v.name.as_str(), String::as_str);
                    let wrap = &wrap[*only];
                    quote!(crate::runtime::variant(&raw, #name) #wrap .map(Self::#vi))
                }
                several => {
                    let tries = tries(ctx, u, &boxed, several.iter().copied());
                    quote! {{
                        let json = raw.get().as_bytes();
                        #tries
                        #err(#missing)
                    }}
                }
            };
            let mut all_tags: Vec<&String> = Vec::new();
            for tag in u.variants.iter().flat_map(|v| v.tag_values.iter()) {
                if !all_tags.contains(&tag) {
                    all_tags.push(tag);
                }
            }
            // An unlisted tag is a kind this client does not know.
            let unlisted = otherwise(quote!(serde::de::Error::unknown_variant(other, &[#(#all_tags),*])));
            quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #n {
                    #(#variants)*
                    #unknown_variant
                }

                #ser_cfg
                impl serde::Serialize for #n {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                        match self {
                            #(#ser)*
                            #ser_unknown
                        }
                    }
                }

                #de_cfg
                impl<'de> serde::Deserialize<'de> for #n {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        let raw = crate::runtime::raw_json(deserializer)?;
                        match crate::runtime::tag_of::<D::Error>(&raw, #property)?.as_deref() {
                            #(#de)*
                            #none => #absent,
                            #some(other) => { #unlisted }
                        }
                    }
                }
            }
        }
    };
    out.extend(from_payloads(ctx, id, name, u, &boxed));
    if ctx.validated.contains(&id) {
        out.extend(validate::union_impl(ctx, name, u));
    }
    out
}

/// `From<T>` for each variant whose payload type `T` no other variant has (the unknown kind's
/// `serde_json::Value` included), so `Union::from(value)` and `.into()` build it; for unions
/// requests carry (see [`super::sent`]).
fn from_payloads(ctx: &Ctx<'_>, id: TypeId, name: &str, u: &UnionType, boxed: &[bool]) -> TokenStream {
    if !super::sent(ctx, id) {
        return TokenStream::new();
    }
    let n = ident(name);
    let from = ctx.std("From");
    let payloads: Vec<String> = u.variants.iter().map(|v| ctx.ty(v.ty, Scope::Types).to_string()).collect();
    let json = quote!(serde_json::Value).to_string();
    let impls = u.variants.iter().enumerate().filter_map(|(i, v)| {
        let unique = payloads.iter().filter(|p| **p == payloads[i]).count() == 1
            && !(u.unknown_variant.is_some() && payloads[i] == json);
        // A variant holding the union itself would clash with `From<T> for T`.
        if !unique || ctx.api.types.resolve(v.ty) == id {
            return None;
        }
        let vi = ident(&v.name);
        let t = ctx.ty(v.ty, Scope::Types);
        let value = if boxed[i] {
            let b = ctx.std("Box");
            quote!(#b::new(value))
        } else {
            quote!(value)
        };
        Some(quote! {
            impl #from<#t> for #n {
                fn from(value: #t) -> Self {
                    Self::#vi(#value)
                }
            }
        })
    });
    quote!(#(#impls)*)
}

/// Statements that return the first of the variants at `indices` that the JSON text `json`
/// decodes as: an open enum that is not lenient only as one of its listed values, a lenient
/// number or date through the runtime's `Tolerant`, anything else as itself.
fn tries(ctx: &Ctx<'_>, u: &UnionType, boxed: &[bool], indices: impl Iterator<Item = usize>) -> TokenStream {
    let ok = ctx.std("Ok");
    let some = ctx.std("Some");
    let tries = indices.map(|i| {
        let v = &u.variants[i];
        let vi = ident(&v.name);
        let value = if boxed[i] {
            let b = ctx.std("Box");
            quote!(#b::new(value))
        } else {
            quote!(value)
        };
        let resolved = ctx.api.types.resolve(v.ty);
        match (&ctx.api.types.get(resolved).kind, &ctx.api.types.get(resolved).name) {
            (TypeKind::Enum(e), Some(enum_name)) if !v.lenient => {
                let (e_ident, unknown) = (ident(enum_name), ident(&e.unknown_variant));
                quote! {
                    if let #some(value) = serde_json::from_slice::<#e_ident>(json)
                        .ok()
                        .filter(|value| !matches!(value, #e_ident::#unknown(_)))
                    {
                        return #ok(Self::#vi(#value));
                    }
                }
            }
            _ if v.lenient && tolerance(ctx, v.ty).any() => quote! {
                if let #ok(value) = crate::runtime::from_slice_tolerant(json) {
                    return #ok(Self::#vi(#value));
                }
            },
            _ => quote! {
                if let #ok(value) = serde_json::from_slice(json) {
                    return #ok(Self::#vi(#value));
                }
            },
        }
    });
    quote!(#(#tries)*)
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

    #[test]
    fn only_unions_responses_carry_keep_unknown_kinds_and_only_sent_ones_convert() {
        let text = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"post": {"operationId": "send",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Sent"}}}},
                "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Got"}}}}}}}},
            "components": {"schemas": {
                "Sent": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "Got": {"oneOf": [{"type": "boolean"}, {"type": "integer"}]}
            }}}"##;
        let krate = crate::generate_from_str("t.json", text, &crate::Options::new("t")).expect("generates");
        let types = &krate.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
        let sent = &types[types.find("pub enum Sent").expect("Sent")..];
        assert!(!sent[..sent.find('}').unwrap_or(0)].contains("Unknown"), "{types}");
        let got = &types[types.find("pub enum Got").expect("Got")..];
        assert!(got[..got.find('}').unwrap_or(0)].contains("Unknown(serde_json::Value),"), "{types}");
        // Users build what they send; a conversion into a response's union would be unused code.
        let converts_into =
            |t: &str| types.lines().any(|l| l.starts_with("impl From<") && l.ends_with(&format!("> for {t} {{")));
        assert!(converts_into("Sent") && !converts_into("Got"), "{types}");
    }
}
