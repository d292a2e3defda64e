//! `types.rs` and `operations.rs`, most of the work of emitting (building tokens, then parsing
//! and formatting them), shared between threads.
//!
//! The jobs are `operations.rs` and `types.rs` cut into parts of about equal weight; each
//! thread takes the next job until none is left, so the threads finish together whatever the
//! mix of the API. Token streams cannot cross threads: each thread builds its own from the
//! shared IR and hands back text. The parts of `types.rs` are joined in order before blank
//! lines go in between items, so the file is what one thread would write.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;

use super::feature::Features;
use super::op_features::{OpFeature, OpFeatures};
use super::tokens::Ctx;

use super::{format_file, op_types, operations, separate_items, types, unparse};
use crate::ir::{TypeId, TypeKind};

/// An item of the `types` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// A named type of the API.
    Type(TypeId),
    /// A type of an operation's own.
    Op(op_types::OpItem),
}

/// The items of the `types` module, sorted by name: the order they are written in. Only names
/// are computed, so the module can be built in parts (see [`module`]) on several threads.
pub fn items(ctx: &Ctx<'_>) -> Vec<(String, Item)> {
    let mut items: Vec<(String, Item)> = Vec::new();
    for id in ctx.api.types.named_sorted() {
        if let Some(name) = &ctx.api.types.get(id).name {
            items.push((name.clone(), Item::Type(id)));
        }
    }
    items.extend(op_types::type_items(ctx).into_iter().map(|(name, op)| (name, Item::Op(op))));
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items
}

/// A rough measure of the code an item makes, to cut the module into parts of equal work.
pub fn weight(ctx: &Ctx<'_>, item: Item) -> usize {
    match item {
        Item::Type(id) => match &ctx.api.types.get(id).kind {
            TypeKind::Struct(s) => 12 + 4 * s.fields.len(),
            TypeKind::Enum(e) => 16 + 3 * e.variants.len(),
            TypeKind::Union(u) => 16 + 4 * u.variants.len(),
            TypeKind::Newtype(_) => 16,
            _ => 1,
        },
        Item::Op(op_types::OpItem::Params(i)) => 8 + 2 * ctx.api.operations[i].params.len(),
        Item::Op(op_types::OpItem::Success(i)) => 4 + ctx.api.operations[i].responses.len(),
    }
}

/// The `types` module, or the part of it holding `items` (with the module's docs when `first`).
pub fn module(ctx: &Ctx<'_>, items: &[(String, Item)], first: bool) -> TokenStream {
    let items = items.iter().map(|(_, item)| item_tokens(ctx, *item));
    let docs = module_docs(first);
    quote! {
        #docs
        #(#items)*
    }
}

fn module_docs(first: bool) -> Option<TokenStream> {
    first.then(|| {
        quote! {
            //! Types of the API's schemas, and parameter and response types of its operations.
        }
    })
}

fn item_tokens(ctx: &Ctx<'_>, item: Item) -> TokenStream {
    match item {
        Item::Type(id) => types::item(ctx, id, ctx.api.types.get(id)),
        Item::Op(op) => op_types::type_item(ctx, op),
    }
}

/// The part of `types.rs` holding `items`, formatted. With operation features, each item is
/// compiled only under those of the operations that reach it: every Rust item it is written as
/// gets that `cfg`, and what its code uses of the runtime is recorded as used there.
fn module_text(ctx: &Ctx<'_>, items: &[(String, Item)], first: bool) -> Result<String, String> {
    let Some(features) = &ctx.op_features else { return unparse(module(ctx, items, first)) };
    let mut file = parse(module_docs(first).unwrap_or_default())?;
    for (_, item) in items {
        let when = match *item {
            Item::Type(id) => features.when_type(id),
            Item::Op(op_types::OpItem::Params(op) | op_types::OpItem::Success(op)) => {
                OpFeatures::when(features.of_operation(op))
            }
        };
        let cfg = when.predicate().map(|p| p.tokens());
        let written = parse(ctx.within(when, || item_tokens(ctx, *item)))?;
        for mut rust_item in written.items {
            if let Some(cfg) = &cfg {
                with_attribute(&mut rust_item, cfg)?;
            }
            file.items.push(rust_item);
        }
    }
    Ok(prettyplease::unparse(&file))
}

