//! Random valid OpenAPI documents (`clientgen_tests::random_api`) generate crates that pass
//! `cargo clippy --all-targets --all-features -- -D warnings` and `cargo doc` with
//! `RUSTDOCFLAGS=-D warnings`.
//!
//! CI builds one batch: the 64 documents of seeds `CI_SEED..CI_SEED + 64`. To hunt with more:
//!
//! ```sh
//! CLIENTGEN_HUNT=1000 cargo test -p clientgen-tests --test random_crates -- --nocapture
//! ```
//!
//! - `CLIENTGEN_HUNT=N`: N documents (default: the CI batch);
//! - `CLIENTGEN_HUNT_SEED=S`: from seed S (decimal or `0x` hex; default: the CI seed, or the
//!   clock when `CLIENTGEN_HUNT` is set), document k being seed S + k;
//! - `CLIENTGEN_HUNT_BATCH=B`: B crates per cargo run (default 64);
//! - `CLIENTGEN_HUNT_DOC=0`: skip rustdoc;
//! - `CLIENTGEN_HUNT_REDUCE=1`: cut the first document of each failure class down to what
//!   still fails with that diagnostic code (slow: a batch per step); `=E0308,dead_code`: only
//!   those classes.
//!
//! A run lives in `target/random-crates/<first seed>/`: each failing document is written to
//! `failures/seed-S.yaml` with its errors in `seed-S.txt` (reduced ones to
//! `failures/reduced-CODE-seed-S.yaml`), a summary to `failures/summary.txt`, and the crates of
//! the last batch stay in `crates/cNN/`, each with its `schema.yaml`.

mod batch;
mod reduce;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use batch::{Candidate, Failure, Workspace};
use clientgen::{Options, generate_from_str};
use clientgen_tests::fixtures;
use clientgen_tests::random_api::RandomApi;

/// The CI batch's first seed: chosen (from a hunt) so the batch holds every failure class
/// found so far, known bugs included: it fails until they are fixed.
const CI_SEED: u64 = 0x5eed_0000;
/// Documents in the CI batch.
const CI_COUNT: usize = 64;

/// What to run, from the environment.
struct Hunt {
    seed: u64,
    count: usize,
    batch: usize,
    doc: bool,
    /// Failure classes to reduce: all (`Some(empty)`), these codes, or none.
    reduce: Option<Vec<String>>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn parse_seed(text: &str) -> u64 {
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
        None => text.replace('_', "").parse(),
    };
    parsed.unwrap_or_else(|e| panic!("CLIENTGEN_HUNT_SEED=`{text}` is not a number: {e}"))
}

fn hunt() -> Hunt {
    let count = env("CLIENTGEN_HUNT").map(|n| n.parse().expect("CLIENTGEN_HUNT is a number of documents"));
    let seed = match (env("CLIENTGEN_HUNT_SEED"), count) {
        (Some(s), _) => parse_seed(&s),
        (None, Some(_)) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(CI_SEED, |d| d.as_secs().wrapping_mul(1_000_003)),
        (None, None) => CI_SEED,
    };
    Hunt {
        seed,
        count: count.unwrap_or(CI_COUNT),
        batch: env("CLIENTGEN_HUNT_BATCH").map_or(64, |n| n.parse().expect("CLIENTGEN_HUNT_BATCH is a number")),
        doc: env("CLIENTGEN_HUNT_DOC").is_none_or(|v| v != "0"),
        reduce: env("CLIENTGEN_HUNT_REDUCE").filter(|v| v != "0").map(|v| match v.as_str() {
            "1" => Vec::new(),
            codes => codes.split(',').map(str::to_owned).collect(),
        }),
    }
}

/// `target/random-crates/<first seed>/`: one per run, so a hunt and the CI batch never share
/// a workspace.
fn run_dir(seed: u64) -> PathBuf {
    fixtures::target_dir().join("random-crates").join(seed.to_string())
}

/// Every random document generates: clientgen takes them all as valid (fast; no build).
#[test]
fn random_documents_generate_without_errors() {
    let mut failures = Vec::new();
    for seed in CI_SEED..CI_SEED + 500 {
        let api = RandomApi::new(seed);
        if let Err(d) = generate_from_str(&format!("seed-{seed}.yaml"), &api.yaml(), &Options::new("random")) {
            failures.push(format!("seed {seed} ({}):\n{}", api.kinds(), d.render(false)));
        }
    }
    assert!(failures.is_empty(), "{} of 500 documents do not generate:\n{}", failures.len(), failures.join("\n"));
}

/// One failing document.
struct Found {
    seed: u64,
    kinds: String,
    failure: Failure,
}

