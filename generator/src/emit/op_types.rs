//! The types an operation has of its own, written into the `types` module: its params struct
//! and the enum of its success responses.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::fields::param_form;
use super::signature::struct_params;
use super::tokens::{Ctx, Scope, ident};
use super::types::{boxed_variants, size_of};
use crate::ir::{Docs, MediaKind, Operation, ParamLocation, Response, StatusMatch};

/// The names of an operation's success variants (`Ok`, `Created`, `Status299`, ...).
pub fn success_variant_names(successes: &[&Response]) -> Vec<String> {
    let mut used: HashMap<String, usize> = HashMap::new();
    successes
        .iter()
        .map(|r| {
            let base = match r.status {
                StatusMatch::Code(200) => "Ok".to_string(),
                StatusMatch::Code(201) => "Created".to_string(),
                StatusMatch::Code(202) => "Accepted".to_string(),
                StatusMatch::Code(203) => "NonAuthoritative".to_string(),
                StatusMatch::Code(204) => "NoContent".to_string(),
                StatusMatch::Code(205) => "ResetContent".to_string(),
                StatusMatch::Code(206) => "PartialContent".to_string(),
                StatusMatch::Code(c) => format!("Status{c}"),
                StatusMatch::Range(_) | StatusMatch::Default => "Success".to_string(),
            };
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}{n}") }
        })
        .collect()
}

/// Which success variants hold their payload in a `Box`, to keep the enum small.
pub fn enum_boxed(ctx: &Ctx<'_>, successes: &[&Response]) -> Vec<bool> {
    let mut memo = HashMap::new();
    let sizes: Vec<usize> = successes
        .iter()
        .map(|r| match &r.body {
            Some(b) if b.media == MediaKind::Json => size_of(ctx, b.ty, &mut memo, 0),
            Some(_) => 24,
            None => 0,
        })
        .collect();
    boxed_variants(&sizes)
}

/// A type the operations need of their own: operation `op`'s params struct or success enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpItem {
    /// The params struct of operation `op` (an index into `Api::operations`).
    Params(usize),
    /// The enum of the success responses of operation `op`.
    Success(usize),
}

/// The types the operations need, by name, in operation order; [`type_item`] makes each.
pub fn type_items(ctx: &Ctx<'_>) -> Vec<(String, OpItem)> {
    let mut out = Vec::new();
    for (i, op) in ctx.api.operations.iter().enumerate() {
        if let Some(name) = &op.params_struct {
            out.push((name.clone(), OpItem::Params(i)));
        }
        if let Some(name) = &op.success_enum {
            out.push((name.clone(), OpItem::Success(i)));
        }
    }
    out
}

/// The code of a type [`type_items`] listed.
pub fn type_item(ctx: &Ctx<'_>, item: OpItem) -> TokenStream {
    match item {
        OpItem::Params(i) => {
            let op = &ctx.api.operations[i];
            op.params_struct.as_deref().map(|name| params_struct(ctx, op, name)).unwrap_or_default()
        }
        OpItem::Success(i) => {
            let op = &ctx.api.operations[i];
            op.success_enum.as_deref().map(|name| success_enum(ctx, op, name)).unwrap_or_default()
        }
    }
}

fn success_enum(ctx: &Ctx<'_>, op: &Operation, name: &str) -> TokenStream {
    let method = &op.name;
    let n = ident(name);
    let successes: Vec<&Response> = op.success_bodies().collect();
    let names = success_variant_names(&successes);
    let boxed = enum_boxed(ctx, &successes);
    let variants = successes.iter().zip(&names).zip(&boxed).map(|((r, v), b)| {
        let vi = ident(v);
        let status = match r.status {
            StatusMatch::Code(c) => c.to_string(),
            _ => "2XX".into(),
        };
        let doc = docs::attrs(
            &Docs { description: r.docs.description.clone(), ..Docs::default() },
            &[format!("Status {status}.")],
        );
        match &r.body {
            None => quote!(#doc #vi,),
            Some(body) => {
                let t = match body.media {
                    MediaKind::Text => ctx.std("String"),
                    MediaKind::Binary => quote!(bytes::Bytes),
                    _ => ctx.ty(body.ty, Scope::Types),
                };
                let t = if *b {
                    let bx = ctx.std("Box");
                    quote!(#bx<#t>)
                } else {
                    t
                };
                quote!(#doc #vi(#t),)
            }
        }
    });
    let doc = format!(" The successful responses of [`Client::{method}`](crate::Client::{method}).");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #n {
            #(#variants)*
        }
    }
}

fn params_struct(ctx: &Ctx<'_>, op: &Operation, name: &str) -> TokenStream {
    let n = ident(name);
    let option = ctx.std("Option");
    let params = struct_params(op);
    let mut fields = Vec::new();
    let mut required = Vec::new();
    let mut inits = Vec::new();
    let mut validated = Vec::new();
    for (_, p) in &params {
        let fi = ident(&p.name);
        let (ty_id, form) = param_form(ctx, p);
        let t = ctx.ty(ty_id, Scope::Types);
        let optional = form.layers() > 0;
        let ty = if optional { quote!(#option<#t>) } else { t.clone() };
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let doc = docs::attrs(&p.docs, &[format!("The `{}` {location} parameter.", p.wire_name.replace('`', "'"))]);
        fields.push(quote!(#doc pub #fi: #ty,));
        if optional {
            inits.push(quote!(#fi: None,));
        } else {
            required.push(quote!(#fi: #t));
            inits.push(quote!(#fi,));
        }
        if ctx.validated.contains(&p.ty) {
            validated.push(super::validate::check(ctx, ty_id, quote!(&self.#fi), form.layers(), &p.wire_name));
        }
    }
    let method = &op.name;
    let doc = format!(" Parameters of [`Client::{method}`](crate::Client::{method}).");
    let derive_default = required.is_empty().then(|| quote!(Default,));
    let mut out = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #n {
            #(#fields)*
        }
    };
    if !required.is_empty() && required.len() <= 6 {
        out.extend(quote! {
            impl #n {
                /// Parameters with the required ones set and the rest absent.
                pub fn new(#(#required),*) -> Self {
                    Self { #(#inits)* }
                }
            }
        });
    }
    if !validated.is_empty() {
        let result = ctx.std("Result");
        let ok = ctx.std("Ok");
        out.extend(quote! {
            impl crate::Validate for #n {
                fn validate(&self) -> #result<(), crate::ValidationError> {
                    #(#validated)*
                    #ok(())
                }
            }
        });
    }
    out
}
