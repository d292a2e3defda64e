//! The call's deadline against a real server on 127.0.0.1: it bounds every attempt, retry and
//! wait together, ends the call with `Error::Deadline`, and starts no retry it cannot cover;
//! and per-call options (`Client::with_options`) that change it, the timeout, the retries and
//! the headers of some calls only.

use std::time::Duration;

use clientgen_tests::mock::{MockServer, Reply};
use clientgen_tests::schema_example;
use northflank_jobs::reqwest::header::{HeaderName, HeaderValue};
use northflank_jobs::types::{ErrorResponse, GetJobRunsParams};
use northflank_jobs::{Client, Error, RequestOptions, RetryPolicy};

fn runs_page() -> Reply {
    Reply::json(200, &schema_example("GetJobRunsResponse"))
}

fn slow(wait: Duration) -> Reply {
    Reply::Delay(wait, Box::new(runs_page()))
}

fn busy() -> Reply {
    Reply::json(503, &serde_json::json!({"error": {"status": 503, "message": "busy", "id": "e-503"}}))
}

/// Retries whose waits are `backoff` to twice that (with jitter), three attempts in all.
fn retries(backoff: Duration) -> RetryPolicy {
    RetryPolicy { max_attempts: 3, initial_backoff: backoff * 2, max_backoff: backoff * 2, ..RetryPolicy::default() }
}

fn builder(server: &MockServer) -> northflank_jobs::ClientBuilder {
    Client::builder().base_url(server.url()).bearer_token("t")
}

async fn list(client: &Client) -> Result<northflank_jobs::Response<northflank_jobs::types::GetJobRunsResponse>, Error> {
    client.get_job_runs("p", "j", &GetJobRunsParams::default()).await
}

#[tokio::test]
async fn a_deadline_cuts_an_attempt_that_the_timeout_would_let_run() {
    let server = MockServer::script(vec![slow(Duration::from_secs(10))]).await;
    let client = builder(&server).deadline(Duration::from_millis(300)).build().unwrap();
    // The server takes 10 s and the timeout is 30 s: only the deadline ends this call.
    let err = list(&client).await.unwrap_err();
    let Error::Deadline(deadline) = &err else { panic!("{err:?}") };
    assert_eq!(
        (deadline.deadline(), deadline.attempts(), deadline.operation_id()),
        (Duration::from_millis(300), 1, "getJobRuns")
    );
    assert!(deadline.last_error().is_none());
    assert!(err.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("getJobRuns") && shown.contains("deadline of 300ms ran out during attempt 1"), "{shown}");
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts_together_where_the_timeout_bounds_each() {
    // Each attempt times out after 1 s. The second starts at about 1.02 s (it fits: 1.02 + 1 is
    // under 2.5) and times out at about 2.04 s; a third could not finish by 2.5 s. The margins
    // are half a second either way, so a loaded machine gives the same count.
    let server = MockServer::start(|_, _| slow(Duration::from_secs(10))).await;
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .retry_policy(retries(Duration::from_millis(10)))
        .deadline(Duration::from_millis(2500))
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Deadline(deadline) = &err else { panic!("{err:?}") };
    assert_eq!(deadline.attempts(), 2, "{err}");
    assert!(matches!(deadline.last_error(), Some(Error::Timeout(_))), "{err:?}");
    assert_eq!(server.requests().len(), 2);

    // Without a deadline the same calls run to the end of the retry policy.
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry_policy(retries(Duration::from_millis(10)))
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)) && err.attempts() == 3, "{err:?}");
}

#[tokio::test]
async fn no_retry_is_started_when_its_wait_does_not_fit() {
    // The backoff (1 to 2 s) is longer than the whole deadline: the 503 is the answer, at once.
    let server = MockServer::script(vec![busy(), runs_page()]).await;
    let client = builder(&server)
        .retry_policy(retries(Duration::from_secs(1)))
        .deadline(Duration::from_millis(800))
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Deadline(deadline) = &err else { panic!("{err:?}") };
    assert_eq!(server.requests().len(), 1);
    assert_eq!((err.attempts(), err.status().map(|s| s.as_u16())), (1, Some(503)));
    let Some(Error::Api(api)) = deadline.last_error() else { panic!("{err:?}") };
    assert_eq!(api.payload::<ErrorResponse>().map(|p| p.error.message.as_str()), Some("busy"));
    assert!(err.to_string().contains("before a retry could be made; attempt 1 ended with:"), "{err}");
    assert!(err.to_string().contains("busy (id e-503)"), "{err}");
}

