//! The comparison: each of Northflank's endpoints against ours, field by field.
//!
//! A field agrees when both sides give it the same JSON kinds, value list, requiredness and
//! nullability. Our extra precision where theirs is silent is agreement: integers where theirs
//! says number, formats, patterns and lengths (not compared), a value list on a request field
//! theirs types as a plain string, and any typing where theirs says `any` (unless ours forbids
//! all content there).
//!
//! Every other difference is reported, and must be fixed or listed with a reason. Some cannot
//! be listed at all: on responses ours must never be stricter than their typings (a field they
//! make optional, nullable or wider, ours rejects), since the client would then fail on what
//! Northflank's own client accepts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use clientgen::wire::{Additional, Endpoint, Field, FieldPath, Kind, Shape, Step, flatten};

use super::align::align_example_keys;
use super::theirs::PERMISSION;

/// Which part of an endpoint a difference is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The endpoint itself: whether it exists, its paths, summary, permission, path parameters.
    Endpoint,
    Query,
    Body,
    Response,
}

impl Place {
    pub const ALL: [Place; 4] = [Place::Endpoint, Place::Query, Place::Body, Place::Response];

    pub fn name(self) -> &'static str {
        match self {
            Place::Endpoint => "endpoint",
            Place::Query => "query",
            Place::Body => "body",
            Place::Response => "response",
        }
    }
}

/// What differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum What {
    /// Theirs has it, ours does not.
    Missing,
    /// Ours has it, theirs does not.
    Extra,
    /// Different JSON kinds.
    Type,
    /// Different value lists (or a list on one side only).
    Values,
    Required,
    Nullable,
    /// Theirs allows any value; ours allows none (an object with no properties, closed).
    Closed,
    /// The team-scoped path is not served.
    TeamPath,
    PathParams,
    Summary,
    Permission,
}

impl What {
    pub const ALL: [What; 11] = [
        What::Missing,
        What::Extra,
        What::Type,
        What::Values,
        What::Required,
        What::Nullable,
        What::Closed,
        What::TeamPath,
        What::PathParams,
        What::Summary,
        What::Permission,
    ];

    pub fn name(self) -> &'static str {
        match self {
            What::Missing => "missing",
            What::Extra => "extra",
            What::Type => "type",
            What::Values => "values",
            What::Required => "required",
            What::Nullable => "nullable",
            What::Closed => "closed",
            What::TeamPath => "team-path",
            What::PathParams => "path-params",
            What::Summary => "summary",
            What::Permission => "permission",
        }
    }
}

/// One difference between the two sides.
#[derive(Clone, Debug)]
pub struct Difference {
    /// Their name for the endpoint (ours, for an endpoint they do not have).
    pub endpoint: String,
    pub place: Place,
    pub field: FieldPath,
    pub what: What,
    /// Both sides' words on it.
    pub detail: String,
    /// Where ours is written, `file:line:col`.
    pub origin: Option<String>,
    /// Ours is stricter than theirs on a response: no reason can excuse it.
    pub forbidden: bool,
}

impl Difference {
    /// The key an allowlist entry names.
    pub fn key(&self) -> (String, Place, String, What) {
        (self.endpoint.clone(), self.place, self.field.to_string(), self.what)
    }
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Their endpoints.
    pub endpoints: usize,
    /// Their endpoints ours serves at both the project and the team path.
    pub endpoints_matched: usize,
    /// Fields both sides describe.
    pub shared: usize,
    /// Shared fields with no difference.
    pub agreeing: usize,
    /// Fields only theirs describes / only ours does.
    pub only_theirs: usize,
    pub only_ours: usize,
}

