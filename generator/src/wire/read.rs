//! Reading a loaded document into [`Endpoint`]s, every part located.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::Endpoint;
use super::shape::{Additional, Kind, Origin, Prop, Shape};
use crate::load::{Documents, FileId, Node};
use crate::lower::Cursor;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// `$ref`s followed on one branch before the shape is taken as any value (a recursive schema).
const MAX_REF_DEPTH: usize = 32;

/// The document's operations, in document order.
pub fn endpoints(docs: &Documents) -> Vec<Endpoint> {
    let r = Reader { docs, read: RefCell::default(), reading: RefCell::default() };
    let root = Cursor::new(docs.root(), &docs.doc(docs.root()).root, String::new());
    let servers = server_paths(root.child("servers").as_ref());
    let root_security = root.child("security").map(|s| security(&s));
    let mut out = Vec::new();
    let Some(paths) = root.child("paths") else { return out };
    for (path, item) in paths.members() {
        let item = r.deref(item);
        let servers = item.child("servers").map_or_else(|| servers.clone(), |s| server_paths(Some(&s)));
        for method in METHODS {
            let Some(op) = item.child(method) else { continue };
            let op = r.deref(op);
            let servers = op.child("servers").map_or_else(|| servers.clone(), |s| server_paths(Some(&s)));
            let mut query = BTreeMap::new();
            let mut headers = BTreeMap::new();
            let mut path_params = BTreeSet::new();
            for p in r.parameters(item.child("parameters"), op.child("parameters")) {
                let wire = p.str("name").unwrap_or_default().to_string();
                let required = p.bool("required").unwrap_or(false);
                let mut shape = p.child("schema").map_or_else(Shape::any, |s| r.shape(&s, 0));
                shape.deprecated |= p.bool("deprecated").unwrap_or(false);
                shape.origin = Some(r.origin(&p));
                match p.str("in") {
                    Some("path") => {
                        path_params.insert(wire);
                    }
                    Some("query") => {
                        query.insert(wire, Prop { shape, required });
                    }
                    Some("header") => {
                        headers.insert(wire.to_ascii_lowercase(), Prop { shape, required });
                    }
                    _ => {}
                }
            }
            let body = op.child("requestBody").map(|b| {
                let b = r.deref(b);
                let required = b.bool("required").unwrap_or(false);
                let mut shape = json_schema(&b).map_or_else(Shape::any, |s| r.shape(&s, 0));
                shape.origin.get_or_insert_with(|| r.origin(&b));
                Prop { shape, required }
            });
            let extensions = op
                .members()
                .into_iter()
                .filter(|(k, _)| k.starts_with("x-"))
                .filter_map(|(k, v)| Some((k.to_string(), v.node.as_str()?.to_string())))
                .collect();
            out.push(Endpoint {
                name: op.str("operationId").map_or_else(|| format!("{} {path}", method.to_uppercase()), str::to_owned),
                method: method.to_ascii_uppercase(),
                path: path.to_string(),
                forms: servers.iter().map(|s| format!("{s}{path}")).collect(),
                summary: op.str("summary").map(str::to_owned),
                deprecated: op.bool("deprecated").unwrap_or(false),
                extensions,
                security: op.child("security").map(|s| security(&s)).or_else(|| root_security.clone()),
                path_params,
                query: Shape::object(query),
                headers: Shape::object(headers),
                body,
                response: r.success_response(op.child("responses")),
                origin: Some(r.origin(&op)),
            });
        }
    }
    out
}

/// The path part of each server URL (`https://api.northflank.com/v1` → `/v1`), variables kept as
/// `{name}`; one empty path when there are no servers.
fn server_paths(servers: Option<&Cursor<'_>>) -> Vec<String> {
    let list: Vec<String> = servers
        .map(Cursor::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.str("url"))
        .map(|url| {
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
            rest.trim_end_matches('/').to_string()
        })
        .collect();
    if list.is_empty() { vec![String::new()] } else { list }
}

/// The scheme names of a `security` list (`[]` means no credentials: an empty set).
fn security(list: &Cursor<'_>) -> BTreeSet<String> {
    list.items().iter().flat_map(|req| req.members().into_iter().map(|(k, _)| k.to_string())).collect()
}

/// The `application/json` schema of a request body or response (else of its first media type).
fn json_schema<'a>(holder: &Cursor<'a>) -> Option<Cursor<'a>> {
    let content = holder.child("content")?;
    let media = content.child("application/json").or_else(|| content.members().into_iter().next().map(|(_, m)| m))?;
    media.child("schema")
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

