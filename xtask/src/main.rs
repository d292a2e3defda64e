//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `generate [--check]`: regenerate the checked-in generated crates from `schema/` (or check
//!   they are fresh); `targets.rs` lists them
//! - `targets`: list the generated crates (package name and directory), for scripts
//! - `test`: install what the tests need (npm packages) and run the whole test suite, then
//!   `conformance`
//! - `conformance [--list]`: check the Northflank schema against Northflank's own typings
//! - `corpus [DIR...] [--no-build]`: generate (and build) a client for every spec in the DIRs (default
//!   ../shared/specs and tests/corpus)
//! - `bench`: print benchmark figures against baselines measured in the same run
//! - `fuzz [--seconds N] [--target NAME]`: run the load + lower fuzz target

mod bench;
mod conformance;
mod corpus;
mod fuzz;
mod generate;
mod targets;
mod test;
mod util;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate [--check]   regenerate the generated crates (see `targets`) from schema/
                       (--check: fail with a diff if one is stale)
  targets              print the generated crates, one `package directory` per line
  test                 install the npm tools the tests need, then run every test and `conformance`
  conformance [--list] check schema/northflank-jobs.yaml against Northflank's own typings
                       (npm @northflank/js-client); --list also prints the listed deviations
  corpus [DIR...] [--no-build]
                       generate, build and clippy a client for every OpenAPI or Swagger 2.0
                       document in the DIRs (default ../shared/specs and tests/corpus); prints a
                       table (--no-build: generate only)
  bench                benchmark figures with baselines measured in the same run
  fuzz [--seconds N] [--target NAME]
                       run a fuzz target (default: load + lower) with cargo-fuzz for N seconds
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        "generate" => generate::run(rest),
        "targets" => generate::list(rest),
        "test" => test::run_tests(rest),
        "conformance" => conformance::run(rest),
        "corpus" => corpus::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(util::Failure::Usage(format!("unknown command `{other}`"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(util::Failure::Usage(msg)) => {
            eprintln!("error: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(util::Failure::Failed(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
