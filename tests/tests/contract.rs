//! Contract tests: every operation of the generated client against Prism serving the schema.
//!
//! Prism validates each request against the schema (`--errors` turns a violation into a 4xx),
//! so a call that succeeds was a request the schema accepts. In static mode Prism answers with
//! the documented examples; in dynamic mode with values it makes up from the schemas, which
//! the typed responses must decode. Prism missing is a failure, never a skip.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use clientgen_tests::prism::{Mode, Prism};
use clientgen_tests::schema_example;
use northflank_jobs::types::{
    self, GetJobBuildLogsParams, GetJobBuildMetricsParams, GetJobLogsParams, GetJobMetricsParams, LogDirection,
    LogQueryType, MetricQueryType, MetricType, PerPage,
};
use northflank_jobs::{Client, Error, Hooks, Outcome, RequestInfo, RetryPolicy};

/// Records the operation id and status of every response.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, u16)>>>);

impl Hooks for Recorder {
    fn after_response(&self, info: &RequestInfo<'_>, outcome: Outcome<'_>) {
        if let Outcome::Response { status, .. } = outcome {
            self.0.lock().unwrap().push((info.operation_id.to_owned(), status.as_u16()));
        }
    }
}

/// Decode a JSON example (or any JSON) into a request type.
fn body<T: serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).expect("a valid request body")
}

fn cron_job() -> types::CreateCronJobRequest {
    let mut job = schema_example("CreateJobRequest");
    let map = job.as_object_mut().unwrap();
    let settings = map.remove("settings").unwrap();
    map.insert("backoffLimit".into(), settings["backoffLimit"].clone());
    map.insert("schedule".into(), "0 3 * * *".into());
    map.insert("concurrencyPolicy".into(), "forbid".into());
    body(job)
}

fn manual_job() -> types::CreateManualJobRequest {
    let mut job = schema_example("CreateJobRequest");
    let map = job.as_object_mut().unwrap();
    map.remove("settings");
    map.insert("backoffLimit".into(), 2.into());
    body(job)
}

/// Whether Prism answered 500 because the response it made up breaks the schema itself
/// (its data faker cannot satisfy some patterns): the request was valid, but there is no
/// response to decode.
fn prism_made_up_an_invalid_response(e: &northflank_jobs::ApiError) -> bool {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(e.body()) else { return false };
    let Some(violations) = body["validation"].as_array() else { return false };
    e.status() == 500 && !violations.is_empty() && violations.iter().all(|v| v["location"][0] == "response")
}

/// What calling every operation showed.
#[derive(Default)]
struct Report {
    /// Requests refused or responses not decoded, with why.
    failures: Vec<String>,
    /// Operations whose request was accepted but for which Prism could not make up a valid response.
    unanswered: Vec<String>,
}

