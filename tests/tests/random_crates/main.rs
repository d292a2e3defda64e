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
//!   still fails with that class's first diagnostic (slow: a batch per step).
//!
//! Each failing document is written to `target/random-crates-failures/<first seed>/seed-S.yaml`
//! (reduced ones to `reduced-CODE-seed-S.yaml`), with a summary in `summary.txt` there; the
//! crates of the last batch stay in `target/random-crates/cNN/` (`target/random-hunt/` for a
//! hunt), each with its `schema.yaml`.

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
    hunting: bool,
    seed: u64,
    count: usize,
    batch: usize,
    doc: bool,
    reduce: bool,
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
        hunting: count.is_some(),
        seed,
        count: count.unwrap_or(CI_COUNT),
        batch: env("CLIENTGEN_HUNT_BATCH").map_or(64, |n| n.parse().expect("CLIENTGEN_HUNT_BATCH is a number")),
        doc: env("CLIENTGEN_HUNT_DOC").is_none_or(|v| v != "0"),
        reduce: env("CLIENTGEN_HUNT_REDUCE").is_some_and(|v| v != "0"),
    }
}

/// `target/random-crates-failures/<first seed>/`: beside the scratch workspaces (whose unknown
/// directories are removed), one per run so a hunt and the CI batch keep theirs apart.
fn failures_dir(seed: u64) -> PathBuf {
    fixtures::target_dir().join("random-crates-failures").join(seed.to_string())
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
    let dir = failures_dir(h.seed);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the failures directory");
    // A hunt has a workspace of its own, so the CI batch can run beside it.
    let workspace =
        if h.hunting { Workspace::new("random-hunt", "hunt") } else { Workspace::new("random-crates", "random") };
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
    if h.reduce {
        report.push_str(&reduce_classes(&found, &dir));
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
            classes.entry((f.failure.stage, code)).or_default().push(f.seed);
        }
    }
    let mut s = format!("{} failing documents; classes (stage, code: documents, first seeds):\n", found.len());
    for ((stage, code), seeds) in &classes {
        let first: Vec<String> = seeds.iter().take(5).map(u64::to_string).collect();
        let _ = writeln!(s, "  {stage} {code}: {} ({})", seeds.len(), first.join(", "));
    }
    s
}

/// Reduce the first document of each class; returns where the reduced documents are.
fn reduce_classes(found: &[Found], dir: &std::path::Path) -> String {
    let mut done: Vec<(&str, &str)> = Vec::new();
    let mut s = String::from("reduced:\n");
    for f in found {
        for code in &f.failure.codes {
            if done.contains(&(f.failure.stage, code)) {
                continue;
            }
            done.push((f.failure.stage, code));
            let Some(reduced) = reduce::reduce(&RandomApi::new(f.seed), f.failure.stage, code) else {
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
