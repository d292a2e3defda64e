//! The generated ejjy client (`generated-client-ejjy/`) driving a small stateful fake of the
//! ejjy Jobs API on 127.0.0.1: runs that advance one state per poll, cancellation, logs and
//! metrics with a partial failure. What the fake received is checked as well as what the client
//! returned.

use std::sync::{Arc, Mutex};

use clientgen_tests::mock::{MockServer, Recorded, Reply};
use ejjy_jobs::types::{
    ErrorEnvelope, GetJobMetricsParams, GetJobRunLogsParams, Limit, MetricName, MetricResult, RunStatus, RunTrigger,
};
use ejjy_jobs::{Client, Error, RetryPolicy};
use serde_json::{Value, json};

const TOKEN: &str = "ejjy-test-token";
const JOB: &str = "/workspaces/ws-1/projects/proj-1/jobs/job-1";
/// More polls than any run needs to end: a run that has not ended by then is a failure, not a
/// reason to wait.
const MAX_POLLS: usize = 5;

/// One run as the fake keeps it.
struct FakeRun {
    id: String,
    status: &'static str,
}

impl FakeRun {
    fn json(&self) -> Value {
        let mut run = json!({
            "id": self.id,
            "job_id": "job-1",
            "status": self.status,
            "trigger": "manual",
            "created_at": "2026-03-01T09:00:00Z",
        });
        if self.status != "pending" {
            run["started_at"] = "2026-03-01T09:00:01Z".into();
        }
        if matches!(self.status, "succeeded" | "cancelled") {
            run["finished_at"] = "2026-03-01T09:00:02Z".into();
        }
        if self.status == "succeeded" {
            run["exit_code"] = 0.into();
        }
        run
    }
}

/// The fake API: the runs of job `job-1` in project `proj-1` of workspace `ws-1`.
#[derive(Default)]
struct Fake {
    runs: Vec<FakeRun>,
}

impl Fake {
    fn handle(&mut self, request: &Recorded) -> Reply {
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return envelope(401, "missing or invalid token", Value::Null);
        }
        let Some(rest) = request.path().strip_prefix(JOB) else {
            return envelope(404, "no such job", Value::Null);
        };
        let segments: Vec<&str> = rest.split('/').skip(1).collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["runs"]) => {
                let run = FakeRun { id: format!("run-{}", self.runs.len() + 1), status: "pending" };
                let body = run.json();
                self.runs.push(run);
                envelope(202, "Run triggered", body)
            }
            ("GET", ["runs", id]) => match self.run(id) {
                Some(run) => {
                    // Each poll moves a live run one state on: pending, running, succeeded.
                    run.status = match run.status {
                        "pending" => "running",
                        "running" => "succeeded",
                        ended => ended,
                    };
                    envelope(200, "Run detail", run.json())
                }
                None => envelope(404, &format!("no run {id}"), Value::Null),
            },
            ("DELETE", ["runs", id]) => match self.run(id) {
                Some(run) if matches!(run.status, "pending" | "running") => {
                    run.status = "cancelled";
                    envelope(200, "Cancelled", Value::Null)
                }
                Some(run) => {
                    envelope(409, &format!("run {id} has already {} and cannot be cancelled", run.status), Value::Null)
                }
                None => envelope(404, &format!("no run {id}"), Value::Null),
            },
            ("GET", ["runs", id, "logs"]) => {
                let lines = ["starting", "generating report", "report written", "done"];
                let filter = query_value(request, "filter").unwrap_or_default();
                let limit = query_value(request, "limit").map_or(usize::MAX, |l| l.parse().unwrap());
                let data: Vec<Value> = lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.contains(filter.as_str()))
                    .take(limit)
                    .map(|(i, l)| json!({"timestamp": format!("2026-03-01T09:00:0{i}Z"), "message": l, "run_id": id}))
                    .collect();
                envelope(200, "Run logs", Value::Array(data))
            }
            ("GET", ["metrics"]) => {
                // One value, its items split on literal commas (RFC 6570), then decoded.
                let raw = request.query().unwrap_or_default().split('&').find_map(|p| p.strip_prefix("names="));
                let names: Vec<String> = raw.unwrap_or_default().split(',').map(percent_decode).collect();
                // The memory backend is down: that metric fails, the others answer.
                let data: Vec<Value> = names
                    .iter()
                    .map(|name| match name.as_str() {
                        "cpu_usage" => json!({"name": name, "status": "success", "unit": "cores", "points": [
                            {"timestamp": "2026-03-01T09:00:00Z", "value": 0.25},
                            {"timestamp": "2026-03-01T09:01:00Z", "value": 0.5},
                        ]}),
                        _ => json!({"name": name, "status": "error", "message": "metrics backend timed out"}),
                    })
                    .collect();
                let all_ok = data.iter().all(|d| d["status"] == "success");
                let (status, message) =
                    if all_ok { (200, "All metrics succeeded") } else { (207, "Some metrics failed") };
                envelope(status, message, Value::Array(data))
            }
            _ => envelope(404, "no such route", Value::Null),
        }
    }

    fn run(&mut self, id: &str) -> Option<&mut FakeRun> {
        self.runs.iter_mut().find(|r| r.id == id)
    }
}

