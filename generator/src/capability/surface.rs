//! The exposed side: every REST operation and MCP tool calls a consumed operation
//! (`call: namespace.operation`), its `with:` keys name that operation's inputs, and its
//! `with:` values name something the surface has (a REST path parameter, a tool argument).
//! Tools whose consumed operation was found get their arguments and input schema here.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::json_schema::{SchemaWriter, description};
use super::model::{Capability, ConsumedOperation, Hints, Input, Located, RestResource, RestSurface, Tool, With};
use super::read::Source;
use super::resolve::{Namespace, Target, describe};
use super::urls;
use crate::diag::Diagnostics;
use crate::ir::{Api, Method};

/// A tool ready to serve: its consumed operation was found and every input has a value.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedTool {
    /// The tool's name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its hints, for the MCP annotations.
    pub hints: Hints,
    /// Index of the consumed namespace it calls into.
    pub namespace: usize,
    /// Index of the bound operation in that namespace.
    pub operation: usize,
    /// Its arguments: each fills one input of the operation.
    pub arguments: Vec<Argument>,
    /// The JSON Schema of its arguments (an object schema).
    pub input_schema: Value,
}

/// A tool argument and what of the operation it fills in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Argument {
    /// The argument's name.
    pub name: String,
    /// Whether the tool requires it.
    pub required: bool,
    /// The parameter or body it fills in.
    pub target: Target,
}

/// Checks the exposed surfaces of one capability.
pub struct SurfaceChecker<'a> {
    /// The capability.
    pub capability: &'a Capability,
    /// The document, lowered.
    pub api: &'a Api,
    /// The consumed namespaces as resolved.
    pub namespaces: &'a [Namespace],
    /// The capability file, for locations.
    pub src: &'a Source<'a>,
    /// What was found wrong.
    pub diags: Diagnostics,
}

/// The name a `with:` value refers to on its surface: `prefix.name` for one of `prefixes`, or
/// `{{name}}`.
fn reference<'v>(value: &'v str, prefixes: &[&str]) -> Option<&'v str> {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix("{{").and_then(|v| v.strip_suffix("}}")) {
        return Some(inner.trim());
    }
    let (prefix, name) = value.split_once('.')?;
    (prefixes.contains(&prefix) && !name.is_empty()).then_some(name)
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

impl<'a> SurfaceChecker<'a> {
    /// Check every surface; the tools that can be served.
    pub fn check(&mut self) -> Vec<ResolvedTool> {
        let mut namespaces: BTreeSet<&str> =
            self.capability.consumes.iter().map(|c| c.namespace.value.as_str()).collect();
        namespaces.extend(self.capability.binds.iter().map(|b| b.namespace.value.as_str()));
        let mut tools = Vec::new();
        let mut tool_names = BTreeSet::new();
        for exposes in &self.capability.exposes {
            let namespace = match exposes {
                super::model::Exposes::Rest(r) => Some(&r.namespace),
                super::model::Exposes::Mcp(m) => Some(&m.namespace),
                super::model::Exposes::Other { .. } => None,
            };
            if let Some(ns) = namespace {
                if !namespaces.insert(ns.value.as_str()) {
                    let e = self.src.error(&ns.at, format!("namespace `{}` is declared twice", ns.value));
                    self.diags.push(e.with_help("namespaces must be unique across `consumes`, `exposes` and `binds`"));
                }
            }
            match exposes {
                super::model::Exposes::Rest(rest) => self.rest(rest),
                super::model::Exposes::Mcp(mcp) => {
                    for tool in &mcp.tools {
                        if !tool_names.insert(tool.name.value.clone()) {
                            let e =
                                self.src.error(&tool.name.at, format!("tool `{}` is declared twice", tool.name.value));
                            self.diags.push(e.with_help("MCP clients call tools by name: rename one"));
                            continue;
                        }
                        if let Some(t) = self.tool(tool, &mcp.namespace.value) {
                            tools.push(t);
                        }
                    }
                }
                super::model::Exposes::Other { kind } => {
                    let w = self.src.warning(&kind.at, format!("`type: {}` surfaces are not checked", kind.value));
                    self.diags.push(w);
                }
            }
        }
        tools
    }