/// Compare every endpoint.
pub fn compare(theirs: &[Endpoint], ours: &[Endpoint]) -> (Vec<Difference>, Tally) {
    let mut diffs = Vec::new();
    let mut tally = Tally { endpoints: theirs.len(), ..Tally::default() };
    let mut matched = BTreeSet::new();
    for t in theirs {
        let found = ours.iter().position(|o| o.method == t.method && o.forms.contains(&t.forms[0]));
        let Some(i) = found else {
            diffs.push(endpoint_diff(t, None, What::Missing, format!("ours has no {} {}", t.method, t.forms[0])));
            continue;
        };
        matched.insert(i);
        let o = &ours[i];
        let mut d = EndpointDiffs { t, o, out: &mut diffs, tally: &mut tally };
        let team_ok = d.endpoint_level();
        if team_ok {
            d.tally.endpoints_matched += 1;
        }
        d.fields(Place::Query, &flatten(&t.query, true), &flatten(&o.query, true));
        match (&t.body, &o.body) {
            (Some(tb), Some(ob)) => {
                d.fields(Place::Body, &flatten(&tb.shape, tb.required), &flatten(&ob.shape, ob.required))
            }
            (Some(_), None) => d.push(
                Place::Body,
                FieldPath::default(),
                What::Missing,
                "theirs sends a body; ours none".into(),
                None,
                false,
            ),
            (None, Some(ob)) => d.push(
                Place::Body,
                FieldPath::default(),
                What::Extra,
                "ours sends a body; theirs none".into(),
                ob.shape.origin.as_ref().map(ToString::to_string),
                false,
            ),
            (None, None) => {}
        }
        let mut response = t.response.clone();
        align_example_keys(&mut response, &o.response);
        d.fields(Place::Response, &flatten(&response, true), &flatten(&o.response, true));
    }
    for (i, o) in ours.iter().enumerate() {
        if !matched.contains(&i) {
            diffs.push(Difference {
                endpoint: o.name.clone(),
                place: Place::Endpoint,
                field: FieldPath::default(),
                what: What::Extra,
                detail: format!("{} {} is not in their typings", o.method, o.forms.first().map_or("", String::as_str)),
                origin: o.origin.as_ref().map(ToString::to_string),
                forbidden: false,
            });
        }
    }
    (diffs, tally)
}

fn endpoint_diff(t: &Endpoint, o: Option<&Endpoint>, what: What, detail: String) -> Difference {
    Difference {
        endpoint: t.name.clone(),
        place: Place::Endpoint,
        field: FieldPath::default(),
        what,
        detail,
        origin: o.and_then(|o| o.origin.as_ref()).map(ToString::to_string),
        forbidden: false,
    }
}

struct EndpointDiffs<'a> {
    t: &'a Endpoint,
    o: &'a Endpoint,
    out: &'a mut Vec<Difference>,
    tally: &'a mut Tally,
}

impl EndpointDiffs<'_> {
    fn push(
        &mut self,
        place: Place,
        field: FieldPath,
        what: What,
        detail: String,
        origin: Option<String>,
        forbidden: bool,
    ) {
        self.out.push(Difference { endpoint: self.t.name.clone(), place, field, what, detail, origin, forbidden });
    }

    /// Paths, path parameters, summary and permission; whether every form of theirs is served.
    fn endpoint_level(&mut self) -> bool {
        let (t, o) = (self.t, self.o);
        let origin = o.origin.as_ref().map(ToString::to_string);
        let mut all_forms = true;
        for form in &t.forms[1..] {
            if !o.forms.contains(form) {
                all_forms = false;
                let detail = format!("ours does not serve {} {form} (ours: {})", t.method, o.forms.join(", "));
                self.push(Place::Endpoint, FieldPath::default(), What::TeamPath, detail, origin.clone(), false);
            }
        }
        if t.path_params != o.path_params {
            let detail = format!("theirs {:?}, ours {:?}", t.path_params, o.path_params);
            self.push(Place::Endpoint, FieldPath::default(), What::PathParams, detail, origin.clone(), false);
        }
        // The log and metric fetchers have no summary or permission of their own.
        let (t_permission, o_permission) = (t.extensions.get(PERMISSION), o.extensions.get(PERMISSION));
        if let (Some(ts), Some(_)) = (&t.summary, t_permission) {
            if o.summary.as_deref().map(str::trim) != Some(ts.trim()) {
                let detail = format!("theirs {ts:?}, ours {:?}", o.summary);
                self.push(Place::Endpoint, FieldPath::default(), What::Summary, detail, origin.clone(), false);
            }
        }
        if let Some(tp) = t_permission {
            if o_permission != Some(tp) {
                let detail = format!("theirs {tp:?}, ours {o_permission:?}");
                self.push(Place::Endpoint, FieldPath::default(), What::Permission, detail, origin, false);
            }
        }
        all_forms
    }

    fn fields(&mut self, place: Place, theirs: &BTreeMap<FieldPath, Field>, ours: &BTreeMap<FieldPath, Field>) {
        let response = place == Place::Response;
        let paths: BTreeSet<&FieldPath> = theirs.keys().chain(ours.keys()).collect();
        for path in paths {
            // The query's own object is not a field; a response's root is always there.
            let root = path.0.is_empty();
            if root && place == Place::Query {
                continue;
            }
            match (theirs.get(path), ours.get(path)) {
                (Some(t), Some(o)) => {
                    self.tally.shared += 1;
                    let found = leaf(t, o, response, !root || place == Place::Body);
                    if found.is_empty() {
                        self.tally.agreeing += 1;
                    }
                    for (what, detail, forbidden) in found {
                        self.push(
                            place,
                            path.clone(),
                            what,
                            detail,
                            o.shape.origin.as_ref().map(ToString::to_string),
                            forbidden,
                        );
                    }
                }
                (Some(t), None) => {
                    let Some(ancestor) = one_sided(path, ours) else { continue };
                    self.tally.only_theirs += 1;
                    // A closed object of ours would reject the field theirs may send.
                    let closed = response && ancestor.shape.additional == Additional::Closed;
                    let detail = format!("theirs {}; ours does not have it", describe(t));
                    self.push(
                        place,
                        path.clone(),
                        What::Missing,
                        detail,
                        ancestor.shape.origin.as_ref().map(ToString::to_string),
                        closed,
                    );
                }
                (None, Some(o)) => {
                    if one_sided(path, theirs).is_none() {
                        continue;
                    }
                    self.tally.only_ours += 1;
                    let detail = format!("ours {}; theirs does not have it", describe(o));
                    self.push(
                        place,
                        path.clone(),
                        What::Extra,
                        detail,
                        o.shape.origin.as_ref().map(ToString::to_string),
                        false,
                    );
                }
                (None, None) => {}
            }
        }
    }
}

