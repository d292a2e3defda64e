//! `clientgen-bench`: the in-process probes behind `cargo xtask bench`, built in release mode.
//!
//! Every probe times a figure and its baseline in the same process, interleaved round by
//! round so that both see the same machine noise, and prints one line per figure:
//! `BENCH {"key": ..., "value": ..., "unit": ...}` (medians over the rounds). xtask collects
//! the lines and prints the table; run by hand, the lines are readable as they are.
//!
//! - `generate [--runs N] SPEC...`: `clientgen::generate` vs reading + parsing the same file
//!   into `serde_json::Value`.
//! - `requests [--requests N] [--rounds R]`: the generated client's `get_job_runs` (a 100-run
//!   page) and `start_job_run` vs hand-written reqwest + serde calls doing the same requests,
//!   against a keep-alive HTTP/1.1 server on 127.0.0.1 in this process; then decoding of the
//!   page as the client does it vs `serde_json::from_slice` into a hand-written struct.
//! - `run -- CMD ARGS...`: run a command as the only child; its wall time and peak RSS.
//! - `parse FILE`: parse FILE into `serde_json::Value` and exit (the peak-RSS baseline).

mod hand;
mod server;

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use northflank_jobs::types::{GetJobRunsParams, GetJobRunsResponse, PerPage, StartJobRunRequest};

/// Project and job of every request (path segments of both operations).
const PROJECT: &str = "bench-project";
const JOB: &str = "bench-job";
const TOKEN: &str = "bench-token";
/// Runs on the listed page.
const PAGE_RUNS: usize = 100;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((cmd, rest)) if cmd == "generate" => generate(rest),
        Some((cmd, rest)) if cmd == "requests" => requests(rest),
        Some((cmd, rest)) if cmd == "run" => run_child(rest),
        Some((cmd, rest)) if cmd == "parse" => parse_only(rest),
        _ => Err("usage: clientgen-bench generate [--runs N] SPEC... | requests [--requests N] [--rounds R] \
                  | run -- CMD ARGS... | parse FILE"
            .into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clientgen-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

type Probe = Result<(), String>;

/// Print one figure for xtask.
fn report(key: &str, value: f64, unit: &str) {
    println!("BENCH {}", serde_json::json!({ "key": key, "value": value, "unit": unit }));
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// `--name N` from `args`, or `default`; the rest of the arguments are returned.
fn numeric_flag(args: &[String], name: &str, default: usize) -> Result<(usize, Vec<String>), String> {
    let mut value = default;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == name {
            let v = it.next().ok_or_else(|| format!("{name} needs a number"))?;
            value = v.parse().map_err(|_| format!("{name} needs a number, not `{v}`"))?;
        } else {
            rest.push(a.clone());
        }
    }
    Ok((value.max(1), rest))
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

// ------------------------------------------------------------------------------ generation

fn generate(args: &[String]) -> Probe {
    let (runs, specs) = numeric_flag(args, "--runs", 5)?;
    if specs.is_empty() {
        return Err("generate: name at least one spec".into());
    }
    for spec in &specs {
        let path = Path::new(spec);
        let key = path.file_stem().map_or_else(|| spec.clone(), |s| s.to_string_lossy().into_owned());
        let options = clientgen::Options::new("bench-client");
        let parse = || -> Result<Duration, String> {
            let started = Instant::now();
            let bytes = std::fs::read(path).map_err(|e| format!("read {spec}: {e}"))?;
            let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| format!("parse {spec}: {e}"))?;
            black_box(&value);
            let elapsed = started.elapsed();
            drop(value);
            Ok(elapsed)
        };
        let gen_once = || -> Result<(Duration, clientgen::GeneratedCrate), String> {
            let started = Instant::now();
            let generated = clientgen::generate(path, &options).map_err(|d| format!("generate {spec}:\n{d}"))?;
            Ok((started.elapsed(), generated))
        };
        // Warm-up: page cache, allocator, lazily built tables.
        parse()?;
        let (_, generated) = gen_once()?;
        let (mut parses, mut gens) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            parses.push(millis(parse()?));
            gens.push(millis(gen_once()?.0));
        }
        let phases = phases(path, runs)?;
        report(&format!("generate.{key}.parse_ms"), median(parses), "ms");
        for (phase, ms) in ["load", "lower", "emit"].iter().zip(phases) {
            report(&format!("generate.{key}.{phase}_ms"), ms, "ms");
        }
        report(&format!("generate.{key}.generate_ms"), median(gens), "ms");
        report(&format!("generate.{key}.operations"), generated.stats.operations as f64, "count");
        report(&format!("generate.{key}.types"), generated.stats.types as f64, "count");
        report(&format!("generate.{key}.lines"), generated.stats.lines as f64, "lines");
        report(&format!("generate.{key}.bytes"), std::fs::metadata(path).map_or(0, |m| m.len()) as f64, "bytes");
    }
    Ok(())
}

