//! The checked-in list of differences we keep on purpose, each with its reason
//! (`schema/northflank-typings-deviations.yaml`).
//!
//! ```yaml
//! package: '@northflank/js-client@0.9.5'
//! deviations:
//!   - endpoints: [GetJobRun, GetJobRuns]
//!     in: response            # endpoint | query | body | response
//!     field: data.concludedAt # `data.runs[].id`, `runtimeFiles{}.data`; empty for the root
//!     difference: required    # missing | extra | type | values | required | nullable | ...
//!     reason: Absent while the run is still going.
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use clientgen::load::{Documents, Node};

use super::compare::{Difference, Place, What};
use clientgen::wire::FieldPath;

/// One listed difference, for one or more endpoints.
#[derive(Clone, Debug)]
pub struct Entry {
    pub endpoints: Vec<String>,
    pub place: Place,
    pub field: String,
    pub what: What,
    pub reason: String,
    /// `file:line:col` of the entry.
    pub origin: String,
}

/// The list.
#[derive(Clone, Debug)]
pub struct Allowlist {
    /// The typings package it was written against.
    pub package: String,
    pub entries: Vec<Entry>,
}

/// Read and check the list; errors are located.
pub fn load(path: &Path) -> Result<Allowlist, Vec<String>> {
    let (docs, _) = Documents::load(path).map_err(|d| vec![d.to_string()])?;
    let file = docs.root();
    let root = &docs.doc(file).root;
    let at = |n: &Node| docs.location(file, n.span).to_string();
    let mut errors = Vec::new();
    let package = root.get("package").and_then(Node::as_str).unwrap_or_default().to_string();
    if package.is_empty() {
        errors.push(format!("{}: `package` (the typings the list was checked against) is missing", at(root)));
    }
    let mut entries = Vec::new();
    for item in root.get("deviations").and_then(Node::as_array).unwrap_or_default() {
        let text = |k: &str| item.get(k).and_then(Node::as_str).map(str::trim).unwrap_or_default().to_string();
        let endpoints: Vec<String> = match item.get("endpoints") {
            Some(n) if n.as_str().is_some() => vec![text("endpoints")],
            Some(n) => n.as_array().unwrap_or_default().iter().filter_map(Node::as_str).map(str::to_owned).collect(),
            None => Vec::new(),
        };
        let place = Place::ALL.into_iter().find(|p| p.name() == text("in"));
        let what = What::ALL.into_iter().find(|w| w.name() == text("difference"));
        let reason = text("reason");
        let mut problems = Vec::new();
        if endpoints.is_empty() {
            problems.push("no `endpoints`");
        }
        if place.is_none() {
            problems.push("`in` is not one of endpoint, query, body, response");
        }
        if what.is_none() {
            problems.push("`difference` is not a known kind");
        }
        if reason.is_empty() {
            problems.push("no `reason`");
        }
        let field = text("field");
        if FieldPath::parse(&field).to_string() != field {
            problems.push("`field` is not written as `a.b[].c{}`");
        }
        if let (true, Some(place), Some(what)) = (problems.is_empty(), place, what) {
            entries.push(Entry { endpoints, place, field, what, reason, origin: at(item) });
        } else {
            errors.push(format!("{}: {}", at(item), problems.join("; ")));
        }
    }
    if errors.is_empty() { Ok(Allowlist { package, entries }) } else { Err(errors) }
}

/// What the list says of the differences found.
#[derive(Debug, Default)]
pub struct Verdict<'a> {
    /// Found and listed.
    pub listed: Vec<(&'a Difference, &'a Entry)>,
    /// Found, not listed.
    pub unlisted: Vec<&'a Difference>,
    /// Found and listed, but ours is stricter on a response: no reason excuses that.
    pub inexcusable: Vec<&'a Difference>,
    /// Listed for an endpoint, not found there (the entry is stale).
    pub stale: Vec<(&'a Entry, String)>,
}

/// Match the differences against the list.
pub fn judge<'a>(diffs: &'a [Difference], list: &'a Allowlist) -> Verdict<'a> {
    let mut v = Verdict::default();
    let mut used = BTreeSet::new();
    for d in diffs {
        let key = d.key();
        let entry = list
            .entries
            .iter()
            .enumerate()
            .find(|(_, e)| e.endpoints.contains(&key.0) && e.place == key.1 && e.field == key.2 && e.what == key.3);
        match entry {
            Some((i, e)) => {
                used.insert((i, key.0.clone()));
                if d.forbidden {
                    v.inexcusable.push(d);
                } else {
                    v.listed.push((d, e));
                }
            }
            None if d.forbidden => v.inexcusable.push(d),
            None => v.unlisted.push(d),
        }
    }
    for (i, e) in list.entries.iter().enumerate() {
        for endpoint in &e.endpoints {
            if !used.contains(&(i, endpoint.clone())) {
                v.stale.push((e, endpoint.clone()));
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(endpoint: &str, field: &str, what: What, forbidden: bool) -> Difference {
        Difference {
            endpoint: endpoint.into(),
            place: Place::Response,
            field: FieldPath::parse(field),
            what,
            detail: String::new(),
            origin: None,
            forbidden,
        }
    }

    fn list(text: &str) -> Result<Allowlist, Vec<String>> {
        let dir = std::env::temp_dir().join(format!("xtask-allowlist-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("list.yaml");
        std::fs::write(&path, text).unwrap();
        load(&path)
    }

    #[test]
    fn listed_unlisted_stale_and_inexcusable() {
        let l = list(
            "package: p@1\ndeviations:\n  - endpoints: [A, B]\n    in: response\n    field: data.x\n    difference: required\n    reason: because\n  - endpoints: A\n    in: response\n    field: data.y\n    difference: nullable\n    reason: no\n",
        )
        .unwrap();
        let diffs = [
            diff("A", "data.x", What::Required, false),
            diff("C", "data.x", What::Required, false),
            diff("A", "data.y", What::Nullable, true),
        ];
        let v = judge(&diffs, &l);
        assert_eq!(v.listed.len(), 1);
        assert_eq!(v.unlisted.iter().map(|d| d.endpoint.as_str()).collect::<Vec<_>>(), ["C"]);
        assert_eq!(v.inexcusable.len(), 1);
        assert_eq!(v.stale.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>(), ["B"]);
    }

    #[test]
    fn a_bad_entry_is_located() {
        let errors = list("package: p@1\ndeviations:\n  - endpoints: [A]\n    in: header\n    difference: required\n")
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains(":3:5:"), "{errors:?}");
        assert!(errors[0].contains("`in`") && errors[0].contains("no `reason`"), "{errors:?}");
    }
}
