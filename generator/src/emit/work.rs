//! `types.rs` and `operations.rs`, most of the work of emitting (building tokens, then parsing
//! and formatting them), shared between threads.
//!
//! The jobs are `operations.rs` and `types.rs` cut into parts of about equal weight; each
//! thread takes the next job until none is left, so the threads finish together whatever the
//! mix of the API. Token streams cannot cross threads: each thread builds its own from the
//! shared IR and hands back text. The parts of `types.rs` are joined in order before blank
//! lines go in between items, so the file is what one thread would write.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::tokens::Ctx;
use super::{format_file, operations, separate_items, types, unparse};
use crate::ir::Api;

/// Parts `types.rs` is cut into: enough for the threads to even out.
const TYPE_PARTS: usize = 8;

/// Threads at most; more would only hold more token trees in memory at once.
const MAX_THREADS: usize = 4;

/// A unit of work.
enum Job<'a> {
    Operations,
    /// Items of `types.rs`, with the module's docs when `first`.
    Types(&'a [(String, types::Item)], bool),
}

/// `src/types.rs`, and `src/operations.rs` when the API has operations.
pub(super) fn big_files(api: &Api, header: &str) -> (Result<String, String>, Option<Result<String, String>>) {
    let ctx = Ctx::new(api);
    let items = types::items(&ctx);
    let parts = parts(&ctx, &items, TYPE_PARTS);
    let mut jobs = Vec::new();
    // The biggest job first, so that it does not come last.
    if !api.operations.is_empty() {
        jobs.push(Job::Operations);
    }
    jobs.extend(parts.iter().enumerate().map(|(i, part)| Job::Types(part, i == 0)));
    let next = AtomicUsize::new(0);
    let work = |ctx: &Ctx<'_>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { return done };
            let text = match job {
                Job::Operations => format_file(header, operations::module(ctx)),
                Job::Types(items, first) => unparse(types::module(ctx, items, *first)),
            };
            done.push((i, text));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_THREADS);
    let mut texts: Vec<Option<Result<String, String>>> = jobs.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        // Their stacks are as deep as the caller's, for deep schemas. A thread that cannot be
        // started leaves its share to the others.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("clientgen-emit".into())
                    .stack_size(crate::STACK_BYTES)
                    .spawn_scoped(scope, || work(&Ctx::new(api)))
                    .ok()
            })
            .collect();
        let mut done = work(&ctx);
        // A thread that panicked leaves its jobs without text, reported below.
        done.extend(helpers.into_iter().filter_map(|h| h.join().ok()).flatten());
        for (i, text) in done {
            texts[i] = Some(text);
        }
    });
    let mut texts = texts.into_iter().map(|t| t.unwrap_or_else(|| Err("internal error: emitting panicked".into())));
    let operations_rs = (!api.operations.is_empty()).then(|| texts.next()).flatten();
    let types_rs = texts.collect::<Result<String, String>>().map(|body| format!("{header}\n{}", separate_items(&body)));
    (types_rs, operations_rs)
}

/// `items` cut into at most `n` consecutive parts of about equal weight (at least one part).
fn parts<'a>(ctx: &Ctx<'_>, items: &'a [(String, types::Item)], n: usize) -> Vec<&'a [(String, types::Item)]> {
    let weights: Vec<usize> = items.iter().map(|(_, item)| types::weight(ctx, *item)).collect();
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
    use super::super::{Ctx, separate_items, types, unparse};
    use super::parts;

    fn unions_api() -> crate::ir::Api {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/unions.yaml"))
            .expect("fixture");
        let (docs, _) = crate::load::Documents::from_text("unions.yaml", &text).expect("loads");
        crate::lower::lower(&docs).expect("lowers").0
    }

    #[test]
    fn types_rs_is_the_same_however_it_is_cut() {
        let api = unions_api();
        let ctx = Ctx::new(&api);
        let items = types::items(&ctx);
        assert!(items.len() > 10, "{}", items.len());
        let whole = separate_items(&unparse(types::module(&ctx, &items, true)).expect("formats"));
        for n in [1, 2, 3, 8, items.len(), items.len() + 5] {
            let cut = parts(&ctx, &items, n);
            assert!(!cut.is_empty() && cut.len() <= n, "{n}: {} parts", cut.len());
            assert_eq!(cut.iter().map(|p| p.len()).sum::<usize>(), items.len());
            let joined: String = cut
                .iter()
                .enumerate()
                .map(|(i, part)| unparse(types::module(&ctx, part, i == 0)).expect("formats"))
                .collect();
            assert_eq!(separate_items(&joined), whole, "{n} parts");
        }
    }

    #[test]
    fn an_api_without_types_still_has_one_part() {
        let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        let (docs, _) = crate::load::Documents::from_text("t.json", text).expect("loads");
        let api = crate::lower::lower(&docs).expect("lowers").0;
        let ctx = Ctx::new(&api);
        assert_eq!(parts(&ctx, &types::items(&ctx), 8).len(), 1);
    }
}
