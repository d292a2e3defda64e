//! Our side: the OpenAPI document, loaded with clientgen's loader (so every field keeps its
//! file, line and column) and read into the same [`Endpoint`]s as Northflank's typings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use clientgen::load::{Documents, FileId, Node};

use super::shape::{Additional, Kind, Prop, Shape};
use super::theirs::Endpoint;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// `$ref`s followed on one branch before the shape is taken as any value (a recursive schema).
const MAX_REF_DEPTH: usize = 32;

/// The document's operations.
pub fn endpoints(schema: &Path) -> Result<Vec<Endpoint>, String> {
    let (docs, _) = Documents::load(schema).map_err(|d| d.to_string())?;
    let r = Reader { docs: &docs };
    let file = docs.root();
    let root = &docs.doc(file).root;
    let servers = server_paths(root.get("servers"));
    let mut out = Vec::new();
    let Some(paths) = root.get("paths").and_then(Node::as_object) else { return Ok(out) };
    for (path, item) in paths.iter() {
        let (item_file, item) = r.deref(file, item);
        let servers = item.get("servers").map_or_else(|| servers.clone(), |s| server_paths(Some(s)));
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let (op_file, op) = r.deref(item_file, op);
            let servers = op.get("servers").map_or_else(|| servers.clone(), |s| server_paths(Some(s)));
            let params = r.parameters(item_file, item.get("parameters"), op_file, op.get("parameters"));
            let name = op.get("operationId").and_then(Node::as_str).unwrap_or(path).to_string();
            let mut query = BTreeMap::new();
            let mut path_params = BTreeSet::new();
            for (pf, p) in &params {
                let wire = p.get("name").and_then(Node::as_str).unwrap_or_default().to_string();
                match p.get("in").and_then(Node::as_str) {
                    Some("path") => {
                        path_params.insert(wire);
                    }
                    Some("query") => {
                        let required = p.get("required").and_then(Node::as_bool).unwrap_or(false);
                        let shape = p.get("schema").map_or_else(Shape::any, |s| r.shape(*pf, s, 0));
                        query.insert(wire, Prop { shape, required });
                    }
                    _ => {}
                }
            }
            let body = op.get("requestBody").map(|b| {
                let (bf, b) = r.deref(op_file, b);
                let required = b.get("required").and_then(Node::as_bool).unwrap_or(false);
                let shape = json_schema(b).map_or_else(Shape::any, |s| r.shape(bf, s, 0));
                Prop { shape, required }
            });
            let response = r.success_response(op_file, op.get("responses"));
            out.push(Endpoint {
                name,
                method: method.to_ascii_uppercase(),
                forms: servers.iter().map(|s| format!("{s}{path}")).collect(),
                summary: op.get("summary").and_then(Node::as_str).map(str::to_owned),
                permission: op.get("x-required-permission").and_then(Node::as_str).map(str::to_owned),
                path_params,
                query: Shape::object(query),
                body,
                response,
                origin: Some(r.place(op_file, op)),
            });
        }
    }
    Ok(out)
}

/// The path part of each server URL (`https://api.northflank.com/v1` → `/v1`), variables kept as
/// `{name}`; one empty path when the document has no servers.
fn server_paths(servers: Option<&Node>) -> Vec<String> {
    let list: Vec<String> = servers
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.get("url").and_then(Node::as_str))
        .map(|url| {
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
            rest.trim_end_matches('/').to_string()
        })
        .collect();
    if list.is_empty() { vec![String::new()] } else { list }
}

/// The kind a `type` keyword names (`None` for `null` and unknown names).
fn kind_named(name: &str) -> Option<Kind> {
    Some(match name {
        "boolean" => Kind::Boolean,
        "integer" => Kind::Integer,
        "number" => Kind::Number,
        "string" => Kind::String,
        "array" => Kind::Array,
        "object" => Kind::Object,
        _ => return None,
    })
}

/// The `application/json` schema of a request body or response.
fn json_schema(holder: &Node) -> Option<&Node> {
    let content = holder.get("content")?.as_object()?;
    content.get("application/json").or_else(|| content.iter().map(|(_, m)| m).next())?.get("schema")
}

