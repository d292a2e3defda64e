//! Operation methods on `Client`, and the parameter and response types they use.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::op_docs;
use super::tokens::{Ctx, Scope, ident};
use super::types::{boxed_variants, size_of};
use crate::ir::{
    Docs, FieldStep, MediaKind, Method, Operation, Param, ParamLocation, ParamStyle, PathPart, Response, Scalar,
    StatusMatch, TypeId, TypeKind,
};

/// Most arguments a method may take before path parameters move into its params struct
/// (clippy's `too_many_arguments` allows 7, `self` included).
const MAX_ARGS: usize = 7;

/// Whether the operation's path parameters travel in its params struct.
fn path_in_struct(op: &Operation) -> bool {
    let path = op.path_params().count();
    let params = usize::from(op.params_struct.is_some());
    let body = usize::from(op.body.is_some());
    op.params_struct.is_some() && 1 + path + params + body > MAX_ARGS
}

/// The parameters that are fields of the params struct.
fn struct_params(op: &Operation) -> Vec<(usize, &Param)> {
    let moved = path_in_struct(op);
    op.params.iter().enumerate().filter(|(_, p)| moved || p.location != ParamLocation::Path).collect()
}

/// The `operations` module: `impl Client { ... }`.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let mut methods = TokenStream::new();
    for op in &ctx.api.operations {
        methods.extend(method(ctx, op));
        if let Some(p) = &op.pagination {
            methods.extend(paginated(ctx, op, p));
        }
    }
    // Import only what the methods name, so no API leaves an unused import behind.
    let text = methods.to_string();
    let futures = text.contains("impl Stream").then(|| {
        quote!(
            use futures::Stream;
        )
    });
    let runtime = if text.contains("Style ::") {
        quote!(
            use crate::runtime::{Request, Style};
        )
    } else {
        quote!(
            use crate::runtime::Request;
        )
    };
    let types = text.contains("types ::").then(|| quote!(types,));
    quote! {
        //! One method per operation.

        #futures

        #runtime
        use crate::{#types Client, Error, Response};

        impl Client {
            #methods
        }
    }
}