fn parse(tokens: TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|e| format!("internal error: generated code does not parse: {e}"))
}

/// `item` with the outer attribute `attribute` (`#[cfg(..)]`), after its doc comment.
fn with_attribute(item: &mut syn::Item, attribute: &TokenStream) -> Result<(), String> {
    use syn::Item::*;
    let attrs = match item {
        Const(i) => &mut i.attrs,
        Enum(i) => &mut i.attrs,
        Fn(i) => &mut i.attrs,
        Impl(i) => &mut i.attrs,
        Macro(i) => &mut i.attrs,
        Mod(i) => &mut i.attrs,
        Static(i) => &mut i.attrs,
        Struct(i) => &mut i.attrs,
        Trait(i) => &mut i.attrs,
        Type(i) => &mut i.attrs,
        Union(i) => &mut i.attrs,
        Use(i) => &mut i.attrs,
        other => return Err(format!("internal error: no attributes on {}", quote!(#other))),
    };
    let parsed = syn::Attribute::parse_outer
        .parse2(attribute.clone())
        .map_err(|e| format!("internal error: `{attribute}` is no attribute: {e}"))?;
    let docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
    attrs.splice(docs..docs, parsed);
    Ok(())
}

/// Parts `types.rs` is cut into: enough for the threads to even out.
const TYPE_PARTS: usize = 8;

/// Threads at most; more would only hold more token trees in memory at once.
const MAX_THREADS: usize = 4;

/// A file's path, and its text or why it could not be written.
pub(super) type Written = (String, Result<String, String>);

/// A unit of work.
enum Job<'a> {
    /// `operations.rs`, every operation.
    Operations,
    /// The module of `operations` holding one feature's operations.
    OpFeature(&'a OpFeature),
    /// Items of `types.rs`, with the module's docs when `first`.
    Types(&'a [(String, Item)], bool),
}

/// `src/types.rs` and the operations' files (`src/operations.rs` when the API has operations,
/// and with operation features one module per feature under `src/operations/`), by path, and
/// what their code uses of the runtime.
pub(super) fn big_files(ctx: &Ctx<'_>, header: &str) -> (Vec<Written>, Features) {
    // Contexts record as they go, so each thread makes its own.
    let (api, options, schema_name) = (ctx.api, ctx.options, ctx.schema_name);
    let items = items(ctx);
    let parts = parts(ctx, &items, TYPE_PARTS);
    let mut jobs = Vec::new();
    // The biggest jobs first, so that they do not come last.
    match &ctx.op_features {
        _ if api.operations.is_empty() => {}
        None => jobs.push(Job::Operations),
        Some(features) => {
            let mut by_size: Vec<&OpFeature> = features.all().iter().collect();
            by_size.sort_by_key(|f| std::cmp::Reverse(f.operations.len()));
            jobs.extend(by_size.into_iter().map(Job::OpFeature));
        }
    }
    jobs.extend(parts.iter().enumerate().map(|(i, part)| Job::Types(part, i == 0)));
    let next = AtomicUsize::new(0);
    // Each thread writes with a context of its own, and hands back what its code used.
    let work = |ctx: &Ctx<'_>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { return (done, ctx.take_used()) };
            let text = match job {
                Job::Operations => format_file(header, operations::module(ctx, &api.operations, None)),
                Job::OpFeature(feature) => format_file(header, operations::feature_module(ctx, feature)),
                Job::Types(items, first) => module_text(ctx, items, *first),
            };
            done.push((i, text));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_THREADS);
    let mut texts: Vec<Option<Result<String, String>>> = jobs.iter().map(|_| None).collect();
    let mut features = Features::default();
    std::thread::scope(|scope| {
        // Their stacks are as deep as the caller's, for deep schemas. A thread that cannot be
        // started leaves its share to the others.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("clientgen-emit".into())
                    .stack_size(crate::STACK_BYTES)
                    .spawn_scoped(scope, move || work(&Ctx::new(api, options, schema_name)))
                    .ok()
            })
            .collect();
        let mut finished = vec![work(ctx)];
        // A thread that panicked leaves its jobs without text, reported below.
        finished.extend(helpers.into_iter().filter_map(|h| h.join().ok()));
        for (done, used) in finished {
            features.extend(used);
            for (i, text) in done {
                texts[i] = Some(text);
            }
        }
    });
    let texts = texts.into_iter().map(|t| t.unwrap_or_else(|| Err("internal error: emitting panicked".into())));
    let mut files = Vec::new();
    let mut types = Vec::new();
    for (job, text) in jobs.iter().zip(texts) {
        match job {
            Job::Operations => files.push(("src/operations.rs".to_string(), text)),
            Job::OpFeature(feature) => files.push((format!("src/operations/{}.rs", feature.module), text)),
            Job::Types(..) => types.push(text),
        }
    }
    if let Some(features) = ctx.op_features.as_ref().filter(|_| !api.operations.is_empty()) {
        files.push(("src/operations.rs".to_string(), format_file(header, operations::feature_modules(features))));
    }
    let types_rs = types.into_iter().collect::<Result<String, String>>();
    files.push(("src/types.rs".to_string(), types_rs.map(|body| format!("{header}\n{}", separate_items(&body)))));
    (files, features)
}

/// `items` cut into at most `n` consecutive parts of about equal weight (at least one part).
fn parts<'a>(ctx: &Ctx<'_>, items: &'a [(String, Item)], n: usize) -> Vec<&'a [(String, Item)]> {
    let weights: Vec<usize> = items.iter().map(|(_, item)| weight(ctx, *item)).collect();
    let share = weights.iter().sum::<usize>().div_ceil(n.max(1)).max(1);
    let mut parts = Vec::new();
    let (mut start, mut load) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        load += w;
        if load >= share {
            parts.push(&items[start..=i]);
            (start, load) = (i + 1, 0);
        }
    }
    if start < items.len() || parts.is_empty() {
        parts.push(&items[start..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::super::{Ctx, separate_items, unparse};
    use super::{items, module, parts};

    fn unions_api() -> crate::ir::Api {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/unions.yaml"))
            .expect("fixture");
        let (docs, _) = crate::load::Documents::from_text("unions.yaml", &text).expect("loads");
        crate::lower::lower(&docs).expect("lowers").0
    }

    #[test]
    fn types_rs_is_the_same_however_it_is_cut() {
        let api = unions_api();
        let options = crate::Options::new("t");
        let ctx = Ctx::new(&api, &options, "t.yaml");
        let items = items(&ctx);
        assert!(items.len() > 10, "{}", items.len());
        let whole = separate_items(&unparse(module(&ctx, &items, true)).expect("formats"));
        for n in [1, 2, 3, 8, items.len(), items.len() + 5] {
            let cut = parts(&ctx, &items, n);
            assert!(!cut.is_empty() && cut.len() <= n, "{n}: {} parts", cut.len());
            assert_eq!(cut.iter().map(|p| p.len()).sum::<usize>(), items.len());
            let joined: String =
                cut.iter().enumerate().map(|(i, part)| unparse(module(&ctx, part, i == 0)).expect("formats")).collect();
            assert_eq!(separate_items(&joined), whole, "{n} parts");
        }
    }

    #[test]
    fn an_api_without_types_still_has_one_part() {
        let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        let (docs, _) = crate::load::Documents::from_text("t.json", text).expect("loads");
        let api = crate::lower::lower(&docs).expect("lowers").0;
        let options = crate::Options::new("t");
        let ctx = Ctx::new(&api, &options, "t.yaml");
        assert_eq!(parts(&ctx, &items(&ctx), 8).len(), 1);
    }
}
