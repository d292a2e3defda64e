//! Wire-level changes, oasdiff's model: what a client sends may only widen, what it receives
//! may only narrow. Integers are numbers that must be whole, so `integer` → `number` widens.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Level, Location, WireLevel};
use crate::ir::Api;
use crate::load::Documents;
use crate::lower::Cursor;
use crate::wire::{self, Additional, Endpoint, Field, FieldPath, Kind, Origin, Shape};

use WireLevel::{Breaking, NonBreaking, PossiblyBreaking};

/// Which way a value travels.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Query or header parameters: sent by the client.
    Parameter,
    /// The request body: sent by the client.
    Request,
    /// The response body: received by the client.
    Response,
}

impl Way {
    fn noun(self) -> &'static str {
        match self {
            Way::Parameter => "request-parameter",
            Way::Request => "request-property",
            Way::Response => "response-property",
        }
    }
}

/// Every wire-level change from `old` to `new`.
pub(super) fn compare(old: &Documents, new: &Documents) -> Vec<Change> {
    let mut out = Vec::new();
    servers(old, new, &mut out);
    // An operation is the same one where it keeps its method and any of its full paths: moving
    // `/v1` from the paths into the servers changes nothing on the wire.
    let old_eps = wire::endpoints(old);
    let new_eps = wire::endpoints(new);
    let twin = |e: &Endpoint, among: &[Endpoint]| -> Option<usize> {
        among.iter().position(|x| x.method == e.method && x.forms.iter().any(|f| e.forms.contains(f)))
    };
    let mut matched = BTreeSet::new();
    for o in &old_eps {
        match twin(o, &new_eps) {
            None => out.push(change(
                Breaking,
                "endpoint-removed",
                old_at(&o.origin),
                format!("{} {} was removed", o.method, show_forms(o)),
            )),
            Some(i) => {
                matched.insert(i);
                endpoint(o, &new_eps[i], &mut out);
            }
        }
    }
    for (i, n) in new_eps.iter().enumerate() {
        if !matched.contains(&i) {
            out.push(change(
                NonBreaking,
                "endpoint-added",
                new_at(&n.origin),
                format!("{} {} was added", n.method, show_forms(n)),
            ));
        }
    }
    out
}

fn show_forms(e: &Endpoint) -> String {
    e.forms.first().cloned().unwrap_or_else(|| e.path.clone())
}

/// Pagination gained or lost, by operation: what the generated streams follow.
pub(super) fn pagination(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let paged = |api: &Api| -> BTreeMap<String, bool> {
        api.operations.iter().map(|o| (o.id.clone(), o.pagination.is_some())).collect()
    };
    let (before, after) = (paged(old), paged(new));
    for (id, was) in &before {
        match after.get(id) {
            Some(true) if !was => {
                out.push(change(NonBreaking, "pagination-added", None, format!("`{id}` is cursor-paginated now")))
            }
            Some(false) if *was => out.push(change(
                Breaking,
                "pagination-removed",
                None,
                format!("`{id}` is no longer cursor-paginated: clients that follow its cursor stop after one page"),
            )),
            _ => {}
        }
    }
}

fn change(level: WireLevel, kind: &'static str, location: Option<Location>, message: String) -> Change {
    Change { level: Level::Wire(level), kind, location, source: None, message }
}

fn old_at(o: &Option<Origin>) -> Option<Location> {
    o.clone().map(Location::Old)
}

fn new_at(o: &Option<Origin>) -> Option<Location> {
    o.clone().map(Location::New)
}

