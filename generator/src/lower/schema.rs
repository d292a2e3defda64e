//! Schema objects to types.

use super::names;
use super::{Cursor, Lowerer, Version};
use crate::ir::{Constraints, Docs, IntKind, NewtypeType, Number, Scalar, TypeEntry, TypeId, TypeKind};
use crate::load::Value;

/// Keys that annotate a schema without changing what it accepts.
const ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "nullable",
    "externalDocs",
    "xml",
    "$comment",
    "$schema",
    "$id",
    "discriminator",
];

/// Pointer tokens that say where in a schema we are rather than what the thing is.
const STRUCTURAL_TOKENS: &[&str] = &[
    "schema",
    "schemas",
    "items",
    "properties",
    "content",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "components",
    "$defs",
    "definitions",
    "responses",
    "requestBody",
    "parameters",
    "not",
];

/// A lowered schema: the type, and whether `null` is also allowed.
#[derive(Clone, Copy, Debug)]
pub struct Lowered {
    /// The type (never `Nullable` at the top: see `nullable`).
    pub ty: TypeId,
    /// `null` is allowed too.
    pub nullable: bool,
}

/// How a new named type gets its name.
#[derive(Clone, Debug)]
pub enum NameSpec {
    /// Already reserved (component schemas); the type fills `slot`.
    Fixed {
        /// The reserved name.
        name: String,
        /// The arena entry reserved for it.
        slot: TypeId,
    },
    /// A base name from context; made unique, or the type is shared with an identical one.
    Hint(String),
}

