//! One JSON value as the wire sees it: the JSON kinds it may take, a value list, nullability,
//! a format, and its parts (properties, items, map values).
//!
//! Unions (`oneOf`, TypeScript `A | B`) are merged into one shape as a reader who does not know
//! the variant sees it: every kind and property of any variant, a property required only where
//! every object variant requires it. Shapes read from any source merge the same way, so two
//! descriptions of one API compare alike.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A JSON kind. `Integer` is ours only (TypeScript has one `number`); it compares as `Number`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// The kind as the comparison sees it: integers are numbers (our extra precision).
    pub fn loose(self) -> Kind {
        if self == Kind::Integer { Kind::Number } else { self }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Boolean => "boolean",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

/// What an object allows beside its listed properties.
#[derive(Clone, Debug, PartialEq)]
pub enum Additional {
    /// Anything (JSON Schema's default; TypeScript object types do not forbid extra keys either).
    Open,
    /// Nothing (`additionalProperties: false`).
    Closed,
    /// Values of this shape, under any key (a map).
    Typed(Box<Shape>),
}

/// One value's shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The kinds it may take; `None` for any JSON value (`{}`, TypeScript `any`).
    pub kinds: Option<BTreeSet<Kind>>,
    /// The only values allowed (JSON text, e.g. `"RUNNING"`, `1`), if the kinds are restricted to a list.
    pub values: Option<BTreeSet<String>>,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Listed properties, when an object.
    pub properties: BTreeMap<String, Prop>,
    /// What else an object allows.
    pub additional: Additional,
    /// Items, when an array.
    pub items: Option<Box<Shape>>,
    /// `format`, where the schema gives one (`date-time`, `int64`).
    pub format: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Where it is written, when read from a document.
    pub origin: Option<Origin>,
}

/// Where a part of a document is: file, line and column, and the JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// `file:line:col`.
    pub place: String,
    /// `#/components/schemas/Job/properties/name` (`other.yaml#/...` in another file).
    pub pointer: String,
}

impl Origin {
    /// Where `c` is in `docs`.
    pub(crate) fn of(docs: &crate::load::Documents, c: &crate::lower::Cursor<'_>) -> Origin {
        Origin {
            place: docs.location(c.file, c.node.span).to_string(),
            pointer: docs.display_pointer(c.file, &c.pointer),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.place, self.pointer)
    }
}

/// A property of an object shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    pub shape: Shape,
    pub required: bool,
}

impl Shape {
    /// Any JSON value.
    pub fn any() -> Shape {
        Shape {
            kinds: None,
            values: None,
            nullable: false,
            properties: BTreeMap::new(),
            additional: Additional::Open,
            items: None,
            format: None,
            deprecated: false,
            origin: None,
        }
    }

    /// A value of one kind.
    pub fn of(kind: Kind) -> Shape {
        Shape { kinds: Some(BTreeSet::from([kind])), ..Shape::any() }
    }

    /// An object with these properties (others allowed).
    pub fn object(properties: BTreeMap<String, Prop>) -> Shape {
        Shape { properties, ..Shape::of(Kind::Object) }
    }

    pub fn is_any(&self) -> bool {
        self.kinds.is_none()
    }

    fn has(&self, kind: Kind) -> bool {
        self.kinds.as_ref().is_some_and(|k| k.contains(&kind))
    }

    /// The shape a reader sees when the value may be any of `variants`.
    pub fn union(variants: Vec<Shape>) -> Shape {
        let mut variants = variants.into_iter();
        let Some(first) = variants.next() else { return Shape::any() };
        variants.fold(first, merge_union)
    }

    /// The shape of a value that is all of `parts` at once (`allOf`).
    pub fn all_of(parts: Vec<Shape>) -> Shape {
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else { return Shape::any() };
        parts.fold(first, merge_all)
    }
}

