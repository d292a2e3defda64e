//! Operation methods on `Client`, and the parameter and response types they use.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::feature::Feature;
use super::fields::field_form;
use super::op_docs;
use super::op_features::{OpFeature, OpFeatures};
use super::op_types::{enum_boxed, success_variant_names};
use super::pagination::paginated;
use super::signature::{arguments, param_ref, path_in_struct, struct_params, success_type};
use super::tokens::{Ctx, Scope, ident};
use crate::ir::{
    MediaKind, Method, Operation, ParamLocation, ParamStyle, PathPart, Response, Scalar, StatusMatch, TypeId, TypeKind,
};

/// The `operations` module: `impl Client { ... }` with every operation in `ops`.
pub fn module(ctx: &Ctx<'_>, ops: &[Operation], docs: Option<TokenStream>) -> TokenStream {
    methods_module(ctx, &ops.iter().collect::<Vec<_>>(), docs)
}

/// With operation features, the `operations` module: a module per feature, compiled with it.
pub fn feature_modules(features: &OpFeatures) -> TokenStream {
    let modules = features.all().iter().map(|f| {
        let cfg = OpFeatures::when(f).predicate().map(|p| p.tokens());
        let module = ident(&f.module);
        quote!(#cfg mod #module;)
    });
    quote! {
        //! One method per operation, each Cargo feature's in a module of its own.

        #(#modules)*
    }
}

/// The module of `operations` holding the methods of `feature`'s operations; what they use of
/// the runtime is used only with the feature.
pub fn feature_module(ctx: &Ctx<'_>, feature: &OpFeature) -> TokenStream {
    let ops: Vec<&Operation> = feature.operations.iter().map(|&i| &ctx.api.operations[i]).collect();
    let what = match &feature.tag {
        Some(tag) => format!(" The operations tagged `{}`: the `{}` feature.", tag.replace('`', "'"), feature.name),
        None => format!(" The operations without a tag: the `{}` feature.", feature.name),
    };
    let docs = quote!(#![doc = #what]);
    ctx.within(OpFeatures::when(feature), || methods_module(ctx, &ops, Some(docs)))
}

/// `impl Client { ... }` with the methods of `ops`, what they import, and the module's docs
/// (`One method per operation.` unless given).
fn methods_module(ctx: &Ctx<'_>, ops: &[&Operation], docs: Option<TokenStream>) -> TokenStream {
    if !ops.is_empty() {
        ctx.uses(Feature::Calls);
    }
    // Whether these methods name types, recorded as they are written.
    ctx.types_named_outside(false);
    let mut methods = TokenStream::new();
    let mut streams = false;
    for op in ops {
        methods.extend(method(ctx, op));
        if let Some(p) = &op.pagination {
            let pages = paginated(ctx, op, p);
            streams |= !pages.is_empty();
            methods.extend(pages);
        }
    }
    // Import only what the methods name, so no API leaves an unused import behind.
    let futures = streams.then(|| {
        quote!(
            use futures::Stream;
        )
    });
    // Every query parameter names its `Style`.
    let styles = ops.iter().flat_map(|op| &op.params).any(|p| p.location == ParamLocation::Query);
    let runtime = if styles {
        quote!(
            use crate::runtime::{Request, Style};
        )
    } else {
        quote!(
            use crate::runtime::Request;
        )
    };
    let types = ctx.named_in_crate_scope().then(|| quote!(types,));
    let docs = docs.unwrap_or_else(|| {
        quote! {
            //! One method per operation.
        }
    });
    quote! {
        #docs

        #futures

        #runtime
        use crate::{#types Client, Error, Response};

        impl Client {
            #methods
        }
    }
}

fn method(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let moved = path_in_struct(op);
    let doc = op_docs::method_docs(ctx, op, moved);
    let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated]));
    let args: Vec<TokenStream> = arguments(ctx, op)
        .into_iter()
        .map(|a| {
            let (n, t) = (ident(&a.name), a.ty);
            quote!(#n: #t)
        })
        .collect();
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
                ctx.uses(Feature::PathParams);
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
    if !validation.is_empty() {
        ctx.uses(Feature::ValidatedRequest);
    }
    let mut setup = Vec::new();
    if !op.authenticated && ctx.api.auth.is_some() {
        ctx.uses(Feature::Anonymous);
        setup.push(quote!(.anonymous()));
    }
    if let Some(accept) = success_accept(op) {
        ctx.uses(Feature::Accept);
        setup.push(quote!(.accept(#accept)));
    }
    let mut param_code = Vec::new();
    for (_, p) in op.params.iter().enumerate().filter(|(_, p)| p.location != ParamLocation::Path) {
        let n = ident(&p.name);
        let wire = &p.wire_name;
        match p.location {
            ParamLocation::Query => {
                ctx.uses(Feature::QueryParams);
                let style = match p.style {
                    ParamStyle::Form { explode } => quote!(Style::Form { explode: #explode }),
                    ParamStyle::SpaceDelimited => {
                        ctx.uses(Feature::StyleSpace);
                        quote!(Style::SpaceDelimited)
                    }
                    ParamStyle::PipeDelimited => {
                        ctx.uses(Feature::StylePipe);
                        quote!(Style::PipeDelimited)
                    }
                    ParamStyle::DeepObject => {
                        ctx.uses(Feature::StyleDeep);
                        quote!(Style::DeepObject)
                    }
                    ParamStyle::Simple => quote!(Style::Form { explode: false }),
                };
                param_code.push(quote!(request.query(#wire, &params.#n, #style)?;));
            }
            ParamLocation::Header => {
                ctx.uses(Feature::HeaderParams);
                let lower = wire.to_ascii_lowercase();
                param_code.push(quote!(request.header(#lower, &params.#n)?;));
            }
            ParamLocation::Cookie => {
                ctx.uses(Feature::CookieParams);
                param_code.push(quote!(request.cookie(#wire, &params.#n)?;));
            }
            ParamLocation::Path => {}
        }
    }
    if let Some(b) = &op.body {
        let send = match b.media {
            MediaKind::Json => {
                ctx.uses(Feature::JsonBody);
                quote!(request.json(body)?;)
            }
            MediaKind::Form => {
                ctx.uses(Feature::Form);
                quote!(request.form(body)?;)
            }
            MediaKind::Multipart => multipart(ctx, b.ty),
            MediaKind::Binary => {
                ctx.uses(Feature::RawBody);
                let ct = &b.content_type;
                quote!(request.raw(#ct, body);)
            }
            MediaKind::Text => {
                ctx.uses(Feature::RawBody);
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
    ctx.uses(Feature::Multipart);
    let TypeKind::Struct(s) = ctx.api.types.kind(ty) else {
        ctx.uses(Feature::MultipartField);
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
        ctx.uses(if binary { Feature::MultipartFile } else { Feature::MultipartField });
        match (binary, field_form(ctx, f).layers()) {
            (true, 0) => quote!(form.file(#wire, &body.#fi.0);),
            (true, 1) => quote!(if let Some(file) = &body.#fi { form.file(#wire, &file.0); }),
            (true, _) => quote!(if let Some(Some(file)) = &body.#fi { form.file(#wire, &file.0); }),
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
    let empty = || {
        ctx.uses(Feature::EmptyResponse);
        quote!(response.empty())
    };
    let decode = |r: &Response| -> TokenStream {
        match r.body.as_ref().map(|b| (b.media, b.ty)) {
            None => empty(),
            Some((MediaKind::Text, _)) => {
                ctx.uses(Feature::TextResponse);
                quote!(response.text())
            }
            Some((MediaKind::Binary, _)) => {
                ctx.uses(Feature::BytesResponse);
                quote!(response.bytes())
            }
            Some((_, ty)) => {
                ctx.uses(Feature::JsonResponse);
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
        arms.push((StatusMatch::Range(2), first.map_or_else(empty, decode)));
    }
    let typed = |r: &Response| -> Option<TokenStream> {
        let b = r.body.as_ref()?;
        (b.media == MediaKind::Json).then(|| {
            ctx.uses(Feature::TypedErrors);
            let t = ctx.ty(b.ty, Scope::Crate);
            quote!(Err(response.error::<#t>()))
        })
    };
    let untyped = || {
        ctx.uses(Feature::UntypedErrors);
        quote!(Err(response.error_untyped()))
    };
    let errors: Vec<&Response> = op.error_responses().collect();
    let fallback =
        errors.iter().find(|r| r.status == StatusMatch::Default).and_then(|r| typed(r)).unwrap_or_else(untyped);
    let fallback_text = fallback.to_string();
    for r in errors.iter().filter(|r| r.status != StatusMatch::Default) {
        let handler = typed(r).unwrap_or_else(untyped);
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
