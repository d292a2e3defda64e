//! Random, valid OpenAPI 3.0 and 3.1 documents, reproducible from a `u64` seed, covering what
//! clientgen supports: every scalar type and format, enums with colliding values, unions with
//! and without discriminators, `allOf`, recursion, maps, parameters of every style, request
//! bodies of every media kind, error responses, cursor pagination, security schemes, servers
//! with variables, and names that collide with Rust keywords, with the crate root's names and
//! with the client's own and derived method names.
//!
//! A document is made of independent *items* (a few component schemas and the operations that
//! use them), each drawn from its own seed: dropping items from a document leaves the others
//! as they were, which is how a failing document is cut down (`RandomApi::document_with`).

mod document;
mod operations;
mod pools;
mod schemas;
mod yaml;

use serde_json::{Map, Value, json};

pub use yaml::to_yaml;

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same document on
/// every machine and every run, without a dependency whose stream may change between versions.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Between `lo` and `hi` distinct elements of `items` (as many as it has), in random order.
    pub fn some_of<T: Clone>(&mut self, items: &[T], lo: usize, hi: usize) -> Vec<T> {
        let n = self.range(lo, hi);
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in (1..idx.len()).rev() {
            idx.swap(i, self.below(i + 1));
        }
        idx.into_iter().take(n).map(|i| items[i].clone()).collect()
    }
}

/// Mix a document seed with an item's index into the item's own seed.
fn item_seed(seed: u64, index: usize) -> u64 {
    Rng::new(seed ^ (index as u64).wrapping_mul(0xd6e8_feb8_6659_fd93)).next_u64()
}

/// The OpenAPI version of a document: what nullability, `const` and exclusive bounds look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// 3.0.3: `nullable: true`, boolean `exclusiveMinimum`, no `const`.
    V30,
    /// 3.1.0: `type: [t, "null"]`, `const`, numeric exclusive bounds, `$ref` with siblings.
    V31,
}

/// One independent part of a document: component schemas (and parameters, responses) and the
/// paths that use them. `$ref`s point only into the item itself.
#[derive(Clone, Debug, Default)]
pub struct Item {
    /// What the item exercises (`pagination`, `union`), for reports.
    pub kind: &'static str,
    /// `components.schemas`, in order.
    pub schemas: Vec<(String, Value)>,
    /// `components.parameters`.
    pub parameters: Vec<(String, Value)>,
    /// `components.responses`.
    pub responses: Vec<(String, Value)>,
    /// Path templates (without the item's prefix) and their path items.
    pub paths: Vec<(String, Value)>,
}

/// What every item may refer to: the document's version and security scheme names.
#[derive(Clone, Debug)]
pub struct Context {
    /// The document's version.
    pub version: Version,
    /// Names under `components.securitySchemes`.
    pub schemes: Vec<String>,
}

/// A random document: the parts every item shares, and the items.
#[derive(Clone, Debug)]
pub struct RandomApi {
    /// The seed it was made from.
    pub seed: u64,
    /// Version and shared names.
    pub context: Context,
    /// `info`, `servers`, `security`, `components.securitySchemes`.
    head: Map<String, Value>,
    schemes: Map<String, Value>,
    /// The items, by index.
    pub items: Vec<Item>,
}

impl RandomApi {
    /// The document of `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let version = if rng.chance(50) { Version::V31 } else { Version::V30 };
        let (schemes, security) = document::security_schemes(&mut rng);
        let context = Context { version, schemes: schemes.keys().cloned().collect() };
        let mut head = Map::new();
        head.insert(
            "openapi".into(),
            json!(match version {
                Version::V30 => "3.0.3",
                Version::V31 => "3.1.0",
            }),
        );
        head.insert("info".into(), document::info(&mut rng, version));
        if let Some(servers) = document::servers(&mut rng) {
            head.insert("servers".into(), servers);
        }
        if let Some(security) = security {
            head.insert("security".into(), security);
        }
        let count = rng.range(2, 7);
        let items = (0..count).map(|i| operations::item(&mut Rng::new(item_seed(seed, i)), &context)).collect();
        RandomApi { seed, context, head, schemes, items }
    }

    /// The whole document.
    pub fn document(&self) -> Value {
        self.document_with(&(0..self.items.len()).collect::<Vec<_>>())
    }

    /// The document with only the items at `keep` (indices into `items`).
    pub fn document_with(&self, keep: &[usize]) -> Value {
        let mut doc = self.head.clone();
        let mut paths = Map::new();
        let mut components: Map<String, Value> = Map::new();
        let mut operation_ids: Vec<String> = Vec::new();
        for &i in keep {
            let Some(item) = self.items.get(i) else { continue };
            let item = renamed(item, &components);
            for (kind, list) in
                [("schemas", &item.schemas), ("parameters", &item.parameters), ("responses", &item.responses)]
            {
                let section = components.entry(kind).or_insert_with(|| json!({}));
                for (name, value) in list {
                    section[name.as_str()] = value.clone();
                }
            }
            for (path, path_item) in &item.paths {
                let mut path_item = path_item.clone();
                unique_operation_ids(&mut path_item, i, &mut operation_ids);
                // Each item's paths under a prefix of their own: templates never conflict.
                paths.insert(format!("/i{i}{path}"), path_item);
            }
        }
        if !self.schemes.is_empty() {
            components.insert("securitySchemes".into(), Value::Object(self.schemes.clone()));
        }
        doc.insert("paths".into(), Value::Object(paths));
        components.retain(|_, v| v.as_object().is_none_or(|o| !o.is_empty()));
        if !components.is_empty() {
            doc.insert("components".into(), Value::Object(components));
        }
        Value::Object(doc)
    }

    /// The whole document as YAML (what the harness generates from and writes for people).
    pub fn yaml(&self) -> String {
        to_yaml(&self.document())
    }

    /// The kinds of the items, for reports: `pagination, union, params`.
    pub fn kinds(&self) -> String {
        self.items.iter().map(|i| i.kind).collect::<Vec<_>>().join(", ")
    }
}

