//! Items about requests and responses: parameters of every location and style, request bodies
//! of every media kind, and responses of every kind.

use serde_json::{Map, Value, json};

use super::super::pools::DESCRIPTIONS;
use super::super::schemas::{Sampled, Schemas};
use super::{METHODS, Ops};

impl Ops<'_> {
    /// One operation with parameters of every location and style, path-level parameters,
    /// parameters from `components`, names that collide with each other and with the method's
    /// own arguments and locals.
    pub(super) fn params(&mut self) {
        let mut params = Vec::new();
        let mut names: Vec<(String, String)> = Vec::new();
        let count = self.rng().range(1, 7);
        for _ in 0..count {
            let location = self.rng().pick(&["query", "query", "query", "header", "cookie"]);
            let name = match self.rng().below(3) {
                0 => self.rng().pick(&[
                    "params",
                    "body",
                    "self",
                    "path",
                    "request",
                    "response",
                    "type",
                    "id",
                    "client",
                    "options",
                    "limit",
                    "x-request-id",
                    "filter[name]",
                    "sort-by",
                    "sortBy",
                    "sort_by",
                    "page[size]",
                    "1st",
                    "",
                    "Accept",
                    "Authorization",
                    "Content-Type",
                    "ü",
                ]),
                _ => self.rng().pick(&["limit", "offset", "q", "tags", "since", "status", "expand", "include"]),
            }
            .to_string();
            if names.contains(&(name.clone(), location.to_string())) {
                continue;
            }
            names.push((name.clone(), location.to_string()));
            params.push(self.parameter(&name, location));
        }
        let id_param = self.path_param("id");
        let path_param = json!({ "name": "path", "in": "path", "required": true, "schema": { "type": "string" } });
        let id = self.operation_id();
        let mut op = json!({ "parameters": params, "responses": { "204": { "description": "Done" } } });
        if let Some(id) = id {
            op["operationId"] = json!(id);
        }
        if self.rng().chance(30) {
            // A parameter from `components`, named for itself.
            let name = self.rng().pick(&["Limit", "pageSize", "X-Trace"]).to_string();
            let p = self.parameter(&format!("{name}Param"), "query");
            self.parameters.push((name.clone(), p));
            op["parameters"]
                .as_array_mut()
                .expect("a list")
                .push(json!({ "$ref": format!("#/components/parameters/{name}") }));
        }
        let method = self.rng().pick(&["get", "delete", "head", "options"]);
        let (path, shared) = match self.rng().below(3) {
            0 => ("/things/{id}/{path}".to_string(), vec![id_param, path_param]),
            1 => ("/things/{id}".to_string(), vec![id_param]),
            _ => ("/things".to_string(), Vec::new()),
        };
        if self.rng().chance(40) && !shared.is_empty() {
            // Shared by the path's operations.
            self.add(&path, method, op);
            if let Some((_, item)) = self.paths.iter_mut().find(|(p, _)| *p == path) {
                item["parameters"] = json!(shared);
            }
        } else {
            let list = op["parameters"].as_array_mut().expect("a list");
            for (i, p) in shared.into_iter().enumerate() {
                list.insert(i, p);
            }
            self.add(&path, method, op);
        }
    }

    /// A parameter in `location`, of a type and style that location allows.
    fn parameter(&mut self, name: &str, location: &str) -> Value {
        let mut p = json!({ "name": name, "in": location });
        let required = self.rng().chance(30);
        if required {
            p["required"] = json!(true);
        }
        let scalar = |s: &mut Schemas| -> Value {
            match s.rng.below(4) {
                0 => s.enumeration().schema,
                _ => s.scalar().schema,
            }
        };
        match (location, self.rng().below(6)) {
            ("query", 0) => {
                p["style"] = json!("deepObject");
                p["explode"] = json!(true);
                let object = self.s.object(0, "filter");
                p["schema"] = object;
            }
            ("query", 1) => {
                p["style"] = json!(self.rng().pick(&["spaceDelimited", "pipeDelimited"]));
                p["explode"] = json!(false);
                p["schema"] = json!({ "type": "array", "items": scalar(&mut self.s) });
            }
            ("query", 2) => {
                p["style"] = json!("form");
                p["explode"] = json!(self.rng().chance(50));
                p["schema"] = json!({ "type": "array", "items": scalar(&mut self.s) });
            }
            ("query", 3) if self.rng().chance(30) => {
                // A parameter described by `content` instead of `schema`.
                p["content"] = Self::json_content(self.s.object(0, "json"));
            }
            ("query", 3) => {
                // An object in form style: `a=1&b=2` exploded, `obj=a,1,b,2` not.
                p["style"] = json!("form");
                p["explode"] = json!(self.rng().chance(50));
                p["schema"] = self.s.object(0, "form");
            }
            ("header", 0) => {
                p["schema"] = json!({ "type": "array", "items": scalar(&mut self.s) });
                if self.rng().chance(30) {
                    p["explode"] = json!(true);
                }
            }
            ("header" | "cookie", 1) => p["schema"] = self.s.enumeration().schema,
            ("header", 2) if self.rng().chance(30) => p["schema"] = self.s.object(0, "header"),
            ("cookie", 2) => p["schema"] = json!({ "type": "array", "items": { "type": "integer" } }),
            _ => {
                let Sampled { mut schema, sample } = self.s.scalar();
                if let Some(sample) = sample.filter(|_| !required && self.rng().chance(20)) {
                    schema["default"] = sample;
                }
                if self.rng().chance(10) {
                    schema = self.s.nullable(schema);
                }
                p["schema"] = schema;
            }
        }
        if self.rng().chance(20) {
            p["description"] = json!(self.rng().pick(DESCRIPTIONS));
        }
        if self.rng().chance(5) {
            p["deprecated"] = json!(true);
        }
        p
    }

    /// Request bodies of every media kind: JSON, multipart (files only, fields only, both),
    /// form-urlencoded, octet-stream, text, and several at once.
    pub(super) fn bodies(&mut self) {
        for _ in 0..self.rng().range(1, 3) {
            let kind = self.rng().below(7);
            let content = match kind {
                0 => {
                    let Sampled { schema, .. } = self.s.any(2);
                    Self::json_content(schema)
                }
                1..=2 => {
                    let mut props = Map::new();
                    let mut required = Vec::new();
                    let parts = self.rng().pick(&["files", "fields", "both"]);
                    for i in 0..self.rng().range(1, 4) {
                        let file = match parts {
                            "files" => true,
                            "fields" => false,
                            _ => i == 0 || self.rng().chance(40),
                        };
                        let name = self.s.property_name();
                        let schema = if file {
                            let file = json!({ "type": "string", "format": "binary" });
                            if self.rng().chance(20) { json!({ "type": "array", "items": file }) } else { file }
                        } else if self.rng().chance(20) {
                            self.s.object(0, "part")
                        } else {
                            self.s.scalar().schema
                        };
                        if self.rng().chance(50) {
                            required.push(json!(name));
                        }
                        props.insert(name, schema);
                    }
                    let mut schema = json!({ "type": "object", "properties": props });
                    if !required.is_empty() {
                        schema["required"] = json!(required);
                    }
                    let mut media = json!({ "schema": schema });
                    if self.rng().chance(20) {
                        if let Some(first) = props_first(&media["schema"]) {
                            media["encoding"] = json!({ first: { "contentType": "image/png" } });
                        }
                    }
                    json!({ "multipart/form-data": media })
                }
                3 => {
                    let object = self.s.object(0, "form");
                    json!({ "application/x-www-form-urlencoded": { "schema": object } })
                }
                4 => match self.rng().below(3) {
                    0 => json!({ "application/octet-stream": {} }),
                    1 => json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }),
                    _ => json!({ "image/png": { "schema": { "type": "string", "format": "binary" } } }),
                },
                5 => json!({ "text/plain": { "schema": { "type": "string" } } }),
                _ => {
                    let object = self.s.object(0, "both");
                    json!({
                        "application/json": { "schema": object.clone() },
                        "application/x-www-form-urlencoded": { "schema": object },
                    })
                }
            };
            let mut op = json!({
                "requestBody": { "required": self.rng().chance(70), "content": content },
                "responses": { "204": { "description": "Accepted" } },
            });
            if let Some(id) = self.operation_id() {
                op["operationId"] = json!(id);
            }
            self.s.describe(&mut op["requestBody"], 20);
            let method = self.rng().pick(&["post", "put", "patch"]);
            self.add("/uploads", method, op);
        }
    }

    /// Several responses: successes of different types and media, typed errors by code and
    /// range, `default`, and responses from `components`.
    pub(super) fn responses(&mut self) {
        let mut responses = Map::new();
        let error_name = self.rng().pick(&["Error", "Problem", "ErrorModel", "ApiError"]);
        let error_name = self.s.free_name(error_name);
        let error = {
            let object = json!({ "type": "object", "required": ["message"], "properties": {
                "message": { "type": "string" }, "code": { "type": "integer" } } });
            self.s.add(&error_name, object)
        };
        for status in self.rng().some_of(&["200", "201", "202", "204", "206", "2XX"], 1, 3) {
            let body = match self.rng().below(6) {
                0 => None,
                1 => Some(json!({ "text/plain": { "schema": { "type": "string" } } })),
                2 => {
                    Some(json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }))
                }
                3 => Some(json!({ "*/*": { "schema": self.s.any(1).schema } })),
                _ => Some(Self::json_content(self.s.any(2).schema)),
            };
            let mut r = json!({ "description": self.rng().pick(&["OK", "Created", "", "A `thing`."]) });
            if let Some(body) = body.filter(|_| status != "204") {
                r["content"] = body;
            }
            if self.rng().chance(20) {
                r["headers"] = json!({ "X-Rate-Limit": { "schema": { "type": "integer" } } });
            }
            responses.insert(status.to_string(), r);
        }
        for status in self.rng().some_of(&["400", "401", "404", "409", "422", "4XX", "500", "5XX", "default"], 0, 4) {
            let r = match self.rng().below(5) {
                0 => json!({ "description": "Failed" }),
                1 => {
                    json!({ "description": "Failed", "content": { "text/plain": { "schema": { "type": "string" } } } })
                }
                2 => {
                    let name = self.rng().pick(&["NotFound", "Error", "Problem"]).to_string();
                    let body =
                        json!({ "description": "A shared response", "content": Self::json_content(error.clone()) });
                    if !self.responses.iter().any(|(n, _)| *n == name) {
                        self.responses.push((name.clone(), body));
                    }
                    json!({ "$ref": format!("#/components/responses/{name}") })
                }
                3 => json!({ "description": "Failed", "content": Self::json_content(self.s.any(1).schema) }),
                _ => json!({ "description": "Failed", "content": Self::json_content(error.clone()) }),
            };
            responses.insert(status.to_string(), r);
        }
        let mut op = json!({ "responses": responses });
        if let Some(id) = self.operation_id() {
            op["operationId"] = json!(id);
        }
        let method = self.rng().pick(METHODS);
        self.add("/results", method, op);
    }
}

/// The first property name of an object schema.
fn props_first(schema: &Value) -> Option<String> {
    schema.get("properties")?.as_object()?.keys().next().cloned()
}
