//! Random items: operations and the schemas they use. Request parameters and bodies, and
//! responses, are in `requests`; cursor pagination is in `paging`.

mod paging;
mod requests;

use serde_json::{Value, json};

use super::pools::{self, DESCRIPTIONS, OPERATION_NAMES, TRICKY_OPERATION_NAMES};
use super::schemas::Schemas;
use super::{Context, Item, Rng};

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// One item of a kind drawn from `rng`.
pub fn item(rng: &mut Rng, context: &Context) -> Item {
    let kinds: &[&'static str] =
        &["models", "union", "allof", "recursion", "params", "bodies", "responses", "pagination", "names", "maps"];
    let kind = rng.pick(kinds);
    let mut ops = Ops::new(rng, context);
    match kind {
        "models" => ops.models(),
        "union" => ops.unions(),
        "allof" => ops.all_of(),
        "recursion" => ops.recursion(),
        "params" => ops.params(),
        "bodies" => ops.bodies(),
        "responses" => ops.responses(),
        "pagination" => ops.pagination(),
        "names" => ops.names(),
        _ => ops.maps(),
    }
    ops.finish(kind)
}

/// The operations of one item, and its schemas.
struct Ops<'r> {
    s: Schemas<'r>,
    context: &'r Context,
    paths: Vec<(String, Value)>,
    parameters: Vec<(String, Value)>,
    responses: Vec<(String, Value)>,
}

impl<'r> Ops<'r> {
    fn new(rng: &'r mut Rng, context: &'r Context) -> Self {
        Ops {
            s: Schemas::new(rng, context.version),
            context,
            paths: Vec::new(),
            parameters: Vec::new(),
            responses: Vec::new(),
        }
    }

    fn finish(self, kind: &'static str) -> Item {
        Item {
            kind,
            schemas: self.s.components,
            parameters: self.parameters,
            responses: self.responses,
            paths: self.paths,
        }
    }

    fn rng(&mut self) -> &mut Rng {
        self.s.rng
    }

    /// An operation name: ordinary most of the time.
    fn operation_id(&mut self) -> Option<String> {
        match self.rng().below(10) {
            0 => None,
            1..=2 => Some(self.rng().pick(TRICKY_OPERATION_NAMES).to_string()),
            _ => Some(self.rng().pick(OPERATION_NAMES).to_string()),
        }
    }

    /// Add `operation` under `method` at `path` (made unique within the item).
    fn add(&mut self, path: &str, method: &str, mut operation: Value) {
        if let Some(id) = operation.get("operationId").and_then(Value::as_str).map(str::to_owned) {
            let taken = |ops: &Self| {
                ops.paths.iter().any(|(_, item)| {
                    item.as_object().is_some_and(|o| o.values().any(|op| op["operationId"] == json!(id)))
                })
            };
            if taken(self) {
                operation["operationId"] = json!(format!("{id}Again"));
            }
        }
        self.security(&mut operation);
        if self.rng().chance(15) {
            operation["summary"] = json!(self.rng().pick(DESCRIPTIONS));
        }
        self.s.describe(&mut operation, 20);
        if self.rng().chance(5) {
            operation["deprecated"] = json!(true);
        }
        let slot = match self.paths.iter().position(|(p, item)| p == path && item.get(method).is_none()) {
            Some(i) => i,
            None => {
                let path = if self.paths.iter().any(|(p, _)| p == path) {
                    format!("{path}/again{}", self.paths.len())
                } else {
                    path.to_string()
                };
                // Path parameters are declared on each operation; carry them to the new path.
                self.paths.push((path, json!({})));
                self.paths.len() - 1
            }
        };
        self.paths[slot].1[method] = operation;
    }

    /// Operation-level security: none (public), another scheme, or optional.
    fn security(&mut self, operation: &mut Value) {
        if self.context.schemes.is_empty() || !self.rng().chance(20) {
            return;
        }
        let scheme = self.s.rng.pick(&self.context.schemes);
        operation["security"] = match self.rng().below(3) {
            0 => json!([]),
            1 => json!([{ scheme: [] }]),
            _ => json!([{}, { scheme: [] }]),
        };
    }