/// The API's envelope: `status` is `success` on a 2xx and `error` otherwise.
fn envelope(code: u16, message: &str, data: Value) -> Reply {
    let status = if (200..300).contains(&code) { "success" } else { "error" };
    Reply::json(code, &json!({"message": message, "status": status, "data": data}))
}

/// The decoded value of query parameter `name`.
fn query_value(request: &Recorded, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    request.query()?.split('&').find_map(|p| p.strip_prefix(prefix.as_str())).map(percent_decode)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The fake, serving on 127.0.0.1.
async fn fake() -> MockServer {
    let state = Arc::new(Mutex::new(Fake::default()));
    MockServer::start(move |request, _| state.lock().unwrap().handle(request)).await
}

/// A client of the fake, without retries (every request is one the test makes).
fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.url()).bearer_token(TOKEN).retry_policy(RetryPolicy::disabled()).build().unwrap()
}

/// Every request the fake received, as `METHOD target`; each carried the bearer token.
fn received(server: &MockServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            assert_eq!(r.header("authorization"), Some("Bearer ejjy-test-token"), "{} {}", r.method, r.target);
            format!("{} {}", r.method, r.target)
        })
        .collect()
}

#[tokio::test]
async fn a_triggered_run_is_polled_until_it_succeeds_and_its_logs_are_read() {
    let server = fake().await;
    let client = client(&server);

    let triggered = client.trigger_job_run("ws-1", "proj-1", "job-1").await.unwrap();
    assert_eq!(triggered.status(), 202);
    assert_eq!((triggered.message.as_str(), triggered.status.as_str()), ("Run triggered", "success"));
    let run = &triggered.data;
    assert_eq!(
        (run.id.as_str(), &run.status, run.trigger.as_ref()),
        ("run-1", &RunStatus::Pending, Some(&RunTrigger::Manual))
    );
    assert_eq!((run.started_at, run.exit_code), (None, None));

    let mut seen = Vec::new();
    let run = loop {
        assert!(seen.len() < MAX_POLLS, "the run never ended: {seen:?}");
        let run = client.get_job_run("ws-1", "proj-1", "job-1", "run-1").await.unwrap().into_inner().data;
        seen.push(run.status.clone());
        if !matches!(run.status, RunStatus::Pending | RunStatus::Running) {
            break run;
        }
    };
    assert_eq!(seen, [RunStatus::Running, RunStatus::Succeeded]);
    assert_eq!(run.exit_code, Some(0));
    assert_eq!(run.finished_at.map(|t| t.to_rfc3339()).as_deref(), Some("2026-03-01T09:00:02+00:00"));
    assert_eq!(run.error_message, None);

    let params = GetJobRunLogsParams {
        start: Some("2026-03-01T09:00:00Z".parse().unwrap()),
        limit: Some(Limit::new(2).unwrap()),
        filter: Some("report".into()),
        ..GetJobRunLogsParams::default()
    };
    let logs = client.get_job_run_logs("ws-1", "proj-1", "job-1", "run-1", &params).await.unwrap();
    let lines: Vec<(&str, Option<&str>)> =
        logs.data.iter().map(|l| (l.message.as_str(), l.run_id.as_deref())).collect();
    assert_eq!(lines, [("generating report", Some("run-1")), ("report written", Some("run-1"))]);
    assert_eq!(logs.data[0].timestamp.to_rfc3339(), "2026-03-01T09:00:01+00:00");

    assert_eq!(
        received(&server),
        [
            format!("POST {JOB}/runs"),
            format!("GET {JOB}/runs/run-1"),
            format!("GET {JOB}/runs/run-1"),
            format!("GET {JOB}/runs/run-1/logs?start=2026-03-01T09%3A00%3A00Z&limit=2&filter=report"),
        ]
    );
    assert!(server.requests()[0].body.is_empty(), "triggering sends no body");
}