fn merge_union(a: Shape, b: Shape) -> Shape {
    let kinds = match (a.kinds.clone(), b.kinds.clone()) {
        (Some(x), Some(y)) => Some(x.union(&y).copied().collect()),
        _ => None,
    };
    // A value list survives only if every variant of a scalar kind has one.
    let values = match (&a.values, &b.values) {
        (Some(x), Some(y)) => Some(x.union(y).cloned().collect()),
        (Some(x), None) if !b.is_scalar() => Some(x.clone()),
        (None, Some(y)) if !a.is_scalar() => Some(y.clone()),
        _ => None,
    };
    let a_obj = a.has(Kind::Object);
    let b_obj = b.has(Kind::Object);
    let mut properties = BTreeMap::new();
    let names: BTreeSet<&String> = a.properties.keys().chain(b.properties.keys()).collect();
    for name in names {
        let prop = match (a.properties.get(name), b.properties.get(name)) {
            (Some(x), Some(y)) => {
                Prop { shape: merge_union(x.shape.clone(), y.shape.clone()), required: x.required && y.required }
            }
            // Present in one object variant only: absent whenever the other is sent.
            (Some(x), None) => Prop { shape: x.shape.clone(), required: x.required && !b_obj },
            (None, Some(y)) => Prop { shape: y.shape.clone(), required: y.required && !a_obj },
            (None, None) => continue,
        };
        properties.insert(name.clone(), prop);
    }
    let additional = match (&a.additional, &b.additional) {
        (Additional::Closed, Additional::Closed) => Additional::Closed,
        (Additional::Closed, _) if !a_obj => b.additional.clone(),
        (_, Additional::Closed) if !b_obj => a.additional.clone(),
        (Additional::Typed(x), Additional::Typed(y)) => {
            Additional::Typed(Box::new(merge_union(*x.clone(), *y.clone())))
        }
        (Additional::Typed(_), _) if !b_obj => a.additional.clone(),
        (_, Additional::Typed(_)) if !a_obj => b.additional.clone(),
        _ => Additional::Open,
    };
    let items = match (a.items, b.items) {
        (Some(x), Some(y)) => Some(Box::new(merge_union(*x, *y))),
        (x, y) => x.or(y),
    };
    Shape {
        kinds,
        values,
        nullable: a.nullable || b.nullable,
        properties,
        additional,
        items,
        format: if a.format == b.format { a.format } else { None },
        deprecated: a.deprecated && b.deprecated,
        origin: a.origin.or(b.origin),
    }
}

fn merge_all(a: Shape, b: Shape) -> Shape {
    let kinds = match (a.kinds.clone(), b.kinds.clone()) {
        (Some(x), Some(y)) => Some(x.intersection(&y).copied().collect()),
        (x, y) => x.or(y),
    };
    let values = match (&a.values, &b.values) {
        (Some(x), Some(y)) => Some(x.intersection(y).cloned().collect()),
        (x, y) => x.clone().or_else(|| y.clone()),
    };
    let mut properties = a.properties;
    for (name, prop) in b.properties {
        let merged = match properties.remove(&name) {
            Some(old) => Prop { shape: merge_all(old.shape, prop.shape), required: old.required || prop.required },
            None => prop,
        };
        properties.insert(name, merged);
    }
    let additional = match (a.additional, b.additional) {
        (Additional::Closed, _) | (_, Additional::Closed) => Additional::Closed,
        (Additional::Typed(x), _) | (_, Additional::Typed(x)) => Additional::Typed(x),
        _ => Additional::Open,
    };
    let items = match (a.items, b.items) {
        (Some(x), Some(y)) => Some(Box::new(merge_all(*x, *y))),
        (x, y) => x.or(y),
    };
    Shape {
        kinds,
        values,
        nullable: a.nullable && b.nullable,
        properties,
        additional,
        items,
        format: a.format.or(b.format),
        deprecated: a.deprecated || b.deprecated,
        origin: a.origin.or(b.origin),
    }
}

impl Shape {
    /// A string, number or boolean (which a value list may restrict).
    fn is_scalar(&self) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.iter().any(|k| !matches!(k, Kind::Array | Kind::Object)))
    }
}

/// One step from a value to a part of it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// A named property.
    Prop(String),
    /// Any item of an array.
    Items,
    /// The value under any key of a map.
    Values,
}

/// Where a field is, from the root of a query, body or response.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(pub Vec<Step>);

