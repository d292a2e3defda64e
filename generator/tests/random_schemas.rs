//! Random OpenAPI-shaped documents, valid and not: generation never panics, and every error
//! says where it is (a file location or a JSON pointer).

use clientgen::diag::Diagnostics;
use clientgen::{Options, generate_from_str, load, lower};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const NAMES: &[&str] = &["A", "B", "Job", "job_id", "type", "self", "", "x-y", "ü", "1st", "a/b", "~0", "Self"];
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "bogus"];
const FORMATS: &[&str] = &["date-time", "date", "uuid", "byte", "binary", "int32", "int64", "float", "email", "?"];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![4 => prop::sample::select(NAMES).prop_map(str::to_string), 1 => "[a-zA-Z0-9_ {}/.-]{0,12}"]
}

/// A `$ref`: mostly to schemas that may exist, sometimes to nothing or to odd places.
fn reference() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(&["A", "B", "Job", "Missing"][..]).prop_map(|n| json!(format!("#/components/schemas/{n}"))),
        1 => Just(json!("#")),
        1 => Just(json!("#/paths")),
        1 => Just(json!("other.yaml#/X")),
        1 => Just(json!("https://example.com/x.json")),
        1 => Just(json!(7)),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        name().prop_map(Value::from),
    ]
}

/// A schema: an object with a random subset of keywords, recursing into sub-schemas.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        3 => prop::sample::select(TYPES).prop_map(|t| json!({ "type": t })),
        1 => reference().prop_map(|r| json!({ "$ref": r })),
        1 => any::<bool>().prop_map(Value::from),
        1 => scalar(),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        let keywords = (
            prop::option::of(prop_oneof![
                prop::sample::select(TYPES).prop_map(Value::from),
                prop::collection::vec(prop::sample::select(TYPES).prop_map(Value::from), 0..3).prop_map(Value::from),
            ]),
            prop::option::of(prop::collection::btree_map(name(), inner.clone(), 0..4)),
            prop::option::of(inner.clone()),
            prop::option::of(prop::collection::vec(scalar(), 0..4)),
            prop::option::of((0..3usize, prop::collection::vec(inner.clone(), 0..3))),
            prop::option::of(reference()),
            prop::option::of(prop::collection::vec(name(), 0..3)),
            prop::option::of(scalar()),
            prop::option::of(prop::sample::select(FORMATS)),
            prop::option::of(prop_oneof![any::<bool>().prop_map(Value::from), inner.clone()]),
            prop::option::of((any::<bool>(), scalar(), name())),
        );
        keywords.prop_map(|(ty, props, items, en, comp, rf, req, default, format, extra, misc)| {
            let mut m = Map::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    m.insert(k.to_string(), v);
                }
            };
            put("type", ty);
            put("properties", props.map(|p| Value::Object(p.into_iter().collect())));
            put("items", items);
            put("enum", en.map(Value::from));
            put("$ref", rf);
            put("required", req.map(Value::from));
            put("default", default);
            put("format", format.map(Value::from));
            put("additionalProperties", extra);
            if let Some((which, parts)) = comp {
                put(["allOf", "oneOf", "anyOf"][which], Some(Value::from(parts)));
            }
            if let Some((nullable, constant, prop)) = misc {
                put("nullable", Some(nullable.into()));
                put("const", Some(constant));
                put("discriminator", Some(json!({ "propertyName": prop })));
                put("pattern", Some(json!("^[a-z]+$")));
                put("minLength", Some(json!(1)));
                put("maximum", Some(json!(10.5)));
            }
            Value::Object(m)
        })
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    (name(), prop::sample::select(&["path", "query", "header", "cookie", "body"][..]), schema(), any::<bool>())
        .prop_map(|(n, loc, s, req)| json!({ "name": n, "in": loc, "schema": s, "required": req }))
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(parameter(), 0..3),
        prop::option::of((prop::sample::select(&["application/json", "text/plain", "image/png", "*/*"][..]), schema())),
        prop::collection::btree_map(prop::sample::select(&["200", "201", "4XX", "default", "OK"][..]), schema(), 0..3),
    )
        .prop_map(|(id, params, body, responses)| {
            let mut op = json!({ "parameters": params, "responses": {} });
            if let Some(id) = id {
                op["operationId"] = id.into();
            }
            if let Some((media, s)) = body {
                op["requestBody"] = json!({ "content": { media: { "schema": s } } });
            }
            for (status, s) in responses {
                op["responses"][status] =
                    json!({ "description": "r", "content": { "application/json": { "schema": s } } });
            }
            op
        })
}

/// A whole document, mostly well-formed at the top so the schemas get lowered.
fn document() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["3.0.3", "3.1.0", "2.0", "3.1"][..]),
        prop::collection::btree_map(name(), schema(), 0..5),
        prop::collection::btree_map(
            prop::sample::select(&["/a", "/a/{id}", "/b/{x}/{y}", "c", "/d/{"][..]),
            prop::collection::btree_map(prop::sample::select(&["get", "post", "put", "delete"][..]), operation(), 1..3),
            0..3,
        ),
    )
        .prop_map(|(version, schemas, paths)| {
            json!({
                "openapi": version,
                "info": { "title": "Random", "version": "1" },
                "paths": paths,
                "components": { "schemas": schemas },
            })
        })
}

/// Run `f` on a thread with the stack `clientgen::generate` uses.
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(256 << 20).spawn(f).expect("spawn");
    thread.join().expect("no panic")
}

/// Every error has a place, and rendering it does not panic.
fn check_errors(errors: &Diagnostics) {
    for d in errors.iter().filter(|d| d.is_error()) {
        assert!(!d.message.contains("internal error"), "{d}");
        assert!(d.location.is_some() || d.pointer.is_some(), "an error without a place: {d}");
        let _ = d.render(false);
    }
}

/// 256 cases per property from a fixed seed, so CI is repeatable; `PROPTEST_CASES=N` hunts
/// with N cases from a random seed instead.
fn config() -> ProptestConfig {
    match std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()) {
        Some(cases) => ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() },
        None => ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x000c_11e4_76e4),
            failure_persistence: None,
            ..ProptestConfig::default()
        },
    }
}

proptest! {
    #![proptest_config(config())]

    /// The whole pipeline, emit included: a panic shows as an "internal error" diagnostic.
    #[test]
    fn random_documents_generate_or_fail_located(doc in document()) {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        match generate_from_str("random.json", &text, &Options::new("random")) {
            Ok(g) => check_errors(&g.warnings),
            Err(errors) => check_errors(&errors),
        }
    }

    /// Load and lower on damaged text: cut short, or with a byte changed.
    #[test]
    fn damaged_documents_fail_located(doc in document(), cut in any::<prop::sample::Index>(), byte in any::<u8>(), yaml in any::<bool>()) {
        let mut text = serde_json::to_string(&doc).unwrap().into_bytes();
        if yaml {
            // JSON is YAML; a leading comment makes the YAML parser read it.
            text.splice(0..0, b"# yaml\n".iter().copied());
        }
        let at = cut.index(text.len());
        if byte % 2 == 0 { text.truncate(at) } else { text[at] = byte }
        // On a stack as deep as `clientgen::generate` gives the pipeline: lowering recurses
        // with the schema, and a test thread's 2 MiB overflow on legal nesting in debug builds.
        let result = on_big_stack(move || {
            load::Documents::from_bytes("damaged.yaml", text).and_then(|(docs, _)| lower::lower(&docs).map(|_| ()))
        });
        if let Err(errors) = result {
            check_errors(&errors);
        }
    }
}
