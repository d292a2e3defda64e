//! The consumed side: each consumed operation (`baseUri` + resource `path` + `method`) found
//! among the OpenAPI document's operations, its inputs bound to the operation's parameters and
//! body, and its credentials to a bind.

use std::collections::BTreeSet;

use super::json_schema::{accepts_empty_object, json_type};
use super::model::{Capability, ConsumedOperation, Consumes, Input, Place};
use super::read::Source;
use super::urls::{self, Tok};
use crate::diag::Diagnostics;
use crate::ir::{Api, Method, Operation, ParamLocation, TypeKind};

/// A consumed namespace whose operations were found in the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    /// `namespace`.
    pub name: String,
    /// The base URL the client sends requests to: the `baseUri`, extended by the part of the
    /// server's path a resource path may carry.
    pub base_url: String,
    /// The environment variable holding the bearer token, when the API takes one.
    pub token_env: Option<String>,
    /// The operations that were found, in capability order.
    pub operations: Vec<Bound>,
}

/// A consumed operation bound to an operation of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// Its `name` in the capability.
    pub name: String,
    /// Index into [`Api::operations`].
    pub operation: usize,
    /// Its inputs, each bound to a parameter or the body.
    pub inputs: Vec<BoundInput>,
}

/// An input of a consumed operation and what it fills in.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundInput {
    /// Its `name`.
    pub name: String,
    /// Whether the capability requires it.
    pub required: bool,
    /// The parameter or body it is.
    pub target: Target,
    /// Its `description`.
    pub description: Option<String>,
}

/// What of an operation an input fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
    /// The request body.
    Body,
}

fn method(text: &str) -> Option<Method> {
    Some(match text.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "PUT" => Method::Put,
        "POST" => Method::Post,
        "DELETE" => Method::Delete,
        "OPTIONS" => Method::Options,
        "HEAD" => Method::Head,
        "PATCH" => Method::Patch,
        "TRACE" => Method::Trace,
        _ => return None,
    })
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// `{}` for every parameter, so templates compare by shape.
fn shape(path: &str) -> String {
    urls::tokens(path)
        .into_iter()
        .map(|t| match t {
            Tok::Char(c) => c.to_string(),
            Tok::Param(_) => "{}".into(),
        })
        .collect()
}

/// `GET /path (operationId)`.
pub fn describe(op: &Operation) -> String {
    format!("`{} {}` ({})", op.method.as_str(), op.path, op.id)
}

/// Resolves the consumed side of one capability against one document.
pub struct Resolver<'a> {
    /// The capability.
    pub capability: &'a Capability,
    /// The document, lowered.
    pub api: &'a Api,
    /// The capability file, for locations.
    pub src: &'a Source<'a>,
    /// The document's file name, for messages.
    pub schema_name: &'a str,
    /// What was found wrong.
    pub diags: Diagnostics,
}