/// Medians of the three stages of `generate` (load, lower, emit), timed apart through the
/// library's public modules, on a thread with the stack `generate` itself uses.
fn phases(path: &Path, runs: usize) -> Result<[f64; 3], String> {
    let path = path.to_path_buf();
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(move || -> Result<[f64; 3], String> {
        let opts = clientgen::Options::new("bench-client");
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..runs {
            let t = Instant::now();
            let (docs, _) = clientgen::load::Documents::load(&path).map_err(|d| d.to_string())?;
            times[0].push(millis(t.elapsed()));
            let t = Instant::now();
            let (api, _) = clientgen::lower::lower(&docs).map_err(|d| d.to_string())?;
            times[1].push(millis(t.elapsed()));
            let t = Instant::now();
            black_box(clientgen::emit::emit(&api, &opts, "spec")?);
            times[2].push(millis(t.elapsed()));
        }
        Ok(times.map(median))
    });
    worker.map_err(|e| e.to_string())?.join().map_err(|_| "a stage panicked".to_string())?
}

// --------------------------------------------------------------------------- child process

/// Run `CMD ARGS...` (stdout and stderr discarded) as this process's only child; report its
/// wall time and, from `getrusage(RUSAGE_CHILDREN)`, its peak resident set size.
fn run_child(args: &[String]) -> Probe {
    let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
    let (program, rest) = args.split_first().ok_or("run: name a command")?;
    let started = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let elapsed = started.elapsed();
    if !status.status.success() {
        let stderr = String::from_utf8_lossy(&status.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
        return Err(format!("{program} failed ({}):\n{}", status.status, tail.join("\n")));
    }
    report("run.wall_ms", millis(elapsed), "ms");
    report("run.maxrss_kib", children_maxrss_kib(), "KiB");
    Ok(())
}

fn children_maxrss_kib() -> f64 {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed and ours.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN is a valid `who`; `usage` is a valid pointer for the call.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    if rc == 0 { usage.ru_maxrss as f64 } else { f64::NAN }
}

fn parse_only(args: &[String]) -> Probe {
    let [file] = args else { return Err("parse: name one file".into()) };
    let bytes = std::fs::read(file).map_err(|e| format!("read {file}: {e}"))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| format!("parse {file}: {e}"))?;
    black_box(&value);
    Ok(())
}

// -------------------------------------------------------------------------------- requests

/// The documented run, repeated with distinct ids and names: a full page as the API sends it.
fn runs_page() -> serde_json::Value {
    let mut page = clientgen_tests::schema_example("GetJobRunsResponse");
    let template = page["data"]["runs"][0].clone();
    let runs: Vec<serde_json::Value> = (0..PAGE_RUNS)
        .map(|i| {
            let mut run = template.clone();
            run["id"] = format!("d34582a4-35bd-4c71-8e7c-{i:012}").into();
            run["runName"] = format!("example-job-5fcf67bc56e1913e2{i:011}").into();
            run
        })
        .collect();
    page["data"]["runs"] = runs.into();
    page["pagination"] = serde_json::json!({ "hasNextPage": true, "cursor": "next-page-cursor", "count": PAGE_RUNS });
    page
}

