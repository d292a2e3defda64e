//! The `tracing` feature of the generated crate: one span per call, with the operation, the
//! method, the path template and, once the call ends, its status, attempts and duration; and
//! nothing that could hold a secret or an id (no header, query, body or filled-in path).
//!
//! A small subscriber of its own records every span's fields; the tests run on tokio's
//! current-thread runtime, so a thread-local default subscriber sees every span.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clientgen_tests::mock::{MockServer, Reply};
use clientgen_tests::schema_example;
use northflank_jobs::types::GetJobRunsParams;
use northflank_jobs::{Client, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span as recorded: its name and its fields, as text.
#[derive(Clone, Debug)]
struct Captured {
    name: &'static str,
    level: tracing::Level,
    fields: BTreeMap<String, String>,
}

/// Records every span, in order of creation (a span's id is its index plus one).
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Captured>>>);

impl Spans {
    fn all(&self) -> Vec<Captured> {
        self.0.lock().unwrap().clone()
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut spans = self.0.lock().unwrap();
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let metadata = span.metadata();
        spans.push(Captured { name: metadata.name(), level: *metadata.level(), fields });
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        let index = usize::try_from(span.into_u64() - 1).unwrap();
        values.record(&mut Fields(&mut spans[index].fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

const TOKEN: &str = "nf-secret-token";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() })
        .build()
        .unwrap()
}

/// The spans recorded while `call` runs.
async fn spans_of<F: std::future::Future>(call: F) -> Vec<Captured> {
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    call.await;
    spans.all()
}

const FIELDS: [&str; 7] = [
    "attempts",
    "duration_ms",
    "error.type",
    "http.request.method",
    "http.response.status_code",
    "operation",
    "url.template",
];

#[tokio::test]
async fn a_call_is_one_span_with_the_template_and_its_outcome() {
    let cursor = "secret-cursor";
    let server = MockServer::script(vec![
        Reply::body(503, "text/plain", "busy"),
        Reply::json(200, &schema_example("GetJobRunsResponse")),
    ])
    .await;
    let client = client(&server);
    let params = GetJobRunsParams { cursor: Some(cursor.into()), ..GetJobRunsParams::default() };
    let spans = spans_of(async { client.get_job_runs("my-project-42", "my-job-7", &params).await.unwrap() }).await;

    assert_eq!(spans.len(), 1, "{spans:?}");
    let span = &spans[0];
    assert_eq!((span.name, span.level), ("http_request", tracing::Level::INFO));
    let field = |name: &str| span.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("getJobRuns"));
    assert_eq!(field("http.request.method"), Some("GET"));
    assert_eq!(field("url.template"), Some("/projects/{projectId}/jobs/{jobId}/runs"));
    assert_eq!(field("http.response.status_code"), Some("200"));
    assert_eq!(field("attempts"), Some("2"));
    assert!(field("duration_ms").and_then(|d| d.parse::<f64>().ok()).is_some_and(|d| d > 0.0), "{span:?}");
    assert_eq!(field("error.type"), None);

    // Nothing else, and nothing that came from the caller or the server.
    assert!(span.fields.keys().all(|k| FIELDS.contains(&k.as_str())), "{span:?}");
    let values: String = span.fields.values().cloned().collect();
    for secret in [TOKEN, "my-project-42", "my-job-7", cursor, "busy", "example-job"] {
        assert!(!values.contains(secret), "the span holds `{secret}`: {span:?}");
    }
}

#[tokio::test]
async fn a_failed_call_records_its_status_and_error_case() {
    let body = serde_json::json!({"error": {"status": 404, "message": "no such job"}});
    let server = MockServer::script(vec![Reply::json(404, &body)]).await;
    let client = client(&server);
    let spans =
        spans_of(async { client.get_job_runs("p", "j", &GetJobRunsParams::default()).await.unwrap_err() }).await;
    let fields = &spans[0].fields;
    assert_eq!(fields.get("http.response.status_code").map(String::as_str), Some("404"));
    assert_eq!(fields.get("error.type").map(String::as_str), Some("api"));
    assert_eq!(fields.get("attempts").map(String::as_str), Some("1"));
    assert!(!fields.values().any(|v| v.contains("no such job")));
}

#[tokio::test]
async fn a_call_cut_by_its_deadline_says_so() {
    let server = MockServer::script(vec![Reply::Delay(
        Duration::from_secs(10),
        Box::new(Reply::json(200, &schema_example("GetJobRunsResponse"))),
    )])
    .await;
    let client =
        client(&server).with_options(northflank_jobs::RequestOptions::new().deadline(Duration::from_millis(100)));
    let spans =
        spans_of(async { client.get_job_runs("p", "j", &GetJobRunsParams::default()).await.unwrap_err() }).await;
    let fields = &spans[0].fields;
    assert_eq!(fields.get("error.type").map(String::as_str), Some("deadline"));
    assert_eq!(fields.get("http.response.status_code"), None);
    assert_eq!(fields.get("attempts").map(String::as_str), Some("1"));
}
