//! The generated client against a real HTTP server on 127.0.0.1: what goes over the wire.

mod common;

use clientgen_tests::mock::{MockServer, Reply};
use clientgen_tests::schema_example;
use common::client;
use futures::TryStreamExt;
use northflank_jobs::types::{GetJobRunsParams, PerPage, StartJobRunRequest};
use northflank_jobs::{Client, Error, Server};

#[tokio::test]
async fn list_runs_sends_the_documented_request_and_decodes_the_page() {
    let server = MockServer::script(vec![
        Reply::json(200, &schema_example("GetJobRunsResponse"))
            .with_header("x-ratelimit-limit", "1000")
            .with_header("x-ratelimit-remaining", "998")
            .with_header("x-ratelimit-reset", "1200"),
    ])
    .await;
    let params = GetJobRunsParams { per_page: Some(PerPage::new(25).unwrap()), ..GetJobRunsParams::default() };
    let page = client(&server).get_job_runs("my-project", "my-job", &params).await.unwrap();

    let sent = &server.requests()[0];
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.target, "/v1/projects/my-project/jobs/my-job/runs?per_page=25");
    assert_eq!(sent.header("authorization"), Some("Bearer nf-test-token"));
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(sent.header("user-agent"), Some(northflank_jobs::USER_AGENT));
    assert!(northflank_jobs::USER_AGENT.starts_with("northflank-jobs/"));
    assert!(sent.body.is_empty());

    assert_eq!(page.status(), 200);
    assert_eq!(page.data.runs.len(), 1);
    assert_eq!(page.data.runs[0].run_name, "example-job-5fcf67bc56e1913e21d49504");
    let limit = page.rate_limit();
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(1000), Some(998), Some(1200)));
}

#[tokio::test]
async fn start_run_posts_the_typed_body_once() {
    let server = MockServer::script(vec![Reply::json(200, &schema_example("StartJobRunResponse"))]).await;
    let body: StartJobRunRequest = serde_json::from_value(schema_example("StartJobRunRequest")).unwrap();
    let started = client(&server).start_job_run("my-project", "my-job", &body).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.target, "/v1/projects/my-project/jobs/my-job/runs");
    assert_eq!(sent.header("authorization"), Some("Bearer nf-test-token"));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.json(), schema_example("StartJobRunRequest"));
    assert_eq!(started.data.id, "d34582a4-35bd-4c71-8e7c-e36999b88723");
}

