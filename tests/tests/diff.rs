//! `clientgen diff`: one schema change per case (`diff_cases`), each with the wire and Rust
//! verdicts it must give and the rules it must name.

mod diff_cases;

use std::path::PathBuf;

use clientgen::diff::{self, Report};
use diff_cases::{BASE, LIMIT, edit};

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

#[test]
fn no_change_is_non_breaking_and_a_patch() {
    diff_cases::no_change_is_non_breaking_and_a_patch(&check);
}

#[test]
fn operations() {
    diff_cases::operations(&check);
}

#[test]
fn moving_v1_from_the_server_into_the_paths_changes_nothing_on_the_wire() {
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
    diff_cases::parameters(&check);
}

#[test]
fn request_bodies() {
    diff_cases::request_bodies(&check);
}

#[test]
fn responses() {
    diff_cases::responses(&check);
}

#[test]
fn types_and_names() {
    diff_cases::types_and_names(&check);
}

#[test]
fn an_unrelated_addition_renames_nothing() {
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
    diff_cases::security_servers_and_pagination(&check);
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