    /// The consumed operation `call` names, with its namespace and bound operation when it was
    /// found in the document.
    fn called(&mut self, call: &Located<String>) -> Option<(&'a ConsumedOperation, Option<(usize, usize)>)> {
        let capability: &'a Capability = self.capability;
        let all: Vec<(String, &str, &'a ConsumedOperation)> = capability
            .consumes
            .iter()
            .flat_map(|c| {
                c.resources
                    .iter()
                    .flat_map(|r| &r.operations)
                    .map(move |o| (format!("{}.{}", c.namespace.value, o.name.value), c.namespace.value.as_str(), o))
            })
            .collect();
        let Some((_, ns, op)) = all.iter().find(|(full, _, _)| *full == call.value) else {
            let e = self.src.error(&call.at, format!("`call: {}` names no consumed operation", call.value));
            let help = match urls::nearest(&call.value, all.iter().map(|(f, _, _)| f.as_str())) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!(
                    "write `namespace.operation`; the consumed operations are {}",
                    list(&all.iter().map(|(f, _, _)| f.as_str()).collect::<Vec<_>>())
                ),
            };
            self.diags.push(e.with_help(help));
            return None;
        };
        let bound = self
            .namespaces
            .iter()
            .enumerate()
            .find(|(_, n)| n.name == *ns)
            .and_then(|(ni, n)| n.operations.iter().position(|b| b.name == op.name.value).map(|bi| (ni, bi)));
        Some((op, bound))
    }

    /// `with:` keys must be inputs of the called operation.
    fn with_keys(&mut self, with: &[With], op: &ConsumedOperation, call: &str) {
        let inputs: Vec<&str> = op.inputs.iter().map(|i| i.name.value.as_str()).collect();
        for w in with {
            if inputs.contains(&w.key.value.as_str()) {
                continue;
            }
            let e = self.src.error(&w.key.at, format!("`with: {}` names no input of `{call}`", w.key.value));
            let help = match urls::nearest(&w.key.value, inputs.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None if inputs.is_empty() => format!("`{call}` declares no `inputParameters`"),
                None => format!("its inputs are {}", list(&inputs)),
            };
            self.diags.push(e.with_help(help));
        }
    }

    fn rest(&mut self, rest: &RestSurface) {
        for resource in &rest.resources {
            let params = urls::params(&resource.path.value);
            let mut used = BTreeSet::new();
            for op in &resource.operations {
                let Some(call) = &op.call else { continue };
                let Some((consumed, _)) = self.called(call) else { continue };
                self.with_keys(&op.with, consumed, &call.value);
                let takes_body = matches!(op.method.value.to_ascii_uppercase().as_str(), "POST" | "PUT" | "PATCH");
                let mut available: Vec<&str> = params.iter().map(String::as_str).collect();
                available.extend(op.inputs.iter().map(|i| i.name.value.as_str()));
                if takes_body {
                    available.push("body");
                }
                let prefixes = ["rest", rest.namespace.value.as_str()];
                for w in &op.with {
                    let Some(name) = reference(&w.value.value, &prefixes) else {
                        let e = self
                            .src
                            .error(&w.value.at, format!("`{}` is not a value of this REST operation", w.value.value));
                        self.diags.push(
                            e.with_help(format!("write `rest.NAME` for a parameter of `{}`", resource.path.value)),
                        );
                        continue;
                    };
                    if available.contains(&name) {
                        used.insert(name.to_string());
                        continue;
                    }
                    self.not_on_rest(&w.value, name, resource, &params);
                    // The parameter it misspells is meant to be passed on: one report is enough.
                    if let Some(p) = params.iter().find(|p| p.eq_ignore_ascii_case(name)) {
                        used.insert(p.clone());
                    }
                }
                for input in &consumed.inputs {
                    if op.with.iter().any(|w| w.key.value == input.name.value) {
                        continue;
                    }
                    let name = input.name.value.as_str();
                    let passes = available.contains(&name)
                        || (input.location.as_ref().is_some_and(|l| l.value == "body") && takes_body);
                    if passes {
                        used.insert(name.to_string());
                    } else if input.required {
                        let e = self.src.error(
                            &op.method.at,
                            format!(
                                "input `{name}` of `{}` gets no value from `{} {}`",
                                call.value, op.method.value, resource.path.value
                            ),
                        );
                        let help = match urls::nearest(name, params.iter().map(String::as_str)) {
                            Some(p) => format!("map it: `with: {{{name}: rest.{p}}}`"),
                            None => format!("add `{{{name}}}` to the path, or map it with `with`"),
                        };
                        self.diags.push(e.with_help(help));
                    }
                }
            }
            for p in &params {
                if !used.contains(p) {
                    let w = self.src.warning(
                        &resource.path.at,
                        format!(
                            "path parameter `{{{p}}}` of REST resource `{}` is never passed on",
                            resource.path.value
                        ),
                    );
                    self.diags.push(w.with_help(format!("map it to an input with `with: {{INPUT: rest.{p}}}`")));
                }
            }
        }
    }