#[test]
fn random_crates_pass_clippy_and_rustdoc() {
    let h = hunt();
    let run = run_dir(h.seed);
    let dir = run.join("failures");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the failures directory");
    let workspace = Workspace::new(run.join("crates"), "random");
    let log = dir.join("summary.txt");
    let mut progress = format!(
        "{} documents from seed {} ({:#x}), {} per batch, rustdoc {}\n",
        h.count,
        h.seed,
        h.seed,
        h.batch,
        if h.doc { "on" } else { "off" }
    );
    let seeds: Vec<u64> = (0..h.count as u64).map(|k| h.seed.wrapping_add(k)).collect();
    let mut found: Vec<Found> = Vec::new();
    for (b, chunk) in seeds.chunks(h.batch.max(1)).enumerate() {
        let apis: Vec<RandomApi> = chunk.iter().map(|&s| RandomApi::new(s)).collect();
        let candidates: Vec<Candidate> =
            apis.iter().map(|a| Candidate { label: format!("seed-{}", a.seed), yaml: a.yaml() }).collect();
        let result = workspace.run(&candidates, h.doc);
        let mut failed = 0;
        for ((api, candidate), verdict) in apis.iter().zip(&candidates).zip(result.verdicts) {
            if let Some(failure) = verdict {
                failed += 1;
                batch::write_if_changed(&dir.join(format!("{}.yaml", candidate.label)), &candidate.yaml);
                batch::write_if_changed(&dir.join(format!("{}.txt", candidate.label)), &failure.describe(40));
                found.push(Found { seed: api.seed, kinds: api.kinds(), failure });
            }
        }
        let line = format!(
            "batch {b}: seeds {}..={}: {}/{} clean; clippy {:.1} s, rustdoc {:.1} s\n",
            chunk[0],
            chunk[chunk.len() - 1],
            chunk.len() - failed,
            chunk.len(),
            result.clippy_seconds,
            result.doc_seconds
        );
        eprint!("{line}");
        progress.push_str(&line);
        std::fs::write(&log, format!("{progress}\n{}", summary(&found))).expect("write the summary");
    }
    let mut report = summary(&found);
    if let Some(codes) = &h.reduce {
        report.push_str(&reduce_classes(&found, codes, &run));
    }
    std::fs::write(&log, format!("{progress}\n{report}")).expect("write the summary");
    if found.is_empty() {
        return;
    }
    let mut details = String::new();
    for f in found.iter().take(12) {
        let _ = write!(
            details,
            "\nseed {} ({}), {}/seed-{}.yaml\n  {}",
            f.seed,
            f.kinds,
            dir.display(),
            f.seed,
            f.failure.describe(14)
        );
    }
    panic!(
        "{} of {} generated crates are not clean.\n{report}{details}\nreproduce one: CLIENTGEN_HUNT_SEED=<seed> \
         CLIENTGEN_HUNT=1 cargo test -p clientgen-tests --test random_crates random_crates_pass -- --nocapture\n\
         summary: {}",
        found.len(),
        h.count,
        log.display()
    );
}

/// Failure classes (diagnostic codes), each with how many documents have it and some seeds.
fn summary(found: &[Found]) -> String {
    let mut classes: BTreeMap<(&str, &str), Vec<u64>> = BTreeMap::new();
    for f in found {
        for code in &f.failure.codes {
            let stage = if code.starts_with("rustdoc::") { "doc" } else { f.failure.stage };
            classes.entry((stage, code)).or_default().push(f.seed);
        }
    }
    let mut s = format!("{} failing documents; classes (stage, code: documents, first seeds):\n", found.len());
    for ((stage, code), seeds) in &classes {
        let first: Vec<String> = seeds.iter().take(5).map(u64::to_string).collect();
        let _ = writeln!(s, "  {stage} {code}: {} ({})", seeds.len(), first.join(", "));
    }
    s
}

/// Reduce the first document of each class (of those in `codes`, if any are given); returns
/// where the reduced documents are.
fn reduce_classes(found: &[Found], codes: &[String], run: &std::path::Path) -> String {
    let dir = run.join("failures");
    let mut done: Vec<(&str, &str)> = Vec::new();
    let mut s = String::from("reduced:\n");
    for f in found {
        for code in &f.failure.codes {
            if done.contains(&(f.failure.stage, code)) || !(codes.is_empty() || codes.contains(code)) {
                continue;
            }
            done.push((f.failure.stage, code));
            let Some(reduced) = reduce::reduce(&RandomApi::new(f.seed), f.failure.stage, code, &run.join("reduce"))
            else {
                let _ = writeln!(s, "  {} {code}: seed {} does not fail alone", f.failure.stage, f.seed);
                continue;
            };
            let file = dir.join(format!("reduced-{}-seed-{}.yaml", slug(code), f.seed));
            batch::write_if_changed(&file, &reduced.yaml);
            let lines = reduced.yaml.lines().count();
            let _ = writeln!(s, "  {} {code}: {} ({lines} lines)", f.failure.stage, file.display());
            let _ = writeln!(s, "{}", reduced.failure.describe(30));
        }
    }
    s
}

/// A code as part of a file name.
fn slug(code: &str) -> String {
    let s: String = code.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    s.chars().take(40).collect()
}