struct Reader<'a> {
    docs: &'a Documents,
    /// Shapes of the schemas read so far, by location: a component is read once however many
    /// places name it.
    read: RefCell<HashMap<(FileId, String), Shape>>,
    /// The schemas being read: one that names itself (a tree, a linked list) reads as any value
    /// there, where following it would never end. (A shape read inside such a cycle is kept
    /// with it cut there; both documents of a comparison are read the same way.)
    reading: RefCell<HashSet<(FileId, String)>>,
}

impl<'a> Reader<'a> {
    /// `c`, or what its `$ref` points at (followed to the end of a chain).
    fn deref(&self, mut c: Cursor<'a>) -> Cursor<'a> {
        for _ in 0..MAX_REF_DEPTH {
            let Some(reference) = c.str("$ref") else { break };
            match self.docs.resolve(c.file, reference) {
                Ok(t) => c = Cursor::new(t.file, t.node, t.pointer),
                Err(_) => break,
            }
        }
        c
    }

    /// Where `c` is.
    fn origin(&self, c: &Cursor<'_>) -> Origin {
        Origin::of(self.docs, c)
    }

    /// Path-level parameters overridden by the operation's own, by name and location.
    fn parameters(&self, item: Option<Cursor<'a>>, op: Option<Cursor<'a>>) -> Vec<Cursor<'a>> {
        let mut by_key: BTreeMap<(String, String), Cursor<'a>> = BTreeMap::new();
        for list in [item, op].into_iter().flatten() {
            for p in list.items() {
                let p = self.deref(p);
                let key = |k: &str| p.str(k).unwrap_or_default().to_string();
                by_key.insert((key("in"), key("name")), p);
            }
        }
        by_key.into_values().collect()
    }

    /// The body of the `200` response (or the first 2xx one).
    fn success_response(&self, responses: Option<Cursor<'a>>) -> Shape {
        let Some(responses) = responses else { return Shape::any() };
        let members = responses.members();
        let chosen = members
            .iter()
            .find(|(k, _)| *k == "200")
            .or_else(|| members.iter().find(|(k, _)| k.starts_with('2')))
            .map(|(_, v)| v.clone());
        let Some(resp) = chosen else { return Shape::any() };
        let resp = self.deref(resp);
        json_schema(&resp).map_or_else(Shape::any, |s| self.shape(&s, 0))
    }

    /// The shape of a schema object, placed where it is written (a property's `$ref`, not the
    /// shared component it names).
    fn shape(&self, schema: &Cursor<'a>, depth: usize) -> Shape {
        let origin = Some(self.origin(schema));
        let node = self.deref(schema.clone());
        let key = (node.file, node.pointer.clone());
        let cached = self.read.borrow().get(&key).cloned();
        let mut shape = match cached {
            Some(shape) => shape,
            None if depth > MAX_REF_DEPTH || !self.reading.borrow_mut().insert(key.clone()) => Shape::any(),
            None => {
                let shape = self.read_shape(&node, depth);
                self.reading.borrow_mut().remove(&key);
                self.read.borrow_mut().insert(key, shape.clone());
                shape
            }
        };
        shape.origin = origin;
        shape.deprecated |= schema.bool("deprecated").unwrap_or(false);
        shape
    }

