//! `clientgen capability mcp` on the corrected Northflank capability
//! (`tests/capabilities/northflank-jobs.yaml`): the emitted tools are snapshotted and
//! deterministic, the seed is refused, and the server, built and started, answers an MCP client
//! over stdio while calling a fake Northflank on 127.0.0.1.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test -p clientgen-tests --test capability`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use clientgen::capability::mcp::{McpOptions, McpServer};
use clientgen_tests::mock::{MockServer, Reply};
use clientgen_tests::{fixtures, schema_example, workspace_root};
use serde_json::{Value, json};

/// The server's crate name; its binary has the same name.
const NAME: &str = "northflank-jobs-mcp";

/// A token only this test uses, to look for in the server's output.
const TOKEN: &str = "nf-capability-e2e-7f3a9c";

/// Past this, a silent server counts as hung. A hang detector, not a timing assertion: every
/// answer comes in milliseconds.
const HANG: Duration = Duration::from_secs(120);

fn capability(name: &str) -> PathBuf {
    workspace_root().join("tests/capabilities").join(name)
}

fn schema() -> PathBuf {
    workspace_root().join("schema/northflank-jobs.yaml")
}

fn generate() -> McpServer {
    clientgen::capability::mcp(&capability("northflank-jobs.yaml"), &schema(), &McpOptions::new(NAME))
        .unwrap_or_else(|d| panic!("the corrected capability does not generate:\n{d}"))
}

fn file<'a>(server: &'a McpServer, path: &str) -> &'a str {
    server.files.iter().find(|f| f.path == path).map_or_else(|| panic!("no {path}"), |f| f.contents.as_str())
}

#[test]
fn the_server_is_written_the_same_every_time() {
    let server = generate();
    assert_eq!(server.files, generate().files, "two runs differ");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description("tests/capabilities/northflank-jobs.yaml");
    settings.bind(|| {
        insta::assert_snapshot!("capability-mcp-tools", file(&server, "src/tools.rs"));
        insta::assert_snapshot!("capability-mcp-manifest", file(&server, "Cargo.toml"));
    });
    // The client is clientgen's, for the same document, under `client/`.
    assert!(file(&server, "client/src/operations.rs").contains("pub async fn start_job_run("));
    // `transport: http` is not served, and the warning says so where it is written.
    let warning = server.warnings.iter().next().expect("one warning").to_string();
    assert!(
        warning.contains("/northflank-jobs.yaml:129:16: warning: the generated server speaks MCP over stdio"),
        "{warning}"
    );
}

#[test]
fn the_seed_is_refused_before_anything_is_written() {
    let errors =
        clientgen::capability::mcp(&capability("northflank-jobs-seed.yaml"), &schema(), &McpOptions::new(NAME))
            .expect_err("the seed fails the check");
    let messages: Vec<String> = errors.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("no operation `POST /projects/{projectId}/jobs/{jobId}/run`")));
}

/// The server's stdio, one JSON-RPC message a line.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Session {
    fn start(binary: &Path, base_url: &str) -> Session {
        let mut child = Command::new(binary)
            .args(["--base-url", base_url])
            .env("NORTHFLANK_API_KEY", TOKEN)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Session { child, stdin, lines, next_id: 1 }
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{message}").and_then(|()| stdin.flush()).expect("write to the server");
    }

    /// Send a request and wait for the answer with its id (skipping notifications).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self.lines.recv_timeout(HANG).unwrap_or_else(|_| panic!("no answer to `{method}`"));
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC ({e}): {line}"));
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    /// `tools/call`, returning the result.
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let answer = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        assert!(answer.get("error").is_none(), "tools/call {tool} is a protocol error: {answer}");
        answer["result"].clone()
    }

    /// Close stdin; the server ends. Its exit status and everything it wrote on stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("wait for the server");
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        (status.code(), stderr)
    }
}

