//! `cargo xtask bench [--quick] [--skip SECTION,...]`: figures against baselines measured in
//! the same run, printed as one table (measure | figure | baseline | ratio | goal).
//!
//! xtask itself only orchestrates (it is a debug build): every timing is taken by a release
//! binary, either the `clientgen-bench` probe crate (`benches/`), which times in-process work
//! and a figure's baseline interleaved round by round, or child processes timed one at a time
//! by `clientgen-bench run` (wall time and peak RSS from `getrusage(RUSAGE_CHILDREN)`). Every
//! figure is a median of several runs; the machine is shared and noisy, so ratios to a baseline
//! taken in the same run are what to compare. Nothing here asserts a timing: the goal column
//! says whether a goal was met, and the command fails only when a probe cannot run.
//!
//! Sections (each can be skipped with `--skip`):
//! - `generate`: `clientgen::generate` vs parsing the same file into `serde_json::Value`, on
//!   nexus.json and api.github.com.json (`../shared/specs/progenitor/`); figures without a
//!   goal (see BENCHMARKS.md for why).
//! - `cli`: our CLI vs `cargo progenitor` on nexus.json, each a fresh process writing a crate.
//!   cargo-progenitor is installed into `target/bench-tools/` when missing (not a dependency of
//!   the project); when it cannot be installed (offline), its figures are reported unavailable.
//! - `compile`: both nexus crates in one scratch workspace (`target/bench/compile/`, target dir
//!   `target/bench/compile-target/`): each crate first built alone (untimed: `-p` resolves
//!   features per crate, so its dependencies must be built for it), then `touch src/lib.rs` and
//!   a timed `cargo build -p CRATE` (debug), alternating crates, median of the rounds; in three
//!   modes: the full compile of the crate (`CARGO_INCREMENTAL=0`, the goal's measure), the
//!   no-op incremental rebuild (cargo's default) and `cargo check` (the front end alone).
//! - `features`: the GitHub client generated with `--features-by tag`, in its own scratch
//!   workspace (`target/bench/features/`) sharing the compile section's target dir: built first
//!   with all its features and with only one small tag's (untimed, so dependencies are built
//!   for both), then `touch src/lib.rs` and a timed full build (`CARGO_INCREMENTAL=0`) of each,
//!   alternating, median of the rounds.
//! - `requests`: the generated client's list-runs (a 100-run page) and start-run calls vs
//!   hand-written reqwest + serde calls, against a keep-alive server on 127.0.0.1 in the probe
//!   process; then decoding of the page vs `serde_json::from_slice` into a hand-written struct.
//! - `rss`: peak RSS of our CLI generating api.github.com.json vs a process that only parses it
//!   into `serde_json::Value`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

use crate::util::{Failure, Outcome, cargo, root};

/// The cargo-progenitor release measured against (installed with `--locked`).
const PROGENITOR_VERSION: &str = "0.15.1";
const SECTIONS: &[&str] = &["generate", "cli", "compile", "features", "requests", "rss"];

/// The small tag of GitHub's API whose feature the `features` section builds alone.
const SMALL_TAG: &str = "licenses";

/// How much work each section does.
struct Plan {
    /// Shown after the table.
    name: &'static str,
    /// Runs of each in-process generation / CLI invocation.
    runs: usize,
    /// Timed rebuilds of each crate.
    compile_rounds: usize,
    /// Requests per round and rounds of the request probe.
    requests: usize,
    request_rounds: usize,
}

const FULL: Plan = Plan { name: "full", runs: 5, compile_rounds: 3, requests: 2000, request_rounds: 5 };
const QUICK: Plan = Plan { name: "--quick", runs: 3, compile_rounds: 1, requests: 300, request_rounds: 3 };

/// What a goal asks of a ratio.
#[derive(Clone, Copy)]
enum Goal {
    /// Reported for information only.
    None,
    /// figure / baseline ≤ the bound.
    AtMost(f64),
}

/// One line of the table.
struct Row {
    measure: String,
    figure: String,
    baseline: String,
    ratio: Option<f64>,
    goal: Goal,
}

impl Row {
    fn new(measure: impl Into<String>, figure: String, baseline: String, ratio: Option<f64>, goal: Goal) -> Row {
        Row { measure: measure.into(), figure, baseline, ratio, goal }
    }