/// Call every operation once with realistic values.
async fn call_every_operation(client: &Client) -> Report {
    let (p, j) = ("default-project", "nightly-report");
    let mut report = Report::default();
    let mut check = |name: &str, result: Result<(), Error>| match result {
        Err(Error::Api(e)) if prism_made_up_an_invalid_response(&e) => report.unanswered.push(name.to_owned()),
        Err(Error::Api(e)) => {
            report.failures.push(format!("{name}: {} {}", e.status(), e.body_text().unwrap_or_default()))
        }
        Err(e) => report.failures.push(format!("{name}: {e}")),
        Ok(()) => {}
    };
    let page = types::ListJobsParams { per_page: Some(PerPage::new(10).unwrap()), ..Default::default() };
    check("listJobs", client.list_jobs(p, &page).await.map(drop));
    let job: types::CreateJobRequest = body(schema_example("CreateJobRequest"));
    check("createJob", client.create_job(p, &job).await.map(drop));
    check("putJob", client.put_job(p, &job).await.map(drop));
    #[allow(deprecated)] // the deprecated operations are part of the contract too
    {
        check("createJobCron", client.create_job_cron(p, &cron_job()).await.map(drop));
        check("createJobManual", client.create_job_manual(p, &manual_job()).await.map(drop));
        let env = body(schema_example("UpdateJobRuntimeEnvironmentRequest"));
        check(
            "getJobRuntimeEnvironment",
            client.get_job_runtime_environment(p, j, &Default::default()).await.map(drop),
        );
        check("updateJobRuntimeEnvironment", client.update_job_runtime_environment(p, j, &env).await.map(drop));
        check("getJobRuntimeEnvironmentDetails", client.get_job_runtime_environment_details(p, j).await.map(drop));
        check("scaleJob", client.scale_job(p, j, &body(schema_example("ScaleJobRequest"))).await.map(drop));
        let settings = body(schema_example("UpdateJobSettingsRequest"));
        check("updateJobSettings", client.update_job_settings(p, j, &settings).await.map(drop));
        check("suspendJob", client.suspend_job(p, j, &body(schema_example("SuspendJobRequest"))).await.map(drop));
        check("putJobCron", client.put_job_cron(p, &cron_job()).await.map(drop));
        check("putJobManual", client.put_job_manual(p, &manual_job()).await.map(drop));
        let patch_cron = body(serde_json::json!({"schedule": "0 4 * * *", "suspended": true, "backoffLimit": 1}));
        check("patchJobCron", client.patch_job_cron(p, j, &patch_cron).await.map(drop));
        let patch_manual = body(serde_json::json!({"description": "Runs on demand", "activeDeadlineSeconds": null}));
        check("patchJobManual", client.patch_job_manual(p, j, &patch_manual).await.map(drop));
        check("getJobBuildArguments", client.get_job_build_arguments(p, j, &Default::default()).await.map(drop));
        let args = body(serde_json::json!({"buildArguments": {"NODE_ENV": "production"}}));
        check("updateJobBuildArguments", client.update_job_build_arguments(p, j, &args).await.map(drop));
        check("getJobBuildArgumentDetails", client.get_job_build_argument_details(p, j).await.map(drop));
        let options = body(serde_json::json!({
            "dockerfile": {"buildEngine": "buildkit", "dockerFilePath": "/Dockerfile", "dockerWorkDir": "/"},
            "pathIgnoreRules": ["README.md"]
        }));
        check("updateJobBuildOptions", client.update_job_build_options(p, j, &options).await.map(drop));
        let source = body(serde_json::json!({"projectBranch": "main"}));
        check("updateJobBuildSource", client.update_job_build_source(p, j, &source).await.map(drop));
        check("getJobDeployment", client.get_job_deployment(p, j).await.map(drop));
        let deployment = body(serde_json::json!({"external": {"imagePath": "nginx:latest"}}));
        check("updateJobDeployment", client.update_job_deployment(p, j, &deployment).await.map(drop));
        check("getJobHealthChecks", client.get_job_health_checks(p, j).await.map(drop));
        let checks = body(serde_json::json!({"healthChecks": [{
            "protocol": "HTTP", "type": "readinessProbe", "path": "/health-check", "port": 8080,
            "initialDelaySeconds": 10, "periodSeconds": 60, "timeoutSeconds": 1, "failureThreshold": 3
        }]}));
        check("updateJobHealthChecks", client.update_job_health_checks(p, j, &checks).await.map(drop));
    }
    check("getJob", client.get_job(p, j).await.map(drop));
    let patch: types::PatchJobRequest = body(serde_json::json!({"description": "Runs the nightly report"}));
    check("patchJob", client.patch_job(p, j, &patch).await.map(drop));
    check("deleteJob", client.delete_job(p, j).await.map(drop));
    check("getJobBranches", client.get_job_branches(p, j, &Default::default()).await.map(drop));
    check("getJobBuilds", client.get_job_builds(p, j, &Default::default()).await.map(drop));
    let build = body(schema_example("StartJobBuildRequest"));
    check("startJobBuild", client.start_job_build(p, j, &build).await.map(drop));
    check("getJobBuild", client.get_job_build(p, j, "fine-build-1234").await.map(drop));
    check("abortJobBuild", client.abort_job_build(p, j, "fine-build-1234").await.map(drop));
    let logs = GetJobLogsParams {
        line_limit: Some(100.0),
        direction: Some(LogDirection::Backward),
        text_includes: Some("error".into()),
        ..GetJobLogsParams::new(LogQueryType::Range)
    };
    let build_logs = GetJobBuildLogsParams::new(LogQueryType::Range);
    check("getJobBuildLogs", client.get_job_build_logs(p, j, &build_logs).await.map(drop));
    let containers = types::GetJobContainersParams { run_id: Some("run-1".into()), ..Default::default() };
    check("getJobContainers", client.get_job_containers(p, j, &containers).await.map(drop));
    check("getJobLogs", client.get_job_logs(p, j, &logs).await.map(drop));
    let metrics = GetJobMetricsParams {
        metric_types: Some(vec![MetricType::Cpu, MetricType::Memory]),
        ..GetJobMetricsParams::new(MetricQueryType::Range)
    };
    check("getJobMetrics", client.get_job_metrics(p, j, &metrics).await.map(drop));
    let build_metrics = GetJobBuildMetricsParams::new(MetricQueryType::Single);
    check("getJobBuildMetrics", client.get_job_build_metrics(p, j, &build_metrics).await.map(drop));
    check("pauseJob", client.pause_job(p, j).await.map(drop));
    check("getJobPullRequests", client.get_job_pull_requests(p, j, &Default::default()).await.map(drop));
    let resume = body(schema_example("ResumeJobRequest"));
    check("resumeJob", client.resume_job(p, j, &resume).await.map(drop));
    check("getJobRuns", client.get_job_runs(p, j, &Default::default()).await.map(drop));
    let run = body(schema_example("StartJobRunRequest"));
    check("startJobRun", client.start_job_run(p, j, &run).await.map(drop));
    check("getJobRun", client.get_job_run(p, j, "d34582a4-35bd-4c71-8e7c-e36999b88723").await.map(drop));
    check("abortJobRun", client.abort_job_run(p, j, "d34582a4-35bd-4c71-8e7c-e36999b88723").await.map(drop));
    report
}

