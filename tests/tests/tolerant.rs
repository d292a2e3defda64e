//! The Northflank client reads responses as a server may send them (its first user of the
//! tolerant reader), and `decode_strictly_async` holds a client call to the schema.

mod common;

use clientgen_tests::mock::MockServer;
use clientgen_tests::schema_example;
use common::client;
use northflank_jobs::types::{InternalSource, InternalSourceBuildSha, InternalSourceBuildShaLatest, MetricValue};
use northflank_jobs::{Error, decode_strictly, decode_strictly_async};
use serde_json::json;

#[test]
fn a_build_sha_is_the_string_and_latest_the_enum() {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let source: InternalSource = serde_json::from_value(json!({"id": "builder", "buildSHA": sha})).unwrap();
    assert!(matches!(&source.build_sha, Some(InternalSourceBuildSha::String(s)) if s.as_str() == sha), "{source:?}");
    let latest: InternalSource = serde_json::from_value(json!({"buildSHA": "latest"})).unwrap();
    assert_eq!(latest.build_sha, Some(InternalSourceBuildSha::Latest(InternalSourceBuildShaLatest::Latest)));
    // Sent back as they came.
    assert_eq!(serde_json::to_value(&source).unwrap()["buildSHA"], json!(sha));
    assert_eq!(serde_json::to_value(&latest).unwrap()["buildSHA"], json!("latest"));
}

#[test]
fn metric_values_keep_numeric_strings_as_strings() {
    let value: MetricValue = serde_json::from_value(json!("-0.0025")).unwrap();
    assert_eq!(value, MetricValue::String("-0.0025".into()));
    assert_eq!(serde_json::from_value::<MetricValue>(json!(0.5)).unwrap(), MetricValue::Number(0.5));
    assert_eq!(
        decode_strictly(|| serde_json::from_value::<MetricValue>(json!("1"))).unwrap(),
        MetricValue::String("1".into())
    );
}

#[tokio::test]
async fn a_count_sent_as_a_numeric_string_decodes_unless_the_call_is_strict() {
    let mut run = schema_example("GetJobRunResponse");
    run["data"]["failed"] = "3".into();
    let server = MockServer::serving(run).await;
    let got = client(&server).get_job_run("p", "j", "r").await.unwrap();
    assert_eq!(got.data.failed, 3);
    let strict = decode_strictly_async(client(&server).get_job_run("p", "j", "r")).await;
    let Err(Error::Decode(e)) = strict else { panic!("a decode error, not {strict:?}") };
    assert!(e.to_string().contains("failed"), "{e}");
}
