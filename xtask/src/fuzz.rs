//! `cargo xtask fuzz [--seconds N] [--target NAME]`: the load + lower fuzz target.
//!
//! Installs cargo-fuzz if it is missing, seeds the corpus with the small real-world specs and
//! the hostile test inputs (copied at run time, never committed), runs libFuzzer for N seconds
//! and prints the executions and crashes. `RUSTC_BOOTSTRAP=1` lets the stable toolchain take
//! the sanitizer flags cargo-fuzz passes.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::util::{self, Failure, Outcome, cargo, root};

/// Seeds larger than this are left out: libFuzzer mutates small inputs far faster.
const MAX_SEED_BYTES: u64 = 64 * 1024;

/// Inputs slower than this are reported as hangs (libFuzzer's own default is 20 minutes).
const UNIT_TIMEOUT_SECS: u32 = 20;

pub fn run(args: &[String]) -> Outcome {
    let mut seconds: u64 = 60;
    let mut target = "load_lower".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| Failure::Usage(format!("{flag} needs a value")));
        match a.as_str() {
            "--seconds" => {
                seconds = value("--seconds")?
                    .parse()
                    .map_err(|_| Failure::Usage("--seconds takes a whole number of seconds".into()))?;
            }
            "--target" => target = value("--target")?,
            other => return Err(Failure::Usage(format!("`fuzz` takes --seconds N and --target NAME, not `{other}`"))),
        }
    }
    let root = root();
    ensure_cargo_fuzz()?;
    let corpus = root.join("fuzz/corpus").join(&target);
    let seeded = seed(&corpus, &root)?;
    eprintln!("seed corpus: {} ({seeded} seed files copied or refreshed)", corpus.display());
    let artifacts = root.join("fuzz/artifacts").join(&target);
    let before = list(&artifacts);
    let started = Instant::now();
    let mut cmd = cargo();
    cmd.current_dir(&root).env("RUSTC_BOOTSTRAP", "1").args(["fuzz", "run", &target]).arg("--").args([
        format!("-max_total_time={seconds}"),
        format!("-timeout={UNIT_TIMEOUT_SECS}"),
        "-print_final_stats=1".to_string(),
    ]);
    let summary = run_logged(cmd, &root.join("fuzz/last-run.log"))?;
    let new_artifacts: Vec<PathBuf> = list(&artifacts).into_iter().filter(|p| !before.contains(p)).collect();
    let crashes = new_artifacts.len().max(summary.crashes);
    println!();
    println!("target        {target}");
    println!("wall time     {:.0} s (build and fuzzing)", started.elapsed().as_secs_f64());
    match (summary.runs, summary.execs_per_sec) {
        (Some(runs), Some(rate)) => {
            // A crash ends the run early, without the "Done … in N second(s)" line.
            let secs = summary.seconds.unwrap_or(runs / rate.max(1));
            println!("fuzzing time  {secs} s{}", if crashes > 0 { " (stopped at the first crash)" } else { "" });
            println!("executions    {runs}");
            println!("execs/s       {rate}");
        }
        _ => println!("executions    unknown (see fuzz/last-run.log)"),
    }
    println!("crashes       {crashes}");
    for a in &new_artifacts {
        println!("  {}", a.display());
    }
    if crashes > 0 {
        return Err(Failure::Failed(format!(
            "the fuzzer found {crashes} crashing input(s); reproduce with `RUSTC_BOOTSTRAP=1 cargo fuzz run {target} <file>`"
        )));
    }
    if !summary.success {
        return Err(Failure::Failed("cargo fuzz failed; see fuzz/last-run.log".into()));
    }
    Ok(())
}

/// `cargo install cargo-fuzz --locked` unless `cargo fuzz` already runs.
fn ensure_cargo_fuzz() -> Outcome {
    let present = cargo()
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present { Ok(()) } else { util::run(cargo().args(["install", "cargo-fuzz", "--locked"])) }
}

/// Copy the small corpus specs, the hostile inputs and past findings into the seed corpus.
/// Returns how many files were written.
fn seed(corpus: &Path, root: &Path) -> Result<usize, Failure> {
    fs::create_dir_all(corpus).map_err(|e| Failure::Failed(format!("cannot create {}: {e}", corpus.display())))?;
    let mut written = 0;
    let dirs = [
        ("spec", root.join("../shared/specs")),
        ("corpus", root.join("tests/corpus")),
        ("hostile", root.join("tests/hostile")),
        ("regression", root.join("fuzz/regressions")),
    ];
    for (prefix, dir) in dirs {
        // A missing directory (no corpus beside the project) seeds nothing.
        for path in util::schema_files(&dir).unwrap_or_default() {
            if fs::metadata(&path).map_or(true, |m| m.len() > MAX_SEED_BYTES) {
                continue;
            }
            let rel = path.strip_prefix(&dir).unwrap_or(&path).to_string_lossy().replace(['/', '\\'], "-");
            let dest = corpus.join(format!("seed-{prefix}-{rel}"));
            let Ok(bytes) = fs::read(&path) else { continue };
            if fs::read(&dest).ok().as_deref() != Some(bytes.as_slice()) {
                fs::write(&dest, &bytes)
                    .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", dest.display())))?;
                written += 1;
            }
        }
    }
    Ok(written)
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(dir).map(|e| e.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    files
}

/// What a libFuzzer run reported.
struct Summary {
    success: bool,
    runs: Option<u64>,
    seconds: Option<u64>,
    execs_per_sec: Option<u64>,
    crashes: usize,
}

/// Run `cmd`, writing all its output to `log` and echoing the lines worth seeing live
/// (progress pulses, the final figures, crashes); the rest would be thousands of `NEW` lines.
fn run_logged(mut cmd: Command, log: &Path) -> Result<Summary, Failure> {
    eprintln!("$ {cmd:?}  (full output: {})", log.display());
    let mut file =
        fs::File::create(log).map_err(|e| Failure::Failed(format!("cannot create {}: {e}", log.display())))?;
    // libFuzzer and cargo both write to stderr; stdout is folded into it.
    let mut child = cmd
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::Failed(format!("cannot run cargo fuzz: {e}")))?;
    let mut summary = Summary { success: false, runs: None, seconds: None, execs_per_sec: None, crashes: 0 };
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = writeln!(file, "{line}");
            let interesting =
                ["pulse", "DONE", "INITED", "Done ", "ERROR", "SUMMARY", "panicked", "Test unit", "error"]
                    .iter()
                    .any(|k| line.contains(k))
                    || line.starts_with("stat::");
            if interesting {
                eprintln!("{line}");
            }
            if line.contains("Test unit written to") {
                summary.crashes += 1;
            }
            // "Done 123456 runs in 600 second(s)"
            if let Some(rest) = line.strip_prefix("Done ") {
                let words: Vec<&str> = rest.split_whitespace().collect();
                summary.runs = words.first().and_then(|w| w.parse().ok());
                summary.seconds = words.get(3).and_then(|w| w.parse().ok());
            }
            // "stat::number_of_executed_units: 123456", printed even when a crash ends the run.
            if let Some(v) = line.strip_prefix("stat::number_of_executed_units:") {
                summary.runs = summary.runs.or_else(|| v.trim().parse().ok());
            }
            if let Some(v) = line.strip_prefix("stat::average_exec_per_sec:") {
                summary.execs_per_sec = v.trim().parse().ok();
            }
        }
    }
    let status = child.wait().map_err(|e| Failure::Failed(format!("cargo fuzz: {e}")))?;
    summary.success = status.success();
    Ok(summary)
}
