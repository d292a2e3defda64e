//! `cargo xtask generate [--check]`: the checked-in clients, regenerated from `schema/`; and
//! `cargo xtask targets`: which they are, for scripts.

use std::time::Instant;

use clientgen::output::{self, Change};

use crate::targets::TARGETS;
use crate::util::{Failure, Outcome, root};

pub fn run(args: &[String]) -> Outcome {
    let mut check = false;
    for a in args {
        match a.as_str() {
            "--check" => check = true,
            other => return Err(Failure::Usage(format!("`generate` takes only --check, not `{other}`"))),
        }
    }
    let root = root();
    let mut stale = 0;
    for t in TARGETS {
        let started = Instant::now();
        let (generated, release) = t.generate(&root).map_err(|d| {
            eprint!("{}", d.render(false));
            Failure::Failed(format!("cannot generate {} from {}", t.crate_name, t.schema))
        })?;
        if let Some(report) = &release.report {
            println!("what {} gives changed since {} was committed:", t.schema, t.out);
            print!("{}", clientgen::diff::text(report));
            println!("{} {} (its CHANGELOG.md has the entry)", t.crate_name, release.version);
        }
        if !generated.warnings.is_empty() {
            eprint!("{}", generated.warnings.render(false));
        }
        let out = root.join(t.out);
        let s = generated.stats;
        if check {
            let changes = output::check(&out, &generated.files);
            for change in &changes {
                match change {
                    Change::Added(p) => println!("missing: {}/{p}", t.out),
                    Change::Removed(p) => println!("no longer generated: {}/{p}", t.out),
                    Change::Modified(_, diff) => print!("{diff}"),
                }
            }
            if changes.is_empty() {
                println!("{} is fresh ({} operations, {} types)", t.out, s.operations, s.types);
            } else {
                stale += 1;
                println!("{} is stale: {} file(s) differ from what {} gives", t.out, changes.len(), t.schema);
                if release.report.is_some() {
                    println!(
                        "what is generated changed since {} was committed: `cargo xtask generate` makes it \
                         version {} with a CHANGELOG.md entry",
                        t.out, release.version
                    );
                }
            }
        } else {
            let changes = output::write(&out, &generated.files)
                .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", t.out)))?;
            println!(
                "{}: {} operations, {} types, {} files ({} changed), {} lines in {} ms",
                t.out,
                s.operations,
                s.types,
                s.files,
                changes.len(),
                s.lines,
                started.elapsed().as_millis()
            );
        }
    }
    if stale > 0 {
        return Err(Failure::Failed(
            "generated code is stale; run `cargo xtask generate` and commit the result".into(),
        ));
    }
    Ok(())
}

/// `cargo xtask targets`: one line per generated crate, its package name and directory
/// (`northflank-jobs generated-client`), so that scripts (`.ci/run`) read the list from
/// `targets.rs` rather than keeping a copy.
pub fn list(args: &[String]) -> Outcome {
    if let Some(other) = args.first() {
        return Err(Failure::Usage(format!("`targets` takes no arguments, not `{other}`")));
    }
    for t in TARGETS {
        println!("{} {}", t.crate_name, t.out);
    }
    Ok(())
}
