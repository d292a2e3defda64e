//! The baseline: what a careful hand-written reqwest + serde client does for the same two
//! requests, with the generated client's `reqwest::Client` settings (connect timeout 10 s, a
//! 30 s timeout on each request) and the same headers. No retries, hooks or validation.

use std::collections::BTreeMap;

use reqwest::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct RunsPage {
    pub data: RunsData,
    #[allow(dead_code)] // decoded, as the generated client does
    pub pagination: Pagination,
}

#[derive(Deserialize)]
pub struct RunsData {
    pub runs: Vec<Run>,
}

#[allow(dead_code)] // decoded, as the generated client does
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub id: String,
    pub active: i64,
    pub backoff_limit: i64,
    pub completions: i64,
    pub concluded: bool,
    pub failed: i64,
    pub run_name: String,
    pub status: String,
    pub succeeded: i64,
    pub started_at: String,
    pub concluded_at: Option<String>,
}

#[allow(dead_code)] // decoded, as the generated client does
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub has_next_page: bool,
    pub cursor: Option<String>,
    pub count: u64,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartRunRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_environment: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_files: Option<BTreeMap<String, SecretFile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_secret_mounts: Option<BTreeMap<String, SecretFile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing: Option<Billing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment: Option<Deployment>,
}

#[derive(Deserialize, Serialize)]
pub struct Deployment {
    pub docker: Docker,
    pub storage: Storage,
    pub internal: Internal,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Docker {
    pub config_type: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Storage {
    pub ephemeral_storage: EphemeralStorage,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EphemeralStorage {
    pub storage_size: i64,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Internal {
    pub id: String,
    pub branch: String,
    pub build_id: String,
}

#[derive(Deserialize, Serialize)]
pub struct SecretFile {
    pub data: String,
    pub encoding: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Billing {
    pub deployment_plan: String,
}

#[allow(dead_code)] // decoded, as the generated client does
#[derive(Deserialize)]
pub struct StartedRun {
    pub data: StartedRunData,
}

#[allow(dead_code)] // decoded, as the generated client does
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartedRunData {
    pub id: String,
    pub run_name: String,
}

pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(base: &str) -> Result<Client, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(northflank_jobs::DEFAULT_CONNECT_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Client { http, base: base.trim_end_matches('/').to_owned() })
    }

    pub async fn list_runs(&self, project: &str, job: &str, per_page: usize) -> Result<RunsPage, String> {
        let url = format!("{}/v1/projects/{project}/jobs/{job}/runs", self.base);
        let request = self.http.get(url).query(&[("per_page", per_page)]);
        self.send(request).await
    }

    pub async fn start_run(&self, project: &str, job: &str, body: &StartRunRequest) -> Result<StartedRun, String> {
        let url = format!("{}/v1/projects/{project}/jobs/{job}/runs", self.base);
        // What `RequestBuilder::json` does (reqwest's `json` feature is not enabled here).
        let body = serde_json::to_vec(body).map_err(|e| e.to_string())?;
        self.send(self.http.post(url).header(CONTENT_TYPE, "application/json").body(body)).await
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, String> {
        let response = request
            .bearer_auth(super::TOKEN)
            .header(USER_AGENT, northflank_jobs::USER_AGENT)
            .header(ACCEPT, "application/json")
            .timeout(northflank_jobs::DEFAULT_TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("status {status}"));
        }
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}
