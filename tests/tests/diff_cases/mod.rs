//! The schema changes `clientgen diff` is tested on, shared by the test of its verdicts
//! (`diff.rs`) and the comparison with cargo-semver-checks (`semver_checks.rs`). Each case
//! starts from one small API and edits its text; a group of cases is a function that hands
//! each case to `check`.

/// Checks one case: its name, the old and new documents, the wire and Rust verdicts it must
/// give, and the rules it must name.
pub type Check<'a> = &'a dyn Fn(&str, &str, &str, &str, &str, &[&str]);

/// The API every case starts from: a list, a create and a get of jobs.
pub const BASE: &str = r"openapi: 3.1.0
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
pub fn paginated() -> String {
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
pub fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (find, replace) in edits {
        assert_eq!(out.matches(find).count(), 1, "`{find}` must occur once");
        out = out.replacen(find, replace, 1);
    }
    out
}

/// A case that edits the base into the new document.
fn case(check: Check<'_>, name: &str, edits: &[(&str, &str)], wire: &str, rust: &str, kinds: &[&str]) {
    check(name, BASE, &edit(BASE, edits), wire, rust, kinds);
}

pub const LIMIT: &str = "        - {name: limit, in: query, schema: {type: integer}}";
pub const KIND_PARAM: &str = "        - {name: kind, in: query, schema: {type: string, enum: [x, y]}}";
pub const SIZE: &str = "        size: {type: integer}";
pub const REQ_KIND: &str = "        kind: {type: string, enum: [a, b]}";
pub const REQUEST_REQUIRED: &str = "      required: [name]";
pub const COUNT: &str = "        count: {type: integer}";
pub const STATUS: &str = "        status: {type: string, enum: [RUNNING, DONE]}";
pub const JOB_REQUIRED: &str = "      required: [id, status]";

pub fn no_change_is_non_breaking_and_a_patch(check: Check<'_>) {
    check("same", BASE, BASE, "non-breaking", "patch", &[]);
    // Words only.
    case(
        check,
        "summary",
        &[("      summary: Lists jobs.", "      summary: Lists the jobs of the project.")],
        "non-breaking",
        "patch",
        &[],
    );
}

pub fn operations(check: Check<'_>) {
    let get = "  /jobs/{jobId}:\n    get:\n      operationId: getJob\n      parameters: [{name: jobId, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}\n";
    case(check, "endpoint removed", &[(get, "")], "breaking", "major", &["endpoint-removed", "function-removed"]);
    check(
        "endpoint added",
        &edit(BASE, &[(get, "")]),
        BASE,
        "non-breaking",
        "minor",
        &["endpoint-added", "item-added"],
    );
    case(
        check,
        "operation renamed",
        &[("operationId: getJob", "operationId: fetchJob")],
        "non-breaking",
        "major",
        &["item-renamed"],
    );
    case(
        check,
        "deprecated",
        &[("      operationId: getJob", "      operationId: getJob\n      deprecated: true")],
        "non-breaking",
        "minor",
        &["endpoint-deprecated", "item-deprecated"],
    );
}

