//! Random schemas: scalars of every type and format (each with a value it accepts, for
//! defaults and examples), enums, objects, arrays, maps, unions, `allOf` and recursion.

use serde_json::{Map, Value, json};

use super::pools::{self, DESCRIPTIONS, INT_VALUES, PROPERTY_NAMES, STRING_VALUES, TRICKY_PROPERTY_NAMES};
use super::{Rng, Version};

/// A schema and, when one is easy to know, a value it accepts.
pub struct Sampled {
    /// The schema.
    pub schema: Value,
    /// A value the schema accepts.
    pub sample: Option<Value>,
}

/// Makes the schemas of one item; the component schemas it adds are the item's.
pub struct Schemas<'r> {
    /// The item's generator.
    pub rng: &'r mut Rng,
    /// The document's version.
    pub version: Version,
    /// Component schemas so far, in order.
    pub components: Vec<(String, Value)>,
}

/// `{"$ref": "#/components/schemas/<name>"}`.
pub fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

impl<'r> Schemas<'r> {
    /// Schemas for an item drawn from `rng`.
    pub fn new(rng: &'r mut Rng, version: Version) -> Self {
        Schemas { rng, version, components: Vec::new() }
    }

    /// A component name not yet used in this item: ordinary most of the time.
    pub fn fresh_name(&mut self) -> String {
        for _ in 0..20 {
            let name = if self.rng.chance(25) {
                self.rng.pick(pools::TRICKY_SCHEMA_NAMES)
            } else {
                self.rng.pick(pools::SCHEMA_NAMES)
            };
            if !self.has(name) {
                return name.to_string();
            }
        }
        (2..).map(|k| format!("Schema{k}")).find(|n| !self.has(n)).expect("a free name")
    }

    /// `name` if it is free, else `name2`, `name3`...
    pub fn free_name(&self, name: &str) -> String {
        if !self.has(name) {
            return name.to_string();
        }
        (2..).map(|k| format!("{name}{k}")).find(|n| !self.has(n)).expect("a free name")
    }

    fn has(&self, name: &str) -> bool {
        self.components.iter().any(|(n, _)| n == name)
    }

    /// Add a component schema and return a reference to it.
    pub fn add(&mut self, name: &str, schema: Value) -> Value {
        self.components.push((name.to_string(), schema));
        reference(name)
    }

    /// Replace a component schema added before (to close a recursive type).
    pub fn set(&mut self, name: &str, schema: Value) {
        if let Some(slot) = self.components.iter_mut().find(|(n, _)| n == name) {
            slot.1 = schema;
        }
    }

    /// A description, sometimes.
    pub fn describe(&mut self, schema: &mut Value, percent: u64) {
        if self.rng.chance(percent) {
            schema["description"] = json!(self.rng.pick(DESCRIPTIONS));
        }
    }

    /// A property name: ordinary most of the time.
    pub fn property_name(&mut self) -> String {
        if self.rng.chance(30) { self.rng.pick(TRICKY_PROPERTY_NAMES) } else { self.rng.pick(PROPERTY_NAMES) }
            .to_string()
    }

    // --- scalars ---------------------------------------------------------------------------

    /// A string, integer, number or boolean schema of any format, with constraints.
    pub fn scalar(&mut self) -> Sampled {
        match self.rng.below(10) {
            0..=3 => self.string(),
            4..=5 => self.integer(),
            6..=7 => self.number(),
            _ => Sampled { schema: json!({ "type": "boolean" }), sample: Some(json!(self.rng.chance(50))) },
        }
    }