fn requests(args: &[String]) -> Probe {
    let (per_round, rest) = numeric_flag(args, "--requests", 2000)?;
    let (rounds, rest) = numeric_flag(&rest, "--rounds", 5)?;
    if let Some(extra) = rest.first() {
        return Err(format!("requests: unexpected `{extra}`"));
    }
    let page = serde_json::to_vec(&runs_page()).map_err(|e| e.to_string())?;
    let started_run =
        serde_json::to_vec(&clientgen_tests::schema_example("StartJobRunResponse")).map_err(|e| e.to_string())?;
    let server = server::Server::start(page.clone(), started_run)?;
    let base = server.url();

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let client = northflank_jobs::Client::builder()
            .bearer_token(TOKEN)
            // Northflank's server URL, `https://api.northflank.com/v1`, with the bench server's origin.
            .base_url(format!("{base}/v1"))
            .build()
            .map_err(|e| format!("generated client: {e}"))?;
        let hand = hand::Client::new(&base)?;
        let params = GetJobRunsParams {
            per_page: Some(PerPage::new(PAGE_RUNS as i64).map_err(|e| e.to_string())?),
            ..GetJobRunsParams::default()
        };
        let example = clientgen_tests::schema_example("StartJobRunRequest");
        let body: StartJobRunRequest = serde_json::from_value(example.clone()).map_err(|e| e.to_string())?;
        let hand_body: hand::StartRunRequest = serde_json::from_value(example).map_err(|e| e.to_string())?;
        let (sent, hand_sent) = (serde_json::to_value(&body), serde_json::to_value(&hand_body));
        if sent.map_err(|e| e.to_string())? != hand_sent.map_err(|e| e.to_string())? {
            return Err("the two start-run bodies differ".into());
        }

        // Each variant checks what it got once, so a mistake cannot make a figure look good.
        let generated_list = async || -> Result<(), String> {
            let page = client.get_job_runs(PROJECT, JOB, &params).await.map_err(|e| e.to_string())?;
            if page.data.runs.len() != PAGE_RUNS {
                return Err(format!("generated list: {} runs", page.data.runs.len()));
            }
            black_box(page);
            Ok(())
        };
        let hand_list = async || -> Result<(), String> {
            let page = hand.list_runs(PROJECT, JOB, PAGE_RUNS).await?;
            if page.data.runs.len() != PAGE_RUNS {
                return Err(format!("hand-written list: {} runs", page.data.runs.len()));
            }
            black_box(page);
            Ok(())
        };
        let generated_start = async || -> Result<(), String> {
            let started = client.start_job_run(PROJECT, JOB, &body).await.map_err(|e| e.to_string())?;
            black_box(started);
            Ok(())
        };
        let hand_start = async || -> Result<(), String> {
            black_box(hand.start_run(PROJECT, JOB, &hand_body).await?);
            Ok(())
        };

        let warm_up = (per_round / 10).max(20);
        for _ in 0..warm_up {
            generated_list().await?;
            hand_list().await?;
            generated_start().await?;
            hand_start().await?;
        }
        let (mut gl, mut hl, mut gs, mut hs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            // Alternate which side goes first, so drift within a round favours neither.
            for side in [round % 2, 1 - round % 2] {
                let started = Instant::now();
                for _ in 0..per_round {
                    if side == 0 { generated_list().await? } else { hand_list().await? }
                }
                let micros = started.elapsed().as_secs_f64() * 1e6 / per_round as f64;
                if side == 0 { gl.push(micros) } else { hl.push(micros) }
            }
            for side in [round % 2, 1 - round % 2] {
                let started = Instant::now();
                for _ in 0..per_round {
                    if side == 0 { generated_start().await? } else { hand_start().await? }
                }
                let micros = started.elapsed().as_secs_f64() * 1e6 / per_round as f64;
                if side == 0 { gs.push(micros) } else { hs.push(micros) }
            }
        }
        report("request.list.generated_us", median(gl), "µs");
        report("request.list.hand_us", median(hl), "µs");
        report("request.start.generated_us", median(gs), "µs");
        report("request.start.hand_us", median(hs), "µs");
        Ok::<_, String>(())
    })?;
    let served = server.served();
    if served == 0 {
        return Err("the server answered no request".into());
    }
    decode(&page, per_round, rounds)
}

/// Decoding the 100-run page as the client does it (`serde_json::from_slice` into the generated
/// types; the runtime's private `Raw::json` works out a JSON path only on failure) and with
/// `serde_json::from_slice` into a hand-written struct (the baseline).
fn decode(page: &[u8], per_round: usize, rounds: usize) -> Probe {
    let client = |bytes: &[u8]| serde_json::from_slice::<GetJobRunsResponse>(bytes).map_err(|e| e.to_string());
    let hand = |bytes: &[u8]| serde_json::from_slice::<hand::RunsPage>(bytes).map_err(|e| e.to_string());
    if client(page)?.data.runs.len() != PAGE_RUNS || hand(page)?.data.runs.len() != PAGE_RUNS {
        return Err("decode: the page does not hold 100 runs".into());
    }
    let iterations = per_round * 2;
    let (mut c, mut h) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for side in [round % 2, (round + 1) % 2] {
            let started = Instant::now();
            for _ in 0..iterations {
                match side {
                    0 => drop(black_box(client(black_box(page))?)),
                    _ => drop(black_box(hand(black_box(page))?)),
                }
            }
            let micros = started.elapsed().as_secs_f64() * 1e6 / iterations as f64;
            [&mut c, &mut h][side].push(micros);
        }
    }
    report("decode.page_bytes", page.len() as f64, "bytes");
    report("decode.client_us", median(c), "µs");
    report("decode.hand_us", median(h), "µs");
    Ok(())
}