/// The hosts of the root servers (their paths are compared as part of each operation's paths):
/// a removed host breaks clients that use it; a new default moves them all.
fn servers(old: &Documents, new: &Documents, out: &mut Vec<Change>) {
    let urls = |docs: &Documents| -> Vec<(String, Origin)> {
        let root = Cursor::new(docs.root(), &docs.doc(docs.root()).root, String::new());
        root.child("servers")
            .map(|s| s.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|s| {
                let url = s.str("url")?;
                let url = match url.split_once("://") {
                    Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or_default()),
                    None => String::new(),
                };
                Some((url, Origin::of(docs, s)))
            })
            .collect()
    };
    let (before, after) = (urls(old), urls(new));
    let after_set: BTreeSet<&String> = after.iter().map(|(u, _)| u).collect();
    let before_set: BTreeSet<&String> = before.iter().map(|(u, _)| u).collect();
    let mut seen = BTreeSet::new();
    for (url, origin) in &before {
        if !after_set.contains(url) && seen.insert(url) {
            out.push(change(
                Breaking,
                "server-removed",
                Some(Location::Old(origin.clone())),
                format!("server `{url}` was removed"),
            ));
        }
    }
    for (url, origin) in &after {
        if !before_set.contains(url) && seen.insert(url) {
            out.push(change(
                NonBreaking,
                "server-added",
                Some(Location::New(origin.clone())),
                format!("server `{url}` was added"),
            ));
        }
    }
    if let (Some((b, _)), Some((a, origin))) = (before.first(), after.first()) {
        if b != a {
            out.push(change(
                PossiblyBreaking,
                "default-server-changed",
                Some(Location::New(origin.clone())),
                format!("the default server moved from `{b}` to `{a}`"),
            ));
        }
    }
}

fn endpoint(o: &Endpoint, n: &Endpoint, out: &mut Vec<Change>) {
    let op = format!("{} {}", n.method, show_forms(n));
    for form in &o.forms {
        if !n.forms.contains(form) {
            out.push(change(
                Breaking,
                "endpoint-path-removed",
                old_at(&o.origin),
                format!("{op} is no longer served at `{form}`"),
            ));
        }
    }
    for form in &n.forms {
        if !o.forms.contains(form) {
            out.push(change(
                NonBreaking,
                "endpoint-path-added",
                new_at(&n.origin),
                format!("{op} is served at `{form}` too"),
            ));
        }
    }
    if n.deprecated && !o.deprecated {
        out.push(change(NonBreaking, "endpoint-deprecated", new_at(&n.origin), format!("{op} is deprecated")));
    }
    // No `security` anywhere means no credentials, as an empty list does.
    let (before, after) = (o.security.clone().unwrap_or_default(), n.security.clone().unwrap_or_default());
    if before != after {
        let (level, kind, message) = if after.is_empty() {
            (NonBreaking, "security-removed", "no longer needs credentials".to_owned())
        } else if before.is_empty() {
            (Breaking, "security-added", "needs credentials now".to_owned())
        } else {
            let schemes = after.iter().cloned().collect::<Vec<_>>().join(", ");
            (PossiblyBreaking, "security-changed", format!("accepts other credentials now: {schemes}"))
        };
        out.push(change(level, kind, new_at(&n.origin), format!("{op} {message}")));
    }
    fields(&op, Way::Parameter, (&o.query, true), (&n.query, true), "query ", out);
    fields(&op, Way::Parameter, (&o.headers, true), (&n.headers, true), "header ", out);
    match (&o.body, &n.body) {
        (None, Some(b)) => {
            let (level, kind) =
                if b.required { (Breaking, "request-body-added") } else { (NonBreaking, "request-body-added") };
            out.push(change(level, kind, new_at(&b.shape.origin), format!("{op} takes a request body now")));
        }
        (Some(b), None) => out.push(change(
            PossiblyBreaking,
            "request-body-removed",
            old_at(&b.shape.origin),
            format!("{op} takes no request body now"),
        )),
        (Some(ob), Some(nb)) => fields(&op, Way::Request, (&ob.shape, ob.required), (&nb.shape, nb.required), "", out),
        (None, None) => {}
    }
    fields(&op, Way::Response, (&o.response, true), (&n.response, true), "", out);
}