    /// A string: plain, with a format, or constrained.
    pub fn string(&mut self) -> Sampled {
        let formats: &[(&str, Value)] = &[
            ("date-time", json!("2024-01-02T03:04:05Z")),
            ("date", json!("2024-01-02")),
            ("time", json!("03:04:05")),
            ("uuid", json!("6f1c5a34-8a3b-4d4f-9c1e-0a1b2c3d4e5f")),
            ("byte", json!("aGVsbG8=")),
            ("binary", Value::Null),
            ("email", json!("me@example.com")),
            ("uri", json!("https://example.com/")),
            ("hostname", json!("example.com")),
            ("ipv4", json!("127.0.0.1")),
            ("password", json!("hunter2")),
            ("int64", json!("123")),
            ("decimal", json!("1.50")),
            ("duration", json!("P1D")),
        ];
        let mut schema = json!({ "type": "string" });
        match self.rng.below(3) {
            0 => {
                let (format, sample) = self.rng.pick(formats);
                schema["format"] = json!(format);
                let sample = (!sample.is_null()).then_some(sample);
                Sampled { schema, sample }
            }
            1 => {
                let patterns: &[(&str, &str)] = &[
                    ("^[a-z]+$", "abc"),
                    ("^[A-Z]{2}-\\d{3}$", "AB-123"),
                    ("^\\S+$", "x1"),
                    ("[0-9]", "a1"),
                    ("^(a|b)$", "a"),
                    ("^[\\w.-]+@[\\w.-]+$", "a@b.c"),
                    ("^\\d+$", "42"),
                    ("^\\p{L}+$", "abc"),
                    ("^[^/]+$", "abc"),
                    ("^(?!-)[a-z0-9-]{1,63}$", "abc"),
                ];
                let (pattern, sample) = self.rng.pick(patterns);
                if self.rng.chance(70) {
                    schema["pattern"] = json!(pattern);
                }
                if self.rng.chance(50) {
                    schema["minLength"] = json!(self.rng.range(0, 1));
                }
                if self.rng.chance(50) {
                    schema["maxLength"] = json!(self.rng.pick(&[8, 63, 255]));
                }
                Sampled { schema, sample: Some(json!(sample)) }
            }
            _ => Sampled { schema, sample: Some(json!(self.rng.pick(&["", "text", "with \"quotes\"", "ü"]))) },
        }
    }

    /// An integer of any format, maybe bounded.
    pub fn integer(&mut self) -> Sampled {
        let formats: &[(Option<&str>, i64, i64)] = &[
            (None, i64::MIN, i64::MAX),
            (Some("int8"), -128, 127),
            (Some("int16"), -32_768, 32_767),
            (Some("int32"), i32::MIN as i64, i32::MAX as i64),
            (Some("int64"), i64::MIN, i64::MAX),
            (Some("uint8"), 0, 255),
            (Some("uint16"), 0, 65_535),
            (Some("uint32"), 0, u32::MAX as i64),
            (Some("uint64"), 0, i64::MAX),
            (Some("unix-time"), i64::MIN, i64::MAX),
        ];
        let (format, lo, hi) = self.rng.pick(formats);
        let mut schema = json!({ "type": "integer" });
        if let Some(f) = format {
            schema["format"] = json!(f);
        }
        let mut min = None;
        let mut max = None;
        let mut exclusive = (false, false);
        if self.rng.chance(40) {
            min = Some(self.rng.pick(&[-5i64, 0, 0, 1, 10]).max(lo));
        }
        if self.rng.chance(30) {
            max = Some(self.rng.pick(&[10i64, 100, 127, 1000]).min(hi).max(min.unwrap_or(lo)));
        }
        if self.rng.chance(20) {
            exclusive = (min.is_some(), max.is_some() && max > min.map(|m| m + 1));
        }
        let multiple = (min.is_none() && max.is_none() && self.rng.chance(10)).then(|| self.rng.pick(&[2i64, 5, 10]));
        self.bounds(&mut schema, min.map(|m| json!(m)), max.map(|m| json!(m)), exclusive);
        if let Some(m) = multiple {
            schema["multipleOf"] = json!(m);
        }
        let lo = min.map_or(lo, |m| if exclusive.0 { m + 1 } else { m });
        let hi = max.map_or(hi, |m| if exclusive.1 { m - 1 } else { m });
        let sample =
            [0, 1, 5, 10, 42, lo, hi].into_iter().find(|v| *v >= lo && *v <= hi && multiple.is_none_or(|m| v % m == 0));
        Sampled { schema, sample: sample.map(|v| json!(v)) }
    }

