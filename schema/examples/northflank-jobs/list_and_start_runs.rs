//! List the runs of a Northflank job, then start a new run with an environment variable
//! overridden (and, with `NORTHFLANK_BRANCH`, the latest build of that branch deployed).
//!
//! ```text
//! NORTHFLANK_TOKEN=... NORTHFLANK_PROJECT=my-project NORTHFLANK_JOB=my-job \
//!     cargo run -p northflank-jobs --example list_and_start_runs
//! ```
//!
//! `NORTHFLANK_TEAM=my-team` works on that team's project instead of one of the token's own
//! (every operation has a team-scoped twin, `/v1/teams/{teamId}/...`).
//! `NORTHFLANK_BASE_URL` points the client elsewhere, e.g. at a mock server
//! (`npx prism mock schema/northflank-jobs.yaml` serves one on http://127.0.0.1:4010).

use std::process::ExitCode;

use futures::{StreamExt, TryStreamExt};
use northflank_jobs::reqwest::StatusCode;
use northflank_jobs::types::{GetJobRunsParams, InternalSource, JobRunInternalOverride, StartJobRunRequest};
use northflank_jobs::{Client, Error, Server};

/// How many runs to print at most.
const SHOWN: usize = 20;

#[tokio::main]
async fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok();
    let (Some(token), Some(project), Some(job)) =
        (var("NORTHFLANK_TOKEN"), var("NORTHFLANK_PROJECT"), var("NORTHFLANK_JOB"))
    else {
        eprintln!("set NORTHFLANK_TOKEN, NORTHFLANK_PROJECT and NORTHFLANK_JOB");
        return ExitCode::from(2);
    };
    match run(token, &project, &job, var("NORTHFLANK_BRANCH")).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(token: String, project: &str, job: &str, branch: Option<String>) -> Result<(), Error> {
    let mut builder = Client::builder().bearer_token(token);
    if let Ok(team_id) = std::env::var("NORTHFLANK_TEAM") {
        builder = builder.server(Server::Team { team_id });
    }
    if let Ok(url) = std::env::var("NORTHFLANK_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Every run across pages, stopping after SHOWN.
    let params = GetJobRunsParams::default();
    let runs: Vec<_> = client.get_job_runs_stream(project, job, &params).take(SHOWN).try_collect().await?;
    println!("{} recent run(s) of {job}:", runs.len());
    for run in &runs {
        let ended = run.concluded_at.as_deref().unwrap_or("still running");
        println!("  {} {:<8} started {} ({ended})", run.run_name, run.status, run.started_at);
    }

    // Constrained keys and single-field wrappers convert with `?` and `.into()`.
    let deployment = branch.map(|branch| {
        let source = InternalSource { branch: Some(branch), ..InternalSource::default() };
        JobRunInternalOverride::from(source).into()
    });
    let request = StartJobRunRequest {
        runtime_environment: Some(northflank_jobs::checked_map([("TRIGGERED_BY", "northflank-jobs example")])?),
        deployment,
        ..StartJobRunRequest::default()
    };
    match client.start_job_run(project, job, &request).await {
        Ok(started) => println!("started run {} ({})", started.data.run_name, started.data.id),
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => println!("{project} has no job {job}"),
        // 429 was retried already; the API says when to come back.
        Err(Error::Api(e)) if e.status() == StatusCode::TOO_MANY_REQUESTS => {
            let wait = e.retry_after().map_or_else(|| "later".to_owned(), |d| format!("in {} s", d.as_secs()));
            println!("rate limited: try again {wait}");
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
