//! Cutting a failing document down to what still fails with the same diagnostic: first whole
//! items (which are independent), then any object member or list element, biggest first. Each
//! step builds a batch of candidates at once and keeps the smallest that still fails; when
//! several deletions each keep the failure, all of them together are tried next.

use std::path::Path;

use serde_json::Value;

use super::batch::{Candidate, Failure, Workspace};
use clientgen::{Options, generate_from_str};
use clientgen_tests::random_api::{RandomApi, to_yaml};

/// Candidates built per step.
const BATCH: usize = 16;

/// A reduced document and its failure.
pub struct Reduced {
    /// The document.
    pub yaml: String,
    /// How it fails.
    pub failure: Failure,
}

/// The smallest document found from `api` whose crate still fails with `code` (found at
/// `stage`), built in a scratch workspace at `dir`; `None` if `api`'s own crate does not fail so.
pub fn reduce(api: &RandomApi, stage: &str, code: &str, dir: &Path) -> Option<Reduced> {
    let workspace = Workspace::new(dir.to_path_buf(), "reduce");
    // rustdoc's lints show only when it runs; a crate that fails clippy may have them too.
    let run_doc = stage == "doc" || code.starts_with("rustdoc::");
    let fails = |f: &Option<Failure>| f.as_ref().is_some_and(|f| f.has(code));
    let check = |docs: &[Value]| -> Vec<Option<Failure>> {
        let candidates: Vec<Candidate> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| Candidate { label: format!("reduce-{i}"), yaml: to_yaml(d) })
            .collect();
        workspace.run(&candidates, run_doc).verdicts
    };

    // Whole items: without each one, or each one alone.
    let mut keep: Vec<usize> = (0..api.items.len()).collect();
    let mut best: Option<(Value, Failure)> = None;
    loop {
        let mut options: Vec<Vec<usize>> =
            keep.iter().map(|i| keep.iter().copied().filter(|k| k != i).collect()).collect();
        if keep.len() > 2 {
            options.extend(keep.iter().map(|i| vec![*i]));
        }
        options.retain(|o| !o.is_empty());
        let docs: Vec<Value> = options.iter().map(|o| api.document_with(o)).collect();
        let verdicts = check(&docs);
        let smallest =
            options.iter().zip(docs).zip(verdicts).filter(|(_, v)| fails(v)).min_by_key(|((o, _), _)| o.len());
        match smallest {
            Some(((o, doc), v)) if o.len() < keep.len() => {
                keep = o.clone();
                best = Some((doc, v.expect("failing")));
            }
            _ => break,
        }
    }
    let (mut doc, mut failure) = match best {
        Some(b) => b,
        None => {
            let doc = api.document();
            match check(std::slice::from_ref(&doc)).remove(0) {
                Some(f) if f.has(code) => (doc, f),
                _ => return None,
            }
        }
    };

    // Any member or element, biggest first.
    'rounds: loop {
        let mut paths = deletable(&doc);
        paths.sort_by_key(|p| std::cmp::Reverse(size(pointer(&doc, p))));
        let mut next = 0;
        while next < paths.len() {
            let mut tried: Vec<(Vec<Step>, Value)> = Vec::new();
            while tried.len() < BATCH && next < paths.len() {
                let path = paths[next].clone();
                next += 1;
                let candidate = without(&doc, &path);
                if stage == "generate" || generates(&candidate) {
                    tried.push((path, candidate));
                }
            }
            let docs: Vec<Value> = tried.iter().map(|(_, d)| d.clone()).collect();
            let verdicts = check(&docs);
            let good: Vec<(Vec<Step>, Value, Failure)> = tried
                .into_iter()
                .zip(verdicts)
                .filter(|(_, v)| fails(v))
                .map(|((p, d), v)| (p, d, v.expect("failing")))
                .collect();
            if good.is_empty() {
                continue;
            }
            // All the deletions that each keep the failure, together.
            if good.len() > 1 {
                let mut all: Vec<&Vec<Step>> = good.iter().map(|(p, _, _)| p).collect();
                all.sort();
                all.dedup_by(|b, a| b.starts_with(a));
                let mut combined = doc.clone();
                for p in all.iter().rev() {
                    combined = without(&combined, p);
                }
                if generates(&combined) || stage == "generate" {
                    if let Some(f) = check(std::slice::from_ref(&combined)).remove(0).filter(|f| f.has(code)) {
                        doc = combined;
                        failure = f;
                        continue 'rounds;
                    }
                }
            }
            let (_, d, f) = good.into_iter().min_by_key(|(_, d, _)| size(d)).expect("one");
            doc = d;
            failure = f;
            continue 'rounds;
        }
        break;
    }
    Some(Reduced { yaml: to_yaml(&doc), failure })
}

/// One step of a path into a JSON value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every member and element of `v` (the root's `openapi` and `info` excepted), by path.
fn deletable(v: &Value) -> Vec<Vec<Step>> {
    fn walk(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        match v {
            Value::Object(o) => {
                for (k, child) in o {
                    path.push(Step::Key(k.clone()));
                    if !(path.len() == 1 && (k == "openapi" || k == "info")) {
                        out.push(path.clone());
                    }
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(Step::Index(i));
                    out.push(path.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn pointer<'v>(v: &'v Value, path: &[Step]) -> &'v Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &v[k.as_str()],
        Step::Index(i) => &v[*i],
    })
}

/// `v` without what `path` points at.
fn without(v: &Value, path: &[Step]) -> Value {
    let mut out = v.clone();
    let Some((last, parent)) = path.split_last() else { return out };
    let mut at = &mut out;
    for s in parent {
        at = match s {
            Step::Key(k) => &mut at[k.as_str()],
            Step::Index(i) => &mut at[*i],
        };
    }
    match (last, at) {
        (Step::Key(k), Value::Object(o)) => {
            o.remove(k);
        }
        (Step::Index(i), Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
    out
}

fn size(v: &Value) -> usize {
    v.to_string().len()
}

/// Whether clientgen generates a crate from `doc` without errors.
fn generates(doc: &Value) -> bool {
    generate_from_str("reduce.yaml", &to_yaml(doc), &Options::new("reduce")).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_every_member_and_deleting_removes_just_that() {
        let v = json!({ "openapi": "3.1.0", "a": [1, { "b": 2 }] });
        let paths = deletable(&v);
        assert_eq!(paths.len(), 4, "{paths:?}");
        let gone = without(&v, &[Step::Key("a".into()), Step::Index(1), Step::Key("b".into())]);
        assert_eq!(gone, json!({ "openapi": "3.1.0", "a": [1, {}] }));
        assert_eq!(
            without(&v, &[Step::Key("a".into()), Step::Index(0)]),
            json!({ "openapi": "3.1.0", "a": [{ "b": 2 }] })
        );
    }
}