    /// A number, float or double, maybe bounded.
    pub fn number(&mut self) -> Sampled {
        let mut schema = json!({ "type": "number" });
        if let Some(f) = self.rng.pick(&[None, Some("float"), Some("double"), Some("decimal")]) {
            schema["format"] = json!(f);
        }
        let min = self.rng.chance(30).then(|| self.rng.pick(&[-1.5f64, 0.0, 0.5, 1.0]));
        let max = self.rng.chance(30).then(|| self.rng.pick(&[2.5f64, 100.0, 1e6]));
        let exclusive = if self.rng.chance(20) { (min.is_some(), max.is_some()) } else { (false, false) };
        self.bounds(&mut schema, min.map(|m| json!(m)), max.map(|m| json!(m)), exclusive);
        let multiple = (self.rng.chance(10)).then(|| self.rng.pick(&[0.5f64, 0.01, 2.0]));
        if let Some(m) = multiple {
            schema["multipleOf"] = json!(m);
        }
        let ok = |v: f64| {
            min.is_none_or(|m| if exclusive.0 { v > m } else { v >= m })
                && max.is_none_or(|m| if exclusive.1 { v < m } else { v <= m })
                && multiple.is_none_or(|m| (v / m).fract() == 0.0)
        };
        let sample = [0.0, 1.0, 2.0, 1.5, 10.0].into_iter().find(|v| ok(*v));
        Sampled { schema, sample: sample.map(|v| json!(v)) }
    }

    /// `minimum`/`maximum` and their exclusive forms as the version writes them.
    fn bounds(&mut self, schema: &mut Value, min: Option<Value>, max: Option<Value>, exclusive: (bool, bool)) {
        for (value, excl, key, xkey) in
            [(min, exclusive.0, "minimum", "exclusiveMinimum"), (max, exclusive.1, "maximum", "exclusiveMaximum")]
        {
            let Some(v) = value else { continue };
            match (excl, self.version) {
                (false, _) => schema[key] = v,
                (true, Version::V30) => {
                    schema[key] = v;
                    schema[xkey] = json!(true);
                }
                (true, Version::V31) => schema[xkey] = v,
            }
        }
    }