    fn unavailable(measure: impl Into<String>, why: impl Into<String>, goal: Goal) -> Row {
        Row::new(measure, "unavailable".into(), why.into(), None, goal)
    }
}

/// Where things are.
struct Paths {
    root: PathBuf,
    /// `target/bench`: generated crates and the compile workspace.
    work: PathBuf,
    probe: PathBuf,
    clientgen: PathBuf,
    /// `cargo-progenitor`, or why it is not there.
    progenitor: Result<PathBuf, String>,
}

pub fn run(args: &[String]) -> Outcome {
    let mut plan = &FULL;
    let mut skip: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => plan = &QUICK,
            "--skip" => {
                let list = it.next().ok_or_else(|| Failure::Usage("--skip needs a list of sections".into()))?;
                for s in list.split(',').filter(|s| !s.is_empty()) {
                    if !SECTIONS.contains(&s) {
                        return Err(Failure::Usage(format!("no section `{s}` (sections: {})", SECTIONS.join(", "))));
                    }
                    skip.push(s.to_string());
                }
            }
            other => {
                return Err(Failure::Usage(format!("`bench` takes --quick and --skip SECTION,..., not `{other}`")));
            }
        }
    }
    let wanted = |s: &str| !skip.iter().any(|k| k == s);
    let started = Instant::now();
    let root = root();
    let specs = root.join("../shared/specs/progenitor");
    let (nexus, github) = (specs.join("nexus.json"), specs.join("api.github.com.json"));
    for spec in [&nexus, &github] {
        if !spec.is_file() {
            return Err(Failure::Failed(format!("{} is missing", spec.display())));
        }
    }
    let work = root.join("target/bench");
    mkdir(&work)?;

    let binaries = build_release(&root)?;
    let find = |name: &str| {
        binaries.get(name).cloned().ok_or_else(|| Failure::Failed(format!("the release build made no `{name}` binary")))
    };
    let progenitor =
        if wanted("cli") || wanted("compile") { ensure_progenitor(&root) } else { Err("not measured (--skip)".into()) };
    let paths = Paths { root, work, probe: find("clientgen-bench")?, clientgen: find("clientgen")?, progenitor };

    let mut rows = Vec::new();
    let mut notes = Vec::new();
    if wanted("generate") {
        rows.extend(generation(&paths, plan, &[&nexus, &github])?);
    }
    if wanted("cli") {
        rows.extend(cli(&paths, plan, &nexus)?);
    }
    if wanted("compile") {
        rows.extend(compile(&paths, plan, &nexus, &mut notes)?);
    }
    if wanted("features") {
        rows.extend(features(&paths, plan, &github, &mut notes)?);
    }
    if wanted("requests") {
        rows.extend(requests(&paths, plan)?);
    }
    if wanted("rss") {
        rows.extend(rss(&paths, &github)?);
    }

    let table = render(&rows);
    println!("\n{table}");
    for note in &notes {
        println!("{note}");
    }
    let took = started.elapsed().as_secs_f64();
    println!("bench took {took:.0} s ({})", plan.name);
    let saved = paths.work.join("results.md");
    let _ = fs::write(&saved, format!("{table}\n{}\nbench took {took:.0} s\n", notes.join("\n")));
    eprintln!("(table saved to {})", saved.display());
    Ok(())
}

// ----------------------------------------------------------------------------- sections

fn generation(paths: &Paths, plan: &Plan, specs: &[&Path]) -> Result<Vec<Row>, Failure> {
    let mut cmd = Command::new(&paths.probe);
    cmd.args(["generate", "--runs", &plan.runs.to_string()]).args(specs);
    let figures = probe(cmd)?;
    let mut rows = Vec::new();
    for spec in specs {
        let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name = spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let get = |k: &str| figure(&figures, &format!("generate.{stem}.{k}"));
        let (generate, parse) = (get("generate_ms")?, get("parse_ms")?);
        rows.push(Row::new(
            format!(
                "generate {name} ({:.1} MB, {} ops, {} types), in-process",
                get("bytes")? / 1e6,
                get("operations")?,
                get("types")?
            ),
            ms(generate),
            format!("{} read + parse to Value", ms(parse)),
            Some(generate / parse),
            Goal::None,
        ));
        let (load, lower, emit) = (get("load_ms")?, get("lower_ms")?, get("emit_ms")?);
        rows.push(Row::new(
            format!("  stages, timed apart: load {} + lower {} + emit {}", ms(load), ms(lower), ms(emit)),
            format!("{} load + lower", ms(load + lower)),
            format!("{} read + parse to Value", ms(parse)),
            Some((load + lower) / parse),
            Goal::None,
        ));
    }
    Ok(rows)
}

