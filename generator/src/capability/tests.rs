//! The check on a small document, one mistake at a time: each is found, said and located.

use serde_json::json;

use super::mcp::{self, McpOptions};
use super::read::Source;
use super::{Checked, check_documents};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Documents;

const API: &str = r##"
openapi: 3.1.0
info: {title: Jobs, version: '1'}
servers:
  - url: https://api.example.com/v1
  - url: https://{region}.example.com/v1/teams/{teamId}
    variables:
      region: {default: eu, enum: [eu, us]}
      teamId: {default: me}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Job: {type: object, properties: {id: {type: string}}}
    NewJob:
      type: object
      required: [name]
      properties: {name: {type: string}, size: {type: integer, minimum: 1, maximum: 9}}
    RunOverrides: {type: object, properties: {env: {type: object, additionalProperties: {type: string}}}}
paths:
  /projects/{projectId}/jobs:
    parameters: [{name: projectId, in: path, required: true, schema: {type: string}}]
    get:
      operationId: listJobs
      parameters:
        - {name: per_page, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Job'}}}}}
    post:
      operationId: createJob
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewJob'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
  /projects/{projectId}/logs:
    get:
      operationId: getLogs
      parameters: [{name: projectId, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
  /projects/{projectId}/jobs/{jobId}/runs:
    post:
      operationId: startJobRun
      parameters:
        - {name: projectId, in: path, required: true, schema: {type: string}}
        - {name: jobId, in: path, required: true, schema: {type: string}}
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/RunOverrides'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
"##;

const CAPABILITY: &str = r#"naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {API_KEY: EXAMPLE_TOKEN}
capability:
  consumes:
  - type: http
    namespace: jobs
    baseUri: https://api.example.com/v1
    authentication: {type: bearer, token: '{{env.API_KEY}}'}
    resources:
    - path: /projects/{projectId}/jobs
      operations:
      - name: list
        method: GET
        inputParameters:
        - {name: projectId, in: path, type: string}
        - {name: X-Trace, in: header, type: string}
        - {name: per_page, in: query, type: integer, required: false}
      - name: create
        method: POST
        inputParameters:
        - {name: projectId, in: path, type: string}
        - {name: job, in: body, type: object}
    - path: /projects/{projectId}/jobs/{jobId}/runs
      operations:
      - name: run
        method: POST
        inputParameters:
        - {name: projectId, in: path, type: string}
        - {name: jobId, in: path, type: string}
  exposes:
  - type: rest
    namespace: jobs-rest
    resources:
    - path: /jobs/{projectId}
      operations:
      - {method: GET, call: jobs.list, with: {X-Trace: rest.trace}, inputParameters: [{name: trace, type: string}]}
  - type: mcp
    namespace: jobs-mcp
    transport: stdio
    tools:
    - name: list-jobs
      description: List the jobs.
      hints: {readOnly: true, idempotent: true}
      call: jobs.list
      with: {X-Trace: tools.trace}
    - name: run-job
      description: Run a job.
      call: jobs.run
"#;

fn check(capability: &str) -> Result<Checked, Diagnostics> {
    let (docs, warnings) = Documents::from_text("cap.yaml", capability).expect("the capability parses");
    let (api, _) = Documents::from_text("api.yaml", API).expect("the document parses");
    check_documents(&docs, warnings, &api, "cap.yaml", "api.yaml")
}

/// The capability with `from` replaced by `to` (which must be there).
fn with(from: &str, to: &str) -> String {
    assert!(CAPABILITY.contains(from), "the capability has no `{from}`");
    CAPABILITY.replacen(from, to, 1)
}

/// The error whose message contains `fragment`, at `line:column`.
fn fails(capability: &str, fragment: &str, at: (u32, u32)) -> Diagnostic {
    let diags = match check(capability) {
        Ok(_) => panic!("the check passed; expected an error with `{fragment}`"),
        Err(d) => d,
    };
    let Some(d) = diags.iter().find(|d| d.is_error() && d.message.contains(fragment)) else {
        panic!("no error with `{fragment}`:\n{diags}");
    };
    let location = d.location.as_ref().expect("located");
    assert_eq!((location.line, location.column), at, "{}", d.render(false));
    d.clone()
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or_default()
}

#[test]
fn a_sound_capability_resolves_with_typed_tool_arguments() {
    let checked = check(CAPABILITY).unwrap_or_else(|d| panic!("{d}"));
    assert!(checked.warnings.is_empty(), "{}", checked.warnings);
    let r = &checked.resolved;
    assert_eq!(r.namespaces.len(), 1);
    assert_eq!(r.namespaces[0].base_url, "https://api.example.com/v1");
    assert_eq!(r.namespaces[0].token_env.as_deref(), Some("EXAMPLE_TOKEN"));
    let ops: Vec<&str> = r.namespaces[0].operations.iter().map(|b| r.api.operations[b.operation].id.as_str()).collect();
    assert_eq!(ops, ["listJobs", "createJob", "startJobRun"]);
    let list = &r.tools[0];
    assert_eq!(
        list.input_schema,
        json!({
            "type": "object",
            "properties": {
                "projectId": {"type": "string"},
                "trace": {"type": "string"},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100}
            },
            "required": ["projectId", "trace"]
        })
    );
    // The run's body is required, but `{}` is a body: the tool needs no argument for it.
    let run = &r.tools[1];
    assert_eq!(run.arguments.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["projectId", "jobId"]);
}

#[test]
fn a_templated_server_takes_the_values_it_allows() {
    let team = with("baseUri: https://api.example.com/v1", "baseUri: https://us.example.com/v1/teams/acme");
    let checked = check(&team).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(checked.resolved.namespaces[0].base_url, "https://us.example.com/v1/teams/acme");
    let d = fails(
        &with("baseUri: https://api.example.com/v1", "baseUri: https://mars.example.com/v1/teams/acme"),
        "`mars` is not a value the document allows for `{region}`",
        (9, 14),
    );
    assert_eq!(help(&d), "write one of eu, us");
}

#[test]
fn the_server_path_may_sit_in_the_resource_paths() {
    let moved = with("baseUri: https://api.example.com/v1", "baseUri: https://api.example.com")
        .replace("- path: /projects/", "- path: /v1/projects/");
    let checked = check(&moved).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(checked.resolved.namespaces[0].base_url, "https://api.example.com/v1");
}

#[test]
fn a_base_uri_on_no_server_is_one_error() {
    let d = fails(
        &with("baseUri: https://api.example.com/v1", "baseUri: https://api.example.org/v1"),
        "`baseUri` `https://api.example.org/v1` is on none of the servers of api.yaml",
        (9, 14),
    );
    assert!(help(&d).contains("`https://{region}.example.com/v1/teams/{teamId}`"), "{}", help(&d));
}

#[test]
fn a_path_without_that_method_names_the_methods_it_has() {
    let d = fails(
        &with("method: GET", "method: DELETE"),
        "`/projects/{projectId}/jobs` has no `DELETE` operation",
        (15, 17),
    );
    assert_eq!(help(&d), "the API has `GET`, `POST` on this path");
    fails(&with("method: GET", "method: FETCH"), "`FETCH` is not an HTTP method", (15, 17));
}

#[test]
fn a_misspelt_path_is_answered_with_the_nearest_one() {
    let d = fails(
        &with("jobs/{jobId}/runs", "jobs/{jobId}/run"),
        "no operation `POST /projects/{projectId}/jobs/{jobId}/run`",
        (25, 13),
    );
    assert!(help(&d).contains("`POST /projects/{projectId}/jobs/{jobId}/runs` (startJobRun)"), "{}", help(&d));
    let d = fails(&with("jobs/{jobId}/runs", "nothing/like/it/at/all"), "no operation", (25, 13));
    assert!(help(&d).starts_with("no `POST` operation of api.yaml has a similar path"), "{}", help(&d));
}

#[test]
fn path_parameters_are_named_as_the_api_names_them() {
    let renamed = with("- path: /projects/{projectId}/jobs\n", "- path: /projects/{project}/jobs\n");
    let d = fails(&renamed, "`{project}` is `{projectId}`", (12, 13));
    assert_eq!(help(&d), "write `path: /projects/{projectId}/jobs`");
}

#[test]
fn every_path_parameter_needs_an_input() {
    let d = fails(
        &with("        - {name: projectId, in: path, type: string}\n        - {name: jobId", "        - {name: jobId"),
        "path parameter `projectId` of `POST /projects/{projectId}/jobs/{jobId}/runs` (startJobRun) is not bound",
        (27, 15),
    );
    assert!(help(&d).contains("{name: projectId, in: path, type: string, required: true}"), "{}", help(&d));
}

#[test]
fn inputs_are_parameters_in_their_place_with_their_type() {
    let d = fails(
        &with("{name: per_page, in: query", "{name: per_page, in: header"),
        "has no header parameter `per_page`",
        (19, 18),
    );
    assert_eq!(help(&d), "`per_page` is a query parameter: write `in: query`");
    let d = fails(
        &with("{name: per_page, in: query", "{name: perpage, in: query"),
        "no query parameter `perpage`",
        (19, 18),
    );
    assert_eq!(help(&d), "did you mean `per_page`?");
    let d = fails(
        &with("{name: per_page, in: query, type: integer", "{name: per_page, in: query, type: string"),
        "input `per_page` is `type: string`, but query parameter `per_page` is an integer",
        (19, 45),
    );
    assert_eq!(help(&d), "write `type: integer`");
    fails(
        &with("{name: per_page, in: query", "{name: per_page, in: cookies"),
        "`in: cookies` is not a parameter location",
        (19, 32),
    );
    fails(
        &with("{name: job, in: body, type: object}", "{name: job, in: body, type: array}"),
        "the request body is an object",
        (24, 39),
    );
}

#[test]
fn what_the_api_requires_cannot_be_optional_or_missing() {
    fails(
        &with("{name: jobId, in: path, type: string}", "{name: jobId, in: path, type: string, required: false}"),
        "input `jobId` is optional, but `POST /projects/{projectId}/jobs/{jobId}/runs` (startJobRun) requires it",
        (31, 11),
    );
    fails(
        &with("        - {name: X-Trace, in: header, type: string}\n", ""),
        "header parameter `X-Trace` of `GET /projects/{projectId}/jobs` (listJobs) is required",
        (14, 15),
    );
    fails(
        &with("        - {name: job, in: body, type: object}\n", ""),
        "`POST /projects/{projectId}/jobs` (createJob) requires a request body",
        (20, 15),
    );
}

#[test]
fn the_token_comes_from_a_bind_of_the_environment() {
    let d = fails(&with("'{{env.API_KEY}}'", "'{{env.API_TOKEN}}'"), "`env.API_TOKEN` names no bound key", (10, 43));
    assert_eq!(help(&d), "the bound keys are `env.API_KEY`");
    fails(&with("'{{env.API_KEY}}'", "hunter2"), "the token is written inline", (10, 43));
    fails(
        &with("    authentication: {type: bearer, token: '{{env.API_KEY}}'}\n", ""),
        "api.yaml authenticates (a bearer token), and namespace `jobs` has no `authentication`",
        (8, 16),
    );
    fails(
        &with("- namespace: env\n", "- namespace: env\n  location: file:///secrets.yaml\n"),
        "bind `env` reads a file",
        (4, 13),
    );
}

#[test]
fn calls_and_mappings_name_what_exists() {
    let d = fails(
        &with("call: jobs.list\n      with", "call: jobs.lst\n      with"),
        "`call: jobs.lst` names no consumed operation",
        (46, 13),
    );
    assert_eq!(help(&d), "did you mean `jobs.list`?");
    let d = fails(
        &with("with: {X-Trace: tools.trace}", "with: {Trace: tools.trace}"),
        "`with: Trace` names no input of `jobs.list`",
        (47, 14),
    );
    assert_eq!(help(&d), "did you mean `X-Trace`?");
    fails(
        &with("with: {X-Trace: tools.trace}", "with: {X-Trace: rest.trace}"),
        "`rest.trace` is not an argument of tool `list-jobs`",
        (47, 23),
    );
    let d = fails(
        &with("with: {X-Trace: rest.trace}", "with: {X-Trace: rest.tarce}"),
        "`rest.tarce` is not a parameter of the REST path `/jobs/{projectId}`",
        (38, 56),
    );
    assert_eq!(help(&d), "add `{tarce}` to the path");
    fails(
        &with("- path: /jobs/{projectId}", "- path: /jobs"),
        "input `projectId` of `jobs.list` gets no value from `GET /jobs`",
        (38, 18),
    );
    fails(&with("- name: run-job", "- name: list-jobs"), "tool `list-jobs` is declared twice", (48, 13));
    fails(&with("namespace: jobs-mcp", "namespace: jobs-rest"), "namespace `jobs-rest` is declared twice", (40, 16));
}

#[test]
fn hints_that_contradict_the_method_are_warned_of() {
    let odd = with("call: jobs.run", "hints: {readOnly: true, idempotent: true}\n      call: jobs.run");
    let checked = check(&odd).unwrap_or_else(|d| panic!("{d}"));
    let messages: Vec<&str> = checked.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.contains(&"tool `run-job` is marked `readOnly`, but calls `POST /projects/{projectId}/jobs/{jobId}/runs` (startJobRun)"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("is marked `idempotent`")), "{messages:?}");
}

#[test]
fn the_wrong_shapes_are_located() {
    fails("info: {}\n", "not a Naftiko capability", (1, 1));
    fails(
        &with("    resources:\n", "    resources: 3\n    unused:\n"),
        "`resources` must be a list, found an integer",
        (11, 16),
    );
    fails(&with("method: GET", "method: [GET]"), "`method` must be a string, found an array", (15, 17));
    fails(&with("      call: jobs.run\n", "      steps: [{name: a}]\n"), "orchestrates `steps`", (50, 14));
}

#[test]
fn the_server_warns_of_what_it_leaves_out_and_refuses_bytes() {
    let http = with("transport: stdio", "transport: http").replace(
        "      call: jobs.run\n",
        "      call: jobs.run\n      outputParameters: [{type: object, mapping: $.id}]\n",
    );
    let (docs, _) = Documents::from_text("cap.yaml", &http).expect("parses");
    let checked = check(&http).unwrap_or_else(|d| panic!("{d}"));
    let server = mcp::emit(&checked.resolved, &Source::new(&docs), &McpOptions::new("jobs-mcp"), checked.warnings)
        .unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = server.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "cap.yaml:41:16: warning: the generated server speaks MCP over stdio; `transport: http` is not served (at #/capability/exposes/1/transport)",
            "cap.yaml:51:50: warning: output mapping `$.id` is not applied: tool `run-job` answers with the whole response (at #/capability/exposes/1/tools/1/outputParameters/0/mapping)",
        ]
    );
    assert!(server.files.iter().any(|f| f.path == "client/src/operations.rs"));

    let logs = with("    - path: /projects/{projectId}/jobs/{jobId}/runs\n", "    - path: /projects/{projectId}/logs\n      operations:\n      - {name: logs, method: GET, inputParameters: [{name: projectId, in: path}]}\n    - path: /projects/{projectId}/jobs/{jobId}/runs\n")
        .replace("      call: jobs.run\n", "      call: jobs.logs\n");
    let (docs, _) = Documents::from_text("cap.yaml", &logs).expect("parses");
    let checked = check(&logs).unwrap_or_else(|d| panic!("{d}"));
    let refused = mcp::emit(&checked.resolved, &Source::new(&docs), &McpOptions::new("jobs-mcp"), checked.warnings)
        .expect_err("a tool answering with bytes is refused");
    let first = refused.iter().next().expect("an error").to_string();
    assert!(
        first
            .contains("tool `run-job` cannot be served: `GET /projects/{projectId}/logs` (getLogs) answers with bytes"),
        "{first}"
    );
}

#[test]
fn double_braces_and_non_ascii_paths_are_read_without_harm() {
    // Naftiko writes `{{param}}`; it reads as `{param}`.
    let doubled =
        with("- path: /projects/{projectId}/jobs/{jobId}/runs", "- path: /projects/{{projectId}}/jobs/{{jobId}}/runs");
    check(&doubled).unwrap_or_else(|d| panic!("{d}"));
    let d = fails(
        &with("- path: /projects/{projectId}/jobs/{jobId}/runs", "- path: /projects/{{projectId}}/jöbs/{{jobId}}/rüns"),
        "no operation `POST /projects/{projectId}/jöbs/{jobId}/rüns`",
        (25, 13),
    );
    assert!(help(&d).contains("(startJobRun)"), "{}", help(&d));
}