    fn not_on_rest(&mut self, value: &Located<String>, name: &str, resource: &RestResource, params: &[String]) {
        let e = self.src.error(
            &value.at,
            format!(
                "`{}` is not a parameter of the REST path `{}`, whose parameters are {}",
                value.value,
                resource.path.value,
                if params.is_empty() {
                    "none".to_string()
                } else {
                    list(&params.iter().map(String::as_str).collect::<Vec<_>>())
                }
            ),
        );
        let help = match urls::nearest(name, params.iter().map(String::as_str)) {
            Some(p) if p.eq_ignore_ascii_case(name) => {
                format!("the path writes it `{{{p}}}`: write `rest.{p}`, or rename the path parameter to `{{{name}}}`")
            }
            Some(p) => format!("did you mean `rest.{p}`?"),
            None => format!("add `{{{name}}}` to the path"),
        };
        self.diags.push(e.with_help(help));
    }

    fn tool(&mut self, tool: &Tool, namespace: &str) -> Option<ResolvedTool> {
        if tool.description.is_none() {
            let w = self.src.warning(&tool.name.at, format!("tool `{}` has no `description`", tool.name.value));
            self.diags.push(w.with_help("agents choose tools by their description; say what it does"));
        }
        let call = tool.call.as_ref()?;
        let (consumed, bound) = self.called(call)?;
        self.with_keys(&tool.with, consumed, &call.value);
        let declared: Vec<&Input> = tool.inputs.iter().collect();
        let prefixes = ["tools", namespace];
        // Each input of the consumed operation gets the argument named by `with`, or its own.
        let mut feeds: Vec<(&Input, String)> = Vec::new();
        for input in &consumed.inputs {
            let mapped = tool.with.iter().find(|w| w.key.value == input.name.value);
            let argument = match mapped {
                Some(w) => match reference(&w.value.value, &prefixes) {
                    Some(name) => name.to_string(),
                    None => {
                        let e = self.src.error(
                            &w.value.at,
                            format!("`{}` is not an argument of tool `{}`", w.value.value, tool.name.value),
                        );
                        self.diags
                            .push(e.with_help(format!("write `tools.{}` for the argument of that name", w.key.value)));
                        continue;
                    }
                },
                None => input.name.value.clone(),
            };
            if !declared.is_empty() && !declared.iter().any(|d| d.name.value == argument) {
                let at = mapped.map_or(&tool.name.at, |w| &w.value.at);
                if mapped.is_some() || input.required {
                    let names: Vec<&str> = declared.iter().map(|d| d.name.value.as_str()).collect();
                    let e = self.src.error(
                        at,
                        format!("tool `{}` declares no input `{argument}` for `{}`", tool.name.value, input.name.value),
                    );
                    self.diags.push(e.with_help(format!("its inputs are {}", list(&names))));
                }
                continue;
            }
            if let Some((other, _)) = feeds.iter().find(|(_, a)| *a == argument) {
                let at = mapped.map_or(&tool.name.at, |w| &w.value.at);
                let e = self.src.error(
                    at,
                    format!("argument `{argument}` would fill both `{}` and `{}`", other.name.value, input.name.value),
                );
                self.diags.push(e.with_help("give each input an argument of its own"));
                continue;
            }
            feeds.push((input, argument));
        }
        for d in &declared {
            if !feeds.iter().any(|(_, a)| *a == d.name.value) {
                let w = self.src.warning(
                    &d.name.at,
                    format!("input `{}` of tool `{}` is never passed on", d.name.value, tool.name.value),
                );
                self.diags.push(w);
            }
        }
        let (ni, bi) = bound?;
        let b = &self.namespaces[ni].operations[bi];
        let api_op = &self.api.operations[b.operation];
        self.hints(tool, api_op.method, &describe(api_op));
        let mut arguments = Vec::new();
        let mut writer = SchemaWriter::new(&self.api.types);
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (input, argument) in &feeds {
            let Some(bound_input) = b.inputs.iter().find(|i| i.name == input.name.value) else { continue };
            let declared_input = declared.iter().find(|d| d.name.value == *argument);
            let is_required = declared_input.map_or(bound_input.required, |d| d.required);
            if let Some(d) = declared_input {
                self.declared_type(d, bound_input.target, api_op);
            }
            let (mut schema, api_docs) = match bound_input.target {
                Target::Param(i) => (writer.schema(api_op.params[i].ty), description(&api_op.params[i].docs)),
                Target::Body => {
                    let body = api_op.body.as_ref()?;
                    (writer.schema(body.ty), description(&body.docs))
                }
            };
            let text = declared_input
                .and_then(|d| d.description.clone())
                .or_else(|| bound_input.description.clone())
                .or(api_docs);
            if let (Some(text), Value::Object(map)) = (text, &mut schema) {
                map.insert("description".into(), json!(text));
            }
            properties.insert(argument.clone(), schema);
            if is_required {
                required.push(json!(argument));
            }
            arguments.push(Argument { name: argument.clone(), required: is_required, target: bound_input.target });
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let defs = writer.into_defs();
        if !defs.is_empty() {
            schema.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
        }
        Some(ResolvedTool {
            name: tool.name.value.clone(),
            description: tool.description.as_ref().map(|d| d.value.clone()),
            hints: tool.hints,
            namespace: ni,
            operation: bi,
            arguments,
            input_schema: Value::Object(schema),
        })
    }

    /// A tool's declared `type` must be the JSON type of what its argument fills in.
    fn declared_type(&mut self, input: &Input, target: Target, api_op: &crate::ir::Operation) {
        let Some(ty) = &input.ty else { return };
        let api = match target {
            Target::Param(i) => super::json_schema::json_type(&self.api.types, api_op.params[i].ty),
            Target::Body => api_op.body.as_ref().and_then(|b| super::json_schema::json_type(&self.api.types, b.ty)),
        };
        if let Some(api) = api.filter(|a| *a != ty.value && !(ty.value == "number" && *a == "integer")) {
            let e = self.src.error(
                &ty.at,
                format!(
                    "input `{}` is `type: {}`, but {} takes {api} there",
                    input.name.value,
                    ty.value,
                    describe(api_op)
                ),
            );
            self.diags.push(e.with_help(format!("write `type: {api}`")));
        }
    }

    /// Hints that contradict the HTTP method are likely mistakes.
    fn hints(&mut self, tool: &Tool, method: Method, op: &str) {
        let safe = matches!(method, Method::Get | Method::Head | Method::Options);
        if tool.hints.read_only == Some(true) && !safe {
            let w = self
                .src
                .warning(&tool.name.at, format!("tool `{}` is marked `readOnly`, but calls {op}", tool.name.value));
            self.diags.push(w.with_help("a call that changes something is not read-only: write `readOnly: false`"));
        }
        if tool.hints.idempotent == Some(true) && !method.is_idempotent() {
            let w = self
                .src
                .warning(&tool.name.at, format!("tool `{}` is marked `idempotent`, but calls {op}", tool.name.value));
            self.diags.push(w.with_help("repeating a POST or PATCH may repeat its effect: write `idempotent: false` unless the API says otherwise"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reference;

    #[test]
    fn references_name_the_surface() {
        assert_eq!(reference("tools.jobId", &["tools", "mcp"]), Some("jobId"));
        assert_eq!(reference("mcp.jobId", &["tools", "mcp"]), Some("jobId"));
        assert_eq!(reference("{{ jobId }}", &["tools"]), Some("jobId"));
        assert_eq!(reference("rest.jobId", &["tools"]), None);
        assert_eq!(reference("literal", &["tools"]), None);
    }
}