/// Our CLI vs cargo-progenitor on nexus.json, each writing a fresh crate; the crates are
/// left in the compile workspace for [`compile`].
fn cli(paths: &Paths, plan: &Plan, nexus: &Path) -> Result<Vec<Row>, Failure> {
    let measure = "CLI on nexus.json, fresh process, writes the crate";
    let rss_measure = "peak RSS of that CLI run";
    let ours = paths.work.join("compile/nexus-clientgen");
    let theirs = paths.work.join("compile/nexus-progenitor");
    let (mut our_ms, mut our_kib, mut their_ms, mut their_kib) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut their_error = paths.progenitor.as_ref().err().cloned();
    // One untimed run of each first (page cache, binaries loaded).
    for round in 0..=plan.runs {
        let (wall, kib) = timed_child(&paths.probe, &our_cli(paths, nexus, &ours))?;
        if round > 0 {
            our_ms.push(wall);
            our_kib.push(kib);
        }
        if their_error.is_none() {
            let Ok(progenitor) = &paths.progenitor else { continue };
            match timed_child(&paths.probe, &progenitor_cli(progenitor, nexus, &theirs)) {
                Ok((wall, kib)) if round > 0 => {
                    their_ms.push(wall);
                    their_kib.push(kib);
                }
                Ok(_) => {}
                Err(Failure::Failed(e) | Failure::Usage(e)) => {
                    eprintln!("cargo progenitor failed: {e}");
                    their_error = Some("cargo progenitor failed (see above)".into());
                }
            }
        }
    }
    let (ours_ms, ours_kib) = (median(our_ms), median(our_kib));
    Ok(match their_error {
        Some(why) => vec![
            Row::unavailable(measure, format!("{} ours; progenitor: {why}", ms(ours_ms)), Goal::AtMost(0.2)),
            Row::unavailable(rss_measure, format!("{} ours; progenitor: {why}", mib(ours_kib)), Goal::None),
        ],
        None => {
            let (theirs_ms, theirs_kib) = (median(their_ms), median(their_kib));
            vec![
                Row::new(
                    format!("{measure} (goal: ≥ 5× faster)"),
                    format!("{} clientgen", ms(ours_ms)),
                    format!("{} cargo progenitor", ms(theirs_ms)),
                    Some(ours_ms / theirs_ms),
                    Goal::AtMost(0.2),
                ),
                Row::new(
                    rss_measure,
                    format!("{} clientgen", mib(ours_kib)),
                    format!("{} cargo progenitor", mib(theirs_kib)),
                    Some(ours_kib / theirs_kib),
                    Goal::None,
                ),
            ]
        }
    })
}