impl FieldPath {
    pub fn child(&self, step: Step) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(step);
        FieldPath(steps)
    }

    pub fn parent(&self) -> Option<FieldPath> {
        let (_, rest) = self.0.split_last()?;
        Some(FieldPath(rest.to_vec()))
    }

    /// Parse the text form (`data.runs[].id`, `runtimeEnvironment{}`, `` for the root).
    pub fn parse(text: &str) -> FieldPath {
        let mut steps = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let mut name = part;
            let mut suffix = Vec::new();
            loop {
                if let Some(n) = name.strip_suffix("[]") {
                    suffix.push(Step::Items);
                    name = n;
                } else if let Some(n) = name.strip_suffix("{}") {
                    suffix.push(Step::Values);
                    name = n;
                } else {
                    break;
                }
            }
            if !name.is_empty() {
                steps.push(Step::Prop(name.to_string()));
            }
            steps.extend(suffix.into_iter().rev());
        }
        FieldPath(steps)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for step in &self.0 {
            match step {
                Step::Prop(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Step::Items => f.write_str("[]")?,
                Step::Values => f.write_str("{}")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// A field as the comparison sees it: the shape at that place without its parts, and whether
/// its parent requires it.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub shape: Shape,
    pub required: bool,
}

/// Every field of `shape` (itself included, at the empty path), by path.
pub fn flatten(shape: &Shape, required: bool) -> BTreeMap<FieldPath, Field> {
    let mut out = BTreeMap::new();
    walk(shape, required, FieldPath::default(), &mut out);
    out
}

fn walk(shape: &Shape, required: bool, at: FieldPath, out: &mut BTreeMap<FieldPath, Field>) {
    for (name, prop) in &shape.properties {
        walk(&prop.shape, prop.required, at.child(Step::Prop(name.clone())), out);
    }
    if let Additional::Typed(values) = &shape.additional {
        walk(values, true, at.child(Step::Values), out);
    }
    if let Some(items) = &shape.items {
        walk(items, true, at.child(Step::Items), out);
    }
    out.insert(at, Field { shape: shape.clone(), required });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string_enum(values: &[&str]) -> Shape {
        Shape { values: Some(values.iter().map(|v| format!("\"{v}\"")).collect()), ..Shape::of(Kind::String) }
    }

    #[test]
    fn a_union_keeps_a_property_required_only_where_every_object_requires_it() {
        let a = Shape::object(BTreeMap::from([
            ("kind".to_string(), Prop { shape: string_enum(&["internal"]), required: true }),
            ("id".to_string(), Prop { shape: Shape::of(Kind::String), required: true }),
        ]));
        let b = Shape::object(BTreeMap::from([
            ("kind".to_string(), Prop { shape: string_enum(&["external"]), required: true }),
            ("imagePath".to_string(), Prop { shape: Shape::of(Kind::String), required: true }),
        ]));
        let u = Shape::union(vec![a, b]);
        assert!(u.properties["kind"].required);
        assert_eq!(u.properties["kind"].shape.values.as_ref().map(BTreeSet::len), Some(2));
        assert!(!u.properties["id"].required);
        assert!(!u.properties["imagePath"].required);
    }

    #[test]
    fn a_value_list_does_not_survive_a_union_with_any_string() {
        let u = Shape::union(vec![string_enum(&["latest"]), Shape::of(Kind::String)]);
        assert_eq!(u.values, None);
    }

    #[test]
    fn paths_print_and_parse_alike() {
        for text in ["data.runs[].id", "runtimeFiles{}.data", "", "data", "values[][]"] {
            assert_eq!(FieldPath::parse(text).to_string(), text);
        }
    }

    #[test]
    fn flatten_reaches_items_and_map_values() {
        let run = Shape::object(BTreeMap::from([(
            "id".to_string(),
            Prop { shape: Shape::of(Kind::String), required: true },
        )]));
        let runs = Shape { items: Some(Box::new(run)), ..Shape::of(Kind::Array) };
        let files =
            Shape { additional: Additional::Typed(Box::new(Shape::of(Kind::String))), ..Shape::of(Kind::Object) };
        let root = Shape::object(BTreeMap::from([
            ("runs".to_string(), Prop { shape: runs, required: false }),
            ("files".to_string(), Prop { shape: files, required: true }),
        ]));
        let flat = flatten(&root, true);
        let paths: Vec<String> = flat.keys().map(ToString::to_string).collect();
        assert_eq!(paths, ["", "files", "files{}", "runs", "runs[]", "runs[].id"]);
        assert!(!flat[&FieldPath::parse("runs")].required);
    }
}