impl Resolver<'_> {
    /// Every consumed namespace, with the operations that were found.
    pub fn namespaces(&mut self) -> Vec<Namespace> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for c in &self.capability.consumes {
            if !seen.insert(c.namespace.value.clone()) {
                let e = self.src.error(&c.namespace.at, format!("namespace `{}` is declared twice", c.namespace.value));
                self.diags.push(e.with_help("namespaces must be unique across `consumes`, `exposes` and `binds`"));
                continue;
            }
            if c.kind.value != "http" {
                let e = self
                    .src
                    .error(&c.kind.at, format!("clientgen consumes only `type: http`, found `{}`", c.kind.value));
                self.diags.push(e.with_help("an HTTP API described by the OpenAPI document is `type: http`"));
                continue;
            }
            out.push(self.namespace(c));
        }
        out
    }

    fn namespace(&mut self, c: &Consumes) -> Namespace {
        let base_uri = c.base_uri.value.trim_end_matches('/');
        if base_uri.len() != c.base_uri.value.len() {
            let w = self.src.warning(&c.base_uri.at, "`baseUri` ends with `/`; Naftiko requires it not to");
            self.diags.push(w.with_help(format!("write `baseUri: {base_uri}`")));
        }
        let token_env = self.credentials(c);
        let mut ns = Namespace {
            name: c.namespace.value.clone(),
            base_url: base_uri.to_string(),
            token_env,
            operations: Vec::new(),
        };
        let mut base_reported = false;
        let mut base_of_namespace: Option<String> = None;
        let mut names = BTreeSet::new();
        for resource in &c.resources {
            let path = urls::normalized(&resource.path.value);
            // Normalized as a whole, so a matched base is a prefix of it, byte for byte.
            let full = urls::normalized(&format!("{base_uri}{path}"));
            if !path.starts_with('/') {
                let e = self
                    .src
                    .error(&resource.path.at, format!("resource path `{}` must start with `/`", resource.path.value));
                self.diags.push(e.with_help(format!("write `path: /{}`", resource.path.value)));
                continue;
            }
            for op in &resource.operations {
                if !names.insert(op.name.value.clone()) {
                    let e = self.src.error(
                        &op.name.at,
                        format!("operation `{}` is declared twice in namespace `{}`", op.name.value, ns.name),
                    );
                    self.diags.push(e.with_help("`call: namespace.operation` must name one operation: rename one"));
                    continue;
                }
                let Some(m) = method(&op.method.value) else {
                    let e = self.src.error(&op.method.at, format!("`{}` is not an HTTP method", op.method.value));
                    self.diags.push(e.with_help("write one of GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS, TRACE"));
                    continue;
                };
                match self.find(m, &full) {
                    Ok((index, server, found)) => {
                        let api_op = &self.api.operations[index];
                        if base_of_namespace.get_or_insert_with(|| found.base.clone()) != &found.base {
                            let e = self.src.error(
                                &resource.path.at,
                                format!("`{full}` is on another server than the other resources of `{}`", ns.name),
                            );
                            self.diags
                                .push(e.with_help("give resources of another server a `consumes` entry of their own"));
                        }
                        self.server_variables(&c.base_uri.at, server, &found);
                        let renamed: Vec<String> = api_op
                            .path_params()
                            .zip(&found.params)
                            .filter(|((_, p), ours)| &p.wire_name != *ours)
                            .map(|((_, p), ours)| format!("`{{{ours}}}` is `{{{}}}`", p.wire_name))
                            .collect();
                        if !renamed.is_empty() {
                            let e = self.src.error(
                                &resource.path.at,
                                format!(
                                    "path parameters are named as the API names them: {} in {}",
                                    renamed.join(", "),
                                    describe(api_op)
                                ),
                            );
                            self.diags.push(e.with_help(format!("write `path: {}`", api_op.path)));
                        }
                        let inputs = self.inputs(op, api_op);
                        ns.operations.push(Bound { name: op.name.value.clone(), operation: index, inputs });
                    }
                    Err(NotFound::Method(methods)) => {
                        let e = self.src.error(
                            &op.method.at,
                            format!(
                                "`{}` has no `{}` operation in {} (operation `{}`)",
                                path,
                                m.as_str(),
                                self.schema_name,
                                op.name.value
                            ),
                        );
                        self.diags.push(e.with_help(format!("the API has {} on this path", methods.join(", "))));
                        self.unbound_template_params(op, &path);
                    }
                    Err(NotFound::Path { on_server }) => {
                        if !on_server && !base_reported {
                            base_reported = true;
                            let servers: Vec<String> =
                                self.api.servers.iter().map(|s| format!("`{}`", s.template())).collect();
                            let e = self.src.error(
                                &c.base_uri.at,
                                format!("`baseUri` `{base_uri}` is on none of the servers of {}", self.schema_name),
                            );
                            let help = if servers.is_empty() {
                                "the document lists no servers".to_string()
                            } else {
                                format!("its servers are {}", servers.join(", "))
                            };
                            self.diags.push(e.with_help(help));
                        }
                        self.not_found(op, m, &full, &path, &resource.path.at);
                        self.unbound_template_params(op, &path);
                    }
                }
            }
        }
        if let Some(base) = base_of_namespace {
            ns.base_url = base;
        }
        ns
    }

    /// The operation `method` on `full` (base URI and resource path), with what matched.
    fn find(&self, method: Method, full: &str) -> Result<(usize, usize, urls::Match), NotFound> {
        let text = urls::tokens(full);
        let mut other_methods = BTreeSet::new();
        for (si, server) in self.api.servers.iter().enumerate() {
            for (i, op) in self.api.operations.iter().enumerate() {
                if let Some(m) = urls::match_url(server, Some(&op.path), &text) {
                    if op.method == method {
                        return Ok((i, si, m));
                    }
                    other_methods.insert(op.method);
                }
            }
        }
        if !other_methods.is_empty() {
            return Err(NotFound::Method(other_methods.into_iter().map(|m| format!("`{}`", m.as_str())).collect()));
        }
        let on_server = self.api.servers.iter().any(|s| urls::match_url(s, None, &text).is_some());
        Err(NotFound::Path { on_server })
    }

    fn not_found(&mut self, op: &ConsumedOperation, method: Method, full: &str, path: &str, at: &Place) {
        // The path as the document would write it: after the server's part of the URL.
        let text = urls::tokens(full);
        let relative = self
            .api
            .servers
            .iter()
            .find_map(|s| urls::match_url(s, None, &text))
            .and_then(|m| full.get(m.base.len()..))
            .map_or_else(|| path.to_string(), str::to_string);
        let wanted = shape(&relative);
        let nearest = self
            .api
            .operations
            .iter()
            .filter(|o| o.method == method)
            .map(|o| (urls::distance(&wanted, &shape(&o.path)), o))
            .filter(|(d, _)| *d <= wanted.chars().count() / 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, o)| o);
        let e = self.src.error(
            at,
            format!(
                "no operation `{} {relative}` in {} (consumed operation `{}`)",
                method.as_str(),
                self.schema_name,
                op.name.value
            ),
        );
        let help = match nearest {
            Some(o) => format!(
                "the nearest path with the same method is `{} {}` ({}): write `path: {}`",
                o.method.as_str(),
                o.path,
                o.id,
                o.path
            ),
            None => format!("no `{}` operation of {} has a similar path", method.as_str(), self.schema_name),
        };
        self.diags.push(e.with_help(help));
    }

    /// For an operation that was not found: the parameters of its own path that no input binds.
    fn unbound_template_params(&mut self, op: &ConsumedOperation, path: &str) {
        for p in urls::params(path) {
            if !op.inputs.iter().any(|i| i.name.value == p && i.location.as_ref().is_none_or(|l| l.value == "path")) {
                self.unbound_path_param(op, &p, &format!("`{path}`"));
            }
        }
    }

    fn unbound_path_param(&mut self, op: &ConsumedOperation, param: &str, on: &str) {
        let e = self.src.error(
            &op.name.at,
            format!(
                "path parameter `{param}` of {on} is not bound: operation `{}` has no input `{param}`",
                op.name.value
            ),
        );
        let add = format!("{{name: {param}, in: path, type: string, required: true}}");
        self.diags.push(e.with_help(format!("add `- {add}` to the `inputParameters` of `{}`", op.name.value)));
    }

    /// The values a templated server's variables take must be among those it allows.
    fn server_variables(&mut self, at: &Place, server: usize, found: &urls::Match) {
        let Some(server) = self.api.servers.get(server) else { return };
        for (index, value) in &found.variables {
            let Some(var) = server.variables.get(*index) else { continue };
            if let TypeKind::Enum(e) = self.api.types.kind(var.ty) {
                let allowed: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| match &v.value {
                        crate::ir::EnumValue::String(s) => s.clone(),
                        crate::ir::EnumValue::Integer(i) => i.to_string(),
                    })
                    .collect();
                if !allowed.contains(value) {
                    let e = self
                        .src
                        .error(at, format!("`{value}` is not a value the document allows for `{{{}}}`", var.wire_name));
                    self.diags.push(e.with_help(format!("write one of {}", allowed.join(", "))));
                }
            }
        }
    }

    /// Bind each input to a parameter or the body, and check nothing the API requires is left
    /// unbound.
    fn inputs(&mut self, op: &ConsumedOperation, api_op: &Operation) -> Vec<BoundInput> {
        let mut bound = Vec::new();
        let mut names = BTreeSet::new();
        for input in &op.inputs {
            if !names.insert(input.name.value.clone()) {
                let e = self.src.error(&input.name.at, format!("input `{}` is declared twice", input.name.value));
                self.diags.push(e.with_help("remove one"));
                continue;
            }
            if let Some(target) = self.input(input, api_op) {
                bound.push(BoundInput {
                    name: input.name.value.clone(),
                    required: input.required,
                    target,
                    description: input.description.clone(),
                });
            }
        }
        for (i, p) in api_op.params.iter().enumerate() {
            if bound.iter().any(|b| b.target == Target::Param(i)) {
                continue;
            }
            if p.location == ParamLocation::Path {
                self.unbound_path_param(op, &p.wire_name, &describe(api_op));
            } else if p.required {
                let e = self.src.error(
                    &op.name.at,
                    format!(
                        "{} parameter `{}` of {} is required, and operation `{}` has no input for it",
                        location_word(p.location),
                        p.wire_name,
                        describe(api_op),
                        op.name.value
                    ),
                );
                let add = format!("{{name: {}, in: {}, required: true}}", p.wire_name, location_word(p.location));
                self.diags.push(e.with_help(format!("add `- {add}` to its `inputParameters`")));
            }
        }
        if let Some(body) = &api_op.body {
            let bound_body = bound.iter().any(|b| b.target == Target::Body);
            if body.required && !bound_body && !accepts_empty_object(&self.api.types, body.ty) {
                let e = self.src.error(
                    &op.name.at,
                    format!(
                        "{} requires a request body, and operation `{}` has no input for it",
                        describe(api_op),
                        op.name.value
                    ),
                );
                self.diags.push(e.with_help(
                    "add `- {name: body, in: body, type: object, required: true}` to its `inputParameters`",
                ));
            }
        }
        bound
    }

    fn input(&mut self, input: &Input, api_op: &Operation) -> Option<Target> {
        let name = &input.name.value;
        let Some(location) = &input.location else {
            let e = self.src.error(&input.at, format!("input `{name}` has no `in` (path, query, header or body)"));
            let help = match api_op.params.iter().find(|p| &p.wire_name == name) {
                Some(p) => format!(
                    "{} has a {} parameter `{name}`: add `in: {}`",
                    describe(api_op),
                    location_word(p.location),
                    location_word(p.location)
                ),
                None => "add `in: path`, `in: query`, `in: header` or `in: body`".into(),
            };
            self.diags.push(e.with_help(help));
            return None;
        };
        if location.value == "body" {
            let Some(body) = &api_op.body else {
                let e = self.src.error(&location.at, format!("{} takes no request body", describe(api_op)));
                self.diags.push(e.with_help(format!("remove input `{name}`")));
                return None;
            };
            self.check_type(input, json_type(&self.api.types, body.ty), "the request body");
            if !input.required && body.required && !accepts_empty_object(&self.api.types, body.ty) {
                let e = self.src.error(
                    &input.at,
                    format!("input `{name}` is optional, but {} requires its body", describe(api_op)),
                );
                self.diags.push(e.with_help("remove `required: false`"));
            }
            return Some(Target::Body);
        }
        let Some(wanted) = [ParamLocation::Path, ParamLocation::Query, ParamLocation::Header, ParamLocation::Cookie]
            .into_iter()
            .find(|l| location_word(*l) == location.value)
        else {
            let e = self.src.error(&location.at, format!("`in: {}` is not a parameter location", location.value));
            self.diags.push(e.with_help("write `in: path`, `in: query`, `in: header` or `in: body`"));
            return None;
        };
        let same = |a: &str, b: &str| if wanted == ParamLocation::Header { a.eq_ignore_ascii_case(b) } else { a == b };
        let found = api_op.params.iter().position(|p| p.location == wanted && same(&p.wire_name, name));
        let Some(index) = found else {
            let e = self.src.error(
                &input.name.at,
                format!("{} has no {} parameter `{name}` (input of operation)", describe(api_op), location.value),
            );
            let elsewhere = api_op.params.iter().find(|p| p.wire_name == *name);
            let help = if let Some(p) = elsewhere {
                format!(
                    "`{name}` is a {} parameter: write `in: {}`",
                    location_word(p.location),
                    location_word(p.location)
                )
            } else {
                let here: Vec<&str> =
                    api_op.params.iter().filter(|p| p.location == wanted).map(|p| p.wire_name.as_str()).collect();
                match urls::nearest(name, here.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None if here.is_empty() => format!("it has no {} parameters", location.value),
                    None => format!(
                        "its {} parameters are {}",
                        location.value,
                        here.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                    ),
                }
            };
            self.diags.push(e.with_help(help));
            return None;
        };
        let param = &api_op.params[index];
        self.check_type(
            input,
            json_type(&self.api.types, param.ty),
            &format!("{} parameter `{}`", location.value, param.wire_name),
        );
        if !input.required && (param.required || param.location == ParamLocation::Path) {
            let e =
                self.src.error(&input.at, format!("input `{name}` is optional, but {} requires it", describe(api_op)));
            self.diags.push(e.with_help("remove `required: false`"));
        }
        Some(Target::Param(index))
    }

    /// The input's `type` must be the JSON type of what it binds (a number may take integers).
    fn check_type(&mut self, input: &Input, api: Option<&str>, what: &str) {
        let (Some(ty), Some(api)) = (&input.ty, api) else { return };
        if ty.value == api || (ty.value == "number" && api == "integer") {
            return;
        }
        let e = self.src.error(
            &ty.at,
            format!(
                "input `{}` is `type: {}`, but {what} is {} {api}",
                input.name.value,
                ty.value,
                if api.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
            ),
        );
        self.diags.push(e.with_help(format!("write `type: {api}`")));
    }
}

/// Why no operation was found.
enum NotFound {
    /// The path exists, with these other methods.
    Method(Vec<String>),
    /// No path matches; `on_server` says whether the URL is under one of the servers at all.
    Path {
        /// Whether the `baseUri` and path begin with a server's URL.
        on_server: bool,
    },
}
