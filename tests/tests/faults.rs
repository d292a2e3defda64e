//! Fault injection: a server on 127.0.0.1 that misbehaves in every way a real one does, and
//! for each fault the exact error case, the number of attempts, and whether a POST went once.

use std::time::Duration;

use clientgen_tests::mock::{MockServer, Reply};
use clientgen_tests::schema_example;
use futures::StreamExt;
use northflank_jobs::types::{GetJobRunsParams, JobRunStatus, StartJobRunRequest};
use northflank_jobs::{Client, Error, PaginationErrorKind, RetryPolicy};

/// Three attempts with waits short enough for a test.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token("t")
        .retry_policy(fast_retries())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

fn runs_page() -> Reply {
    Reply::json(200, &schema_example("GetJobRunsResponse"))
}

async fn list(
    server: &MockServer,
) -> Result<northflank_jobs::Response<northflank_jobs::types::GetJobRunsResponse>, Error> {
    client(&server.url()).get_job_runs("p", "j", &GetJobRunsParams::default()).await
}

async fn start(server: &MockServer) -> Result<(), Error> {
    client(&server.url()).start_job_run("p", "j", &StartJobRunRequest::default()).await.map(|_| ())
}

#[tokio::test]
async fn a_500_is_an_api_error_and_is_not_retried() {
    let body =
        serde_json::json!({"error": {"status": 500, "message": "Internal error", "id": "err-42", "details": {"a": 1}}});
    let server = MockServer::script(vec![Reply::json(500, &body)]).await;
    let err = list(&server).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status(), 500);
    assert_eq!(api.message(), Some("Internal error"));
    assert_eq!(api.error_id(), Some("err-42"));
    assert_eq!(api.details(), Some(&serde_json::json!({"a": 1})));
    let payload = api.payload::<northflank_jobs::types::ErrorResponse>().expect("the documented error body");
    assert_eq!(payload.error.message, "Internal error");
    assert_eq!((err.attempts(), err.is_retryable()), (1, false));
    assert_eq!(server.requests().len(), 1);
    let shown = err.to_string();
    assert!(
        shown.contains("getJobRuns") && shown.contains("500") && shown.contains("Internal error (id err-42)"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_after_the_server_said() {
    // The backoff would wait a minute; Retry-After: 0 says "now", and wins.
    let server =
        MockServer::script(vec![Reply::body(503, "text/plain", "busy").with_header("retry-after", "0"), runs_page()])
            .await;
    let client = Client::builder()
        .base_url(server.url())
        .retry_policy(RetryPolicy { initial_backoff: Duration::from_secs(60), ..fast_retries() })
        .build()
        .unwrap();
    let page =
        tokio::time::timeout(Duration::from_secs(20), client.get_job_runs("p", "j", &GetJobRunsParams::default()))
            .await
            .expect("Retry-After: 0 was honoured instead of the 60 s backoff")
            .unwrap();
    assert_eq!(page.data.runs.len(), 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_ends_retrying_at_once() {
    let date = "Wed, 21 Oct 2099 07:28:00 GMT";
    let server =
        MockServer::script(vec![Reply::body(503, "text/plain", "busy").with_header("retry-after", date)]).await;
    let err = list(&server).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status(), 503);
    assert!(api.retry_after().is_some_and(|d| d > Duration::from_secs(3600)));
    assert_eq!((err.attempts(), err.is_retryable()), (1, true));
}

#[tokio::test]
async fn a_429_is_retried_until_the_attempts_run_out() {
    let limited = Reply::json(429, &serde_json::json!({"error": {"message": "Rate limit exceeded"}}))
        .with_header("x-ratelimit-remaining", "0");
    let server = MockServer::script(vec![limited.clone(), limited.clone(), limited]).await;
    let err = list(&server).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status(), 429);
    assert_eq!(api.rate_limit().remaining, Some(0));
    assert_eq!((err.attempts(), err.is_retryable()), (3, true));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_slow_response_times_out_and_a_get_is_tried_again() {
    let slow = Reply::Delay(Duration::from_secs(5), Box::new(runs_page()));
    let server = MockServer::script(vec![slow.clone(), slow, runs_page()]).await;
    let page = list(&server).await.unwrap();
    assert_eq!(page.data.runs.len(), 1);
    assert_eq!(server.requests().len(), 3);

    let server = MockServer::script(vec![Reply::Delay(Duration::from_secs(5), Box::new(runs_page())); 3]).await;
    let err = list(&server).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!((err.attempts(), err.is_retryable()), (3, true));
}

#[tokio::test]
async fn a_slow_post_times_out_and_is_sent_once() {
    let server = MockServer::script(vec![Reply::Delay(
        Duration::from_secs(5),
        Box::new(Reply::json(200, &schema_example("StartJobRunResponse"))),
    )])
    .await;
    let err = start(&server).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1, "a POST that may have reached the server is never resent");
}

#[tokio::test]
async fn a_503_to_a_post_is_not_retried() {
    let server = MockServer::script(vec![Reply::body(503, "text/plain", "busy")]).await;
    let err = start(&server).await.unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.status() == 503), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let truncated =
        Reply::Truncated { status: 200, partial: br#"{"data": {"runs": [{"id": "#.to_vec(), announced: 500 };
    let server = MockServer::script(vec![truncated.clone(), truncated.clone(), truncated]).await;
    let err = list(&server).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!((err.attempts(), err.is_retryable()), (3, true));
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_an_excerpt() {
    let server = MockServer::script(vec![Reply::body(200, "application/json", r#"{"data": {"runs": [}"#)]).await;
    let err = list(&server).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.status(), 200);
    assert!(d.excerpt().contains(r#""runs": [}"#), "{}", d.excerpt());
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_wrong_field_is_a_decode_error_naming_its_json_path() {
    let mut body = schema_example("GetJobRunsResponse");
    let run = body["data"]["runs"][0].clone();
    body["data"]["runs"] = serde_json::json!([run.clone(), run.clone(), run.clone(), run]);
    body["data"]["runs"][3]["status"] = serde_json::json!(7);
    let server = MockServer::script(vec![Reply::json(200, &body)]).await;
    let err = list(&server).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.path(), "data.runs[3].status");
    let shown = err.to_string();
    assert!(shown.contains("data.runs[3].status") && shown.contains("getJobRuns"), "{shown}");
    assert!(d.excerpt().chars().count() <= 210, "the excerpt is bounded: {}", d.excerpt());
}

#[tokio::test]
async fn an_html_error_page_keeps_its_raw_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = MockServer::script(vec![Reply::body(502, "text/html", html); 3]).await;
    let err = list(&server).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status(), 502);
    assert_eq!(api.body_text(), Some(html));
    assert_eq!(api.message(), None);
    assert!(api.payload::<northflank_jobs::types::ErrorResponse>().is_none());
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn an_unknown_enum_value_and_extra_fields_decode() {
    let mut body = schema_example("GetJobRunsResponse");
    body["data"]["runs"][0]["status"] = "PAUSED".into();
    body["data"]["runs"][0]["somethingNew"] = serde_json::json!({"x": [1, 2]});
    body["extra"] = true.into();
    let server = MockServer::script(vec![Reply::json(200, &body)]).await;
    let page = list(&server).await.unwrap();
    let status = &page.data.runs[0].status;
    assert_eq!(*status, JobRunStatus::Unknown("PAUSED".into()));
    assert_eq!(status.to_string(), "PAUSED");
    assert_eq!(serde_json::to_value(status).unwrap(), "PAUSED", "an unknown value is sent back unchanged");
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_a_get() {
    let server = MockServer::script(vec![Reply::Reset, Reply::Reset, Reply::Reset]).await;
    let err = list(&server).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_reset_connection_is_not_retried_for_a_post() {
    let server = MockServer::script(vec![Reply::Reset, Reply::json(200, &schema_example("StartJobRunResponse"))]).await;
    let err = start(&server).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1, "the POST reached the server; it is not sent twice");
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    // Nothing listens on the port: no byte of the request reached a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let err = client(&url).start_job_run("p", "j", &StartJobRunRequest::default()).await.unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert_eq!((err.attempts(), err.is_retryable()), (3, true));
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = MockServer::script(vec![Reply::body(503, "text/plain", "busy"), runs_page()]).await;
    let client = Client::builder().base_url(server.url()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let err = client.get_job_runs("p", "j", &GetJobRunsParams::default()).await.unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_server_that_repeats_its_cursor_ends_the_stream_with_an_error() {
    let mut page = schema_example("GetJobRunsResponse");
    page["pagination"] = serde_json::json!({"hasNextPage": true, "cursor": "same", "count": 1});
    let server = MockServer::start(move |_, _| Reply::json(200, &page)).await;
    let client = client(&server.url());
    let results: Vec<_> = client.get_job_runs_pages("p", "j", &GetJobRunsParams::default()).take(10).collect().await;
    assert_eq!(results.len(), 3, "two pages, then the error, then the end: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    let Err(Error::Pagination(e)) = &results[2] else { panic!("{:?}", results[2]) };
    assert_eq!((e.kind(), e.cursor()), (PaginationErrorKind::RepeatedCursor, Some("same")));
    assert!(e.to_string().contains("same"), "{e}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_page_saying_there_is_no_next_page_ends_the_stream_even_with_a_cursor() {
    let mut page = schema_example("GetJobRunsResponse");
    page["pagination"] = serde_json::json!({"hasNextPage": false, "cursor": "ignored", "count": 1});
    let server = MockServer::start(move |_, _| Reply::json(200, &page)).await;
    let client = client(&server.url());
    let pages: Vec<_> = client.get_job_runs_pages("p", "j", &GetJobRunsParams::default()).collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_page_saying_more_follow_without_a_cursor_ends_the_stream_with_an_error() {
    let mut page = schema_example("GetJobRunsResponse");
    page["pagination"] = serde_json::json!({"hasNextPage": true, "count": 1});
    let server = MockServer::start(move |_, _| Reply::json(200, &page)).await;
    let client = client(&server.url());
    let pages: Vec<_> = client.get_job_runs_pages("p", "j", &GetJobRunsParams::default()).collect().await;
    assert_eq!(pages.len(), 2, "the page, then the error: {pages:?}");
    let Err(Error::Pagination(e)) = &pages[1] else { panic!("{:?}", pages[1]) };
    assert_eq!((e.kind(), e.operation_id(), e.cursor()), (PaginationErrorKind::MissingCursor, "getJobRuns", None));
    assert!(e.to_string().contains("getJobRuns") && e.to_string().contains("no cursor"), "{e}");
    assert_eq!(server.requests().len(), 1);

    // The item stream yields the page's items, then the same error.
    let items: Vec<_> = client.get_job_runs_stream("p", "j", &GetJobRunsParams::default()).collect().await;
    assert!(items.len() == 2 && items[0].is_ok(), "{items:?}");
    assert!(matches!(&items[1], Err(Error::Pagination(e)) if e.kind() == PaginationErrorKind::MissingCursor));
}