/// Every change between two shapes (each with whether it is required), reported at the
/// topmost field that differs.
fn fields(op: &str, way: Way, old: (&Shape, bool), new: (&Shape, bool), prefix: &str, out: &mut Vec<Change>) {
    let before = wire::flatten(old.0, old.1);
    let after = wire::flatten(new.0, new.1);
    let paths: BTreeSet<&FieldPath> = before.keys().chain(after.keys()).collect();
    let named = |p: &FieldPath| {
        if p.0.is_empty() {
            format!("the {} body", if way == Way::Response { "response" } else { "request" })
        } else {
            format!("`{prefix}{p}`")
        }
    };
    for path in paths {
        // Parameters are the query's properties: the query object itself is not one.
        if path.0.is_empty() && way == Way::Parameter {
            continue;
        }
        match (before.get(path), after.get(path)) {
            (Some(o), Some(n)) => field(op, way, &named(path), o, n, out),
            (Some(o), None) => {
                if path.parent().is_some_and(|p| !after.contains_key(&p) || after[&p].shape.is_any()) {
                    continue;
                }
                let (level, kind, what) = match way {
                    Way::Parameter => (Breaking, "request-parameter-removed", "parameter"),
                    Way::Request => {
                        let closed = path
                            .parent()
                            .and_then(|p| after.get(&p))
                            .is_some_and(|p| p.shape.additional == Additional::Closed);
                        (if closed { Breaking } else { PossiblyBreaking }, "request-property-removed", "request field")
                    }
                    Way::Response if o.required => (Breaking, "response-required-property-removed", "response field"),
                    Way::Response => (PossiblyBreaking, "response-optional-property-removed", "response field"),
                };
                out.push(change(
                    level,
                    kind,
                    old_at(&o.shape.origin),
                    format!("{op}: {what} {} was removed", named(path)),
                ));
            }
            (None, Some(n)) => {
                if path.parent().is_some_and(|p| !before.contains_key(&p) || before[&p].shape.is_any()) {
                    continue;
                }
                let (level, kind, what) = match (way, n.required) {
                    (Way::Parameter, true) => (Breaking, "new-required-request-parameter", "required parameter"),
                    (Way::Parameter, false) => (NonBreaking, "new-optional-request-parameter", "optional parameter"),
                    (Way::Request, true) => (Breaking, "new-required-request-property", "required request field"),
                    (Way::Request, false) => (NonBreaking, "new-optional-request-property", "optional request field"),
                    (Way::Response, _) => (NonBreaking, "response-property-added", "response field"),
                };
                out.push(change(
                    level,
                    kind,
                    new_at(&n.shape.origin),
                    format!("{op}: {what} {} was added", named(path)),
                ));
            }
            (None, None) => {}
        }
    }
}

