//! The report as text for people and as JSON for tools.

use std::fmt::Write as _;

use serde_json::json;

use super::{Location, Report};

/// One line per change under its analysis, then the two verdicts.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for scope in ["wire", "rust"] {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.level.scope() == scope).collect();
        let _ = writeln!(out, "{scope}: {} change{}", changes.len(), if changes.len() == 1 { "" } else { "s" });
        for c in changes {
            // An item's path is already in its message; the place in a document behind it is not.
            let at = match (&c.location, &c.source) {
                (Some(Location::Item(_)) | None, None) => String::new(),
                (Some(Location::Item(_)) | None, Some(source)) => format!(" at {source}"),
                (Some(l), _) => format!(" at {l}"),
            };
            let _ = writeln!(out, "  {:<17} {}: {}{at}", c.level.name(), c.kind, c.message);
        }
    }
    let _ = writeln!(out, "verdict: wire {}, rust {}", report.wire().name(), report.rust().name());
    out
}

/// `{"wire": "...", "rust": "...", "changes": [{"scope", "level", "kind", "location", "message"}]}`;
/// a Rust change's location is `{"item", "document", "place", "pointer"}`.
pub fn json(report: &Report) -> serde_json::Value {
    let changes: Vec<_> = report
        .changes
        .iter()
        .map(|c| {
            let place = |l: &Location| match l {
                Location::Old(o) => json!({"document": "old", "place": o.place, "pointer": o.pointer}),
                Location::New(o) => json!({"document": "new", "place": o.place, "pointer": o.pointer}),
                Location::Item(path) => json!({"item": path}),
            };
            // A crate item with the place in a document behind it: one object with both.
            let mut location = c.location.as_ref().map_or(serde_json::Value::Null, place);
            if let (Some(object), Some(source)) = (location.as_object_mut(), c.source.as_ref().map(place)) {
                object.extend(source.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
            }
            json!({
                "scope": c.level.scope(),
                "level": c.level.name(),
                "kind": c.kind,
                "location": location,
                "message": c.message,
            })
        })
        .collect();
    json!({"wire": report.wire().name(), "rust": report.rust().name(), "changes": changes})
}
