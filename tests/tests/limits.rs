//! Bounded memory against a real server on 127.0.0.1: a response over the size limit fails
//! (before reading when `Content-Length` says so, else as the body streams in), and errors
//! keep and print only a bounded part of whatever the server sent.

use clientgen_tests::mock::{MockServer, Reply};
use clientgen_tests::schema_example;
use northflank_jobs::types::{ErrorResponse, GetJobRunsParams};
use northflank_jobs::{Client, DEFAULT_MAX_RESPONSE_SIZE, Error, RetryPolicy};

const MIB: u64 = 1024 * 1024;

fn client(server: &MockServer, limit: Option<u64>) -> Client {
    let builder = Client::builder().base_url(server.url()).bearer_token("t").retry_policy(RetryPolicy::disabled());
    match limit {
        Some(limit) => builder.max_response_size(limit),
        None => builder,
    }
    .build()
    .unwrap()
}

async fn list(client: &Client) -> Result<northflank_jobs::Response<northflank_jobs::types::GetJobRunsResponse>, Error> {
    client.get_job_runs("p", "j", &GetJobRunsParams::default()).await
}

#[tokio::test]
async fn a_content_length_over_the_default_limit_fails_before_the_body_is_read() {
    assert_eq!(DEFAULT_MAX_RESPONSE_SIZE, 32 * MIB);
    // The server announces 33 MiB and sends a few bytes: nothing waits for the rest.
    let announced = 33 * MIB as usize;
    let server =
        MockServer::script(vec![Reply::Truncated { status: 200, partial: br#"{"data": "#.to_vec(), announced }]).await;
    // The body is cut short: reading it would be a transport error, so `TooLarge` with the
    // announced length means the client stopped at the header.
    let err = list(&client(&server, None)).await.unwrap_err();
    let Error::TooLarge(e) = &err else { panic!("{err:?}") };
    assert_eq!((e.limit(), e.content_length(), e.status().as_u16()), (32 * MIB, Some(33 * MIB), 200));
    assert_eq!((err.attempts(), err.is_retryable()), (1, false));
    let shown = err.to_string();
    assert!(shown.contains("getJobRuns") && shown.contains("limit of 33554432 bytes"), "{shown}");
}

#[tokio::test]
async fn a_body_without_a_length_fails_as_soon_as_it_crosses_the_limit() {
    // 1 GiB in 64 KiB chunks, of which the client reads about 1 MiB.
    let server =
        MockServer::script(vec![Reply::Chunked { status: 200, chunk: vec![b' '; 64 * 1024], count: 16 * 1024 }]).await;
    let err = list(&client(&server, Some(MIB))).await.unwrap_err();
    let Error::TooLarge(e) = &err else { panic!("{err:?}") };
    assert_eq!((e.limit(), e.content_length()), (MIB, None));
}

#[tokio::test]
async fn a_body_within_the_limit_is_read_whole_across_chunks() {
    let mut page = schema_example("GetJobRunsResponse").to_string().into_bytes();
    let padding = vec![b' '; 3 * 64 * 1024];
    page.extend_from_slice(&padding);
    let server = MockServer::script(vec![Reply::body(200, "application/json", page.clone())]).await;
    let ok = list(&client(&server, Some(page.len() as u64))).await.unwrap();
    assert_eq!(ok.data.runs.len(), 1);
    let server = MockServer::script(vec![Reply::Chunked { status: 200, chunk: page.clone(), count: 1 }]).await;
    let ok = list(&client(&server, Some(page.len() as u64))).await.unwrap();
    assert_eq!(ok.data.runs.len(), 1);
}

#[tokio::test]
async fn an_error_body_over_the_limit_is_too_large_too() {
    let server = MockServer::script(vec![Reply::body(500, "text/html", vec![b'x'; 2048])]).await;
    let err = list(&client(&server, Some(1024))).await.unwrap_err();
    assert!(matches!(&err, Error::TooLarge(e) if e.status() == 500 && e.content_length() == Some(2048)), "{err:?}");
}

#[tokio::test]
async fn a_50_mb_error_body_is_neither_kept_nor_printed_whole() {
    let message = "m".repeat(50_000_000);
    let body = serde_json::json!({"error": {"status": 500, "message": message, "id": "err-big"}}).to_string();
    let total = body.len();
    let server = MockServer::script(vec![Reply::body(500, "application/json", body)]).await;
    let err = list(&client(&server, Some(64 * MIB))).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    // The typed payload is decoded from the whole body ...
    let payload = api.payload::<ErrorResponse>().expect("the documented error body decodes");
    assert_eq!(payload.error.message.len(), 50_000_000);
    // ... but the raw body is kept only in part, and the message shown is cut.
    assert_eq!((api.body().len(), api.body_len(), api.body_truncated()), (64 * 1024, total, true));
    assert!(api.message().is_some_and(|m| m.len() < 1100 && m.ends_with("more bytes)")));
    assert_eq!(api.error_id(), Some("err-big"));
    let shown = err.to_string();
    assert!(shown.len() < 1500, "Display is bounded: {} bytes", shown.len());
    let debug = format!("{err:?}");
    assert!(debug.len() < 70 * 1024, "Debug is bounded: {} bytes", debug.len());
    assert!(debug.contains("more bytes)"), "Debug says what it cut");
}

#[tokio::test]
async fn a_large_html_error_page_prints_an_excerpt_and_its_size() {
    let html = format!("<html><body><h1>502 Bad Gateway</h1>{}</body></html>", "<p>filler</p>".repeat(10_000));
    let total = html.len();
    let server = MockServer::script(vec![Reply::body(502, "text/html", html)]).await;
    let err = list(&client(&server, None)).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.body_len(), total);
    assert!(api.body_text().is_some_and(|t| t.len() == 64 * 1024 && t.starts_with("<html>")));
    let shown = err.to_string();
    assert!(shown.contains("502 Bad Gateway") && shown.contains(&format!("(200 of {total} bytes shown)")), "{shown}");
}

#[tokio::test]
async fn a_50_mb_undecodable_body_gives_a_bounded_decode_error() {
    // `runs` should be an array; serde quotes the string it found, all 50 MB of it.
    let body = serde_json::json!({"data": {"runs": "r".repeat(50_000_000)}}).to_string();
    let total = body.len();
    let server = MockServer::script(vec![Reply::body(200, "application/json", body)]).await;
    let err = list(&client(&server, Some(64 * MIB))).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!((d.path(), d.body_len()), ("data.runs", total));
    assert!(d.message().len() < 1100 && d.message().ends_with("more bytes)"), "{}", &d.message()[..100]);
    let shown = err.to_string();
    assert!(shown.len() < 1500, "{} bytes", shown.len());
    assert!(shown.contains(&format!("of {total})")), "it says how much of the body is shown: {shown}");
    assert!(format!("{err:?}").len() < 1500);
}