pub fn parameters(check: Check<'_>) {
    case(
        check,
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
        check,
        "new optional parameter",
        &[(
            LIMIT,
            "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: team, in: query, schema: {type: string}}",
        )],
        "non-breaking",
        "major",
        &["new-optional-request-parameter", "field-added-to-exhaustive-struct"],
    );
    case(
        check,
        "parameter removed",
        &[(LIMIT, "")],
        "breaking",
        "major",
        &["request-parameter-removed", "field-removed"],
    );
    case(
        check,
        "parameter became required",
        &[(LIMIT, "        - {name: limit, in: query, required: true, schema: {type: integer}}")],
        "breaking",
        "major",
        &["request-became-required"],
    );
    case(
        check,
        "parameter type changed",
        &[(LIMIT, "        - {name: limit, in: query, schema: {type: string}}")],
        "breaking",
        "major",
        &["request-type-changed", "field-type-changed"],
    );
    case(
        check,
        "parameter value removed",
        &[(KIND_PARAM, "        - {name: kind, in: query, schema: {type: string, enum: [x]}}")],
        "breaking",
        "major",
        &["request-enum-value-removed", "variant-removed"],
    );
    case(
        check,
        "parameter value added",
        &[(KIND_PARAM, "        - {name: kind, in: query, schema: {type: string, enum: [x, y, z]}}")],
        "non-breaking",
        "minor",
        &["request-enum-value-added", "variant-added"],
    );
    case(
        check,
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

pub fn request_bodies(check: Check<'_>) {
    case(
        check,
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
        check,
        "new optional request field",
        &[(SIZE, "        size: {type: integer}\n        owner: {type: string}")],
        "non-breaking",
        "major",
        &["new-optional-request-property", "field-added-to-exhaustive-struct"],
    );
    case(
        check,
        "request field removed",
        &[(SIZE, "")],
        "possibly-breaking",
        "major",
        &["request-property-removed", "field-removed"],
    );
    case(
        check,
        "request field removed from a closed object",
        &[(SIZE, ""), (REQUEST_REQUIRED, "      required: [name]\n      additionalProperties: false")],
        "breaking",
        "major",
        &["request-property-removed"],
    );
    case(
        check,
        "request field became required",
        &[(REQUEST_REQUIRED, "      required: [name, size]")],
        "breaking",
        "major",
        &["request-became-required", "field-became-required"],
    );
    case(
        check,
        "request field became optional",
        &[(REQUEST_REQUIRED, "      required: []")],
        "non-breaking",
        "major",
        &["request-became-optional", "field-became-optional"],
    );
    case(
        check,
        "request field may be null",
        &[(SIZE, "        size: {type: [integer, 'null']}")],
        "non-breaking",
        "major",
        &["request-became-nullable"],
    );
    let nullable = edit(BASE, &[(SIZE, "        size: {type: [integer, 'null']}")]);
    check("request field no longer nullable", &nullable, BASE, "breaking", "major", &["request-no-longer-nullable"]);
    case(
        check,
        "request integer widened to number",
        &[(SIZE, "        size: {type: number}")],
        "non-breaking",
        "major",
        &["request-type-changed", "field-type-changed"],
    );
    let number = edit(BASE, &[(SIZE, "        size: {type: number}")]);
    check("request number narrowed to integer", &number, BASE, "breaking", "major", &["request-type-changed"]);
    case(
        check,
        "request format added",
        &[("        name: {type: string}", "        name: {type: string, format: date-time}")],
        "possibly-breaking",
        "major",
        &["request-format-changed"],
    );
    case(
        check,
        "request value added",
        &[(REQ_KIND, "        kind: {type: string, enum: [a, b, c]}")],
        "non-breaking",
        "minor",
        &["request-enum-value-added"],
    );
    case(
        check,
        "request value removed",
        &[(REQ_KIND, "        kind: {type: string, enum: [a]}")],
        "breaking",
        "major",
        &["request-enum-value-removed"],
    );
    case(
        check,
        "request object closed",
        &[(REQUEST_REQUIRED, "      required: [name]\n      additionalProperties: false")],
        "possibly-breaking",
        "patch",
        &["request-additional-properties-closed"],
    );
    case(
        check,
        "request body became optional",
        &[("requestBody: {required: true,", "requestBody: {required: false,")],
        "non-breaking",
        "major",
        &["request-became-optional", "signature-changed"],
    );
    let optional_body = edit(BASE, &[("requestBody: {required: true,", "requestBody: {required: false,")]);
    check("request body became required", &optional_body, BASE, "breaking", "major", &["request-became-required"]);
}

pub fn responses(check: Check<'_>) {
    case(
        check,
        "response field added",
        &[(COUNT, "        count: {type: integer}\n        owner: {type: string}")],
        "non-breaking",
        "minor",
        &["response-property-added", "field-added"],
    );
    case(
        check,
        "required response field removed",
        &[("        id: {type: string}\n", ""), (JOB_REQUIRED, "      required: [status]")],
        "breaking",
        "major",
        &["response-required-property-removed"],
    );
    case(
        check,
        "optional response field removed",
        &[(COUNT, "")],
        "possibly-breaking",
        "major",
        &["response-optional-property-removed"],
    );
    case(
        check,
        "response field became optional",
        &[(JOB_REQUIRED, "      required: [id]")],
        "breaking",
        "major",
        &["response-became-optional", "field-became-optional"],
    );
    case(
        check,
        "response field became required",
        &[(JOB_REQUIRED, "      required: [id, status, count]")],
        "non-breaking",
        "major",
        &["response-became-required", "field-became-required"],
    );
    case(
        check,
        "response field may be null",
        &[(COUNT, "        count: {type: [integer, 'null']}")],
        "breaking",
        "major",
        &["response-became-nullable"],
    );
    case(
        check,
        "response value added",
        &[(STATUS, "        status: {type: string, enum: [RUNNING, DONE, FAILED]}")],
        "possibly-breaking",
        "minor",
        &["response-enum-value-added", "variant-added"],
    );
    case(
        check,
        "response value removed",
        &[(STATUS, "        status: {type: string, enum: [RUNNING]}")],
        "non-breaking",
        "major",
        &["response-enum-value-removed", "variant-removed"],
    );
    case(
        check,
        "response integer widened to number",
        &[(COUNT, "        count: {type: number}")],
        "breaking",
        "major",
        &["response-type-changed"],
    );
    let number = edit(BASE, &[(COUNT, "        count: {type: number}")]);
    check("response number narrowed to integer", &number, BASE, "non-breaking", "major", &["response-type-changed"]);
    case(
        check,
        "response format changed",
        &[("        note: {type: string}", "        note: {type: string, format: uuid}")],
        "possibly-breaking",
        "major",
        &["response-format-changed"],
    );
    case(
        check,
        "response field deprecated",
        &[("        note: {type: string}", "        note: {type: string, deprecated: true}")],
        "non-breaking",
        "patch",
        &["response-deprecated"],
    );
}

pub fn types_and_names(check: Check<'_>) {
    let renamed = edit(
        BASE,
        &[
            ("    JobRequest:\n", "    NewJob:\n"),
            ("schema: {$ref: '#/components/schemas/JobRequest'}", "schema: {$ref: '#/components/schemas/NewJob'}"),
        ],
    );
    check("component renamed", BASE, &renamed, "non-breaking", "major", &["item-renamed"]);
}

pub fn security_servers_and_pagination(check: Check<'_>) {
    case(
        check,
        "security removed",
        &[("security: [{bearer: []}]\n", "")],
        "non-breaking",
        "patch",
        &["security-removed"],
    );
    let open = edit(BASE, &[("security: [{bearer: []}]\n", "")]);
    check("security added", &open, BASE, "breaking", "patch", &["security-added"]);
    case(
        check,
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
        check,
        "host moved",
        &[("  - url: https://api.example.com/v1", "  - url: https://jobs.example.com/v1")],
        "breaking",
        "patch",
        &["server-removed", "server-added", "default-server-changed"],
    );
    case(
        check,
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