/// For a field only one side has: the other side's nearest ancestor, unless the field is not
/// worth a report (the other side leaves the place untyped, or an ancestor is one-sided too and
/// reported instead).
fn one_sided<'a>(path: &FieldPath, other: &'a BTreeMap<FieldPath, Field>) -> Option<&'a Field> {
    let ancestor = other.get(&path.parent()?)?;
    // Silent there: any value, or a map of any values.
    if ancestor.shape.is_any() {
        return None;
    }
    if let (Some(Step::Prop(_)), Additional::Typed(v)) = (path.0.last(), &ancestor.shape.additional) {
        if v.is_any() {
            return None;
        }
    }
    Some(ancestor)
}

/// The differences at one field both sides have.
fn leaf(t: &Field, o: &Field, response: bool, compare_required: bool) -> Vec<(What, String, bool)> {
    let mut out = Vec::new();
    let (ts, os) = (&t.shape, &o.shape);
    let both = || format!("theirs {}, ours {}", describe(t), describe(o));
    if ts.is_any() {
        let forbids_all = os.properties.is_empty()
            && os.additional == Additional::Closed
            && os.kinds.as_ref().is_some_and(|k| k.iter().all(|k| *k == Kind::Object));
        if forbids_all {
            out.push((What::Closed, both(), true));
        }
    } else if os.is_any() {
        out.push((What::Type, both(), false));
    } else {
        let tk = loose(ts);
        let ok = loose(os);
        if tk != ok {
            out.push((What::Type, both(), response && !tk.is_subset(&ok)));
        }
        // A value list where theirs has none restricts what we send: precision on a request. On
        // a response it claims what the server sends beyond what their schema says.
        let precision = !response && ts.values.is_none() && os.values.is_some();
        if ts.values != os.values && !precision {
            out.push((What::Values, both(), false));
        }
    }
    if compare_required && t.required != o.required {
        out.push((What::Required, both(), response && !t.required && o.required));
    }
    // `any` includes null.
    if ts.nullable != os.nullable && !ts.is_any() && !os.is_any() {
        out.push((What::Nullable, both(), response && ts.nullable && !os.nullable));
    }
    out
}

fn loose(s: &Shape) -> BTreeSet<Kind> {
    s.kinds.as_ref().map(|k| k.iter().map(|k| k.loose()).collect()).unwrap_or_default()
}

