//! `clientgen diff`: one schema change per case, each with the wire and Rust verdicts it must
//! give and the rules it must name. Every case starts from one small API and edits its text.

use std::path::PathBuf;

use clientgen::diff::{self, Report};

/// The API every case starts from: a list, a create and a get of jobs.
const BASE: &str = r"openapi: 3.1.0
info: {title: Jobs, version: '1'}
servers:
  - url: https://api.example.com/v1
security: [{bearer: []}]
paths:
  /jobs:
    get:
      operationId: listJobs
      summary: Lists jobs.
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: kind, in: query, schema: {type: string, enum: [x, y]}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/JobPage'}}}
    post:
      operationId: createJob
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/JobRequest'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
  /jobs/{jobId}:
    get:
      operationId: getJob
      parameters: [{name: jobId, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    JobPage:
      type: object
      required: [jobs]
      properties:
        jobs: {type: array, items: {$ref: '#/components/schemas/Job'}}
    Job:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {type: string, enum: [RUNNING, DONE]}
        count: {type: integer}
        note: {type: string}
    JobRequest:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer}
        kind: {type: string, enum: [a, b]}
";

/// The base with cursor pagination on `listJobs`.
fn paginated() -> String {
    edit(
        BASE,
        &[
            (
                "        - {name: limit, in: query, schema: {type: integer}}",
                "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: cursor, in: query, schema: {type: string}}",
            ),
            (
                "        jobs: {type: array, items: {$ref: '#/components/schemas/Job'}}",
                "        jobs: {type: array, items: {$ref: '#/components/schemas/Job'}}\n        next_cursor: {type: string}",
            ),
        ],
    )
}

/// `text` with each `(find, replace)` applied; each `find` must occur exactly once.
fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (find, replace) in edits {
        assert_eq!(out.matches(find).count(), 1, "`{find}` must occur once");
        out = out.replacen(find, replace, 1);
    }
    out
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Diff `old` against `new`.
fn report(case: &str, old: &str, new: &str) -> Report {
    let dir = std::env::temp_dir().join(format!("clientgen-diff-{}-{case}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (o, n) = (write(&dir, "old.yaml", old), write(&dir, "new.yaml", new));
    let report = diff::diff(&o, &n, "jobs").unwrap_or_else(|d| panic!("{case}: {d}"));
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Check one case: its verdicts, and that every rule in `kinds` is among its changes.
fn check(case: &str, old: &str, new: &str, wire: &str, rust: &str, kinds: &[&str]) {
    let r = report(case, old, new);
    let shown = diff::text(&r);
    assert_eq!((r.wire().name(), r.rust().name()), (wire, rust), "{case}:\n{shown}");
    for kind in kinds {
        assert!(r.changes.iter().any(|c| c.kind == *kind), "{case}: no `{kind}` change:\n{shown}");
    }
}

/// A case that edits the base into the new document.
fn case(case: &str, edits: &[(&str, &str)], wire: &str, rust: &str, kinds: &[&str]) {
    check(case, BASE, &edit(BASE, edits), wire, rust, kinds);
}

const LIMIT: &str = "        - {name: limit, in: query, schema: {type: integer}}";
const KIND_PARAM: &str = "        - {name: kind, in: query, schema: {type: string, enum: [x, y]}}";
const SIZE: &str = "        size: {type: integer}";
const REQ_KIND: &str = "        kind: {type: string, enum: [a, b]}";
const REQUEST_REQUIRED: &str = "      required: [name]";
const COUNT: &str = "        count: {type: integer}";
const STATUS: &str = "        status: {type: string, enum: [RUNNING, DONE]}";
const JOB_REQUIRED: &str = "      required: [id, status]";

#[test]
fn no_change_is_non_breaking_and_a_patch() {
    check("same", BASE, BASE, "non-breaking", "patch", &[]);
    // Words only.
    case(
        "summary",
        &[("      summary: Lists jobs.", "      summary: Lists the jobs of the project.")],
        "non-breaking",
        "patch",
        &[],
    );
}

#[test]
fn operations() {
    let get = "  /jobs/{jobId}:\n    get:\n      operationId: getJob\n      parameters: [{name: jobId, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}\n";
    case("endpoint removed", &[(get, "")], "breaking", "major", &["endpoint-removed", "function-removed"]);
    check(
        "endpoint added",
        &edit(BASE, &[(get, "")]),
        BASE,
        "non-breaking",
        "minor",
        &["endpoint-added", "item-added"],
    );
    case(
        "operation renamed",
        &[("operationId: getJob", "operationId: fetchJob")],
        "non-breaking",
        "major",
        &["item-renamed"],
    );
    case(
        "deprecated",
        &[("      operationId: getJob", "      operationId: getJob\n      deprecated: true")],
        "non-breaking",
        "patch",
        &["endpoint-deprecated"],
    );
    // Moving `/v1` from the server into the paths is the same wire contract.
    let moved = edit(
        BASE,
        &[
            ("  - url: https://api.example.com/v1", "  - url: https://api.example.com"),
            ("  /jobs:\n", "  /v1/jobs:\n"),
            ("  /jobs/{jobId}:", "  /v1/jobs/{jobId}:"),
        ],
    );
    let r = report("path moved", BASE, &moved);
    assert!(!r.changes.iter().any(|c| c.kind.starts_with("endpoint")), "{}", diff::text(&r));
    assert_eq!(r.wire().name(), "non-breaking", "{}", diff::text(&r));
}

#[test]
fn parameters() {
    case(
        "new required parameter",
        &[(
            LIMIT,
            "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: team, in: query, required: true, schema: {type: string}}",
        )],
        "breaking",
        "major",
        &["new-required-request-parameter"],
    );
    case(
        "new optional parameter",
        &[(
            LIMIT,
            "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: team, in: query, schema: {type: string}}",
        )],
        "non-breaking",
        "major",
        &["new-optional-request-parameter", "field-added-to-exhaustive-struct"],
    );
    case("parameter removed", &[(LIMIT, "")], "breaking", "major", &["request-parameter-removed", "field-removed"]);
    case(
        "parameter became required",
        &[(LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}")],
        "breaking",
        "major",
        &["request-became-required"],
    );
    case(
        "parameter type changed",
        &[(LIMIT, "        - {name: limit, in: query, schema: {type: string}}")],
        "breaking",
        "major",
        &["request-type-changed", "field-type-changed"],
    );
    case(
        "parameter value removed",
        &[(KIND_PARAM, "        - {name: kind, in: query, schema: {type: string, enum: [x]}}")],
        "breaking",
        "major",
        &["request-enum-value-removed", "variant-removed"],
    );
    case(
        "parameter value added",
        &[(KIND_PARAM, "        - {name: kind, in: query, schema: {type: string, enum: [x, y, z]}}")],
        "non-breaking",
        "major",
        &["request-enum-value-added", "variant-added-to-exhaustive-enum"],
    );
    case(
        "header parameter added",
        &[(
            LIMIT,
            "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: X-Request-Id, in: header, required: true, schema: {type: string}}",
        )],
        "breaking",
        "major",
        &["new-required-request-parameter"],
    );
}

#[test]
fn request_bodies() {
    case(
        "new required request field",
        &[
            (SIZE, "        size: {type: integer}\n        owner: {type: string}"),
            (REQUEST_REQUIRED, "      required: [name, owner]"),
        ],
        "breaking",
        "major",
        &["new-required-request-property"],
    );
    case(
        "new optional request field",
        &[(SIZE, "        size: {type: integer}\n        owner: {type: string}")],
        "non-breaking",
        "major",
        &["new-optional-request-property", "field-added-to-exhaustive-struct"],
    );
    case(
        "request field removed",
        &[(SIZE, "")],
        "possibly-breaking",
        "major",
        &["request-property-removed", "field-removed"],
    );
    case(
        "request field removed from a closed object",
        &[(SIZE, ""), (REQUEST_REQUIRED, "      required: [name]\n      additionalProperties: false")],
        "breaking",
        "major",
        &["request-property-removed"],
    );
    case(
        "request field became required",
        &[(REQUEST_REQUIRED, "      required: [name, size]")],
        "breaking",
        "major",
        &["request-became-required", "field-became-required"],
    );
    case(
        "request field became optional",
        &[(REQUEST_REQUIRED, "      required: []")],
        "non-breaking",
        "major",
        &["request-became-optional", "field-became-optional"],
    );
    case(
        "request field may be null",
        &[(SIZE, "        size: {type: [integer, 'null']}")],
        "non-breaking",
        "major",
        &["request-became-nullable"],
    );
    let nullable = edit(BASE, &[(SIZE, "        size: {type: [integer, 'null']}")]);
    check("request field no longer nullable", &nullable, BASE, "breaking", "major", &["request-no-longer-nullable"]);
    case(
        "request integer widened to number",
        &[(SIZE, "        size: {type: number}")],
        "non-breaking",
        "major",
        &["request-type-changed", "field-type-changed"],
    );
    let number = edit(BASE, &[(SIZE, "        size: {type: number}")]);
    check("request number narrowed to integer", &number, BASE, "breaking", "major", &["request-type-changed"]);
    case(
        "request format added",
        &[("        name: {type: string}", "        name: {type: string, format: date-time}")],
        "possibly-breaking",
        "major",
        &["request-format-changed"],
    );
    case(
        "request value added",
        &[(REQ_KIND, "        kind: {type: string, enum: [a, b, c]}")],
        "non-breaking",
        "major",
        &["request-enum-value-added"],
    );
    case(
        "request value removed",
        &[(REQ_KIND, "        kind: {type: string, enum: [a]}")],
        "breaking",
        "major",
        &["request-enum-value-removed"],
    );
    case(
        "request object closed",
        &[(REQUEST_REQUIRED, "      required: [name]\n      additionalProperties: false")],
        "possibly-breaking",
        "patch",
        &["request-additional-properties-closed"],
    );
    case(
        "request body became optional",
        &[("requestBody: {required: true,", "requestBody: {required: false,")],
        "non-breaking",
        "major",
        &["request-became-optional", "signature-changed"],
    );
    let optional_body = edit(BASE, &[("requestBody: {required: true,", "requestBody: {required: false,")]);
    check("request body became required", &optional_body, BASE, "breaking", "major", &["request-became-required"]);
}

#[test]
fn responses() {
    case(
        "response field added",
        &[(COUNT, "        count: {type: integer}\n        owner: {type: string}")],
        "non-breaking",
        "major",
        &["response-property-added", "field-added-to-exhaustive-struct"],
    );
    case(
        "required response field removed",
        &[("        id: {type: string}\n", ""), (JOB_REQUIRED, "      required: [status]")],
        "breaking",
        "major",
        &["response-required-property-removed"],
    );
    case(
        "optional response field removed",
        &[(COUNT, "")],
        "possibly-breaking",
        "major",
        &["response-optional-property-removed"],
    );
    case(
        "response field became optional",
        &[(JOB_REQUIRED, "      required: [id]")],
        "breaking",
        "major",
        &["response-became-optional", "field-became-optional"],
    );
    case(
        "response field became required",
        &[(JOB_REQUIRED, "      required: [id, status, count]")],
        "non-breaking",
        "major",
        &["response-became-required", "field-became-required"],
    );
    case(
        "response field may be null",
        &[(COUNT, "        count: {type: [integer, 'null']}")],
        "breaking",
        "major",
        &["response-became-nullable"],
    );
    case(
        "response value added",
        &[(STATUS, "        status: {type: string, enum: [RUNNING, DONE, FAILED]}")],
        "possibly-breaking",
        "major",
        &["response-enum-value-added", "variant-added-to-exhaustive-enum"],
    );
    case(
        "response value removed",
        &[(STATUS, "        status: {type: string, enum: [RUNNING]}")],
        "non-breaking",
        "major",
        &["response-enum-value-removed", "variant-removed"],
    );
    case(
        "response integer widened to number",
        &[(COUNT, "        count: {type: number}")],
        "breaking",
        "major",
        &["response-type-changed"],
    );
    let number = edit(BASE, &[(COUNT, "        count: {type: number}")]);
    check("response number narrowed to integer", &number, BASE, "non-breaking", "major", &["response-type-changed"]);
    case(
        "response format changed",
        &[("        note: {type: string}", "        note: {type: string, format: uuid}")],
        "possibly-breaking",
        "major",
        &["response-format-changed"],
    );
    case(
        "response field deprecated",
        &[("        note: {type: string}", "        note: {type: string, deprecated: true}")],
        "non-breaking",
        "patch",
        &["response-deprecated"],
    );
}

#[test]
fn types_and_names() {
    let renamed = edit(
        BASE,
        &[
            ("    JobRequest:\n", "    NewJob:\n"),
            ("schema: {$ref: '#/components/schemas/JobRequest'}", "schema: {$ref: '#/components/schemas/NewJob'}"),
        ],
    );
    check("component renamed", BASE, &renamed, "non-breaking", "major", &["item-renamed"]);
    // An unrelated addition renames nothing: the old names all stay.
    let added = edit(
        BASE,
        &[(
            "components:\n",
            "  /teams:\n    get:\n      operationId: listTeams\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {teams: {type: array, items: {type: object, properties: {id: {type: string}}}}}}}}\ncomponents:\n",
        )],
    );
    let r = report("unrelated addition", BASE, &added);
    assert_eq!(r.rust().name(), "minor", "{}", diff::text(&r));
    assert!(r.changes.iter().all(|c| c.kind.ends_with("added")), "{}", diff::text(&r));
}

#[test]
fn security_servers_and_pagination() {
    case("security removed", &[("security: [{bearer: []}]\n", "")], "non-breaking", "patch", &["security-removed"]);
    let open = edit(BASE, &[("security: [{bearer: []}]\n", "")]);
    check("security added", &open, BASE, "breaking", "patch", &["security-added"]);
    case(
        "other credentials",
        &[
            ("security: [{bearer: []}]", "security: [{key: []}]"),
            (
                "    bearer: {type: http, scheme: bearer}",
                "    bearer: {type: http, scheme: bearer}\n    key: {type: apiKey, in: header, name: X-Key}",
            ),
        ],
        "possibly-breaking",
        "patch",
        &["security-changed"],
    );
    case(
        "host moved",
        &[("  - url: https://api.example.com/v1", "  - url: https://jobs.example.com/v1")],
        "breaking",
        "patch",
        &["server-removed", "server-added", "default-server-changed"],
    );
    case(
        "server added",
        &[(
            "  - url: https://api.example.com/v1\n",
            "  - url: https://api.example.com/v1\n  - url: https://eu.example.com/v1\n",
        )],
        "non-breaking",
        "minor",
        &["server-added", "item-added"],
    );
    check(
        "pagination added",
        BASE,
        &paginated(),
        "non-breaking",
        "major",
        &["pagination-added", "new-optional-request-parameter"],
    );
    check("pagination removed", &paginated(), BASE, "breaking", "major", &["pagination-removed", "function-removed"]);
}

#[test]
fn the_json_form_has_both_verdicts_and_located_changes() {
    let r = report("json", BASE, &edit(BASE, &[(LIMIT, "")]));
    let j = diff::json(&r);
    assert_eq!(j["wire"], "breaking");
    assert_eq!(j["rust"], "major");
    let removed = j["changes"].as_array().unwrap().iter().find(|c| c["kind"] == "request-parameter-removed").unwrap();
    assert_eq!(removed["scope"], "wire");
    assert_eq!(removed["location"]["document"], "old");
    assert_eq!(removed["location"]["pointer"], "#/paths/~1jobs/get/parameters/0");
    assert!(removed["location"]["place"].as_str().unwrap().ends_with("old.yaml:12:11"), "{removed}");
    assert!(removed["message"].as_str().unwrap().contains("`query limit`"), "{removed}");
}
