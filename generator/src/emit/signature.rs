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

/// The type of a path parameter argument: `&str` for strings, by value for `Copy`, else `&T`;
/// references get `lifetime` when given.
pub fn path_arg_type(ctx: &Ctx<'_>, ty: TypeId, lifetime: Option<TokenStream>) -> TokenStream {
    if ctx.is_copy(ty) {
        return ctx.ty(ty, Scope::Crate);
    }
    let target = if ctx.is_string(ty) { quote!(str) } else { ctx.ty(ty, Scope::Crate) };
    quote!(&#lifetime #target)
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
