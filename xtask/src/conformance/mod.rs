//! `cargo xtask conformance`: `schema/northflank-jobs.yaml` against Northflank's own typings.
//!
//! Northflank's official JS client (`@northflank/js-client`, pinned in `tests/package-lock.json`)
//! ships typings generated from Northflank's API schema. `tests/conformance/northflank-typings.mjs`
//! reads them with the TypeScript compiler API and runs the client's URL code; this compares the
//! result with our document endpoint by endpoint and field by field. Every difference must be
//! fixed or listed with its reason in `schema/northflank-typings-deviations.yaml`; an unlisted
//! one fails, and so does a listed one that no longer occurs.

mod align;
mod allowlist;
mod compare;
mod theirs;

use std::process::Command;

use crate::test::install_npm_tools;
use crate::util::{Failure, Outcome, root};

const DEVIATIONS: &str = "schema/northflank-typings-deviations.yaml";
const EXTRACTOR: &str = "tests/conformance/northflank-typings.mjs";

pub fn run(args: &[String]) -> Outcome {
    let mut verbose = false;
    for a in args {
        match a.as_str() {
            "--list" => verbose = true,
            other => return Err(Failure::Usage(format!("`conformance` takes only --list, not `{other}`"))),
        }
    }
    install_npm_tools()?;
    let root = root();
    let output = Command::new("node")
        .arg(root.join(EXTRACTOR))
        .current_dir(root.join("tests"))
        .output()
        .map_err(|e| Failure::Failed(format!("cannot run node {EXTRACTOR}: {e} (Node.js must be on PATH)")))?;
    if !output.status.success() {
        return Err(Failure::Failed(format!(
            "{EXTRACTOR} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    // The Northflank target's schema, as `cargo xtask generate` reads it.
    let schema = crate::targets::TARGETS[0].schema;
    let (package, theirs) = theirs::parse(&String::from_utf8_lossy(&output.stdout)).map_err(Failure::Failed)?;
    let (docs, _) = clientgen::load::Documents::load(&root.join(schema)).map_err(|d| Failure::Failed(d.to_string()))?;
    let ours = clientgen::wire::endpoints(&docs);
    let list = allowlist::load(&root.join(DEVIATIONS)).map_err(|e| Failure::Failed(e.join("\n")))?;
    let (diffs, tally) = compare::compare(&theirs, &ours);
    let verdict = allowlist::judge(&diffs, &list);

    println!("{schema} against the typings of {package}");
    if verbose {
        for (d, e) in &verdict.listed {
            println!("  listed: {d}\n          reason: {}", e.reason);
        }
    }
    let mut failures = 0;
    if list.package != package {
        failures += 1;
        println!(
            "error: {DEVIATIONS} was written against {}, the typings are {package}: review every entry and update `package`",
            list.package
        );
    }
    for d in &verdict.inexcusable {
        failures += 1;
        println!("error: ours is stricter than their typings on a response, which no reason excuses: {d}");
    }
    for d in &verdict.unlisted {
        failures += 1;
        println!("error: not listed in {DEVIATIONS}: {d}");
    }
    for (e, endpoint) in &verdict.stale {
        failures += 1;
        println!(
            "error: {}: listed for {endpoint} but no longer found: {} `{}`: {}",
            e.origin,
            e.place.name(),
            e.field,
            e.what.name()
        );
    }
    let pct = if tally.shared == 0 { 100.0 } else { 100.0 * tally.agreeing as f64 / tally.shared as f64 };
    println!(
        "endpoints: {}/{} (served at both the project and the team path)",
        tally.endpoints_matched, tally.endpoints
    );
    println!(
        "fields agreeing: {}/{} ({pct:.1} %); {} only in theirs, {} only in ours",
        tally.agreeing, tally.shared, tally.only_theirs, tally.only_ours
    );
    println!("differences: {} ({} listed with a reason in {DEVIATIONS})", diffs.len(), verdict.listed.len());
    if tally.endpoints_matched < tally.endpoints {
        failures += 1;
    }
    if failures > 0 {
        return Err(Failure::Failed(format!("{schema} does not conform to {package} ({failures} problems above)")));
    }
    Ok(())
}
