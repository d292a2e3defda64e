//! An operation's method signature, which its method, its params struct and its pagination
//! wrappers share: which parameters are arguments and which travel in the params struct, how
//! each is passed, and the type a success decodes to.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{Ctx, Scope, ident};
use crate::ir::{MediaKind, Operation, Param, ParamLocation, TypeId};

/// Most arguments a method may take before path parameters move into its params struct
/// (clippy's `too_many_arguments` allows 7, `self` included).
const MAX_ARGS: usize = 7;

/// Whether the operation's path parameters travel in its params struct.
pub fn path_in_struct(op: &Operation) -> bool {
    let path = op.path_params().count();
    let params = usize::from(op.params_struct.is_some());
    let body = usize::from(op.body.is_some());
    op.params_struct.is_some() && 1 + path + params + body > MAX_ARGS
}

/// The parameters that are fields of the params struct.
pub fn struct_params(op: &Operation) -> Vec<(usize, &Param)> {
    let moved = path_in_struct(op);
    op.params.iter().enumerate().filter(|(_, p)| moved || p.location != ParamLocation::Path).collect()
}

/// A reference to the value of parameter `p` inside the method.
pub fn param_ref(ctx: &Ctx<'_>, op: &Operation, p: &Param) -> TokenStream {
    let name = ident(&p.name);
    if p.location != ParamLocation::Path || path_in_struct(op) {
        quote!(&params.#name)
    } else if ctx.is_copy(p.ty) {
        // `Copy` path arguments are taken by value (see `path_arg_type`).
        quote!(&#name)
    } else {
        quote!(#name)
    }
}

/// How a method takes one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passing {
    /// `&str`.
    Str,
    /// `&T`.
    Ref,
    /// `Option<&str>`.
    OptionStr,
    /// `Option<&T>`.
    OptionRef,
    /// `T`, by value.
    Value,
    /// `Option<T>`, by value.
    OptionValue,
}

impl Passing {
    /// The same, or wrapped in an `Option` when the argument may be left out.
    fn optional(self, optional: bool) -> Passing {
        match (self, optional) {
            (_, false) => self,
            (Passing::Str, true) => Passing::OptionStr,
            (Passing::Ref, true) => Passing::OptionRef,
            (Passing::Value, true) => Passing::OptionValue,
            (other, true) => other,
        }
    }
}

/// One argument of an operation's method.
pub struct Argument {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: TokenStream,
    /// How it is taken.
    pub passing: Passing,
}

/// The arguments of `op`'s method after `&self`, in order: the path parameters (unless they
/// travel in the params struct), the params struct, the body. The method is written from
/// this, and code that calls it (an MCP server's tools) asks it too.
pub fn arguments(ctx: &Ctx<'_>, op: &Operation) -> Vec<Argument> {
    let mut out = Vec::new();
    if !path_in_struct(op) {
        for (_, p) in op.path_params() {
            let (ty, passing) = path_arg(ctx, p.ty, None);
            out.push(Argument { name: p.name.clone(), ty, passing });
        }
    }
    if let Some(ps) = &op.params_struct {
        let t = ctx.types_item(ps);
        out.push(Argument { name: "params".into(), ty: quote!(&#t), passing: Passing::Ref });
    }
    if let Some(b) = &op.body {
        let (t, passing) = match b.media {
            MediaKind::Binary => (quote!(bytes::Bytes), Passing::Value),
            MediaKind::Text => (quote!(&str), Passing::Str),
            _ => {
                let t = ctx.ty(b.ty, Scope::Crate);
                (quote!(&#t), Passing::Ref)
            }
        };
        let ty = if b.required { t } else { quote!(Option<#t>) };
        out.push(Argument { name: "body".into(), ty, passing: passing.optional(!b.required) });
    }
    out
}

/// The type of a path parameter argument, and how it is taken: `&str` for strings, by value
/// for `Copy`, else `&T`; references get `lifetime` when given.
pub fn path_arg(ctx: &Ctx<'_>, ty: TypeId, lifetime: Option<TokenStream>) -> (TokenStream, Passing) {
    if ctx.is_copy(ty) {
        return (ctx.ty(ty, Scope::Crate), Passing::Value);
    }
    if ctx.is_string(ty) {
        return (quote!(&#lifetime str), Passing::Str);
    }
    let target = ctx.ty(ty, Scope::Crate);
    (quote!(&#lifetime #target), Passing::Ref)
}

/// The decoded type of a success response.
pub fn success_type(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if let Some(name) = &op.success_enum {
        return ctx.types_item(name);
    }
    match op.success_bodies().find_map(|r| r.body.as_ref()) {
        None => quote!(()),
        Some(b) => match b.media {
            MediaKind::Text => quote!(String),
            MediaKind::Binary => quote!(bytes::Bytes),
            _ => ctx.ty(b.ty, Scope::Crate),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::Passing;

    /// How each argument is taken, as the client's methods are written and callers are told.
    #[test]
    fn arguments_say_how_they_are_taken() {
        let text = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
            "/a/{id}/{n}": {"post": {"operationId": "a",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "n", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"204": {"description": "ok"}}}},
            "/b": {"post": {"operationId": "b",
                "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
                "responses": {"204": {"description": "ok"}}}}}}"##;
        let (docs, _) = crate::load::Documents::from_text("t.json", text).expect("loads");
        let api = crate::lower::lower(&docs).expect("lowers").0;
        let methods = super::super::method_arguments(&api);
        let a: Vec<(&str, Passing)> = methods["a"].iter().map(|(n, p)| (n.as_str(), *p)).collect();
        assert_eq!(
            a,
            [("id", Passing::Str), ("n", Passing::Value), ("params", Passing::Ref), ("body", Passing::OptionRef)]
        );
        assert_eq!(methods["b"], [("body".to_string(), Passing::Str)]);
        // The method is written from the same list.
        let krate = crate::generate_from_str("t.json", text, &crate::Options::new("t")).expect("generates");
        let ops = &krate.files.iter().find(|f| f.path == "src/operations.rs").expect("operations.rs").contents;
        assert!(
            ops.contains(
                "id: &str,\n        n: i64,\n        params: &types::AParams,\n        body: Option<&std::collections::BTreeMap"
            ),
            "{ops}"
        );
    }
}