/// `item` with its component names made distinct from those already in `components`, and its
/// `$ref`s and discriminator mappings rewritten to match.
fn renamed(item: &Item, components: &Map<String, Value>) -> Item {
    let mut item = item.clone();
    let mut renames: Vec<(String, String, String)> = Vec::new();
    for (kind, list) in
        [("schemas", &mut item.schemas), ("parameters", &mut item.parameters), ("responses", &mut item.responses)]
    {
        let taken = |n: &str| components.get(kind).is_some_and(|s| s.get(n).is_some());
        for (name, _) in list.iter_mut() {
            if taken(name) {
                let new = (2..).map(|k| format!("{name}{k}")).find(|n| !taken(n)).expect("a free name");
                renames.push((kind.to_string(), name.clone(), new.clone()));
                *name = new;
            }
        }
    }
    if renames.is_empty() {
        return item;
    }
    let rewrite = |v: &mut Value| rewrite_refs(v, &renames);
    for (_, v) in item.schemas.iter_mut().chain(&mut item.parameters).chain(&mut item.responses).chain(&mut item.paths)
    {
        rewrite(v);
    }
    item
}

fn rewrite_refs(v: &mut Value, renames: &[(String, String, String)]) {
    match v {
        Value::Object(o) => {
            for (key, child) in o.iter_mut() {
                let is_mapping = key == "mapping";
                match child {
                    Value::String(s) if key == "$ref" => rename_ref(s, renames),
                    Value::Object(m) if is_mapping => {
                        for target in m.values_mut() {
                            if let Value::String(s) = target {
                                rename_ref(s, renames);
                            }
                        }
                    }
                    _ => rewrite_refs(child, renames),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rewrite_refs(c, renames)),
        _ => {}
    }
}

fn rename_ref(s: &mut String, renames: &[(String, String, String)]) {
    for (kind, old, new) in renames {
        if *s == format!("#/components/{kind}/{old}") {
            *s = format!("#/components/{kind}/{new}");
            return;
        }
        // A discriminator mapping may name a schema bare.
        if kind == "schemas" && s == old {
            *s = new.clone();
            return;
        }
    }
}

/// Make the `operationId`s of `path_item` distinct from those in `seen`.
fn unique_operation_ids(path_item: &mut Value, item: usize, seen: &mut Vec<String>) {
    let Some(o) = path_item.as_object_mut() else { return };
    for (_, op) in o.iter_mut() {
        let Some(id) = op.get("operationId").and_then(Value::as_str).map(str::to_owned) else { continue };
        let id = if seen.contains(&id) { format!("{id}I{item}") } else { id };
        op["operationId"] = json!(id);
        seen.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_document_and_others_differ() {
        assert_eq!(RandomApi::new(7).yaml(), RandomApi::new(7).yaml());
        assert_ne!(RandomApi::new(7).yaml(), RandomApi::new(8).yaml());
    }

    #[test]
    fn dropping_an_item_leaves_the_others_unchanged() {
        let api = (0..50).map(RandomApi::new).find(|a| a.items.len() >= 3).expect("a document with 3 items");
        let all = api.document_with(&[0, 1, 2]);
        let some = api.document_with(&[0, 2]);
        let paths = |d: &Value| d["paths"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        for p in paths(&some) {
            assert_eq!(all["paths"][&p], some["paths"][&p], "{p}");
        }
        assert!(paths(&all).iter().any(|p| p.starts_with("/i1")) || api.items[1].paths.is_empty());
        assert!(!paths(&some).iter().any(|p| p.starts_with("/i1/")));
    }

    #[test]
    fn colliding_component_names_are_renamed_with_their_references() {
        let item = Item {
            kind: "t",
            schemas: vec![(
                "Pet".into(),
                json!({"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Pet"}}}),
            )],
            ..Item::default()
        };
        let api = RandomApi {
            seed: 0,
            context: Context { version: Version::V31, schemes: Vec::new() },
            head: Map::new(),
            schemes: Map::new(),
            items: vec![item.clone(), item],
        };
        let doc = api.document();
        assert_eq!(doc["components"]["schemas"]["Pet2"]["properties"]["next"]["$ref"], "#/components/schemas/Pet2");
        assert_eq!(doc["components"]["schemas"]["Pet"]["properties"]["next"]["$ref"], "#/components/schemas/Pet");
    }
}
