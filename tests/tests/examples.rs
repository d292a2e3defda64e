//! The documented examples of the Northflank API against the generated types: the run-job
//! request built from typed values serializes to exactly the documented JSON, and the
//! documented responses decode (and encode back unchanged).

use std::collections::BTreeMap;

use clientgen_tests::schema_example;
use northflank_jobs::types::{
    DeploymentStorage, DeploymentStorageEphemeralStorage, DeploymentStorageEphemeralStorageStorageSize, DockerRuntime,
    DockerRuntimeConfigType, EnvironmentVariablesKey, GetJobContainersResponse, GetJobRunsResponse, InternalSource,
    JobRunBilling, JobRunDeploymentOverride, JobRunInternalOverride, JobRunStatus, PlanId, SecretFile, SecretFilesKey,
    StartJobRunRequest, StartJobRunResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decode `example`, check it encodes back to the same JSON, and return it.
fn round_trip<T: DeserializeOwned + Serialize>(example: &str) -> T {
    let json = schema_example(example);
    let value: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{example} does not decode: {e}"));
    assert_eq!(serde_json::to_value(&value).unwrap(), json, "{example} does not encode back unchanged");
    value
}

fn file(data: &str) -> SecretFile {
    SecretFile { data: data.to_owned(), encoding: Some("utf-8".to_owned()) }
}

#[test]
fn the_run_job_request_built_from_types_is_the_documented_json() {
    let data = "VGhpcyBpcyBhbiBleGFtcGxlIHdpdGggYSB0ZW1wbGF0ZWQgJHtOT0RFX0VOVn0gdmFyaWFibGU=";
    let environment = northflank_jobs::checked_map([("VARIABLE_1", "abcdef"), ("VARIABLE_2", "12345")]).unwrap();
    let internal = InternalSource {
        id: Some("example-build-service".into()),
        branch: Some("master".into()),
        build_id: Some("premium-guide-6393".into()),
        ..InternalSource::default()
    };
    let mut override_ = JobRunInternalOverride::from(internal);
    override_.docker = Some(DockerRuntime::new(DockerRuntimeConfigType::Default));
    override_.storage = Some(DeploymentStorage {
        ephemeral_storage: Some(DeploymentStorageEphemeralStorage {
            storage_size: Some(DeploymentStorageEphemeralStorageStorageSize::new(1024).unwrap()),
        }),
        ..DeploymentStorage::default()
    });
    let request = StartJobRunRequest {
        runtime_environment: Some(environment),
        runtime_files: Some(BTreeMap::from([(SecretFilesKey::new("/dir/fileName").unwrap(), file(data))])),
        docker_secret_mounts: Some(BTreeMap::from([("example-secret-mount_1".to_owned(), file(data))])),
        billing: Some(JobRunBilling { deployment_plan: Some(PlanId::new("nf-compute-20").unwrap()) }),
        deployment: Some(JobRunDeploymentOverride::Internal(override_)),
    };
    northflank_jobs::Validate::validate(&request).expect("the documented request is valid");
    assert_eq!(serde_json::to_value(&request).unwrap(), schema_example("StartJobRunRequest"));
    // And the documented JSON decodes into the same value.
    let decoded: StartJobRunRequest = serde_json::from_value(schema_example("StartJobRunRequest")).unwrap();
    assert_eq!(decoded, request);
}

#[test]
fn a_map_with_checked_keys_names_the_key_it_refuses() {
    let err = northflank_jobs::checked_map::<EnvironmentVariablesKey, String, _, _, _>([("OK", "1"), ("NOT OK", "2")])
        .unwrap_err();
    assert_eq!(err.path(), "[NOT OK]");
    let env: BTreeMap<EnvironmentVariablesKey, String> = northflank_jobs::checked_map([("A", "1")]).unwrap();
    assert_eq!(env[&EnvironmentVariablesKey::new("A").unwrap()], "1");
}

#[test]
fn the_documented_run_request_shows_secret_names_but_never_their_values_in_debug() {
    let request: StartJobRunRequest = serde_json::from_value(schema_example("StartJobRunRequest")).unwrap();
    let shown = format!("{request:?} {request:#?}");
    for secret in ["abcdef", "12345", "VGhpcyBp"] {
        assert!(!shown.contains(secret), "Debug shows `{secret}`: {shown}");
    }
    // Which variables and files are set is worth seeing when debugging; what they hold is not.
    for name in ["VARIABLE_1", "VARIABLE_2", "/dir/fileName", "example-secret-mount_1"] {
        assert!(shown.contains(name), "Debug hides the name `{name}`: {shown}");
    }
    assert!(shown.contains(r#""VARIABLE_1": [redacted]"#), "{shown}");
    assert!(shown.contains("nf-compute-20"), "non-secret fields stay visible: {shown}");
}

#[test]
fn the_documented_job_runs_response_decodes() {
    let page: GetJobRunsResponse = round_trip("GetJobRunsResponse");
    let run = &page.data.runs[0];
    assert_eq!(run.status, JobRunStatus::Success);
    assert_eq!((run.active, run.failed, run.succeeded), (0, 0, 0));
    assert!(run.concluded);
    assert_eq!(run.concluded_at.as_deref(), Some("2020-12-08T11:52:08Z"));
    assert!(!page.pagination.has_next_page);
}

#[test]
fn the_documented_containers_response_decodes() {
    let page: GetJobContainersResponse = round_trip("GetJobContainersResponse");
    assert_eq!(page.data.run_id, "00000676-9be8-41dd-b0f7-ba7df935cf27");
    assert_eq!(page.data.containers.as_ref().map(Vec::len), Some(1));
}

#[test]
fn the_documented_start_run_response_decodes() {
    let started: StartJobRunResponse = round_trip("StartJobRunResponse");
    assert_eq!(started.data.run_name, "example-job-5fcf67bc56e1913e21d49504");
}