/// The fake Northflank: a run of any job but `missing-job`, which is not found.
fn northflank(request: &clientgen_tests::mock::Recorded, _: usize) -> Reply {
    if request.path().contains("/jobs/missing-job/") {
        Reply::json(404, &json!({"error": {"status": 404, "message": "Job not found", "id": "err-1234"}}))
    } else {
        Reply::json(200, &schema_example("StartJobRunResponse"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_serves_the_tools_over_stdio_against_a_fake_northflank() {
    // Write, lint and build the server with the dependencies the other generated crates use.
    let target = fixtures::target_dir();
    let dir = target.join("capability-crates").join(NAME);
    clientgen::output::write(&dir, &generate().files).unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.display()));
    let build = target.join("fixture-target");
    for args in [&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"][..], &["build"][..]] {
        let run = fixtures::cargo(&dir, &build, args, &[]);
        eprintln!("cargo {}: {:.1} s", args[0], run.seconds);
        assert!(run.success, "cargo {} failed in {}:\n{}", args[0], dir.display(), run.output);
    }
    let doc = fixtures::cargo(&dir, &build, &["doc", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]);
    eprintln!("cargo doc: {:.1} s", doc.seconds);
    assert!(doc.success, "cargo doc failed:\n{}", doc.output);
    let binary = build.join("debug").join(format!("{NAME}{}", std::env::consts::EXE_SUFFIX));

    let api = MockServer::start(northflank).await;
    let base_url = format!("{}/v1", api.url());
    let (requests, status, stderr) = tokio::task::spawn_blocking(move || {
        let mut s = Session::start(&binary, &base_url);
        let init = s.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], NAME, "{init}");
        assert!(init["result"]["capabilities"]["tools"].is_object(), "{init}");
        s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

        let list = s.request("tools/list", json!({}));
        let tools = list["result"]["tools"].as_array().unwrap_or_else(|| panic!("no tools: {list}")).clone();
        let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
        assert_eq!(names, ["list-jobs-project", "create-job", "run-job"]);
        let tool = |name: &str| tools.iter().find(|t| t["name"] == name).cloned().unwrap_or_default();
        assert_eq!(
            tool("list-jobs-project")["annotations"],
            json!({"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true})
        );
        assert_eq!(
            tool("run-job")["annotations"],
            json!({"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false})
        );
        assert_eq!(
            tool("run-job")["inputSchema"],
            json!({
                "type": "object",
                "properties": {
                    "projectId": {"type": "string", "description": "ID of the project"},
                    "jobId": {"type": "string", "description": "ID of the job"}
                },
                "required": ["projectId", "jobId"]
            })
        );
        // The body's schema, as JSON Schema: the request type's properties and required ones.
        let create = tool("create-job")["inputSchema"].clone();
        assert_eq!(create["required"], json!(["projectId", "body"]));
        assert_eq!(create["properties"]["body"]["$ref"], "#/$defs/CreateJobRequest");
        let request = &create["$defs"]["CreateJobRequest"];
        assert_eq!(request["type"], "object");
        assert!(request["required"].as_array().is_some_and(|r| r.contains(&json!("name"))), "{request}");
        assert!(request["properties"]["name"]["type"] == "string", "{request}");

        let ran = s.call("run-job", json!({"projectId": "my-project", "jobId": "my-job"}));
        assert_eq!(ran["isError"], false, "{ran}");
        let answer: Value = serde_json::from_str(ran["content"][0]["text"].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {ran}"));
        assert_eq!(answer, schema_example("StartJobRunResponse"));

        let missing = s.call("run-job", json!({"projectId": "my-project", "jobId": "missing-job"}));
        assert_eq!(missing["isError"], true, "{missing}");
        let text = missing["content"][0]["text"].as_str().unwrap_or_default();
        assert!(text.contains("404") && text.contains("Job not found"), "{text}");

        let incomplete = s.call("run-job", json!({"projectId": "my-project"}));
        assert_eq!(incomplete["isError"], true, "{incomplete}");
        assert_eq!(incomplete["content"][0]["text"], "missing required argument `jobId`");
        let (status, stderr) = s.finish();
        (api.requests(), status, stderr)
    })
    .await
    .expect("the MCP session");

    // Two runs reached the API (the incomplete call did not), each as the client sends it.
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let run = &requests[0];
    assert_eq!((run.method.as_str(), run.target.as_str()), ("POST", "/v1/projects/my-project/jobs/my-job/runs"));
    assert_eq!(run.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(run.json(), json!({}), "the job runs with its own configuration");
    assert_eq!(requests[1].target, "/v1/projects/my-project/jobs/missing-job/runs");
    assert_eq!(status, Some(0), "the server ends when stdin closes:\n{stderr}");
    assert!(!stderr.contains(TOKEN), "the token leaked into stderr:\n{stderr}");
}