/// The GitHub client with features by tag: a full debug build with only [`SMALL_TAG`]'s
/// feature against one with all of them (the default), both on built dependencies.
fn features(paths: &Paths, plan: &Plan, github: &Path, notes: &mut Vec<String>) -> Result<Vec<Row>, Failure> {
    let dir = paths.work.join("features");
    let name = "github-clientgen";
    let out = dir.join(name);
    let mut args = our_cli(paths, github, &out);
    args.extend(["--features-by", "tag"].map(String::from));
    timed_child(&paths.probe, &args)?;
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask bench`: the GitHub client with features by tag.\n[workspace]\nresolver = \"2\"\nmembers = [\"{name}\"]\n"
        ),
    )?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        if let Ok(main_lock) = fs::read(paths.root.join("Cargo.lock")) {
            fs::write(&lock, main_lock)
                .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", lock.display())))?;
        }
    }
    // The compile section's target dir: the dependencies are mostly the same.
    let target = paths.work.join("compile-target");
    let only = ["--no-default-features", "--features", SMALL_TAG];
    let builds: [(&str, &[&str]); 2] = [("all features", &[]), ("only one tag", &only)];
    let build = |extra: &[&str], quiet: bool| {
        let mut cmd = cargo();
        cmd.current_dir(&dir).env("CARGO_TARGET_DIR", &target).env("CARGO_INCREMENTAL", "0");
        cmd.args(["build", "-p", name]).args(extra);
        if quiet {
            cmd.arg("--quiet");
        }
        cmd
    };
    for (label, extra) in builds {
        let mut cmd = build(extra, false);
        eprintln!("$ {cmd:?}  ({label}, untimed)");
        let output = cmd.output().map_err(|e| Failure::Failed(format!("cannot run cargo: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(Failure::Failed(format!("cargo build -p {name} ({label}) failed:\n{}", tail(&stderr, 30))));
        }
    }
    let mut times: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for round in 0..plan.compile_rounds {
        let order: Vec<&(&str, &[&str])> =
            if round % 2 == 0 { builds.iter().collect() } else { builds.iter().rev().collect() };
        for (label, extra) in order {
            touch(&out.join("src/lib.rs"))?;
            let started = Instant::now();
            let status = build(extra, true).status().map_err(|e| Failure::Failed(format!("cannot run cargo: {e}")))?;
            let elapsed = started.elapsed().as_secs_f64();
            if !status.success() {
                return Err(Failure::Failed(format!("cargo build -p {name} ({label}) failed ({status})")));
            }
            eprintln!("  cargo build -p {name} ({label}): {elapsed:.1} s");
            times.entry(label).or_default().push(elapsed);
        }
    }
    notes.push(format!(
        "features: median of {} round(s); scratch workspace {} (target dir {}), CARGO_INCREMENTAL=0",
        plan.compile_rounds,
        dir.display(),
        target.display()
    ));
    let all = median(times.remove("all features").unwrap_or_default());
    let one = median(times.remove("only one tag").unwrap_or_default());
    Ok(vec![Row::new(
        format!("GitHub client (features by tag): full debug build with only `{SMALL_TAG}` vs all features"),
        format!("{} one tag", secs(one)),
        format!("{} all features", secs(all)),
        Some(one / all),
        Goal::AtMost(0.15),
    )])
}

fn our_cli(paths: &Paths, spec: &Path, out: &Path) -> Vec<String> {
    let _ = fs::remove_dir_all(out);
    let mut args = vec![paths.clientgen.display().to_string()];
    args.extend(["generate", "--quiet", "--schema"].map(String::from));
    args.push(spec.display().to_string());
    args.push("--out".into());
    args.push(out.display().to_string());
    args.push("--crate-name".into());
    args.push(dir_name(out));
    args
}

/// `cargo-progenitor progenitor -i SPEC -o OUT -n NAME -v 0.1.0`, run as cargo would run it
/// (the binary directly, so cargo's own start-up is not counted, as it is not for our CLI).
fn progenitor_cli(progenitor: &Path, spec: &Path, out: &Path) -> Vec<String> {
    let _ = fs::remove_dir_all(out);
    let mut args = vec![progenitor.display().to_string(), "progenitor".into(), "-i".into()];
    args.push(spec.display().to_string());
    args.push("-o".into());
    args.push(out.display().to_string());
    args.push("-n".into());
    args.push(dir_name(out));
    args.extend(["-v", "0.1.0"].map(String::from));
    args
}

fn compile(paths: &Paths, plan: &Plan, nexus: &Path, notes: &mut Vec<String>) -> Result<Vec<Row>, Failure> {
    let loc_measure = "lines of Rust in the nexus crate (src/, incl. blank and comments)";
    let dir = paths.work.join("compile");
    let mut crates = vec![("nexus-clientgen", true)];
    if paths.progenitor.is_ok() {
        crates.push(("nexus-progenitor", false));
    }
    // Write the crates unless `cli` just did.
    for (name, ours) in &crates {
        let out = dir.join(name);
        if !out.join("src/lib.rs").is_file() {
            let args = match (ours, &paths.progenitor) {
                (true, _) => our_cli(paths, nexus, &out),
                (false, Ok(p)) => progenitor_cli(p, nexus, &out),
                (false, Err(_)) => continue,
            };
            timed_child(&paths.probe, &args)?;
        }
    }
    crates.retain(|(name, _)| dir.join(name).join("src/lib.rs").is_file());
    let progenitor_missing = !crates.iter().any(|(_, ours)| !ours);
    // Progenitor's output may declare itself a workspace; it is a member of ours here.
    for (name, _) in &crates {
        let manifest = dir.join(name).join("Cargo.toml");
        if let Ok(text) = fs::read_to_string(&manifest) {
            if text.lines().any(|l| l.trim() == "[workspace]") {
                let kept: Vec<&str> = text.lines().filter(|l| l.trim() != "[workspace]").collect();
                write(&manifest, &(kept.join("\n") + "\n"))?;
            }
        }
    }
    let members: Vec<String> = crates.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask bench`: the nexus crates of clientgen and progenitor, built with one\n\
             # target dir so their dependencies build once.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        if let Ok(main_lock) = fs::read(paths.root.join("Cargo.lock")) {
            fs::write(&lock, main_lock)
                .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", lock.display())))?;
        }
    }
    let target = paths.work.join("compile-target");
    let cargo_in = |args: &[&str], incremental: bool| {
        let mut cmd = cargo();
        cmd.current_dir(&dir).env("CARGO_TARGET_DIR", &target).args(args);
        if !incremental {
            cmd.env("CARGO_INCREMENTAL", "0");
        }
        cmd
    };
    // Each crate alone, in every mode, untimed: `-p` builds resolve features per crate, so the
    // dependencies each one is timed against must be built for exactly that crate.
    for (name, _) in &crates {
        for (mode, incremental) in [("build", true), ("build", false), ("check", false)] {
            let mut cmd = cargo_in(&[mode, "-p", name], incremental);
            eprintln!("$ {cmd:?}");
            let output = cmd.output().map_err(|e| Failure::Failed(format!("cannot run cargo: {e}")))?;
            if !output.status.success() {
                let stderr = String::from_utf8_lossy(&output.stderr);
                return Err(Failure::Failed(format!("cargo {mode} -p {name} failed:\n{}", tail(&stderr, 30))));
            }
        }
    }
    // (label, cargo subcommand, incremental)
    let modes = [
        ("full", "build", false),
        ("no-op incremental rebuild, cargo's default", "build", true),
        ("front end only", "check", false),
    ];
    let mut times: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for round in 0..plan.compile_rounds {
        for (label, subcommand, incremental) in modes {
            // Alternate which crate goes first.
            let order: Vec<&(&str, bool)> =
                if round % 2 == 0 { crates.iter().collect() } else { crates.iter().rev().collect() };
            for (name, _) in order {
                touch(&dir.join(name).join("src/lib.rs"))?;
                let mut cmd = cargo_in(&[subcommand, "--quiet", "-p", name], incremental);
                let started = Instant::now();
                let status = cmd.status().map_err(|e| Failure::Failed(format!("cannot run cargo: {e}")))?;
                let elapsed = started.elapsed().as_secs_f64();
                if !status.success() {
                    return Err(Failure::Failed(format!("cargo {subcommand} -p {name} failed ({status})")));
                }
                eprintln!("  cargo {subcommand} -p {name} ({label}): {elapsed:.1} s");
                times.entry((label, name)).or_default().push(elapsed);
            }
        }
    }
    notes.push(format!(
        "compile: median of {} round(s); scratch workspace {} (target dir {}); `full` and `check` with \
         CARGO_INCREMENTAL=0, the no-op rebuild with cargo's default (incremental)",
        plan.compile_rounds,
        dir.display(),
        target.display()
    ));
    let our_loc = rust_lines(&dir.join("nexus-clientgen/src"));
    let mut rows = Vec::new();
    for (label, subcommand, _) in modes {
        let measure = match label {
            "full" => "compile the nexus crate: full (debug; deps built; touch src/lib.rs)".to_string(),
            other => format!("  same, {other} (`cargo {subcommand}`)"),
        };
        let goal = if label == "full" { Goal::AtMost(0.4) } else { Goal::None };
        let ours = median(times.remove(&(label, "nexus-clientgen")).unwrap_or_default());
        if progenitor_missing {
            let why = paths.progenitor.as_ref().err().cloned().unwrap_or_else(|| "its crate is missing".into());
            rows.push(Row::unavailable(measure, format!("{} ours; progenitor: {why}", secs(ours)), goal));
            continue;
        }
        let theirs = median(times.remove(&(label, "nexus-progenitor")).unwrap_or_default());
        rows.push(Row::new(
            measure,
            format!("{} clientgen", secs(ours)),
            format!("{} progenitor", secs(theirs)),
            Some(ours / theirs),
            goal,
        ));
    }
    if progenitor_missing {
        rows.push(Row::unavailable(loc_measure, format!("{our_loc} ours; progenitor's crate missing"), Goal::None));
    } else {
        let their_loc = rust_lines(&dir.join("nexus-progenitor/src"));
        rows.push(Row::new(
            loc_measure,
            format!("{our_loc} clientgen"),
            format!("{their_loc} progenitor"),
            Some(our_loc as f64 / their_loc.max(1) as f64),
            Goal::None,
        ));
    }
    Ok(rows)
}

