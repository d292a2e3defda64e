//! Responses that Northflank's own typings (npm `@northflank/js-client`) allow, decoded by the
//! generated client from a server on 127.0.0.1. Each was once refused or misread because
//! `schema/northflank-jobs.yaml` was stricter than Northflank; `cargo xtask conformance` keeps
//! the schema from drifting back, and these keep the client honest about what it decodes.

mod common;

use clientgen_tests::mock::MockServer;
use clientgen_tests::schema_example;
use common::client;
use northflank_jobs::types::{
    GetJobBranchesParams, GetJobBuildsParams, GetJobContainersParams, GetJobMetricsParams, GetJobPullRequestsParams,
    MetricQueryType, MetricType, MetricValue,
};
use serde_json::{Value, json};

fn page(data: Value) -> Value {
    json!({"data": data, "pagination": {"hasNextPage": false, "count": 0}})
}

#[tokio::test]
async fn a_build_of_a_branch_has_a_null_pull_request_and_message() {
    let mut build = schema_example("GetJobBuildResponse");
    build["data"]["pullRequestId"] = Value::Null;
    build["data"]["message"] = Value::Null;
    let server = MockServer::serving(build).await;
    let got = client(&server).get_job_build("p", "j", "b").await.unwrap();
    assert_eq!(got.data.pull_request_id, Some(None));
    assert_eq!(got.data.message, Some(None));

    let mut listed = schema_example("GetJobBuildsResponse");
    listed["data"]["builds"][0]["pullRequestId"] = Value::Null;
    let server = MockServer::serving(listed).await;
    let got = client(&server).get_job_builds("p", "j", &GetJobBuildsParams::default()).await.unwrap();
    assert_eq!(got.data.builds[0].pull_request_id, Some(None));
}

#[tokio::test]
async fn a_started_build_with_a_null_pull_request_and_a_status_unknown_to_the_docs() {
    let server =
        MockServer::serving(json!({"data": {"id": "b-1", "pullRequestId": null, "status": "WAITING_FOR_SLOT"}})).await;
    let got = client(&server).start_job_build("p", "j", &Default::default()).await.unwrap();
    assert_eq!(got.data.pull_request_id, Some(None));
    assert_eq!(got.data.status.as_deref(), Some("WAITING_FOR_SLOT"));
}

#[tokio::test]
async fn list_keys_may_be_missing_from_the_data() {
    let server = MockServer::serving(page(json!({}))).await;
    let branches = client(&server).get_job_branches("p", "j", &GetJobBranchesParams::default()).await.unwrap();
    assert_eq!(branches.data.branches, None);
    let pulls = client(&server).get_job_pull_requests("p", "j", &GetJobPullRequestsParams::default()).await.unwrap();
    assert_eq!(pulls.data.pull_requests, None);

    let server = MockServer::serving(page(json!({"runId": "r-1"}))).await;
    let containers = client(&server).get_job_containers("p", "j", &GetJobContainersParams::default()).await.unwrap();
    assert_eq!(containers.data.containers, None);
    assert_eq!(containers.data.run_id, "r-1");
}

#[tokio::test]
async fn a_metric_value_may_be_a_numeric_string_and_only_requested_metrics_come_back() {
    let mut metrics = schema_example("GetJobMetricsResponse");
    let cpu = metrics["data"]["cpu"].clone();
    metrics["data"] = json!({"cpu": cpu});
    metrics["data"]["cpu"]["values"][0]["data"] = json!([
        {"value": "0.25", "ts": "2023-03-21T15:01:17.310Z"},
        {"value": 0.5, "ts": "2023-03-21T15:01:27.310Z"}
    ]);
    let server = MockServer::serving(metrics).await;
    let params = GetJobMetricsParams {
        metric_types: Some(vec![MetricType::Cpu]),
        ..GetJobMetricsParams::new(MetricQueryType::Range)
    };
    let got = client(&server).get_job_metrics("p", "j", &params).await.unwrap();
    assert_eq!(got.data.len(), 1);
    let points = &got.data[&MetricType::Cpu].values[0].data;
    assert_eq!(points[0].value, MetricValue::String("0.25".into()));
    assert_eq!(points[1].value, MetricValue::Number(0.5));
    let sent = &server.requests()[0];
    assert_eq!(sent.target, "/v1/projects/p/jobs/j/metrics?queryType=range&metricTypes=cpu");
}

#[tokio::test]
async fn run_counters_are_counts_not_flags() {
    let mut run = schema_example("GetJobRunResponse");
    run["data"]["failed"] = 3.into();
    run["data"]["succeeded"] = 2.into();
    run["data"]["active"] = 0.into();
    let server = MockServer::serving(run).await;
    let got = client(&server).get_job_run("p", "j", "r").await.unwrap();
    assert_eq!((got.data.active, got.data.failed, got.data.succeeded), (0, 3, 2));
}

#[tokio::test]
async fn build_storage_is_any_number_of_megabytes() {
    let mut job = schema_example("GetJobResponse");
    job["data"]["buildConfiguration"]["storage"]["ephemeralStorage"]["storageSize"] = 10240.into();
    let server = MockServer::serving(job).await;
    let got = client(&server).get_job("p", "j").await.unwrap();
    let storage = got.data.build_configuration.as_ref().and_then(|b| b.storage.as_ref());
    let size = storage.and_then(|s| s.ephemeral_storage.as_ref()).and_then(|e| e.storage_size.as_ref());
    assert_eq!(size.map(|s| s.get()), Some(10240));
}

#[tokio::test]
async fn a_legacy_job_may_have_no_deadline() {
    let mut job = schema_example("CreateCronJobResponse");
    job["data"]["activeDeadlineSeconds"] = Value::Null;
    let server = MockServer::serving(job).await;
    let request = serde_json::from_value(json!({
        "name": "nightly-report",
        "billing": {"deploymentPlan": "nf-compute-20"},
        "backoffLimit": 0,
        "activeDeadlineSeconds": null
    }))
    .unwrap();
    #[allow(deprecated)] // the deprecated cron endpoints answer with the deadline at the top level
    let got = client(&server).put_job_cron("p", &request).await.unwrap();
    assert_eq!(got.data.active_deadline_seconds, Some(None));
    assert_eq!(server.requests()[0].json()["activeDeadlineSeconds"], Value::Null);
}

#[tokio::test]
async fn action_endpoints_keep_whatever_data_the_server_sends() {
    for data in [json!({}), json!({"id": "job-1", "deleted": true}), json!("ok"), json!(null), json!([1, 2])] {
        let server = MockServer::serving(json!({"data": data})).await;
        let c = client(&server);
        assert_eq!(c.delete_job("p", "j").await.unwrap().data, data);
        assert_eq!(c.abort_job_run("p", "j", "r").await.unwrap().data, data);
        assert_eq!(c.abort_job_build("p", "j", "b").await.unwrap().data, data);
        assert_eq!(c.pause_job("p", "j").await.unwrap().data, data);
        assert_eq!(c.resume_job("p", "j", &Default::default()).await.unwrap().data, data);
    }
}