/// `string enum ["A","B"] | null, optional`.
fn describe(f: &Field) -> String {
    let s = &f.shape;
    let mut text = match &s.kinds {
        None => "any".to_string(),
        Some(k) if k.is_empty() => "null".to_string(),
        Some(k) => k.iter().map(|k| k.name()).collect::<Vec<_>>().join(" | "),
    };
    if let Some(v) = &s.values {
        text.push_str(&format!(" [{}]", v.iter().cloned().collect::<Vec<_>>().join(", ")));
    }
    if s.additional == Additional::Closed && s.kinds.as_ref().is_some_and(|k| k.contains(&Kind::Object)) {
        text.push_str(" (closed)");
    }
    if s.nullable {
        text.push_str(" | null");
    }
    text.push_str(if f.required { ", required" } else { ", optional" });
    text
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.endpoint, self.place.name())?;
        if !self.field.0.is_empty() {
            write!(f, " `{}`", self.field)?;
        }
        write!(f, ": {}: {}", self.what.name(), self.detail)?;
        if let Some(o) = &self.origin {
            write!(f, " ({o})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clientgen::wire::Prop;

    fn endpoint(response: Shape) -> Endpoint {
        Endpoint {
            name: "GetJobRun".into(),
            method: "GET".into(),
            path: "/projects/{projectId}/jobs".into(),
            forms: vec!["/v1/projects/{projectId}/jobs".into(), "/v1/teams/{teamId}/projects/{projectId}/jobs".into()],
            summary: Some("s".into()),
            deprecated: false,
            extensions: BTreeMap::from([(PERMISSION.to_string(), "p".to_string())]),
            security: None,
            path_params: BTreeSet::from(["projectId".to_string()]),
            query: Shape::object(BTreeMap::new()),
            headers: Shape::object(BTreeMap::new()),
            body: None,
            response,
            origin: None,
        }
    }

    fn data(props: &[(&str, Shape, bool)]) -> Shape {
        let inner = Shape::object(
            props.iter().map(|(k, s, r)| (k.to_string(), Prop { shape: s.clone(), required: *r })).collect(),
        );
        Shape::object(BTreeMap::from([("data".to_string(), Prop { shape: inner, required: true })]))
    }

    fn nullable(s: Shape) -> Shape {
        Shape { nullable: true, ..s }
    }

    #[test]
    fn ours_stricter_on_a_response_is_forbidden_and_wider_is_a_listed_difference() {
        let theirs = endpoint(data(&[
            ("branches", Shape::of(Kind::Array), false),
            ("pullRequestId", nullable(Shape::of(Kind::Number)), true),
            ("value", Shape::union(vec![Shape::of(Kind::String), Shape::of(Kind::Number)]), true),
            ("concludedAt", Shape::of(Kind::String), true),
            ("count", Shape::of(Kind::Number), true),
        ]));
        let ours = endpoint(data(&[
            ("branches", Shape::of(Kind::Array), true),
            ("pullRequestId", Shape::of(Kind::Integer), true),
            ("value", Shape::of(Kind::Number), true),
            ("concludedAt", Shape::of(Kind::String), false),
            ("count", Shape::of(Kind::Integer), true),
        ]));
        let (diffs, tally) = compare(&[theirs], &[ours]);
        let found: Vec<(String, What, bool)> =
            diffs.iter().map(|d| (d.field.to_string(), d.what, d.forbidden)).collect();
        assert_eq!(
            found,
            [
                ("data.branches".to_string(), What::Required, true),
                ("data.concludedAt".to_string(), What::Required, false),
                ("data.pullRequestId".to_string(), What::Nullable, true),
                ("data.value".to_string(), What::Type, true),
            ]
        );
        // root, data and five fields; `count` agrees (integer is our precision).
        assert_eq!((tally.shared, tally.agreeing, tally.endpoints_matched), (7, 3, 1));
    }

    #[test]
    fn any_in_theirs_agrees_with_a_typed_map_but_not_with_a_closed_empty_object() {
        let closed = Shape { additional: Additional::Closed, ..Shape::of(Kind::Object) };
        let map = Shape { additional: Additional::Typed(Box::new(Shape::of(Kind::String))), ..Shape::of(Kind::Object) };
        let theirs = endpoint(data(&[("env", Shape::any(), true)]));
        let (diffs, _) = compare(std::slice::from_ref(&theirs), &[endpoint(data(&[("env", map, true)]))]);
        assert!(diffs.is_empty(), "{diffs:?}");
        let mut whole = theirs;
        whole.response =
            Shape::object(BTreeMap::from([("data".to_string(), Prop { shape: Shape::any(), required: true })]));
        let (diffs, _) = compare(
            &[whole],
            &[endpoint(data(&[]).clone())].map(|mut e| {
                e.response.properties.get_mut("data").unwrap().shape = closed.clone();
                e
            }),
        );
        assert_eq!(diffs.iter().map(|d| (d.what, d.forbidden)).collect::<Vec<_>>(), [(What::Closed, true)]);
    }

    #[test]
    fn a_missing_object_is_reported_once_not_for_each_of_its_fields() {
        let inner = data(&[("a", Shape::of(Kind::String), true), ("b", Shape::of(Kind::String), true)]);
        let theirs = endpoint(data(&[("deployment", inner.properties["data"].shape.clone(), false)]));
        let (diffs, tally) = compare(&[theirs], &[endpoint(data(&[]))]);
        assert_eq!(diffs.iter().map(|d| d.field.to_string()).collect::<Vec<_>>(), ["data.deployment"]);
        assert_eq!(tally.only_theirs, 1);
    }

    #[test]
    fn endpoints_without_the_team_form_or_absent_are_reported() {
        let theirs = endpoint(data(&[]));
        let mut ours = theirs.clone();
        ours.forms.truncate(1);
        let (diffs, tally) = compare(std::slice::from_ref(&theirs), &[ours]);
        assert_eq!(diffs.iter().map(|d| d.what).collect::<Vec<_>>(), [What::TeamPath]);
        assert_eq!(tally.endpoints_matched, 0);
        let (diffs, _) = compare(&[theirs], &[]);
        assert_eq!(diffs.iter().map(|d| d.what).collect::<Vec<_>>(), [What::Missing]);
    }
}
