//! The type arena: every type the API uses, addressed by [`TypeId`].
//!
//! Named kinds (structs, enums, unions, newtypes, aliases) become items in the generated
//! crate; structural kinds (scalars, arrays, maps, nullable) are written inline where used.

use std::fmt;

/// Index of a type in the [`TypeArena`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// Documentation carried from the schema to the generated item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    /// Short title (schema `title`, operation `summary`).
    pub title: Option<String>,
    /// Longer text (schema or operation `description`).
    pub description: Option<String>,
    /// Extra lines appended verbatim, e.g. `Required permission: ...`.
    pub notes: Vec<String>,
    /// Marked deprecated in the schema.
    pub deprecated: bool,
}

impl Docs {
    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none() && self.notes.is_empty()
    }
}

/// Built-in value types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    /// UTF-8 text.
    String,
    /// `true`/`false`.
    Bool,
    /// A fixed-width integer.
    Int(IntKind),
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// An RFC 3339 timestamp.
    DateTime,
    /// An RFC 3339 full-date.
    Date,
    /// A UUID.
    Uuid,
    /// Bytes carried as base64 text in JSON (`format: byte`).
    Base64,
    /// Raw bytes (binary request or response bodies).
    Bytes,
    /// Any JSON value.
    Json,
    /// No value (an empty body or an object that may not have properties).
    Unit,
}

/// Integer widths and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntKind {
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `u8`
    U8,
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`
    U64,
}

/// A number given in the schema, kept exact where it was an integer.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub enum Number {
    /// An integer.
    Int(i64),
    /// Anything else.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// Validation rules of a constrained value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// ECMAScript regular expression the text must match (anywhere, per JSON Schema).
    pub pattern: Option<String>,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// Lower bound.
    pub minimum: Option<Number>,
    /// Whether the lower bound itself is excluded.
    pub exclusive_minimum: bool,
    /// Upper bound.
    pub maximum: Option<Number>,
    /// Whether the upper bound itself is excluded.
    pub exclusive_maximum: bool,
    /// The value must be a multiple of this.
    pub multiple_of: Option<Number>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// One property of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire_name: String,
    /// The Rust field name (snake_case, keyword-safe, unique in the struct).
    pub name: String,
    /// The type, without the `Option` that optionality or nullability adds.
    pub ty: TypeId,
    /// The property must be present.
    pub required: bool,
    /// The property may be `null`.
    pub nullable: bool,
    /// Value assumed when the property is absent.
    pub default: Option<serde_json::Value>,
    /// Documentation.
    pub docs: Docs,
    /// Marked `readOnly` (sent by the server only).
    pub read_only: bool,
    /// Marked `writeOnly` (sent by the client only).
    pub write_only: bool,
    /// Holds a secret; never shown by `Debug`.
    pub sensitive: bool,
    /// Stored behind a `Box` to break a by-value cycle (set by [`crate::ir::Api::finish`]).
    pub boxed: bool,
}

/// What a struct does with properties it does not declare.
#[derive(Clone, Debug, PartialEq)]
pub enum Additional {
    /// Unknown properties are accepted and dropped.
    Ignore,
    /// The schema forbids unknown properties (`additionalProperties: false`).
    Deny,
    /// Unknown properties are kept in a map of this value type.
    Map(TypeId),
}

/// An object with known properties.
#[derive(Clone, Debug, PartialEq)]
pub struct StructType {
    /// Properties in schema order.
    pub fields: Vec<Field>,
    /// Handling of other properties.
    pub additional: Additional,
}

/// The wire representation of an enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One value of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant {
    /// Rust variant name (unique, valid).
    pub name: String,
    /// The value on the wire.
    pub value: EnumValue,
    /// Documentation, when the schema gives any.
    pub docs: Option<String>,
}

/// A value of an enum on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EnumValue {
    /// A string value.
    String(String),
    /// An integer value.
    Integer(i64),
}

/// A closed set of values, open for values the schema does not list.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    /// Strings or integers.
    pub repr: EnumRepr,
    /// The listed values, in schema order.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps an unlisted value (unique among the variants).
    pub unknown_variant: String,
}

/// How the variants of a union are told apart on the wire.
#[derive(Clone, Debug, PartialEq)]
pub enum Tagging {
    /// A string property of the object names the variant (its `tag_values`).
    Internal {
        /// The property's JSON name.
        property: String,
        /// Variants that do not require the property, tried in this order when it is absent
        /// (indices into the variants); an absent tag selects nothing when empty.
        when_absent: Vec<usize>,
    },
    /// Each variant requires a property no other variant has: `keys[i]` selects variant `i`.
    Keyed {
        /// The selecting property of each variant, in variant order.
        keys: Vec<String>,
    },
    /// The first variant that accepts the value wins; variants are ordered for that.
    Untagged,
}

/// One alternative of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The payload type.
    pub ty: TypeId,
    /// For internal tagging, the tag values that select this variant (first is canonical, the
    /// one sent). A value listed by an earlier variant too selects that one when reading.
    pub tag_values: Vec<String>,
    /// Documentation.
    pub docs: Docs,
    /// Payload boxed to break a cycle (set by [`crate::ir::Api::finish`]).
    pub boxed: bool,
    /// Untagged: whether the variant also takes the values its type only tolerates (an
    /// unlisted value for an open enum, a numeric string for a number, a date-time for a
    /// date). Cleared when another variant takes such values as its own.
    pub lenient: bool,
}

/// A value that is one of several types (`oneOf`/`anyOf`).
#[derive(Clone, Debug, PartialEq)]
pub struct UnionType {
    /// How variants are told apart.
    pub tagging: Tagging,
    /// Alternatives, in the order they are tried when untagged.
    pub variants: Vec<UnionVariant>,
    /// Name of the variant that keeps, as JSON, a value of a kind this client does not know (no
    /// variant fits it, or its tag is not listed); unique among the variants. `None` for a
    /// union only requests carry (see [`crate::ir::Api::finish`]).
    pub unknown_variant: Option<String>,
}

/// A scalar with validation rules.
#[derive(Clone, Debug, PartialEq)]
pub struct NewtypeType {
    /// The wrapped scalar (string, integer or float).
    pub inner: TypeId,
    /// What values must satisfy.
    pub constraints: Constraints,
}

/// What a type is.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// Reserved while its schema is being lowered (only seen during lowering).
    Placeholder,
    /// A built-in value type.
    Scalar(Scalar),
    /// A list.
    Array(TypeId),
    /// A string-keyed map; `key` is a constrained key type when the schema restricts names.
    Map {
        /// Constrained key type, if any.
        key: Option<TypeId>,
        /// The value type.
        value: TypeId,
    },
    /// The value may be `null`.
    Nullable(TypeId),
    /// An object.
    Struct(StructType),
    /// An enumeration of values.
    Enum(EnumType),
    /// One of several types.
    Union(UnionType),
    /// A validated scalar.
    Newtype(NewtypeType),
    /// Another name for a type.
    Alias(TypeId),
}

impl TypeKind {
    /// Whether this kind is emitted as a named item.
    pub fn is_named_kind(&self) -> bool {
        matches!(
            self,
            TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Newtype(_) | TypeKind::Alias(_)
        )
    }
}

/// One type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeEntry {
    /// Rust name for named kinds (unique in the crate's `types` module).
    pub name: Option<String>,
    /// Documentation.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
    /// Where it came from, for diagnostics and doc links (`#/components/schemas/Job`).
    pub origin: Option<String>,
}