#[tokio::test]
async fn start_run_without_overrides_sends_an_empty_object() {
    let server = MockServer::script(vec![Reply::json(200, &schema_example("StartJobRunResponse"))]).await;
    client(&server).start_job_run("p", "j", &StartJobRunRequest::default()).await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.body, b"{}");
    assert_eq!(sent.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_team_scoped_client_sends_every_call_under_the_team() {
    let server = MockServer::start(|_, _| Reply::json(200, &schema_example("StartJobRunResponse"))).await;
    let team = Server::Team { team_id: "my-team".into() };
    // Northflank's team server, with the mock's origin in place of api.northflank.com.
    let client = Client::builder()
        .server(team.clone())
        .base_url(team.url_at(&server.url()))
        .bearer_token(common::TOKEN)
        .build()
        .unwrap();
    client.start_job_run("my-project", "my-job", &StartJobRunRequest::default()).await.unwrap();
    // A second scope from the same client, sharing its configuration.
    let other = client.with_server(Server::Team { team_id: "other team/x".into() });
    assert_eq!(other.base_url(), "https://api.northflank.com/v1/teams/other%20team%2Fx");
    let own = client.with_server(Server::Account);
    assert_eq!(own.base_url(), northflank_jobs::DEFAULT_BASE_URL);

    let sent = &server.requests()[0];
    assert_eq!(sent.target, "/v1/teams/my-team/projects/my-project/jobs/my-job/runs");
    assert_eq!(sent.header("authorization"), Some("Bearer nf-test-token"));
    assert_eq!(team.url(), "https://api.northflank.com/v1/teams/my-team");
}

#[tokio::test]
async fn a_hostile_job_id_stays_one_encoded_path_segment() {
    let server = MockServer::script(vec![Reply::json(200, &schema_example("GetJobRunsResponse"))]).await;
    client(&server).get_job_runs("p", "../../x?y#z", &GetJobRunsParams::default()).await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.target, "/v1/projects/p/jobs/..%2F..%2Fx%3Fy%23z/runs");
    assert_eq!(sent.query(), None, "nothing leaked into the query");

    // A segment that URL normalisation would turn into a different path is refused unsent.
    for id in ["..", ".", ""] {
        let err = client(&server).get_job_runs("p", id, &GetJobRunsParams::default()).await.unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{id:?}: {err}");
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn query_values_are_percent_encoded() {
    let server = MockServer::script(vec![Reply::json(200, &schema_example("GetJobRunsResponse"))]).await;
    let params = GetJobRunsParams { cursor: Some("a b&c=d/é".into()), ..GetJobRunsParams::default() };
    client(&server).get_job_runs("p", "j", &params).await.unwrap();
    assert_eq!(server.requests()[0].query(), Some("cursor=a%20b%26c%3Dd%2F%C3%A9"));
}

#[tokio::test]
async fn the_run_stream_follows_cursors_across_pages() {
    let page = |ids: &[&str], cursor: Option<&str>| {
        let mut run = schema_example("GetJobRunsResponse")["data"]["runs"][0].clone();
        let runs: Vec<_> = ids
            .iter()
            .map(|id| {
                run["id"] = (*id).into();
                run.clone()
            })
            .collect();
        let mut pagination = serde_json::json!({"hasNextPage": cursor.is_some(), "count": ids.len()});
        if let Some(c) = cursor {
            pagination["cursor"] = c.into();
        }
        Reply::json(200, &serde_json::json!({"data": {"runs": runs}, "pagination": pagination}))
    };
    let server =
        MockServer::script(vec![page(&["a", "b"], Some("c1")), page(&["c"], Some("c2")), page(&["d"], None)]).await;
    let client = client(&server);
    let runs: Vec<_> = client.get_job_runs_stream("p", "j", &GetJobRunsParams::default()).try_collect().await.unwrap();
    let ids: Vec<_> = runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let targets: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        ["/v1/projects/p/jobs/j/runs", "/v1/projects/p/jobs/j/runs?cursor=c1", "/v1/projects/p/jobs/j/runs?cursor=c2"]
    );
}

#[tokio::test]
async fn a_constraint_broken_before_sending_sends_nothing() {
    let server = MockServer::script(vec![]).await;
    let mut body: StartJobRunRequest = serde_json::from_value(schema_example("StartJobRunRequest")).unwrap();
    // Bypass the checked constructor the way a deserialized value could.
    body.billing = serde_json::from_value(serde_json::json!({"deploymentPlan": "not a plan!"})).unwrap();
    let err = client(&server).start_job_run("p", "j", &body).await.unwrap_err();
    let Error::Validation(v) = &err else { panic!("expected a validation error, got {err:?}") };
    assert_eq!(v.path(), "billing.deploymentPlan");
    assert!(err.to_string().contains("billing.deploymentPlan"), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn debug_of_a_client_shows_no_token() {
    let client = Client::new("nf-secret-token-123").unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains("nf-secret-token-123"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

#[test]
fn a_token_that_cannot_be_a_header_is_refused_when_the_client_is_built() {
    let err = Client::new("nf-secret\ntoken").unwrap_err();
    assert!(matches!(err, northflank_jobs::Error::Config(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("token contains characters not allowed in a header"), "{shown}");
    assert!(!shown.contains("nf-secret"), "{shown}");
}

#[tokio::test]
async fn a_bodiless_post_says_its_length_is_zero() {
    // Some proxies answer a POST without a length with 411 Length Required.
    let server = MockServer::script(vec![Reply::json(200, &serde_json::json!({"data": {}}))]).await;
    client(&server).pause_job("p", "j").await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!((sent.method.as_str(), sent.header("content-length")), ("POST", Some("0")));
    assert!(sent.body.is_empty() && sent.header("content-type").is_none());
}

#[tokio::test]
async fn a_get_sends_no_length() {
    let server = MockServer::script(vec![Reply::json(200, &schema_example("GetJobRunsResponse"))]).await;
    client(&server).get_job_runs("p", "j", &GetJobRunsParams::default()).await.unwrap();
    assert_eq!(server.requests()[0].header("content-length"), None);
}

/// The crate's own constructors compose with `?` in code returning the crate's `Error`.
fn first_page(size: i64) -> Result<GetJobRunsParams, Error> {
    Ok(GetJobRunsParams { per_page: Some(PerPage::new(size)?), ..GetJobRunsParams::default() })
}

#[test]
fn validation_errors_convert_into_the_crate_error() {
    assert!(first_page(25).is_ok());
    let err = first_page(100_000).unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn reqwest_is_re_exported_for_the_types_in_the_api() {
    use northflank_jobs::reqwest::StatusCode;
    use northflank_jobs::reqwest::header::HeaderMap;

    let server = MockServer::script(vec![Reply::json(200, &schema_example("GetJobRunsResponse"))]).await;
    let page = client(&server).get_job_runs("p", "j", &GetJobRunsParams::default()).await.unwrap();
    let status: StatusCode = page.status();
    let headers: &HeaderMap = page.headers();
    assert_eq!(status, StatusCode::OK);
    assert!(headers.contains_key("content-type"));
}
