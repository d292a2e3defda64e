//! What the end-to-end tests of the Northflank client share.

use clientgen_tests::mock::MockServer;
use northflank_jobs::{Client, RetryPolicy};

/// The token the test clients send.
pub const TOKEN: &str = "nf-test-token";

/// A client sending to `server` as if it were Northflank's `https://api.northflank.com/v1`,
/// without retries (a test scripts each reply).
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.url()))
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}