struct Reader<'a> {
    docs: &'a Documents,
}

impl<'a> Reader<'a> {
    /// `node`, or what its `$ref` points at (followed to the end of a chain).
    fn deref(&self, mut file: FileId, mut node: &'a Node) -> (FileId, &'a Node) {
        for _ in 0..MAX_REF_DEPTH {
            let Some(reference) = node.get("$ref").and_then(Node::as_str) else { break };
            match self.docs.resolve(file, reference) {
                Ok(t) => (file, node) = (t.file, t.node),
                Err(_) => break,
            }
        }
        (file, node)
    }

    /// `file:line:col` of a node.
    fn place(&self, file: FileId, node: &Node) -> String {
        let l = self.docs.location(file, node.span);
        format!("{}:{}:{}", l.path, l.line, l.column)
    }

    /// Path-level parameters overridden by the operation's own, by name and location.
    fn parameters(
        &self,
        item_file: FileId,
        item: Option<&'a Node>,
        op_file: FileId,
        op: Option<&'a Node>,
    ) -> Vec<(FileId, &'a Node)> {
        let mut by_key: BTreeMap<(String, String), (FileId, &'a Node)> = BTreeMap::new();
        for (file, list) in [(item_file, item), (op_file, op)] {
            for p in list.and_then(Node::as_array).unwrap_or_default() {
                let (pf, p) = self.deref(file, p);
                let key = |k: &str| p.get(k).and_then(Node::as_str).unwrap_or_default().to_string();
                by_key.insert((key("in"), key("name")), (pf, p));
            }
        }
        by_key.into_values().collect()
    }

    /// The body of the `200` response (or the first 2xx one).
    fn success_response(&self, file: FileId, responses: Option<&'a Node>) -> Shape {
        let Some(responses) = responses.and_then(Node::as_object) else { return Shape::any() };
        let chosen =
            responses.get("200").or_else(|| responses.iter().find(|(k, _)| k.starts_with('2')).map(|(_, v)| v));
        let Some(resp) = chosen else { return Shape::any() };
        let (rf, resp) = self.deref(file, resp);
        json_schema(resp).map_or_else(Shape::any, |s| self.shape(rf, s, 0))
    }

    /// The shape of a schema object.
    fn shape(&self, file: FileId, schema: &'a Node, depth: usize) -> Shape {
        if depth > MAX_REF_DEPTH {
            return Shape::any();
        }
        // Where the schema is written (a property's `$ref`, not the shared component it names).
        let origin = Some(self.place(file, schema));
        let (file, node) = self.deref(file, schema);
        if node.as_bool() == Some(true) {
            return Shape::any();
        }
        let Some(obj) = node.as_object() else { return Shape::any() };
        let sub = |n: &'a Node| self.shape(file, n, depth + 1);
        let list = |k: &str| node.get(k).and_then(Node::as_array).unwrap_or_default();

        let mut nullable = node.get("nullable").and_then(Node::as_bool).unwrap_or(false);
        let mut kinds: Option<BTreeSet<Kind>> = None;
        let type_names: Vec<&str> = match node.get("type") {
            Some(t) => t.as_str().map_or_else(
                || t.as_array().unwrap_or_default().iter().filter_map(Node::as_str).collect(),
                |k| vec![k],
            ),
            None => Vec::new(),
        };
        for name in type_names {
            // `type: 'null'` alone allows no other kind.
            let set = kinds.get_or_insert_with(BTreeSet::new);
            match kind_named(name) {
                Some(k) => {
                    set.insert(k);
                }
                None => nullable |= name == "null",
            }
        }
        let mut values = None;
        let enumerated = node
            .get("enum")
            .and_then(Node::as_array)
            .map(<[Node]>::to_vec)
            .or_else(|| obj.get("const").map(|c| vec![c.clone()]));
        if let Some(list) = enumerated {
            let mut set = BTreeSet::new();
            let mut seen_kinds = BTreeSet::new();
            for v in list {
                match v.to_json() {
                    serde_json::Value::Null => nullable = true,
                    j => {
                        seen_kinds.insert(match &j {
                            serde_json::Value::Bool(_) => Kind::Boolean,
                            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
                            serde_json::Value::Number(_) => Kind::Number,
                            _ => Kind::String,
                        });
                        set.insert(j.to_string());
                    }
                }
            }
            kinds.get_or_insert(seen_kinds);
            values = Some(set);
        }
        let mut properties = BTreeMap::new();
        if let Some(props) = node.get("properties").and_then(Node::as_object) {
            let required: BTreeSet<&str> = list("required").iter().filter_map(Node::as_str).collect();
            for (name, p) in props.iter() {
                properties.insert(name.to_string(), Prop { shape: sub(p), required: required.contains(name) });
            }
        }
        let additional = match node.get("additionalProperties") {
            Some(a) if a.as_bool() == Some(false) => Additional::Closed,
            Some(a) if a.as_bool() == Some(true) => Additional::Open,
            Some(a) if a.as_object().is_some_and(|o| !o.is_empty()) => Additional::Typed(Box::new(sub(a))),
            _ => Additional::Open,
        };
        let items = node.get("items").map(|i| Box::new(sub(i)));
        if kinds.is_none() && (!properties.is_empty() || !matches!(additional, Additional::Open)) {
            kinds = Some(BTreeSet::from([Kind::Object]));
        }
        if kinds.is_none() && items.is_some() {
            kinds = Some(BTreeSet::from([Kind::Array]));
        }
        let own = Shape { kinds, values, nullable, properties, additional, items, origin };
        let mut shape = own.clone();
        if !list("allOf").is_empty() {
            let mut parts: Vec<Shape> = list("allOf").iter().map(sub).collect();
            parts.push(own.clone());
            shape = Shape::all_of(parts);
            shape.nullable = own.nullable || shape.nullable;
        }
        for key in ["oneOf", "anyOf"] {
            let variants: Vec<Shape> = list(key).iter().map(sub).collect();
            if !variants.is_empty() {
                let merged = Shape::union(variants);
                let nullable = shape.nullable || merged.nullable;
                shape = if shape.is_any() && shape.properties.is_empty() {
                    merged
                } else {
                    Shape::all_of(vec![shape, merged])
                };
                shape.nullable = nullable;
            }
        }
        shape.origin = own.origin;
        shape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Vec<Endpoint> {
        let dir = std::env::temp_dir().join(format!("xtask-conformance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("api.yaml");
        std::fs::write(&path, text).unwrap();
        endpoints(&path).unwrap()
    }

    #[test]
    fn reads_operations_with_servers_parameters_bodies_and_responses() {
        let eps = load(
            r"
openapi: 3.1.0
info: {title: t, version: '1'}
servers:
  - url: https://api.example.com/v1
  - url: https://api.example.com/v1/teams/{teamId}
    variables: {teamId: {default: t}}
paths:
  /projects/{projectId}/jobs:
    parameters:
      - {name: projectId, in: path, required: true, schema: {type: string}}
    post:
      operationId: createJob
      summary: Creates a job
      x-required-permission: Project > Jobs > General > Create
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Job'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data:
                    oneOf:
                      - {$ref: '#/components/schemas/Job'}
                      - {type: 'null'}
components:
  schemas:
    Job:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: {type: string}
        status: {type: [string, 'null'], enum: [A, B, null]}
",
        );
        let e = &eps[0];
        assert_eq!(e.forms, ["/v1/projects/{projectId}/jobs", "/v1/teams/{teamId}/projects/{projectId}/jobs"]);
        assert_eq!(e.path_params, BTreeSet::from(["projectId".to_string()]));
        assert_eq!(e.query.properties["per_page"].shape.kinds, Some(BTreeSet::from([Kind::Integer])));
        let body = e.body.as_ref().unwrap();
        assert!(body.required);
        assert_eq!(body.shape.additional, Additional::Closed);
        let status = &body.shape.properties["status"];
        assert!(status.shape.nullable && !status.required);
        assert_eq!(status.shape.values.as_ref().unwrap().len(), 2);
        let data = &e.response.properties["data"];
        assert!(data.required && data.shape.nullable);
        assert!(data.shape.properties["name"].required);
        assert!(e.origin.as_ref().unwrap().ends_with(":13:7"), "{:?}", e.origin);
    }
}