#[tokio::test]
async fn a_retry_after_longer_than_what_is_left_ends_the_call() {
    let server = MockServer::script(vec![busy().with_header("retry-after", "5"), runs_page()]).await;
    let client = builder(&server)
        .retry_policy(retries(Duration::from_millis(1)))
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(err.to_string().contains("before a retry could be made"), "{err}");
    assert!(
        matches!(&err, Error::Deadline(d) if d.last_error().is_some_and(|e| e.status().is_some_and(|s| s == 503))),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_that_fit_in_the_deadline_are_made() {
    let server = MockServer::script(vec![busy(), busy(), runs_page()]).await;
    let client = builder(&server)
        .retry_policy(retries(Duration::from_millis(5)))
        .deadline(Duration::from_secs(5))
        .build()
        .unwrap();
    let page = list(&client).await.unwrap();
    assert_eq!(page.data.runs.len(), 1);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn per_call_options_set_a_deadline_for_those_calls_only() {
    let server =
        MockServer::start(|_, i| if i == 0 { slow(Duration::from_secs(10)) } else { slow(Duration::from_millis(400)) })
            .await;
    let client = builder(&server).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let quick = client.with_options(RequestOptions::new().deadline(Duration::from_millis(200)));
    let err = list(&quick).await.unwrap_err();
    assert!(matches!(err, Error::Deadline(_)), "{err:?}");
    // The client it was made from has no deadline: the 400 ms answer arrives.
    assert!(list(&client).await.is_ok());
    assert_eq!(quick.base_url(), client.base_url());
}

#[tokio::test]
async fn per_call_options_set_the_timeout_and_the_retries() {
    let server = MockServer::start(|_, _| busy()).await;
    let client = builder(&server).retry_policy(retries(Duration::from_millis(1))).build().unwrap();
    let once = client.with_options(RequestOptions::new().retry_policy(RetryPolicy::disabled()));
    assert_eq!(list(&once).await.unwrap_err().attempts(), 1);
    assert_eq!(list(&client).await.unwrap_err().attempts(), 3);

    let server = MockServer::start(|_, _| slow(Duration::from_secs(10))).await;
    let client = builder(&server).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let impatient = client.with_options(RequestOptions::new().timeout(Duration::from_millis(100)));
    // The server takes 10 s: only the call's 100 ms timeout can end it.
    let err = list(&impatient).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "a timeout without a deadline is Error::Timeout: {err:?}");
}

#[tokio::test]
async fn per_call_headers_go_with_every_request_of_those_calls_and_stay_out_of_debug() {
    let server = MockServer::start(|_, _| runs_page()).await;
    let client = builder(&server)
        .default_header(HeaderName::from_static("x-team"), HeaderValue::from_static("default"))
        .build()
        .unwrap();
    let options = RequestOptions::new()
        .header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("req-42"))
        .header(HeaderName::from_static("x-team"), HeaderValue::from_static("per-call"))
        .header(HeaderName::from_static("x-api-secret"), HeaderValue::from_static("s3cr3t"));
    let shown = format!("{options:?}");
    assert!(shown.contains("x-api-secret") && !shown.contains("s3cr3t"), "{shown}");
    let tagged = client.with_options(options);
    assert!(!format!("{tagged:?}").contains("s3cr3t"));
    list(&tagged).await.unwrap();
    list(&client).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("x-request-id"), Some("req-42"));
    assert_eq!(requests[0].header("x-team"), Some("per-call"));
    assert_eq!(requests[0].header("authorization"), Some("Bearer t"));
    assert_eq!(requests[1].header("x-request-id"), None);
    assert_eq!(requests[1].header("x-team"), Some("default"));
}

#[tokio::test]
async fn a_deadline_too_far_to_count_is_no_deadline() {
    // `Duration::MAX` is how a caller says "no deadline"; it must not overflow the clock.
    let server = MockServer::script(vec![runs_page()]).await;
    let client = builder(&server).deadline(Duration::MAX).build().unwrap();
    assert!(list(&client).await.is_ok());
}