fn requests(paths: &Paths, plan: &Plan) -> Result<Vec<Row>, Failure> {
    let mut cmd = Command::new(&paths.probe);
    cmd.args(["requests", "--requests", &plan.requests.to_string(), "--rounds", &plan.request_rounds.to_string()]);
    let f = probe(cmd)?;
    let get = |k: &str| figure(&f, k);
    let per = format!("median of {} rounds of {} requests", plan.request_rounds, plan.requests);
    let (gl, hl, gs, hs) = (
        get("request.list.generated_us")?,
        get("request.list.hand_us")?,
        get("request.start.generated_us")?,
        get("request.start.hand_us")?,
    );
    let page = get("decode.page_bytes")?;
    let (dc, dh) = (get("decode.client_us")?, get("decode.hand_us")?);
    let rate = |us: f64| format!("{us:.1} µs ({:.0} MB/s)", page / us);
    Ok(vec![
        Row::new(
            format!("list runs, 100-run page, per request ({per})"),
            format!("{gl:.1} µs generated"),
            format!("{hl:.1} µs reqwest + serde by hand"),
            Some(gl / hl),
            Goal::AtMost(1.05),
        ),
        Row::new(
            "start run (JSON body), per request",
            format!("{gs:.1} µs generated"),
            format!("{hs:.1} µs reqwest + serde by hand"),
            Some(gs / hs),
            Goal::AtMost(1.05),
        ),
        Row::new(
            format!("decode the 100-run page ({:.1} KB) as the client does", page / 1e3),
            rate(dc),
            format!("{} from_slice, hand-written struct", rate(dh)),
            Some(dc / dh),
            Goal::None,
        ),
    ])
}