    /// A JSON response body.
    fn json_content(schema: Value) -> Value {
        json!({ "application/json": { "schema": schema } })
    }

    fn ok(&mut self, schema: Value) -> Value {
        json!({ "200": { "description": "OK", "content": Self::json_content(schema) } })
    }

    /// An operation at a path with one `{id}` parameter and a JSON response of `schema`.
    fn get_by_id(&mut self, schema: Value) {
        let id = self.operation_id();
        let param = self.path_param("id");
        let mut op = json!({ "parameters": [param], "responses": self.ok(schema) });
        if let Some(id) = id {
            op["operationId"] = json!(id);
        }
        self.add("/things/{id}", "get", op);
    }

    /// A path parameter of a random scalar type.
    fn path_param(&mut self, name: &str) -> Value {
        let schema = match self.rng().below(6) {
            0 => json!({ "type": "integer", "format": "int64" }),
            1 => json!({ "type": "string", "format": "uuid" }),
            2 => self.s.enumeration().schema,
            3 => json!({ "type": "integer", "minimum": 0 }),
            _ => json!({ "type": "string" }),
        };
        json!({ "name": name, "in": "path", "required": true, "schema": schema })
    }

    // --- kinds of items --------------------------------------------------------------------

    /// Component objects used in a request and a response.
    fn models(&mut self) {
        let name = self.s.fresh_name();
        let object = self.s.object(2, &name);
        let r = self.s.add(&name, object);
        self.get_by_id(r.clone());
        if self.rng().chance(60) {
            let id = self.operation_id();
            let mut op = json!({
                "requestBody": { "required": self.rng().chance(70), "content": Self::json_content(r.clone()) },
                "responses": { "201": { "description": "Created", "content": Self::json_content(r) } },
            });
            if let Some(id) = id {
                op["operationId"] = json!(id);
            }
            self.add("/things", "post", op);
        }
    }

    /// A union component returned, sometimes also sent.
    fn unions(&mut self) {
        let union = self.s.union(1);
        let name = self.s.fresh_name();
        let r = self.s.add(&name, union);
        self.get_by_id(r.clone());
        if self.rng().chance(40) {
            let op = json!({
                "operationId": self.operation_id().unwrap_or_else(|| "sendUnion".into()),
                "requestBody": { "required": true, "content": Self::json_content(r) },
                "responses": { "204": { "description": "Done" } },
            });
            self.add("/things", "put", op);
        }
    }

    fn all_of(&mut self) {
        let composed = self.s.all_of(1);
        let name = self.s.fresh_name();
        let r = self.s.add(&name, composed);
        self.get_by_id(r);
    }

    fn recursion(&mut self) {
        let r = self.s.recursive();
        self.get_by_id(r);
    }

    /// Maps at the top of a body, and of references.
    fn maps(&mut self) {
        let map = self.s.map(1).schema;
        let name = self.s.fresh_name();
        let r = self.s.add(&name, map);
        let response = if self.rng().chance(50) { r } else { json!({ "type": "object", "additionalProperties": r }) };
        self.get_by_id(response);
    }
    /// Names that collide: operations named like the client's methods or keywords,
    /// component types named like the crate root's items, Rust's prelude or each other.
    fn names(&mut self) {
        let count = self.rng().range(1, 4);
        for _ in 0..count {
            let name = self.rng().pick(pools::TRICKY_SCHEMA_NAMES);
            let name = self.s.free_name(name);
            let object = self.s.object(1, &name);
            let r = self.s.add(&name, object);
            let id = self.rng().pick(TRICKY_OPERATION_NAMES);
            let op = json!({ "operationId": id, "responses": self.ok(r) });
            let method = self.rng().pick(METHODS);
            let path = format!("/{}", self.rng().pick(&["a", "b", "self", "type", "x-y"]));
            self.add(&path, method, op);
        }
        if self.rng().chance(50) {
            // No operationId: the name comes from the method and path, which may collide with
            // an operationId spelled the same way.
            let op = json!({ "responses": { "204": { "description": "Done" } } });
            self.add("/get-pet", "get", op);
            let op = json!({ "operationId": "getGetPet", "responses": { "204": { "description": "Done" } } });
            self.add("/get_pet", "get", op);
        }
    }
}
