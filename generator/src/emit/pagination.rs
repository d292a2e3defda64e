//! The methods a cursor-paginated operation adds: a stream of its pages and one of their items.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::feature::Feature;
use super::fields::field_form;
use super::signature::{path_arg, path_in_struct, success_type};
use super::tokens::{Ctx, Scope, ident};
use crate::ir::{FieldStep, Operation, TypeKind};

/// `<op>_pages` and `<op>_stream` for a cursor-paginated operation.
pub fn paginated(ctx: &Ctx<'_>, op: &Operation, p: &crate::ir::Pagination) -> TokenStream {
    let Some(params_struct) = &op.params_struct else { return quote!() };
    ctx.uses(Feature::Pagination);
    let base = ident(&op.name);
    let pages = ident(&p.pages_method);
    let stream = ident(&p.stream_method);
    let ps = ident(params_struct);
    let page_ty = success_type(ctx, op);
    let item = ctx.ty(p.item, Scope::Crate);
    let moved = path_in_struct(op);
    let mut args = Vec::new();
    let mut call_args = Vec::new();
    if !moved {
        for (_, param) in op.path_params() {
            let n = ident(&param.name);
            let (t, _) = path_arg(ctx, param.ty, Some(quote!('a)));
            args.push(quote!(#n: #t));
            call_args.push(quote!(#n));
        }
    }
    let body_arg = op.body.as_ref().map(|_| quote!(, None));
    let cursor = &op.params[p.cursor_param];
    let cursor_field = ident(&cursor.name);
    let set_cursor = if cursor.required {
        quote!(|params, cursor| params.#cursor_field = cursor)
    } else {
        quote!(|params, cursor| params.#cursor_field = Some(cursor))
    };
    let (more, next) = next_cursor(ctx, &page_ty, p);
    let extract = extract_items(ctx, &page_ty, p);
    let id = &op.id;
    // The wrappers of a deprecated operation are deprecated too, and must call it.
    let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let pages_doc = docs::lines_to_attrs(&[
        format!(
            "Every page of [`Self::{}`], following the cursor until the last page. Takes the same \
             arguments; `params` is the first page's (its cursor is replaced for the pages after).",
            op.name
        ),
        "Ends after the first error; a server that repeats a cursor, or says more pages follow \
         without giving a cursor, ends it with [`Error::Pagination`](crate::Error::Pagination)."
            .to_owned(),
    ]);
    let stream_doc = docs::lines_to_attrs(&[format!(
        "Every item of every page of [`Self::{}`], in order (see [`Self::{}`]).",
        op.name, p.pages_method
    )]);
    quote! {
        #pages_doc
        #deprecated
        pub fn #pages<'a>(&'a self, #(#args,)* params: &types::#ps)
            -> impl Stream<Item = Result<Response<#page_ty>, Error>> + Send + 'a {
            crate::runtime::pagination::pages(
                #id,
                params.clone(),
                move |params| async move { self.#base(#(#call_args,)* &params #body_arg).await },
                #set_cursor,
                #more,
                #next,
            )
        }

        #stream_doc
        #deprecated
        pub fn #stream<'a>(&'a self, #(#args,)* params: &types::#ps)
            -> impl Stream<Item = Result<#item, Error>> + Send + 'a {
            crate::runtime::pagination::items(self.#pages(#(#call_args,)* params), #extract)
        }
    }
}

/// The field and its shape at a step.
fn step_field<'c>(ctx: &'c Ctx<'_>, step: &FieldStep) -> Option<&'c crate::ir::Field> {
    match &ctx.api.types.get(step.ty).kind {
        TypeKind::Struct(s) => s.fields.get(step.field),
        _ => None,
    }
}

/// `|page: &T| -> Option<bool>`, whether the page says more follow (`|_| None` when pages do
/// not say), and `|page: &T| -> Option<String>`, where the next page starts.
fn next_cursor(ctx: &Ctx<'_>, page_ty: &TokenStream, p: &crate::ir::Pagination) -> (TokenStream, TokenStream) {
    // The last field's value (cloned unless `copy`), and whether it is an `Option`; optional
    // fields on the way are unwrapped with `?`.
    let access = |path: &[FieldStep], copy: bool| -> (TokenStream, bool) {
        let mut expr = quote!(page);
        let mut last_optional = false;
        for (i, step) in path.iter().enumerate() {
            let Some(f) = step_field(ctx, step) else { break };
            let fi = ident(&f.name);
            expr = quote!(#expr.#fi);
            let layers = field_form(ctx, f).layers();
            if i + 1 < path.len() {
                expr = match layers {
                    0 => expr,
                    1 => quote!(#expr.as_ref()?),
                    _ => quote!(#expr.as_ref()?.as_ref()?),
                };
            }
            last_optional = layers > 0;
            if i + 1 == path.len() && layers == 2 {
                return (if copy { quote!(#expr.flatten()) } else { quote!(#expr.clone().flatten()) }, true);
            }
        }
        (if copy { expr } else { quote!(#expr.clone()) }, last_optional)
    };
    let more = match &p.has_more {
        Some(path) => {
            let (e, optional) = access(path, true);
            let value = if optional { e } else { quote!(Some(#e)) };
            quote!(|page: &#page_ty| -> Option<bool> { #value })
        }
        None => quote!(|_| None),
    };
    let (cursor, optional) = access(&p.next_cursor, false);
    let value = if optional { cursor } else { quote!(Some(#cursor)) };
    (more, quote!(|page: &#page_ty| -> Option<String> { #value }))
}

/// `|page: T| -> Vec<Item>`: the items of one page.
fn extract_items(ctx: &Ctx<'_>, page_ty: &TokenStream, p: &crate::ir::Pagination) -> TokenStream {
    let fields: Vec<&crate::ir::Field> = p.items.iter().map_while(|step| step_field(ctx, step)).collect();
    let Some((last, outer)) = fields.split_last() else {
        return quote!(|page: #page_ty| page);
    };
    // Required fields are a plain access path; each optional one unwraps or ends with no items.
    let mut steps = Vec::new();
    let mut access = quote!(page);
    for f in outer {
        let fi = ident(&f.name);
        let pattern = match field_form(ctx, f).layers() {
            0 => {
                access = if f.boxed { quote!((*#access.#fi)) } else { quote!(#access.#fi) };
                continue;
            }
            1 => quote!(Some(page)),
            _ => quote!(Some(Some(page))),
        };
        steps.push(quote!(let #pattern = #access.#fi else { return Vec::new(); };));
        access = if f.boxed { quote!((*page)) } else { quote!(page) };
    }
    let fi = ident(&last.name);
    let items = match field_form(ctx, last).layers() {
        0 => quote!(#access.#fi),
        1 => quote!(#access.#fi.unwrap_or_default()),
        _ => quote!(#access.#fi.flatten().unwrap_or_default()),
    };
    if steps.is_empty() {
        return quote!(|page: #page_ty| #items);
    }
    quote! {
        |page: #page_ty| {
            #(#steps)*
            #items
        }
    }
}