fn rss(paths: &Paths, github: &Path) -> Result<Vec<Row>, Failure> {
    let out = paths.work.join("work/github-clientgen");
    let (wall, ours) = timed_child(&paths.probe, &our_cli(paths, github, &out))?;
    let parse = vec![paths.probe.display().to_string(), "parse".into(), github.display().to_string()];
    let (_, baseline) = timed_child(&paths.probe, &parse)?;
    Ok(vec![Row::new(
        "peak RSS, CLI generating api.github.com.json",
        format!("{} ({} wall)", mib(ours), ms(wall)),
        format!("{} process parsing it to Value", mib(baseline)),
        Some(ours / baseline),
        Goal::None,
    )])
}

// ------------------------------------------------------------------------------ helpers

/// Build the probe and our CLI in release mode; binary name → path.
fn build_release(root: &Path) -> Result<BTreeMap<String, PathBuf>, Failure> {
    let mut cmd = cargo();
    cmd.current_dir(root).args([
        "build",
        "--release",
        "--message-format=json-render-diagnostics",
        "-p",
        "clientgen-bench",
        "-p",
        "clientgen",
        "--bins",
    ]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
    eprintln!("$ {cmd:?}");
    let output = cmd.output().map_err(|e| Failure::Failed(format!("cannot run cargo build: {e}")))?;
    if !output.status.success() {
        return Err(Failure::Failed("the release build of the benchmark binaries failed".into()));
    }
    let mut found = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(m) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if let (Some(name), Some(exe)) = (m["target"]["name"].as_str(), m["executable"].as_str()) {
            found.insert(name.to_string(), PathBuf::from(exe));
        }
    }
    Ok(found)
}

