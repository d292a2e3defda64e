//! Trigger a run of an ejjy job, poll it until it ends, then print its logs.
//!
//! ```text
//! EJJY_TOKEN=... EJJY_BASE_URL=https://... EJJY_WORKSPACE=ws EJJY_PROJECT=proj EJJY_JOB=job \
//!     cargo run -p ejjy-jobs --example trigger_and_wait
//! ```
//!
//! The API's documentation names no host, so `EJJY_BASE_URL` is required (the document's
//! server is a placeholder). `EJJY_POLL_SECONDS` sets the pause between polls (default 2).

use std::process::ExitCode;
use std::time::Duration;

use ejjy_jobs::reqwest::StatusCode;
use ejjy_jobs::types::{GetJobRunLogsParams, RunStatus};
use ejjy_jobs::{Client, Error};

#[tokio::main]
async fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok();
    let (Some(token), Some(base_url), Some(workspace), Some(project), Some(job)) =
        (var("EJJY_TOKEN"), var("EJJY_BASE_URL"), var("EJJY_WORKSPACE"), var("EJJY_PROJECT"), var("EJJY_JOB"))
    else {
        eprintln!("set EJJY_TOKEN, EJJY_BASE_URL, EJJY_WORKSPACE, EJJY_PROJECT and EJJY_JOB");
        return ExitCode::from(2);
    };
    let poll = Duration::from_secs(var("EJJY_POLL_SECONDS").and_then(|s| s.parse().ok()).unwrap_or(2));
    match run(token, base_url, [&workspace, &project, &job], poll).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the run succeeded.
async fn run(
    token: String,
    base_url: String,
    [workspace, project, job]: [&str; 3],
    poll: Duration,
) -> Result<bool, Error> {
    let client = Client::builder().bearer_token(token).base_url(base_url).build()?;

    let triggered = client.trigger_job_run(workspace, project, job).await?;
    let run_id = triggered.data.id.clone();
    println!("triggered run {run_id} ({})", triggered.data.status);

    // Poll until the run reaches a terminal state; the API says polling is safe.
    let run = loop {
        let run = client.get_job_run(workspace, project, job, &run_id).await?.into_inner().data;
        match run.status {
            RunStatus::Pending | RunStatus::Running => tokio::time::sleep(poll).await,
            _ => break run,
        }
    };
    println!("run {run_id} ended {}", run.status);
    if let Some(code) = run.exit_code {
        println!("exit code {code}");
    }
    if let Some(message) = &run.error_message {
        println!("error: {message}");
    }

    match client.get_job_run_logs(workspace, project, job, &run_id, &GetJobRunLogsParams::default()).await {
        Ok(logs) => {
            for line in &logs.data {
                println!("{} {}", line.timestamp.to_rfc3339(), line.message);
            }
        }
        // Logs may already be gone for an old run; the outcome still stands.
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => println!("no logs kept for run {run_id}"),
        Err(e) => return Err(e),
    }
    Ok(run.status == RunStatus::Succeeded)
}