/// The changes of one field both sides have.
fn field(op: &str, way: Way, name: &str, o: &Field, n: &Field, out: &mut Vec<Change>) {
    let sent = way != Way::Response;
    let noun = way.noun();
    let at = new_at(&n.shape.origin);
    let mut push = |level, kind: &'static str, message: String| {
        out.push(change(level, kind, at.clone(), format!("{op}: {name} {message}")))
    };
    let (os, ns) = (&o.shape, &n.shape);
    // Requiredness: a client must now send what it could leave out; or may now miss what it relied on.
    if o.required != n.required && !(name.starts_with("the ") && way == Way::Response) {
        let (level, kind, message) = match (sent, n.required) {
            (true, true) => (Breaking, "request-became-required", "became required"),
            (true, false) => (NonBreaking, "request-became-optional", "became optional"),
            (false, false) => {
                (Breaking, "response-became-optional", "became optional: clients that expect it fail when it is absent")
            }
            (false, true) => (NonBreaking, "response-became-required", "became required"),
        };
        push(level, kind, message.to_owned());
    }
    // Kinds: which values are accepted.
    let (ok, nk) = (kinds(os), kinds(ns));
    if ok != nk {
        let widened = covers(&nk, &ok);
        let narrowed = covers(&ok, &nk);
        let level = match (sent, widened, narrowed) {
            (true, true, false) | (false, false, true) => NonBreaking,
            _ => Breaking,
        };
        let _ = noun;
        push(
            level,
            if sent { "request-type-changed" } else { "response-type-changed" },
            format!("changed type from {} to {}", show(&ok), show(&nk)),
        );
    }
    if os.format != ns.format && ok == nk {
        push(
            PossiblyBreaking,
            if sent { "request-format-changed" } else { "response-format-changed" },
            format!(
                "changed format from {} to {}",
                os.format.as_deref().unwrap_or("none"),
                ns.format.as_deref().unwrap_or("none")
            ),
        );
    }
    if os.nullable != ns.nullable {
        let (level, kind, message) = match (sent, ns.nullable) {
            (true, false) => (Breaking, "request-no-longer-nullable", "may no longer be null"),
            (true, true) => (NonBreaking, "request-became-nullable", "may be null now"),
            (false, true) => {
                (Breaking, "response-became-nullable", "may be null now: clients that expect a value fail on null")
            }
            (false, false) => (NonBreaking, "response-no-longer-nullable", "is never null now"),
        };
        push(level, kind, message.to_owned());
    }
    match (&os.values, &ns.values) {
        (Some(a), Some(b)) if a != b => {
            let removed: Vec<&String> = a.difference(b).collect();
            let added: Vec<&String> = b.difference(a).collect();
            if !removed.is_empty() {
                let list = join(&removed);
                if sent {
                    push(Breaking, "request-enum-value-removed", format!("no longer accepts {list}"));
                } else {
                    push(NonBreaking, "response-enum-value-removed", format!("is never {list} now"));
                }
            }
            if !added.is_empty() {
                let list = join(&added);
                if sent {
                    push(NonBreaking, "request-enum-value-added", format!("accepts {list} now"));
                } else {
                    push(
                        PossiblyBreaking,
                        "response-enum-value-added",
                        format!(
                            "may be {list} now (clientgen's open enums keep a new value as `Unknown`; other clients may fail)"
                        ),
                    );
                }
            }
        }
        (None, Some(b)) => {
            let level = if sent { Breaking } else { NonBreaking };
            push(
                level,
                if sent { "request-enum-added" } else { "response-enum-added" },
                format!("is restricted to {} now", join(&b.iter().collect::<Vec<_>>())),
            );
        }
        (Some(_), None) => {
            let level = if sent { NonBreaking } else { PossiblyBreaking };
            push(
                level,
                if sent { "request-enum-removed" } else { "response-enum-removed" },
                "is no longer restricted to a list of values".to_owned(),
            );
        }
        _ => {}
    }
    if sent && os.additional != Additional::Closed && ns.additional == Additional::Closed {
        push(
            PossiblyBreaking,
            "request-additional-properties-closed",
            "no longer accepts fields it does not list".to_owned(),
        );
    }
    if ns.deprecated && !os.deprecated {
        push(NonBreaking, if sent { "request-deprecated" } else { "response-deprecated" }, "is deprecated".to_owned());
    }
}

/// The kinds a shape accepts; every kind for `any`.
fn kinds(s: &Shape) -> BTreeSet<Kind> {
    s.kinds
        .clone()
        .unwrap_or_else(|| [Kind::Boolean, Kind::Number, Kind::String, Kind::Array, Kind::Object].into_iter().collect())
}

/// Whether `a` accepts every value `b` does (a number accepts an integer).
fn covers(a: &BTreeSet<Kind>, b: &BTreeSet<Kind>) -> bool {
    b.iter().all(|k| a.contains(k) || (*k == Kind::Integer && a.contains(&Kind::Number)))
}

fn show(k: &BTreeSet<Kind>) -> String {
    k.iter().map(|k| k.name()).collect::<Vec<_>>().join(" | ")
}

fn join(values: &[&String]) -> String {
    values.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
}