    /// The shape of the schema object `node` (no `$ref`), wherever it is written.
    fn read_shape(&self, node: &Cursor<'a>, depth: usize) -> Shape {
        if node.node.as_bool() == Some(true) || node.object().is_none() {
            return Shape::any();
        }
        let sub = |c: &Cursor<'a>| self.shape(c, depth + 1);
        let list = |k: &str| node.child(k).map(|c| c.items()).unwrap_or_default();

        let mut nullable = node.bool("nullable").unwrap_or(false);
        let mut kinds: Option<BTreeSet<Kind>> = None;
        let type_names: Vec<&str> = match node.node.get("type") {
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
            .node
            .get("enum")
            .and_then(Node::as_array)
            .map(<[Node]>::to_vec)
            .or_else(|| node.node.get("const").map(|c| vec![c.clone()]));
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
        if let Some(props) = node.child("properties") {
            let required: BTreeSet<&str> = list("required").iter().filter_map(|c| c.node.as_str()).collect();
            for (name, p) in props.members() {
                properties.insert(name.to_string(), Prop { shape: sub(&p), required: required.contains(name) });
            }
        }
        let additional = match node.child("additionalProperties") {
            Some(a) if a.node.as_bool() == Some(false) => Additional::Closed,
            Some(a) if a.node.as_bool() == Some(true) => Additional::Open,
            Some(a) if a.object().is_some_and(|o| !o.is_empty()) => Additional::Typed(Box::new(sub(&a))),
            _ => Additional::Open,
        };
        let items = node.child("items").map(|i| Box::new(sub(&i)));
        if kinds.is_none() && (!properties.is_empty() || !matches!(additional, Additional::Open)) {
            kinds = Some(BTreeSet::from([Kind::Object]));
        }
        if kinds.is_none() && items.is_some() {
            kinds = Some(BTreeSet::from([Kind::Array]));
        }
        let own = Shape {
            kinds,
            values,
            nullable,
            properties,
            additional,
            items,
            format: node.str("format").map(str::to_owned),
            deprecated: node.bool("deprecated").unwrap_or(false),
            origin: None,
        };
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
        shape.deprecated = own.deprecated;
        shape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Endpoint> {
        let (docs, _) = Documents::from_text("api.yaml", text).expect("loads");
        endpoints(&docs)
    }

    #[test]
    fn reads_operations_with_servers_parameters_bodies_and_responses() {
        let eps = read(
            r"openapi: 3.1.0
info: {title: t, version: '1'}
servers:
  - url: https://api.example.com/v1
  - url: https://api.example.com/v1/teams/{teamId}
    variables: {teamId: {default: t}}
security: [{bearer: []}]
paths:
  /projects/{projectId}/jobs:
    parameters:
      - {name: projectId, in: path, required: true, schema: {type: string}}
    post:
      operationId: createJob
      summary: Creates a job
      x-required-permission: Project > Jobs > General > Create
      parameters:
        - {name: per_page, in: query, schema: {type: integer, format: int32}}
        - {name: X-Trace, in: header, deprecated: true, schema: {type: string}}
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
        assert_eq!(e.name, "createJob");
        assert_eq!(e.forms, ["/v1/projects/{projectId}/jobs", "/v1/teams/{teamId}/projects/{projectId}/jobs"]);
        assert_eq!(e.path_params, BTreeSet::from(["projectId".to_string()]));
        assert_eq!(e.extensions["x-required-permission"], "Project > Jobs > General > Create");
        assert_eq!(e.security, Some(BTreeSet::from(["bearer".to_string()])));
        let per_page = &e.query.properties["per_page"].shape;
        assert_eq!(per_page.kinds, Some(BTreeSet::from([Kind::Integer])));
        assert_eq!(per_page.format.as_deref(), Some("int32"));
        assert!(e.headers.properties["x-trace"].shape.deprecated);
        let body = e.body.as_ref().unwrap();
        assert!(body.required);
        assert_eq!(body.shape.additional, Additional::Closed);
        let status = &body.shape.properties["status"];
        assert!(status.shape.nullable && !status.required);
        assert_eq!(status.shape.values.as_ref().unwrap().len(), 2);
        assert_eq!(status.shape.origin.as_ref().unwrap().pointer, "#/components/schemas/Job/properties/status");
        let data = &e.response.properties["data"];
        assert!(data.required && data.shape.nullable);
        assert!(data.shape.properties["name"].required);
        let origin = e.origin.as_ref().unwrap();
        assert_eq!(origin.place, "api.yaml:13:7");
        assert_eq!(origin.pointer, "#/paths/~1projects~1{projectId}~1jobs/post");
    }

    #[test]
    fn schemas_that_name_themselves_are_read_once() {
        // Two properties naming their own object: expanded afresh at every level, this was 2^32
        // reads; read once by location, and cut where it names itself, it is a handful.
        let eps = read(
            r"openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /nodes:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}
components:
  schemas:
    Node:
      type: object
      properties:
        left: {$ref: '#/components/schemas/Node'}
        right: {$ref: '#/components/schemas/Node'}
        value: {type: integer}
",
        );
        let body = &eps[0].response;
        assert!(body.properties["value"].shape.kinds.as_ref().is_some_and(|k| k.contains(&Kind::Integer)), "{body:?}");
        let left = &body.properties["left"].shape;
        assert!(left.is_any(), "cut where it names itself: {left:?}");
        assert_eq!(left.origin.as_ref().unwrap().pointer, "#/components/schemas/Node/properties/left");
    }
}