#[tokio::test]
async fn a_pending_run_cancels_and_a_terminal_one_answers_the_envelope_as_a_typed_error() {
    let server = fake().await;
    let client = client(&server);

    // run-1 ends (two polls), run-2 is cancelled while still pending.
    client.trigger_job_run("ws-1", "proj-1", "job-1").await.unwrap();
    client.get_job_run("ws-1", "proj-1", "job-1", "run-1").await.unwrap();
    client.get_job_run("ws-1", "proj-1", "job-1", "run-1").await.unwrap();
    let second = client.trigger_job_run("ws-1", "proj-1", "job-1").await.unwrap();
    assert_eq!((second.data.id.as_str(), &second.data.status), ("run-2", &RunStatus::Pending));

    let cancelled = client.cancel_job_run("ws-1", "proj-1", "job-1", "run-2").await.unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(
        (cancelled.message.as_str(), cancelled.status.as_str(), &cancelled.data),
        ("Cancelled", "success", &None)
    );
    let run = client.get_job_run("ws-1", "proj-1", "job-1", "run-2").await.unwrap();
    assert_eq!(run.data.status, RunStatus::Cancelled, "a cancelled run stays cancelled");

    let err = client.cancel_job_run("ws-1", "proj-1", "job-1", "run-1").await.unwrap_err();
    let Error::Api(api) = &err else { panic!("expected the API's error, got {err:?}") };
    assert_eq!(api.status(), 409);
    assert_eq!(api.operation_id(), "cancelJobRun");
    let message = "run run-1 has already succeeded and cannot be cancelled";
    assert_eq!(api.message(), Some(message));
    let payload = api.payload::<ErrorEnvelope>().expect("the documented error envelope");
    assert_eq!((payload.message.as_str(), payload.status.as_str(), &payload.data), (message, "error", &None));
    assert!(err.to_string().contains(message), "{err}");
    assert!(!err.is_retryable());

    assert_eq!(
        received(&server),
        [
            format!("POST {JOB}/runs"),
            format!("GET {JOB}/runs/run-1"),
            format!("GET {JOB}/runs/run-1"),
            format!("POST {JOB}/runs"),
            format!("DELETE {JOB}/runs/run-2"),
            format!("GET {JOB}/runs/run-2"),
            format!("DELETE {JOB}/runs/run-1"),
        ]
    );
}

#[tokio::test]
async fn metrics_ask_with_one_comma_separated_value_and_decode_a_partial_failure() {
    let server = fake().await;
    let mut params = GetJobMetricsParams::new(vec![MetricName::CpuUsage, MetricName::MemoryUsage]);
    params.since = Some("1h".into());
    let metrics = client(&server).get_job_metrics("ws-1", "proj-1", "job-1", &params).await.unwrap();

    assert_eq!(received(&server), [format!("GET {JOB}/metrics?names=cpu_usage,memory_usage&since=1h")]);

    // Some failed: 207, still a success, each result with its own status.
    assert_eq!(metrics.status(), 207);
    assert_eq!(metrics.message, "Some metrics failed");
    let [MetricResult::Series(cpu), MetricResult::Failure(memory)] = metrics.data.as_slice() else {
        panic!("expected the CPU series, then the memory failure: {:?}", metrics.data)
    };
    assert_eq!((&cpu.name, cpu.unit.as_deref()), (&MetricName::CpuUsage, Some("cores")));
    let values: Vec<f64> = cpu.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [0.25, 0.5]);
    assert_eq!((&memory.name, memory.message.as_str()), (&MetricName::MemoryUsage, "metrics backend timed out"));
}

#[tokio::test]
async fn metrics_that_all_succeed_answer_200_with_one_series_each() {
    let server = fake().await;
    let params = GetJobMetricsParams::new(vec![MetricName::CpuUsage]);
    let metrics = client(&server).get_job_metrics("ws-1", "proj-1", "job-1", &params).await.unwrap();
    assert_eq!(received(&server), [format!("GET {JOB}/metrics?names=cpu_usage")]);
    assert_eq!((metrics.status().as_u16(), metrics.message.as_str()), (200, "All metrics succeeded"));
    assert!(matches!(metrics.data.as_slice(), [MetricResult::Series(s)] if s.points.len() == 2), "{:?}", metrics.data);
}
