//! Names are stable: adding an unrelated operation, schema or property anywhere in a document
//! renames nothing its crate had, so dependents keep building (a field added to the object that
//! changed is the only change to what existed).
//!
//! The documents are the fixtures and the Northflank schema; each case adds one thing at a
//! random place and compares the two crates' public APIs with `clientgen diff`'s Rust rules.

use std::path::PathBuf;

use clientgen::diff::{Change, compare_crates};
use clientgen::{Options, generate_from_str, load};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Kinds of change that mean something a dependent could name is gone or different.
const BREAKS: &[&str] = &[
    "item-removed",
    "item-renamed",
    "function-removed",
    "reexport-removed",
    "impl-removed",
    "field-removed",
    "variant-removed",
    "variant-payload-changed",
    "field-type-changed",
    "field-became-optional",
    "field-became-required",
    "signature-changed",
    "alias-target-changed",
    "const-type-changed",
    "item-kind-changed",
];

fn documents() -> Vec<(String, Value)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    paths.push(root.join("schema/northflank-jobs.yaml"));
    paths
        .into_iter()
        .map(|p| {
            let (docs, _) = load::Documents::load(&p).unwrap_or_else(|d| panic!("{}: {d}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), docs.doc(docs.root()).root.to_json())
        })
        .collect()
}

/// One addition to a document.
#[derive(Clone, Debug)]
enum Addition {
    /// A new path with a GET whose response is an inline object of these properties.
    Operation(Vec<(String, &'static str)>),
    /// A new component schema: an object of these properties.
    Schema(Vec<(String, &'static str)>),
    /// A new optional property on the n-th object schema of the document (wrapping around).
    Property(usize, String, &'static str),
}

fn properties() -> impl Strategy<Value = Vec<(String, &'static str)>> {
    prop::collection::vec(
        ("[a-z][a-zA-Z]{2,8}", prop::sample::select(&["string", "integer", "boolean", "number"][..])),
        1..4,
    )
}

fn addition() -> impl Strategy<Value = Addition> {
    prop_oneof![
        properties().prop_map(Addition::Operation),
        properties().prop_map(Addition::Schema),
        (any::<usize>(), "[a-z][a-zA-Z]{2,8}", prop::sample::select(&["string", "integer", "boolean"][..]))
            .prop_map(|(i, n, t)| Addition::Property(i, n, t)),
    ]
}

fn object(props: &[(String, &str)]) -> Value {
    let properties: serde_json::Map<String, Value> =
        props.iter().map(|(n, t)| (n.clone(), json!({"type": t}))).collect();
    json!({"type": "object", "properties": properties})
}

/// Every object schema with `properties`, by JSON pointer, in document order.
fn objects(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if m.get("properties").is_some_and(Value::is_object) && !m.contains_key("$ref") {
                out.push(at.clone());
            }
            for (k, child) in m {
                // Examples are data, not schemas.
                if k == "examples" || k == "example" {
                    continue;
                }
                objects(child, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                objects(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `doc` with `addition` made; `None` where the document has no place for it.
fn add(doc: &Value, addition: &Addition) -> Option<Value> {
    let mut doc = doc.clone();
    match addition {
        Addition::Operation(props) => {
            let op = json!({"get": {"operationId": "zzAddedOperation", "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": object(props)}}}}}});
            doc.as_object_mut()?
                .entry("paths")
                .or_insert_with(|| json!({}))
                .as_object_mut()?
                .insert("/zz-added".into(), op);
        }
        Addition::Schema(props) => {
            let components = doc.as_object_mut()?.entry("components").or_insert_with(|| json!({}));
            let schemas = components.as_object_mut()?.entry("schemas").or_insert_with(|| json!({}));
            schemas.as_object_mut()?.insert("ZzAdded".into(), object(props));
        }
        Addition::Property(i, name, ty) => {
            let mut found = Vec::new();
            objects(&doc, String::new(), &mut found);
            let at = found.get(i % found.len().max(1))?.clone();
            let props = doc.pointer_mut(&format!("{at}/properties"))?.as_object_mut()?;
            if props.contains_key(name) {
                return None;
            }
            props.insert(name.clone(), json!({"type": ty}));
        }
    }
    Some(doc)
}

fn breaking(changes: &[Change]) -> Vec<&Change> {
    changes.iter().filter(|c| BREAKS.contains(&c.kind)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5ab1e),
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_unrelated_addition_renames_nothing(which in any::<usize>(), addition in addition()) {
        let docs = documents();
        let (name, doc) = &docs[which % docs.len()];
        let Some(changed) = add(doc, &addition) else { return Ok(()) };
        let options = Options::new("stable");
        let before = generate_from_str(name, &doc.to_string(), &options).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let after = generate_from_str(name, &changed.to_string(), &options).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let changes = compare_crates(&before.files, &after.files);
        let broken = breaking(&changes);
        prop_assert!(broken.is_empty(), "{name} with {addition:?}: {broken:#?}");
    }
}