/// The operationIds the schema declares.
fn schema_operations() -> BTreeSet<String> {
    let path = clientgen_tests::workspace_root().join("schema/northflank-jobs.yaml");
    let doc: serde_json::Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut ids = BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

fn run_against_prism(mode: Mode) {
    let prism = Prism::start(mode);
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(prism.url())
        .bearer_token("nf-contract-test")
        .retry_policy(RetryPolicy::disabled())
        .hooks(recorder.clone())
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let report = runtime.block_on(call_every_operation(&client));
    assert!(
        report.failures.is_empty(),
        "{mode:?} mode: Prism refused or the client could not decode:\n{}\n\nPrism said:\n{}",
        report.failures.join("\n"),
        prism.log()
    );
    // The documented examples are valid, so in static mode every operation gets a response.
    if mode == Mode::Static {
        assert!(report.unanswered.is_empty(), "no valid example response for {:?}", report.unanswered);
    }

    let responses = recorder.0.lock().unwrap().clone();
    let called: BTreeSet<String> = responses.iter().map(|(id, _)| id.clone()).collect();
    let missing: Vec<_> = schema_operations().difference(&called).cloned().collect();
    assert!(missing.is_empty(), "operations never called: {missing:?}");
    let refused: Vec<_> =
        responses.iter().filter(|(id, status)| *status >= 300 && !report.unanswered.contains(id)).collect();
    assert!(refused.is_empty(), "Prism answered with errors: {refused:?}");
    eprintln!(
        "{mode:?}: {} of {} operations called, every request accepted; {} responses decoded; \
         Prism could not make up a valid response for {:?}",
        called.len(),
        schema_operations().len(),
        called.len() - report.unanswered.len(),
        report.unanswered
    );
}

#[test]
fn every_operation_is_accepted_and_decodes_the_documented_examples() {
    run_against_prism(Mode::Static);
}

#[test]
fn every_operation_decodes_responses_prism_makes_up() {
    run_against_prism(Mode::Dynamic);
}

/// Build example `name` of the generated crate as `cargo run --example` would, and return its
/// path. `cargo test --all-targets` builds examples only as test harnesses; the features are
/// the tests' own, so the library built for them is reused.
fn build_example(name: &str) -> std::path::PathBuf {
    use clientgen_tests::fixtures::{cargo, target_dir};
    // The features `tests/Cargo.toml` gives the crate, so its library is not built again.
    let args = ["build", "--quiet", "--message-format=json", "-p", "northflank-jobs", "--example", name];
    let run = cargo(
        &clientgen_tests::workspace_root(),
        &target_dir(),
        &[&args[..], &["--features", "full-serde tracing"]].concat(),
        &[],
    );
    assert!(run.success, "building example `{name}` failed:\n{}", run.output);
    run.output
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .find_map(|m| m["executable"].as_str().map(std::path::PathBuf::from))
        .unwrap_or_else(|| panic!("cargo built no executable for example `{name}`"))
}

/// The crate's example program, as users run it, against Prism: it lists runs, starts one with
/// its overrides and exits cleanly.
#[test]
fn the_example_program_runs_against_prism() {
    let example = build_example("list_and_start_runs");
    let prism = Prism::start(Mode::Static);
    let out = std::process::Command::new(&example)
        .env("NORTHFLANK_TOKEN", "nf-example-token")
        .env("NORTHFLANK_PROJECT", "default-project")
        .env("NORTHFLANK_JOB", "nightly-report")
        .env("NORTHFLANK_BRANCH", "main")
        .env("NORTHFLANK_BASE_URL", prism.url())
        .output()
        .expect("run the example");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the example failed:\n{stdout}\n{}\nPrism said:\n{}",
        String::from_utf8_lossy(&out.stderr),
        prism.log()
    );
    assert!(stdout.contains("recent run(s) of nightly-report"), "{stdout}");
    assert!(stdout.contains("started run example-job-5fcf67bc56e1913e21d49504"), "{stdout}");
}