/// `target/bench-tools/bin/cargo-progenitor`, installed first when missing; `Err(why)` when
/// it cannot be had (offline, build failure), so its figures become "unavailable".
fn ensure_progenitor(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join("target/bench-tools");
    let bin = tools.join("bin/cargo-progenitor");
    if bin.is_file() {
        return Ok(bin);
    }
    let log = tools.join("install.log");
    let _ = fs::create_dir_all(&tools);
    let file = fs::File::create(&log).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    // Built under target/, not in a temporary directory of the shared /tmp (which a full disk
    // or another user's cleaning can take away mid-build); removed once installed.
    let build = tools.join("build");
    let mut cmd = cargo();
    cmd.args(["install", "--locked", "--root"])
        .arg(&tools)
        .args(["--version", PROGENITOR_VERSION, "cargo-progenitor"])
        .env("CARGO_TARGET_DIR", &build)
        .stdout(file)
        .stderr(err);
    eprintln!("$ {cmd:?}  (log: {}; takes minutes)", log.display());
    let status = cmd.status();
    let _ = fs::remove_dir_all(&build);
    match status {
        Ok(status) if status.success() && bin.is_file() => Ok(bin),
        Ok(status) => {
            let text = fs::read_to_string(&log).unwrap_or_default();
            eprintln!("cargo install cargo-progenitor failed ({status}):\n{}", tail(&text, 15));
            Err(format!("cargo install failed, see {}", log.display()))
        }
        Err(e) => Err(format!("cannot run cargo install: {e}")),
    }
}

/// Run the probe, passing its stderr through; the `BENCH` figures it printed.
fn probe(mut cmd: Command) -> Result<BTreeMap<String, f64>, Failure> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
    eprintln!("$ {cmd:?}");
    let output = cmd.output().map_err(|e| Failure::Failed(format!("cannot run the probe: {e}")))?;
    if !output.status.success() {
        return Err(Failure::Failed(format!("{cmd:?} failed ({})", output.status)));
    }
    let mut figures = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some(json) = line.strip_prefix("BENCH ") else { continue };
        let Ok(m) = serde_json::from_str::<serde_json::Value>(json) else { continue };
        if let (Some(k), Some(v)) = (m["key"].as_str(), m["value"].as_f64()) {
            figures.insert(k.to_string(), v);
        }
    }
    Ok(figures)
}

fn figure(figures: &BTreeMap<String, f64>, key: &str) -> Result<f64, Failure> {
    figures.get(key).copied().ok_or_else(|| Failure::Failed(format!("the probe reported no `{key}`")))
}

/// Run `args` under `clientgen-bench run`: (wall ms, peak RSS KiB).
fn timed_child(probe_bin: &Path, args: &[String]) -> Result<(f64, f64), Failure> {
    let mut cmd = Command::new(probe_bin);
    cmd.arg("run").arg("--").args(args);
    let figures = probe(cmd)?;
    Ok((figure(&figures, "run.wall_ms")?, figure(&figures, "run.maxrss_kib")?))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// Lines of every `*.rs` file under `dir`.
fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                total += fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    total
}

fn touch(path: &Path) -> Outcome {
    fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| Failure::Failed(format!("cannot touch {}: {e}", path.display())))
}

fn mkdir(dir: &Path) -> Outcome {
    fs::create_dir_all(dir).map_err(|e| Failure::Failed(format!("cannot create {}: {e}", dir.display())))
}

fn write(path: &Path, text: &str) -> Outcome {
    fs::write(path, text).map_err(|e| Failure::Failed(format!("cannot write {}: {e}", path.display())))
}

fn dir_name(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn ms(v: f64) -> String {
    if v >= 100.0 { format!("{v:.0} ms") } else { format!("{v:.1} ms") }
}

fn secs(v: f64) -> String {
    format!("{:.2} s", v)
}

fn mib(kib: f64) -> String {
    format!("{:.0} MiB", kib / 1024.0)
}

/// The table, as Markdown (readable in a terminal too).
fn render(rows: &[Row]) -> String {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let ratio = r.ratio.map_or_else(|| "—".to_string(), |x| format!("{x:.2}×"));
            let goal = match (r.goal, r.ratio) {
                (Goal::None, _) => "—".to_string(),
                (Goal::AtMost(g), Some(x)) => format!("≤ {g}× {}", if x <= g { "met" } else { "MISSED" }),
                (Goal::AtMost(g), None) => format!("≤ {g}× (not measured)"),
            };
            [r.measure.clone(), r.figure.clone(), r.baseline.clone(), ratio, goal]
        })
        .collect();
    let header = ["measure", "figure", "baseline", "ratio", "goal"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: &[String; 5]| {
        let padded: Vec<String> =
            row.iter().zip(widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        format!("| {} |", padded.join(" | "))
    };
    let mut out = vec![line(&header)];
    out.push(format!("|{}|", widths.map(|w| "-".repeat(w + 2)).join("|")));
    out.extend(cells.iter().map(line));
    out.join("\n")
}