/// How the value of parameter `p` is reached inside the method.
/// A reference to the value of parameter `p` inside the method.
fn param_ref(ctx: &Ctx<'_>, op: &Operation, p: &Param) -> TokenStream {
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
fn path_arg_type(ctx: &Ctx<'_>, ty: TypeId, lifetime: Option<TokenStream>) -> TokenStream {
    if ctx.is_copy(ty) {
        return ctx.ty(ty, Scope::Crate);
    }
    let target = if ctx.is_string(ty) { quote!(str) } else { ctx.ty(ty, Scope::Crate) };
    quote!(&#lifetime #target)
}

/// The decoded type of a success response.
fn success_type(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if let Some(name) = &op.success_enum {
        let n = ident(name);
        return quote!(types::#n);
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

fn method(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let moved = path_in_struct(op);
    let doc = op_docs::method_docs(ctx, op, moved);
    let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated]));
    let mut args: Vec<TokenStream> = Vec::new();
    if !moved {
        for (_, p) in op.path_params() {
            let n = ident(&p.name);
            let t = path_arg_type(ctx, p.ty, None);
            args.push(quote!(#n: #t));
        }
    }
    if let Some(ps) = &op.params_struct {
        let t = ident(ps);
        args.push(quote!(params: &types::#t));
    }
    if let Some(b) = &op.body {
        let t = match b.media {
            MediaKind::Binary => quote!(bytes::Bytes),
            MediaKind::Text => quote!(&str),
            _ => {
                let t = ctx.ty(b.ty, Scope::Crate);
                quote!(&#t)
            }
        };
        args.push(if b.required { quote!(body: #t) } else { quote!(body: Option<#t>) });
    }
    let ok = success_type(ctx, op);

    // The path: a literal when it has no parameters, else built segment by segment.
    let mut path_code = Vec::new();
    let capacity = proc_macro2::Literal::usize_unsuffixed(op.path.len() + 16);
    let all_literal = op.segments.iter().all(|s| matches!(s, PathPart::Literal(_)));
    if all_literal {
        let literal: String =
            op.segments.iter().map(|s| if let PathPart::Literal(l) = s { l.as_str() } else { "" }).collect();
        path_code.push(quote!(let path = String::from(#literal);));
    } else {
        path_code.push(quote!(let mut path = String::with_capacity(#capacity);));
    }
    for part in &op.segments {
        match part {
            PathPart::Literal(_) if all_literal => {}
            PathPart::Literal(l) if l.chars().count() == 1 => {
                let c = l.chars().next().unwrap_or('/');
                path_code.push(quote!(path.push(#c);));
            }
            PathPart::Literal(l) => path_code.push(quote!(path.push_str(#l);)),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let wire = &p.wire_name;
                let expr = param_ref(ctx, op, p);
                path_code.push(quote!(crate::runtime::push_segment(&mut path, #wire, #expr)?;));
            }
        }
    }

    // Validation of what is sent.
    let mut validation = Vec::new();
    if op.params_struct.is_some() && struct_params(op).iter().any(|(_, p)| ctx.validated.contains(&p.ty)) {
        validation.push(quote!(crate::runtime::validated("", params)?;));
    }
    if !moved {
        for (_, p) in op.path_params().filter(|(_, p)| ctx.validated.contains(&p.ty)) {
            let r = param_ref(ctx, op, p);
            let wire = &p.wire_name;
            validation.push(quote!(crate::runtime::validated(#wire, #r)?;));
        }
    }
    if let Some(b) = op.body.as_ref().filter(|b| ctx.validated.contains(&b.ty)) {
        validation.push(if b.required {
            quote!(crate::runtime::validated("", body)?;)
        } else {
            quote!(if let Some(body) = body {
                crate::runtime::validated("", body)?;
            })
        });
    }

    // Parameters.
    let method_tokens = method_path(op.method);
    let id = &op.id;
    let template = &op.path;
    let mut setup = Vec::new();
    if !op.authenticated && ctx.api.auth.is_some() {
        setup.push(quote!(.anonymous()));
    }
    if let Some(accept) = success_accept(op) {
        setup.push(quote!(.accept(#accept)));
    }
    let mut param_code = Vec::new();
    for (_, p) in op.params.iter().enumerate().filter(|(_, p)| p.location != ParamLocation::Path) {
        let n = ident(&p.name);
        let wire = &p.wire_name;
        match p.location {
            ParamLocation::Query => {
                let style = match p.style {
                    ParamStyle::Form { explode } => quote!(Style::Form { explode: #explode }),
                    ParamStyle::SpaceDelimited => quote!(Style::SpaceDelimited),
                    ParamStyle::PipeDelimited => quote!(Style::PipeDelimited),
                    ParamStyle::DeepObject => quote!(Style::DeepObject),
                    ParamStyle::Simple => quote!(Style::Form { explode: false }),
                };
                param_code.push(quote!(request.query(#wire, &params.#n, #style)?;));
            }
            ParamLocation::Header => {
                let lower = wire.to_ascii_lowercase();
                param_code.push(quote!(request.header(#lower, &params.#n)?;));
            }
            ParamLocation::Cookie => param_code.push(quote!(request.cookie(#wire, &params.#n)?;)),
            ParamLocation::Path => {}
        }
    }
    if let Some(b) = &op.body {
        let send = match b.media {
            MediaKind::Json => quote!(request.json(body)?;),
            MediaKind::Form => quote!(request.form(body)?;),
            MediaKind::Multipart => multipart(ctx, b.ty),
            MediaKind::Binary => {
                let ct = &b.content_type;
                quote!(request.raw(#ct, body);)
            }
            MediaKind::Text => {
                let ct = &b.content_type;
                quote!(request.raw(#ct, body.to_owned());)
            }
        };
        param_code.push(if b.required { send } else { quote!(if let Some(body) = body { #send }) });
    }
    let mutable = if param_code.is_empty() { quote!() } else { quote!(mut) };
    let arms = response_arms(ctx, op);
    quote! {
        #doc
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<Response<#ok>, Error> {
            #(#validation)*
            #(#path_code)*
            let #mutable request = Request::new(#id, #method_tokens, #template, path) #(#setup)*;
            #(#param_code)*
            let response = self.send(request).await?;
            match response.status() {
                #(#arms)*
            }
        }
    }
}

fn method_path(m: Method) -> TokenStream {
    let name = format_ident!("{}", m.as_str());
    quote!(reqwest::Method::#name)
}

/// The `Accept` header when the success body is not JSON.
fn success_accept(op: &Operation) -> Option<&'static str> {
    let body = op.success_bodies().find_map(|r| r.body.as_ref())?;
    match body.media {
        MediaKind::Text => Some("text/plain, */*"),
        MediaKind::Binary => Some("*/*"),
        _ => None,
    }
}

/// A multipart body built field by field: raw bytes as files, the rest as text or JSON.
fn multipart(ctx: &Ctx<'_>, ty: TypeId) -> TokenStream {
    let TypeKind::Struct(s) = ctx.api.types.kind(ty) else {
        return quote! {
            let mut form = crate::runtime::Multipart::new();
            form.field("body", body)?;
            request.multipart(form);
        };
    };
    let parts = s.fields.iter().map(|f| {
        let fi = ident(&f.name);
        let wire = &f.wire_name;
        let binary = matches!(ctx.api.types.kind(f.ty), TypeKind::Scalar(Scalar::Bytes | Scalar::Base64));
        let optional = !f.required || f.nullable;
        match (binary, optional) {
            (true, false) => quote!(form.file(#wire, &body.#fi.0);),
            (true, true) => quote!(if let Some(file) = &body.#fi { form.file(#wire, &file.0); }),
            (false, _) => quote!(form.field(#wire, &body.#fi)?;),
        }
    });
    quote! {
        let mut form = crate::runtime::Multipart::new();
        #(#parts)*
        request.multipart(form);
    }
}

/// How to decode each status.
fn response_arms(ctx: &Ctx<'_>, op: &Operation) -> Vec<TokenStream> {
    let decode = |r: &Response| -> TokenStream {
        match r.body.as_ref().map(|b| (b.media, b.ty)) {
            None => quote!(response.empty()),
            Some((MediaKind::Text, _)) => quote!(response.text()),
            Some((MediaKind::Binary, _)) => quote!(response.bytes()),
            Some((_, ty)) => {
                let t = ctx.ty(ty, Scope::Crate);
                quote!(response.json::<#t>())
            }
        }
    };
    // (statuses, handler) in match order: specific codes before ranges before the rest.
    let mut arms: Vec<(StatusMatch, TokenStream)> = Vec::new();
    let successes: Vec<&Response> = op.success_bodies().collect();
    if let Some(enum_name) = &op.success_enum {
        let e = ident(enum_name);
        let names = success_variant_names(&successes);
        let boxed = enum_boxed(ctx, &successes);
        let handler = |i: usize| {
            let vi = ident(&names[i]);
            let d = decode(successes[i]);
            let wrap = if successes[i].body.is_none() {
                quote!(.map(|r| r.map(|()| types::#e::#vi)))
            } else if boxed[i] {
                quote!(.map(|r| r.map(|v| types::#e::#vi(Box::new(v)))))
            } else {
                quote!(.map(|r| r.map(types::#e::#vi)))
            };
            quote!(#d #wrap)
        };
        for (i, r) in successes.iter().enumerate() {
            arms.push((r.status, handler(i)));
        }
        // An undocumented 2xx is read as the first documented success.
        if !successes.is_empty() {
            arms.push((StatusMatch::Range(2), handler(0)));
        }
    } else {
        let first = successes.iter().find(|r| r.body.is_some()).or(successes.first()).copied();
        arms.push((StatusMatch::Range(2), first.map_or_else(|| quote!(response.empty()), decode)));
    }
    let typed = |r: &Response| -> Option<TokenStream> {
        let b = r.body.as_ref()?;
        (b.media == MediaKind::Json).then(|| {
            let t = ctx.ty(b.ty, Scope::Crate);
            quote!(Err(response.error::<#t>()))
        })
    };
    let errors: Vec<&Response> = op.error_responses().collect();
    let fallback = errors
        .iter()
        .find(|r| r.status == StatusMatch::Default)
        .and_then(|r| typed(r))
        .unwrap_or_else(|| quote!(Err(response.error_untyped())));
    let fallback_text = fallback.to_string();
    for r in errors.iter().filter(|r| r.status != StatusMatch::Default) {
        let handler = typed(r).unwrap_or_else(|| quote!(Err(response.error_untyped())));
        // Arms that do what the catch-all does are left to it.
        if handler.to_string() != fallback_text {
            arms.push((r.status, handler));
        }
    }
    let mut out = Vec::new();
    let mut taken: Vec<u16> = Vec::new();
    for (status, handler) in arms {
        // Ranges leave out the codes matched above them, so no arm overlaps another.
        if let Some(pattern) = status_pattern(status, &taken) {
            out.push(quote!(#pattern => #handler,));
        }
        match status {
            StatusMatch::Code(c) => taken.push(c),
            StatusMatch::Range(x) => taken.extend(u16::from(x) * 100..u16::from(x) * 100 + 100),
            StatusMatch::Default => {}
        }
    }
    out.push(quote!(_ => #fallback,));
    out
}

/// The pattern for `status` without the codes in `taken`; `None` when nothing is left.
fn status_pattern(status: StatusMatch, taken: &[u16]) -> Option<TokenStream> {
    let lit = proc_macro2::Literal::u16_unsuffixed;
    let (lo, hi) = match status {
        StatusMatch::Code(c) => {
            return (!taken.contains(&c)).then(|| {
                let c = lit(c);
                quote!(#c)
            });
        }
        StatusMatch::Range(x) => (u16::from(x) * 100, u16::from(x) * 100 + 99),
        StatusMatch::Default => return Some(quote!(_)),
    };
    let mut pieces = Vec::new();
    let mut start: Option<u16> = None;
    for code in lo..=hi + 1 {
        let free = code <= hi && !taken.contains(&code);
        match (free, start) {
            (true, None) => start = Some(code),
            (false, Some(a)) => {
                let b = code - 1;
                let (la, lb) = (lit(a), lit(b));
                pieces.push(if a == b { quote!(#la) } else { quote!(#la..=#lb) });
                start = None;
            }
            _ => {}
        }
    }
    (!pieces.is_empty()).then(|| quote!(#(#pieces)|*))
}

fn success_variant_names(successes: &[&Response]) -> Vec<String> {
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

fn enum_boxed(ctx: &Ctx<'_>, successes: &[&Response]) -> Vec<bool> {
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

/// Params structs and success enums, for the `types` module.
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
        let (ty_id, nullable) = match ctx.api.types.get(p.ty).kind {
            TypeKind::Nullable(inner) => (inner, true),
            _ => (p.ty, false),
        };
        let t = ctx.ty(ty_id, Scope::Types);
        let optional = !p.required || nullable;
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
            validated.push(super::validate::check(ctx, ty_id, quote!(&self.#fi), usize::from(optional), &p.wire_name));
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

/// `<op>_pages` and `<op>_stream` for a cursor-paginated operation.
fn paginated(ctx: &Ctx<'_>, op: &Operation, p: &crate::ir::Pagination) -> TokenStream {
    let Some(params_struct) = &op.params_struct else { return quote!() };
    let base = ident(&op.name);
    let pages = format_ident!("{}_pages", op.name);
    let stream = format_ident!("{}_stream", op.name);
    let ps = ident(params_struct);
    let page_ty = success_type(ctx, op);
    let item = ctx.ty(p.item, Scope::Crate);
    let moved = path_in_struct(op);
    let mut args = Vec::new();
    let mut call_args = Vec::new();
    if !moved {
        for (_, param) in op.path_params() {
            let n = ident(&param.name);
            let t = path_arg_type(ctx, param.ty, Some(quote!('a)));
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
        "Every item of every page of [`Self::{}`], in order (see [`Self::{}_pages`]).",
        op.name, op.name
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
            let optional = !f.required || f.nullable;
            let double = !f.required && f.nullable;
            if i + 1 < path.len() && optional {
                expr = if double { quote!(#expr.as_ref()?.as_ref()?) } else { quote!(#expr.as_ref()?) };
            }
            last_optional = optional;
            if i + 1 == path.len() && double {
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
        let optional = !f.required || f.nullable;
        if !optional {
            access = if f.boxed { quote!((*#access.#fi)) } else { quote!(#access.#fi) };
            continue;
        }
        let pattern = if !f.required && f.nullable { quote!(Some(Some(page))) } else { quote!(Some(page)) };
        steps.push(quote!(let #pattern = #access.#fi else { return Vec::new(); };));
        access = if f.boxed { quote!((*page)) } else { quote!(page) };
    }
    let fi = ident(&last.name);
    let items = if !last.required && last.nullable {
        quote!(#access.#fi.flatten().unwrap_or_default())
    } else if !last.required || last.nullable {
        quote!(#access.#fi.unwrap_or_default())
    } else {
        quote!(#access.#fi)
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