impl NameSpec {
    /// The name, or the base name a hint suggests.
    pub fn base(&self) -> &str {
        match self {
            NameSpec::Fixed { name, .. } => name,
            NameSpec::Hint(h) => h,
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Reserve the names of `components.schemas` first, so they keep their names and inline
    /// types take suffixes instead.
    /// Names the crate root has come last, so that a schema's `ErrorModel` keeps its name and
    /// its `Error` takes another.
    pub(super) fn reserve_component_names(&mut self, root: &Cursor<'a>) {
        let Some(schemas) = root.child("components").and_then(|c| c.child("schemas")) else { return };
        let bases: Vec<(String, Cursor<'a>)> = schemas
            .members()
            .into_iter()
            .map(|(key, c)| (names::camel(key, "T").unwrap_or_else(|| "Schema".into()), c))
            .collect();
        let (clashing, clear): (Vec<_>, Vec<_>) =
            bases.into_iter().partition(|(base, _)| crate::layout::is_root_type(base));
        for (base, c) in clear.into_iter().chain(clashing) {
            let name = self.type_names.unique(&base);
            self.component_names.insert((c.file, c.pointer.clone()), name);
        }
    }

    /// Lower every component schema, used or not: users may want them all.
    pub(super) fn lower_components(&mut self, root: &Cursor<'a>) {
        let Some(schemas) = root.child("components").and_then(|c| c.child("schemas")) else { return };
        for (_, c) in schemas.members() {
            self.at_location(&c);
        }
    }

    /// JSON (any value), for schemas that say nothing or cannot be represented.
    pub(super) fn json(&mut self) -> Lowered {
        Lowered { ty: self.structural(TypeKind::Scalar(Scalar::Json)), nullable: false }
    }

    /// A built-in scalar type.
    pub(super) fn scalar(&mut self, s: Scalar) -> TypeId {
        self.structural(TypeKind::Scalar(s))
    }

    /// The type for the schema at `c`, naming new types after `hint`.
    pub(super) fn schema(&mut self, c: &Cursor<'a>, hint: &str) -> Lowered {
        if c.has("$ref") {
            return self.schema_ref(c, hint);
        }
        if let Some(&(ty, nullable)) = self.by_location.get(&(c.file, c.pointer.clone())) {
            return Lowered { ty, nullable };
        }
        let out = self.inline(c, NameSpec::Hint(hint.to_string()));
        self.by_location.insert((c.file, c.pointer.clone()), (out.ty, out.nullable));
        out
    }

    /// Like [`Self::schema`], with `null` folded into the type as `Option`.
    pub(super) fn schema_with_null(&mut self, c: &Cursor<'a>, hint: &str) -> TypeId {
        let l = self.schema(c, hint);
        self.with_null(l)
    }

    /// Fold nullability into the type.
    pub(super) fn with_null(&mut self, l: Lowered) -> TypeId {
        if l.nullable { self.structural(TypeKind::Nullable(l.ty)) } else { l.ty }
    }

    fn schema_ref(&mut self, c: &Cursor<'a>, hint: &str) -> Lowered {
        let constraining: Vec<&str> = c
            .object()
            .map(|o| o.iter().map(|(k, _)| k).filter(|k| !ANNOTATIONS.contains(k) && !k.starts_with("x-")).collect())
            .unwrap_or_default();
        if !constraining.is_empty() {
            if self.version == Version::V31 {
                // 3.1: `$ref` with sibling keywords means both apply.
                return self.compose(c, NameSpec::Hint(hint.to_string()));
            }
            self.warn(
                c,
                format!(
                    "keywords beside `$ref` are ignored in OpenAPI 3.0 ({}); wrap them in `allOf` to apply them",
                    constraining.join(", ")
                ),
            );
        }
        let Some(target) = self.deref(c) else { return self.json() };
        let mut l = self.at_location(&target);
        if c.bool("nullable") == Some(true) {
            l.nullable = true;
        }
        l
    }

    /// The type for the schema at a referenced location, made once per location and named
    /// after it.
    pub(super) fn at_location(&mut self, target: &Cursor<'a>) -> Lowered {
        let key = (target.file, target.pointer.clone());
        if let Some(&(ty, nullable)) = self.by_location.get(&key) {
            return Lowered { ty, nullable };
        }
        let name = match self.component_names.get(&key) {
            Some(n) => n.clone(),
            None => {
                let base = name_from_pointer(&target.pointer);
                self.type_names.unique(&base)
            }
        };
        let origin = self.docs.display_pointer(target.file, &target.pointer);
        let slot = self.types.add(TypeEntry {
            name: Some(name.clone()),
            docs: self.docs_of(target),
            kind: TypeKind::Placeholder,
            origin: Some(origin),
        });
        self.by_location.insert(key.clone(), (slot, false));
        // A component that is only a reference (`Alias: {$ref: Node}`) names that type. With
        // other keywords beside it, it is lowered as a schema of its own (`inline` composes a
        // 3.1 `$ref` with its siblings), never back through `schema_ref`, which would come here.
        let only_ref = target.object().is_some_and(|o| {
            o.contains_key("$ref") && o.iter().all(|(k, _)| ANNOTATIONS.contains(&k) || k.starts_with("x-"))
        });
        let out =
            if only_ref { self.schema_ref(target, &name) } else { self.inline(target, NameSpec::Fixed { name, slot }) };
        if out.ty != slot {
            // Structural or existing type: the name becomes an alias of it.
            self.types.get_mut(slot).kind = TypeKind::Alias(out.ty);
        }
        self.by_location.insert(key, (slot, out.nullable));
        Lowered { ty: slot, nullable: out.nullable }
    }

    /// Title, description, example and deprecation of a schema.
    pub(super) fn docs_of(&self, c: &Cursor<'a>) -> Docs {
        Docs {
            title: c.str("title").map(str::to_owned),
            description: c.str("description").map(str::to_owned),
            notes: example_note(c).into_iter().collect(),
            deprecated: c.bool("deprecated") == Some(true),
        }
    }

    /// Give a named kind its name: fill the reserved slot, or share an identical anonymous
    /// type, or add a new one under a unique name.
    pub(super) fn named(&mut self, c: &Cursor<'a>, kind: TypeKind, name: NameSpec) -> TypeId {
        match name {
            NameSpec::Fixed { slot, .. } => {
                self.types.get_mut(slot).kind = kind;
                slot
            }
            NameSpec::Hint(hint) => {
                // Identical anonymous types share one item only under the same name hint: shared
                // across places, the item would be named after whichever came first, and a
                // change there would rename it everywhere else.
                let key = format!("{hint}|{kind:?}");
                if let Some(&id) = self.by_structure.get(&key) {
                    return id;
                }
                let name = self.type_names.unique(&hint);
                let origin = self.docs.display_pointer(c.file, &c.pointer);
                let id =
                    self.types.add(TypeEntry { name: Some(name), docs: self.docs_of(c), kind, origin: Some(origin) });
                self.by_structure.insert(key, id);
                id
            }
        }
    }

    /// Lower a schema object that is not a bare `$ref`.
    pub(super) fn inline(&mut self, c: &Cursor<'a>, name: NameSpec) -> Lowered {
        match &c.node.value {
            Value::Object(_) => {}
            // 3.1 boolean schemas: `true` accepts anything, `false` nothing.
            Value::Bool(_) => return self.json(),
            _ => {
                self.error(c, format!("a schema must be an object, found {}", c.node.type_name()));
                return self.json();
            }
        }
        let mut nullable = c.bool("nullable") == Some(true);
        let types = self.declared_types(c, &mut nullable);
        if let Some(not) = c.child("not") {
            self.warn(&not, "`not` is ignored: no Rust type expresses it, and values are not checked against it");
        }
        let mut out = if let Some(k) = c.child("const") {
            self.enumeration(c, vec![k], &types, name)
        } else if let Some(e) = c.child("enum") {
            match e.node.as_array() {
                Some(_) => self.enumeration(c, e.items(), &types, name),
                None => {
                    self.error(&e, format!("`enum` must be an array, found {}", e.node.type_name()));
                    self.json()
                }
            }
        } else if c.has("allOf") {
            self.compose(c, name)
        } else if let Some(l) = self.union_if_any(c, &name) {
            l
        } else {
            self.by_type(c, &types, name)
        };
        out.nullable |= nullable;
        out
    }

    /// `type` as a list without `"null"` (which sets `nullable`).
    fn declared_types(&mut self, c: &Cursor<'a>, nullable: &mut bool) -> Vec<String> {
        let Some(t) = c.child("type") else { return Vec::new() };
        let list: Vec<String> = match &t.node.value {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect(),
            _ => {
                self.error(&t, format!("`type` must be a string or an array of strings, found {}", t.node.type_name()));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for ty in list {
            match ty.as_str() {
                "null" => *nullable = true,
                "string" | "integer" | "number" | "boolean" | "array" | "object" => {
                    if !out.contains(&ty) {
                        out.push(ty)
                    }
                }
                other => self.error(
                    &t,
                    format!("unknown type `{other}`; expected string, integer, number, boolean, array, object or null"),
                ),
            }
        }
        if out.is_empty() && *nullable && c.has("type") && !c.has("properties") && !c.has("items") {
            // `type: "null"` alone.
            out.push("null".into());
        }
        out
    }

    pub(super) fn by_type(&mut self, c: &Cursor<'a>, types: &[String], name: NameSpec) -> Lowered {
        let t: Vec<&str> = types.iter().map(String::as_str).collect();
        match t.as_slice() {
            ["null"] => Lowered { ty: self.scalar(Scalar::Unit), nullable: true },
            ["string"] => self.string(c, name),
            ["integer"] | ["number"] => self.number(c, t[0] == "integer", name),
            ["boolean"] => Lowered { ty: self.scalar(Scalar::Bool), nullable: false },
            ["array"] => self.array(c, name.base()),
            ["object"] => self.object(c, name),
            [] => {
                if c.has("properties") || c.has("additionalProperties") || c.has("patternProperties") {
                    self.object(c, name)
                } else if c.has("items") {
                    self.array(c, name.base())
                } else if c.has("pattern") || c.has("minLength") || c.has("maxLength") || c.has("format") {
                    self.string(c, name)
                } else {
                    self.json()
                }
            }
            many => self.multi_type(c, many, name),
        }
    }

    fn string(&mut self, c: &Cursor<'a>, name: NameSpec) -> Lowered {
        let scalar = match c.str("format") {
            Some("date-time") => Some(Scalar::DateTime),
            Some("date") => Some(Scalar::Date),
            Some("uuid") => Some(Scalar::Uuid),
            Some("byte") => Some(Scalar::Base64),
            Some("binary") => Some(Scalar::Bytes),
            _ => None,
        };
        if let Some(s) = scalar {
            return Lowered { ty: self.scalar(s), nullable: false };
        }
        let mut constraints = Constraints {
            min_length: self.count(c, "minLength"),
            max_length: self.count(c, "maxLength"),
            ..Constraints::default()
        };
        if constraints.min_length == Some(0) {
            constraints.min_length = None;
        }
        if let Some(p) = c.child("pattern") {
            match p.node.as_str() {
                Some(pattern) => match regress::Regex::new(pattern) {
                    Ok(_) => constraints.pattern = Some(pattern.to_string()),
                    Err(e) => self.warn(
                        &p,
                        format!("`pattern` is not a valid ECMAScript regular expression ({e}); it is not enforced"),
                    ),
                },
                None => self.error(&p, format!("`pattern` must be a string, found {}", p.node.type_name())),
            }
        }
        let string = self.scalar(Scalar::String);
        if constraints.is_empty() {
            return Lowered { ty: string, nullable: false };
        }
        let ty = self.named(c, TypeKind::Newtype(NewtypeType { inner: string, constraints }), name);
        Lowered { ty, nullable: false }
    }

    fn number(&mut self, c: &Cursor<'a>, integer: bool, name: NameSpec) -> Lowered {
        let format = c.str("format");
        let mut kind = if integer {
            match format {
                Some("int8") => Scalar::Int(IntKind::I8),
                Some("int16") => Scalar::Int(IntKind::I16),
                Some("int32") => Scalar::Int(IntKind::I32),
                Some("uint8") => Scalar::Int(IntKind::U8),
                Some("uint16") => Scalar::Int(IntKind::U16),
                Some("uint32") => Scalar::Int(IntKind::U32),
                Some("uint64" | "uint") => Scalar::Int(IntKind::U64),
                _ => Scalar::Int(IntKind::I64),
            }
        } else {
            match format {
                Some("float") => Scalar::F32,
                _ => Scalar::F64,
            }
        };
        let mut constraints = Constraints {
            minimum: self.bound(c, "minimum"),
            maximum: self.bound(c, "maximum"),
            multiple_of: self.bound(c, "multipleOf"),
            ..Constraints::default()
        };
        // 3.0 writes exclusive bounds as booleans, 3.1 as numbers.
        for (key, is_min) in [("exclusiveMinimum", true), ("exclusiveMaximum", false)] {
            let Some(x) = c.child(key) else { continue };
            match &x.node.value {
                Value::Bool(b) => {
                    if is_min {
                        constraints.exclusive_minimum = *b
                    } else {
                        constraints.exclusive_maximum = *b
                    }
                }
                _ => {
                    let n = self.bound(c, key);
                    if is_min {
                        constraints.minimum = n;
                        constraints.exclusive_minimum = n.is_some();
                    } else {
                        constraints.maximum = n;
                        constraints.exclusive_maximum = n.is_some();
                    }
                }
            }
        }
        if let Scalar::Int(k) = kind {
            // Bounds the Rust type already guarantees say nothing.
            let (lo, hi) = int_range(k);
            if constraints.minimum.is_some_and(|m| !constraints.exclusive_minimum && as_f64(m) <= lo) {
                constraints.minimum = None;
            }
            if constraints.maximum.is_some_and(|m| !constraints.exclusive_maximum && as_f64(m) >= hi) {
                constraints.maximum = None;
            }
            // `minimum: 0` and nothing else reads best as an unsigned integer.
            let only_zero_min = constraints.minimum == Some(Number::Int(0))
                && !constraints.exclusive_minimum
                && constraints.maximum.is_none()
                && constraints.multiple_of.is_none();
            if only_zero_min {
                kind = Scalar::Int(unsigned(k));
                constraints.minimum = None;
            }
        }
        let scalar = self.scalar(kind);
        if constraints.is_empty() {
            return Lowered { ty: scalar, nullable: false };
        }
        let ty = self.named(c, TypeKind::Newtype(NewtypeType { inner: scalar, constraints }), name);
        Lowered { ty, nullable: false }
    }

    /// A non-negative integer keyword (`minLength`), reporting other values.
    fn count(&mut self, c: &Cursor<'a>, key: &str) -> Option<u64> {
        let x = c.child(key)?;
        match x.node.as_u64() {
            Some(v) => Some(v),
            None => {
                self.error(&x, format!("`{key}` must be a non-negative integer, found {}", x.node.type_name()));
                None
            }
        }
    }

    /// A numeric keyword (`minimum`), reporting other values.
    fn bound(&mut self, c: &Cursor<'a>, key: &str) -> Option<Number> {
        let x = c.child(key)?;
        match &x.node.value {
            Value::Int(i) => Some(Number::Int(*i)),
            Value::UInt(u) => Some(Number::Float(*u as f64)),
            Value::Float(f) if f.is_finite() => {
                Some(if f.fract() == 0.0 && f.abs() < 9.0e15 { Number::Int(*f as i64) } else { Number::Float(*f) })
            }
            _ => {
                self.error(&x, format!("`{key}` must be a number, found {}", x.node.type_name()));
                None
            }
        }
    }

    fn array(&mut self, c: &Cursor<'a>, hint: &str) -> Lowered {
        let item = match c.child("items") {
            Some(items) if items.node.as_array().is_some() => {
                self.warn(&items, "tuple-style `items` (an array of schemas) is read as a list of any JSON values");
                self.json().ty
            }
            Some(items) => self.schema_with_null(&items, &format!("{hint}Item")),
            None => {
                if let Some(p) = c.child("prefixItems") {
                    self.warn(&p, "`prefixItems` (tuples) is read as a list of any JSON values");
                }
                self.json().ty
            }
        };
        Lowered { ty: self.structural(TypeKind::Array(item)), nullable: false }
    }
}

/// Longest example (as compact JSON) worth a line in the docs.
const MAX_EXAMPLE_CHARS: usize = 80;

/// `Example: `...`` from `example` (3.0) or the first of `examples` (3.1), when it is short.
pub(super) fn example_note(c: &Cursor<'_>) -> Option<String> {
    let example = c.child("example").or_else(|| c.child("examples").and_then(|e| e.items().into_iter().next()))?;
    let text = example.node.to_json().to_string();
    (text.chars().count() <= MAX_EXAMPLE_CHARS && !text.contains('`')).then(|| format!("Example: `{text}`."))
}

/// A type name from a pointer: its last token that names something (`Job` from
/// `/components/schemas/Job`, `Status` from `/.../properties/status/items`).
fn name_from_pointer(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .find(|t| !t.is_empty() && !STRUCTURAL_TOKENS.contains(&t.as_str()) && t.parse::<usize>().is_err())
        .and_then(|t| names::camel(&t, "T"))
        .unwrap_or_else(|| "Schema".into())
}

fn as_f64(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

fn int_range(k: IntKind) -> (f64, f64) {
    match k {
        IntKind::I8 => (i8::MIN as f64, i8::MAX as f64),
        IntKind::I16 => (i16::MIN as f64, i16::MAX as f64),
        IntKind::I32 => (i32::MIN as f64, i32::MAX as f64),
        IntKind::I64 => (i64::MIN as f64, i64::MAX as f64),
        IntKind::U8 => (0.0, u8::MAX as f64),
        IntKind::U16 => (0.0, u16::MAX as f64),
        IntKind::U32 => (0.0, u32::MAX as f64),
        IntKind::U64 => (0.0, u64::MAX as f64),
    }
}

fn unsigned(k: IntKind) -> IntKind {
    match k {
        IntKind::I8 => IntKind::U8,
        IntKind::I16 => IntKind::U16,
        IntKind::I32 => IntKind::U32,
        IntKind::I64 => IntKind::U64,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::name_from_pointer;

    #[test]
    fn names_from_pointers_skip_structural_tokens() {
        assert_eq!(name_from_pointer("/components/schemas/job-run"), "JobRun");
        assert_eq!(name_from_pointer("/components/schemas/A/properties/status/items"), "Status");
        assert_eq!(name_from_pointer("/components/schemas/A/allOf/0"), "A");
        assert_eq!(name_from_pointer(""), "Schema");
    }

    #[test]
    fn a_component_that_is_only_a_reference_is_an_alias() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Alias: {$ref: '#/components/schemas/Node'}\n    Node: {type: object, properties: {next: {$ref: '#/components/schemas/Alias'}}}\n";
        let (docs, _) = crate::load::Documents::from_text("t.yaml", text).unwrap();
        let (api, _) = crate::lower::lower(&docs).unwrap();
        let alias = api.types.iter().find(|(_, e)| e.name.as_deref() == Some("Alias")).unwrap().1;
        let crate::ir::TypeKind::Alias(target) = alias.kind else { panic!("{:?}", alias.kind) };
        assert_eq!(api.types.get(target).name.as_deref(), Some("Node"));
    }
}