/// All types of an API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TypeArena {
    entries: Vec<TypeEntry>,
}

impl TypeArena {
    /// An empty arena.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a type.
    pub fn add(&mut self, entry: TypeEntry) -> TypeId {
        let id = TypeId(self.entries.len() as u32);
        self.entries.push(entry);
        id
    }

    /// The type with this id.
    pub fn get(&self, id: TypeId) -> &TypeEntry {
        &self.entries[id.0 as usize]
    }

    /// The type with this id, for changes.
    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeEntry {
        &mut self.entries[id.0 as usize]
    }

    /// All types with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &TypeEntry)> {
        self.entries.iter().enumerate().map(|(i, e)| (TypeId(i as u32), e))
    }

    /// Number of types.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Follow aliases to the type that gives the shape.
    pub fn resolve(&self, mut id: TypeId) -> TypeId {
        // Alias chains are acyclic (lowering breaks cycles), but stay bounded regardless.
        for _ in 0..64 {
            match self.get(id).kind {
                TypeKind::Alias(target) => id = target,
                _ => return id,
            }
        }
        id
    }

    /// The kind after following aliases.
    pub fn kind(&self, id: TypeId) -> &TypeKind {
        &self.get(self.resolve(id)).kind
    }

    /// Named types sorted by name: the order items are emitted in.
    pub fn named_sorted(&self) -> Vec<TypeId> {
        let mut named: Vec<TypeId> =
            self.iter().filter(|(_, e)| e.name.is_some() && e.kind.is_named_kind()).map(|(id, _)| id).collect();
        named.sort_by(|a, b| self.get(*a).name.cmp(&self.get(*b).name));
        named
    }
}