    /// A string or integer enum: values that differ only in case, keywords, `self`/`Self`,
    /// empty, digits first; sometimes with `x-enum-varnames`, sometimes a `const` (3.1).
    pub fn enumeration(&mut self) -> Sampled {
        if self.rng.chance(20) {
            let values: Vec<Value> = self.rng.some_of(INT_VALUES, 1, 5).into_iter().map(|v| json!(v)).collect();
            let sample = values[0].clone();
            let mut schema = json!({ "type": "integer", "enum": values });
            if self.rng.chance(20) {
                // The 0/1 integer enum the generator gives `From<bool>`.
                schema = json!({ "type": "integer", "enum": [0, 1] });
            }
            return Sampled { schema, sample: Some(sample) };
        }
        if self.version == Version::V31 && self.rng.chance(10) {
            let v = self.rng.pick(STRING_VALUES);
            return Sampled { schema: json!({ "type": "string", "const": v }), sample: Some(json!(v)) };
        }
        let values: Vec<&str> = self.rng.some_of(STRING_VALUES, 1, 7);
        let mut schema = json!({ "type": "string", "enum": values });
        if self.rng.chance(10) {
            let names: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("Name{i}{}", v.len())).collect();
            schema["x-enum-varnames"] = json!(names);
        }
        if self.rng.chance(10) {
            let docs: Vec<&str> = values.iter().map(|_| self.rng.pick(DESCRIPTIONS)).collect();
            schema["x-enum-descriptions"] = json!(docs);
        }
        Sampled { schema, sample: Some(json!(values[0])) }
    }

    /// `schema`, also allowing `null`, written as the version writes it.
    pub fn nullable(&mut self, schema: Value) -> Value {
        let is_ref = schema.get("$ref").is_some();
        match self.version {
            Version::V30 if is_ref => {
                if self.rng.chance(50) {
                    json!({ "allOf": [schema], "nullable": true })
                } else {
                    // Read beside a `$ref` too, though 3.0 says siblings are ignored.
                    let mut s = schema;
                    s["nullable"] = json!(true);
                    s
                }
            }
            Version::V30 => {
                let mut s = schema;
                s["nullable"] = json!(true);
                s
            }
            Version::V31 => {
                let typed = schema.get("type").and_then(Value::as_str).map(str::to_owned);
                match typed {
                    Some(t) if self.rng.chance(70) && schema.get("enum").is_none() && schema.get("const").is_none() => {
                        let mut s = schema;
                        s["type"] = json!([t, "null"]);
                        s
                    }
                    _ => {
                        let key = if self.rng.chance(50) { "oneOf" } else { "anyOf" };
                        json!({ key: [schema, { "type": "null" }] })
                    }
                }
            }
        }
    }

    // --- structures ------------------------------------------------------------------------

    /// Any schema for a property or item: mostly scalars, then references, enums, arrays, maps
    /// and nested objects while `depth` allows.
    pub fn any(&mut self, depth: usize) -> Sampled {
        let roll = self.rng.below(20);
        match roll {
            0..=7 => self.scalar(),
            8..=9 => self.enumeration(),
            10..=11 if depth > 0 => {
                let item = self.any(depth - 1);
                let mut schema = json!({ "type": "array", "items": item.schema });
                if self.rng.chance(15) {
                    schema["minItems"] = json!(1);
                }
                if self.rng.chance(15) {
                    schema["maxItems"] = json!(10);
                }
                if self.rng.chance(10) {
                    schema["uniqueItems"] = json!(true);
                }
                let sample = schema.get("minItems").is_none().then(|| json!([]));
                Sampled { schema, sample }
            }
            12 if depth > 0 => self.map(depth - 1),
            13..=14 if depth > 0 => {
                let name = self.fresh_name();
                let schema = self.object(depth - 1, &name);
                Sampled { schema: self.add(&name, schema), sample: None }
            }
            15 if depth > 0 => Sampled { schema: self.object(depth - 1, "inline"), sample: None },
            16 if depth > 0 => Sampled { schema: self.union(depth - 1), sample: None },
            17 if depth > 0 && !self.components.is_empty() => {
                // A reference to a schema already made (which may be the one being made).
                let (name, _) = self.rng.pick(&self.components);
                Sampled { schema: reference(&name), sample: None }
            }
            18 if self.version == Version::V31 => {
                let types = self.rng.some_of(&["string", "integer", "number", "boolean", "array"], 2, 3);
                Sampled { schema: json!({ "type": types }), sample: None }
            }
            19 => Sampled { schema: self.rng.pick(&[json!({}), json!({ "description": "Anything." })]), sample: None },
            _ => self.scalar(),
        }
    }

    /// A map: `additionalProperties` as a schema, `true` or `{}`; sometimes with
    /// `propertyNames` or `patternProperties`.
    pub fn map(&mut self, depth: usize) -> Sampled {
        let value = self.any(depth);
        let mut schema = json!({ "type": "object" });
        match self.rng.below(6) {
            0 => schema["additionalProperties"] = json!(true),
            1 => schema["additionalProperties"] = json!({}),
            2 => schema["patternProperties"] = json!({ "^x-": value.schema }),
            _ => schema["additionalProperties"] = value.schema,
        }
        if self.rng.chance(15) {
            schema["propertyNames"] = self.rng.pick(&[
                json!({ "pattern": "^[a-z]+$" }),
                json!({ "enum": ["a", "b", "A"] }),
                json!({ "maxLength": 8 }),
            ]);
        }
        Sampled { schema, sample: Some(json!({})) }
    }

    /// An object with 1–6 properties: required or not, nullable, defaulted, read-only,
    /// write-only, deprecated, described. `additionalProperties: false` sometimes.
    pub fn object(&mut self, depth: usize, _name: &str) -> Value {
        let mut props = Map::new();
        let mut required = Vec::new();
        for _ in 0..self.rng.range(1, 6) {
            let name = self.property_name();
            if props.contains_key(&name) {
                continue;
            }
            let (schema, is_required) = self.property(depth);
            if is_required {
                required.push(json!(name));
            }
            props.insert(name, schema);
        }
        let mut schema = json!({ "type": "object", "properties": props });
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        if self.rng.chance(10) {
            schema["additionalProperties"] = json!(false);
        }
        if self.rng.chance(10) {
            schema["title"] = json!(self.rng.pick(&["A title", "Self", "client"]));
        }
        self.describe(&mut schema, 20);
        schema
    }

    /// One property: its schema and whether it is required.
    pub fn property(&mut self, depth: usize) -> (Value, bool) {
        let Sampled { mut schema, sample } = self.any(depth);
        let required = self.rng.chance(45);
        let is_ref = schema.get("$ref").is_some();
        if let Some(sample) = sample.filter(|_| self.rng.chance(30)) {
            if is_ref {
                // A default beside a reference: 3.1 allows it, 3.0 through `allOf`.
                schema = match self.version {
                    Version::V31 => json!({ "$ref": schema["$ref"], "default": sample }),
                    Version::V30 => json!({ "allOf": [schema], "default": sample }),
                };
            } else {
                schema["default"] = sample;
            }
        } else if self.rng.chance(10) {
            let key = if self.version == Version::V31 { "examples" } else { "example" };
            schema[key] = match (key, self.rng.chance(50)) {
                ("examples", _) => json!(["an example"]),
                (_, true) => json!("an example"),
                _ => json!({ "nested": [1, 2] }),
            };
        }
        if self.rng.chance(20) {
            schema = self.nullable(schema);
            if self.rng.chance(20) {
                schema["default"] = Value::Null;
            }
        }
        if self.rng.chance(8) {
            schema["readOnly"] = json!(true);
        } else if self.rng.chance(6) {
            schema["writeOnly"] = json!(true);
        }
        if self.rng.chance(5) {
            schema["deprecated"] = json!(true);
        }
        if self.rng.chance(5) {
            schema["x-sensitive"] = json!(true);
        }
        if schema.get("$ref").is_none() || self.version == Version::V31 {
            self.describe(&mut schema, 20);
        }
        (schema, required)
    }

    /// A union of 2–4 variants: with a discriminator (explicit mapping, implicit names, several
    /// tags per variant, or two variants with one tag), or untagged (objects told apart by
    /// their keys, scalars, arrays), `oneOf` or `anyOf`, sometimes nullable.
    pub fn union(&mut self, depth: usize) -> Value {
        let key = if self.rng.chance(70) { "oneOf" } else { "anyOf" };
        let union = if self.rng.chance(50) { self.discriminated(depth, key) } else { self.untagged(depth, key) };
        if self.rng.chance(15) { self.nullable(union) } else { union }
    }

    fn discriminated(&mut self, depth: usize, key: &str) -> Value {
        let property = self.rng.pick(&["type", "kind", "petType", "@type", "self", "Type", "object"]);
        let count = self.rng.range(2, 4);
        let style = self.rng.below(10);
        let mut variants = Vec::new();
        let mut mapping = Map::new();
        for i in 0..count {
            let name = self.fresh_name();
            let mut object = self.object(depth, &name);
            let tag = self.rng.pick(STRING_VALUES);
            let tag_schema = match style {
                // Implicit: the tag is the schema name.
                0..=2 => json!({ "type": "string" }),
                // Two variants that end up with the same tag value.
                3 if i > 0 => json!({ "type": "string", "enum": ["same"] }),
                3 => json!({ "type": "string", "enum": ["same"] }),
                // A const or a one-value enum.
                4..=5 if self.version == Version::V31 => json!({ "type": "string", "const": tag }),
                _ => json!({ "type": "string", "enum": [tag] }),
            };
            object["properties"][property] = tag_schema;
            let mut required: Vec<Value> =
                object.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
            if !required.contains(&json!(property)) {
                required.push(json!(property));
            }
            object["required"] = json!(required);
            if style >= 6 {
                // An explicit mapping: a full reference or a bare name, sometimes two tags.
                // (clientgen reads a bare name with a `.` as a file: reported, kept out of the hunt)
                let bare = self.rng.chance(50) && !name.contains('.');
                let target = if bare { name.clone() } else { format!("#/components/schemas/{name}") };
                mapping.insert(format!("{tag}{i}"), json!(target.clone()));
                if self.rng.chance(20) {
                    mapping.insert(format!("alias{i}"), json!(target));
                }
            }
            variants.push(self.add(&name, object));
        }
        let mut discriminator = json!({ "propertyName": property });
        if !mapping.is_empty() {
            discriminator["mapping"] = Value::Object(mapping);
        }
        json!({ key: variants, "discriminator": discriminator })
    }

    fn untagged(&mut self, depth: usize, key: &str) -> Value {
        let count = self.rng.range(2, 4);
        let mut variants = Vec::new();
        for _ in 0..count {
            let v = match self.rng.below(6) {
                0..=1 => {
                    let name = self.fresh_name();
                    let object = self.object(depth, &name);
                    self.add(&name, object)
                }
                2 => self.object(depth, "inline"),
                3 => self.enumeration().schema,
                4 => json!({ "type": "array", "items": self.scalar().schema }),
                _ => self.scalar().schema,
            };
            if !variants.contains(&v) {
                variants.push(v);
            }
        }
        if self.rng.chance(10) {
            variants.push(json!({ "type": "null" }));
        }
        json!({ key: variants })
    }

    /// `allOf`: a base component and an extension (with its own properties, or only
    /// `required`), sometimes nested; or the 3.0 way to annotate a reference.
    pub fn all_of(&mut self, depth: usize) -> Value {
        let base_name = self.fresh_name();
        let base = self.object(depth, &base_name);
        let base = self.add(&base_name, base);
        match self.rng.below(4) {
            0 => json!({ "allOf": [base], "description": self.rng.pick(DESCRIPTIONS) }),
            1 => {
                let mid_name = self.fresh_name();
                let extra = self.object(depth, &mid_name);
                let mid = self.add(&mid_name, json!({ "allOf": [base, extra] }));
                json!({ "allOf": [mid, self.object(depth, "inline")] })
            }
            2 => json!({ "allOf": [base, { "required": ["id"], "properties": { "id": { "type": "string" } } }] }),
            _ => {
                let other_name = self.fresh_name();
                let other = self.object(depth, &other_name);
                let other = self.add(&other_name, other);
                json!({ "allOf": [base, other, self.object(depth, "inline")] })
            }
        }
    }

    /// A recursive type: a tree through an array, a linked list through a nullable reference,
    /// two types through each other, or a map of itself.
    pub fn recursive(&mut self) -> Value {
        let name = self.fresh_name();
        let me = self.add(&name, json!({}));
        let schema = match self.rng.below(4) {
            0 => json!({ "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string" }, "children": { "type": "array", "items": me } } }),
            1 => {
                let next = self.nullable(me);
                json!({ "type": "object", "properties": { "value": { "type": "integer" }, "next": next } })
            }
            2 => {
                let other_name = self.fresh_name();
                let other = self
                    .add(&other_name, json!({ "type": "object", "required": ["back"], "properties": { "back": me } }));
                json!({ "type": "object", "properties": { "other": other, "label": { "type": "string" } } })
            }
            _ => {
                json!({ "type": "object", "properties": { "entries": { "type": "object", "additionalProperties": me } } })
            }
        };
        self.set(&name, schema);
        reference(&name)
    }
}
