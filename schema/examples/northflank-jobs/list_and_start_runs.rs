//! List the recent runs of a Northflank job, then start a new run with one environment
//! variable overridden.
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

use std::collections::BTreeMap;

use futures::{StreamExt, TryStreamExt};
use northflank_jobs::types::{EnvironmentVariablesKey, GetJobRunsParams, StartJobRunRequest};
use northflank_jobs::{Client, Error, Server};

/// How many runs to print at most.
const SHOWN: usize = 20;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let (token, project, job) = (var("NORTHFLANK_TOKEN")?, var("NORTHFLANK_PROJECT")?, var("NORTHFLANK_JOB")?);
    let mut builder = Client::builder().bearer_token(token);
    if let Ok(team_id) = std::env::var("NORTHFLANK_TEAM") {
        builder = builder.server(Server::Team { team_id });
    }
    if let Ok(url) = std::env::var("NORTHFLANK_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Every run across pages, newest page first, stopping after SHOWN.
    let runs: Vec<_> =
        client.get_job_runs_stream(&project, &job, &GetJobRunsParams::default()).take(SHOWN).try_collect().await?;
    println!("{} recent run(s) of {job}:", runs.len());
    for run in &runs {
        let ended = run.concluded_at.as_deref().unwrap_or("still running");
        println!("  {} {:<8} started {} ({ended})", run.run_name, run.status, run.started_at);
    }

    let mut environment = BTreeMap::new();
    environment.insert(EnvironmentVariablesKey::new("TRIGGERED_BY")?, "northflank-jobs example".to_owned());
    let request = StartJobRunRequest { runtime_environment: Some(environment), ..StartJobRunRequest::default() };
    match client.start_job_run(&project, &job, &request).await {
        Ok(started) => println!("started run {} ({})", started.data.run_name, started.data.id),
        // The API's own message and error id are worth showing as they are.
        Err(Error::Api(e)) => {
            return Err(format!(
                "Northflank refused the run: {} (status {}, id {:?})",
                e.message().unwrap_or("no message"),
                e.status(),
                e.error_id()
            )
            .into());
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
