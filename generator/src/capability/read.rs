//! Reading a capability from the loaded YAML tree into [`super::model`], with a located error
//! for every value of the wrong shape (a missing `path`, a `method` that is a list, ...).

use super::model::{
    Authentication, Bind, Capability, ConsumedOperation, Consumes, Exposes, Hints, Input, Located, McpSurface, Place,
    Resource, RestOperation, RestResource, RestSurface, Tool, With,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::node::escape_pointer_token;
use crate::load::{Documents, Node};

/// The capability file, for turning places into located diagnostics.
pub struct Source<'a> {
    docs: &'a Documents,
}

impl<'a> Source<'a> {
    /// The loaded capability file.
    pub fn new(docs: &'a Documents) -> Self {
        Source { docs }
    }

    /// An error at `at`.
    pub fn error(&self, at: &Place, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .with_location(self.docs.location(self.docs.root(), at.span))
            .with_pointer(&at.pointer)
    }

    /// A warning at `at`.
    pub fn warning(&self, at: &Place, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(message)
            .with_location(self.docs.location(self.docs.root(), at.span))
            .with_pointer(&at.pointer)
    }
}

/// A node with its JSON pointer.
#[derive(Clone, Copy)]
struct At<'n> {
    node: &'n Node,
    pointer: &'n str,
}

/// Reads the tree, collecting errors as it goes so that one run reports them all.
struct Reader<'a> {
    src: &'a Source<'a>,
    diags: Diagnostics,
}

/// Read the capability in `docs` (its root file).
///
/// # Errors
/// Located errors for every value of the wrong shape.
pub fn read(docs: &Documents) -> Result<Capability, Diagnostics> {
    let src = Source::new(docs);
    let mut r = Reader { src: &src, diags: Diagnostics::new() };
    let root = &docs.doc(docs.root()).root;
    let capability = r.capability(root);
    if r.diags.has_errors() { Err(r.diags) } else { Ok(capability) }
}

fn place(node: &Node, pointer: &str) -> Place {
    Place { span: node.span, pointer: pointer.to_string() }
}

fn child_pointer(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(key))
}

impl Reader<'_> {
    fn fail(&mut self, at: Place, message: String, help: impl Into<String>) {
        self.diags.push(self.src.error(&at, message).with_help(help));
    }

    fn capability(&mut self, root: &Node) -> Capability {
        let mut out = Capability::default();
        if root.as_object().is_none() {
            self.fail(
                place(root, "#"),
                format!("a capability is a YAML mapping, found {}", root.type_name()),
                "a capability starts `naftiko: 1.0.0-alpha2` and holds `capability: {consumes, exposes}`",
            );
            return out;
        }
        match root.get("naftiko") {
            None => self.fail(
                place(root, "#"),
                "not a Naftiko capability: it has no `naftiko` version (`naftiko: 1.0.0-alpha2`)".into(),
                "a capability's first line is `naftiko: 1.0.0-alpha2`",
            ),
            Some(v) if v.as_str().is_none() => self.fail(
                place(v, "#/naftiko"),
                format!("`naftiko` must be a version string such as `1.0.0-alpha2`, found {}", v.type_name()),
                "write `naftiko: 1.0.0-alpha2`",
            ),
            Some(_) => {}
        }
        if let Some(info) = root.get("info") {
            out.label = info.get("label").and_then(Node::as_str).map(str::to_owned);
            out.description = info.get("description").and_then(Node::as_str).map(str::to_owned);
        }
        for item in self.list(root, "#", "binds") {
            if let Some(bind) = self.bind(item) {
                out.binds.push(bind);
            }
        }
        let Some(capability) = self.field(At { node: root, pointer: "#" }, "capability", true) else { return out };
        let pointer = child_pointer("#", "capability");
        for item in self.list(capability, &pointer, "binds") {
            if let Some(bind) = self.bind(item) {
                out.binds.push(bind);
            }
        }
        for item in self.list(capability, &pointer, "consumes") {
            if let Some(c) = self.consumes(item) {
                out.consumes.push(c);
            }
        }
        for item in self.list(capability, &pointer, "exposes") {
            if let Some(e) = self.exposes(item) {
                out.exposes.push(e);
            }
        }
        out
    }

    /// The items of the array under `key` of `parent`, each with its pointer; a missing key is
    /// an empty list, anything but an array an error.
    fn list<'n>(&mut self, parent: &'n Node, pointer: &str, key: &str) -> Vec<(&'n Node, String)> {
        let Some(value) = parent.get(key) else { return Vec::new() };
        let pointer = child_pointer(pointer, key);
        match value.as_array() {
            Some(items) => items.iter().enumerate().map(|(i, n)| (n, format!("{pointer}/{i}"))).collect(),
            None if matches!(value.value, crate::load::Value::Null) => Vec::new(),
            None => {
                self.fail(
                    place(value, &pointer),
                    format!("`{key}` must be a list, found {}", value.type_name()),
                    format!("write each item of `{key}` on a line of its own, starting with `- `"),
                );
                Vec::new()
            }
        }
    }

    /// The value under `key` of the mapping `at`; an error when `required` and missing.
    fn field<'n>(&mut self, at: At<'n>, key: &str, required: bool) -> Option<&'n Node> {
        let value = at.node.get(key);
        if value.is_none() && required {
            let what = if at.pointer == "#" { "the document".to_string() } else { format!("`{}`", at.pointer) };
            self.fail(place(at.node, at.pointer), format!("{what} has no `{key}`"), format!("add `{key}:`"));
        }
        value
    }

    /// A string under `key`; an error when it is missing (if `required`) or not a string.
    fn string(&mut self, at: At<'_>, key: &str, required: bool) -> Option<Located<String>> {
        let value = self.field(at, key, required)?;
        let pointer = child_pointer(at.pointer, key);
        let text = match &value.value {
            crate::load::Value::String(s) => s.clone(),
            // YAML reads `port: 8080` or `name: 404` as numbers; a name is still a name.
            crate::load::Value::Int(i) => i.to_string(),
            _ => {
                self.fail(
                    place(value, &pointer),
                    format!("`{key}` must be a string, found {}", value.type_name()),
                    format!("write one value: `{key}: ...`"),
                );
                return None;
            }
        };
        Some(Located { value: text, at: place(value, &pointer) })
    }

    /// A boolean under `key`, if there is one.
    fn boolean(&mut self, at: At<'_>, key: &str) -> Option<bool> {
        let value = at.node.get(key)?;
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                let pointer = child_pointer(at.pointer, key);
                self.fail(
                    place(value, &pointer),
                    format!("`{key}` must be true or false, found {}", value.type_name()),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// `(node, pointer)` as a mapping, or an error naming `what` it should be.
    fn mapping<'n>(&mut self, node: &'n Node, pointer: &'n str, what: &str) -> Option<At<'n>> {
        if node.as_object().is_some() {
            Some(At { node, pointer })
        } else {
            self.fail(
                place(node, pointer),
                format!("{what} must be a mapping, found {}", node.type_name()),
                "write it as `key: value` lines",
            );
            None
        }
    }

    fn bind(&mut self, (node, pointer): (&Node, String)) -> Option<Bind> {
        let at = self.mapping(node, &pointer, "a bind")?;
        let namespace = self.string(at, "namespace", true);
        let location = self.string(at, "location", false);
        let mut keys = Vec::new();
        if let Some(map) = self.field(at, "keys", false) {
            let keys_pointer = child_pointer(&pointer, "keys");
            match map.as_object() {
                Some(obj) => {
                    for (key, member) in obj.members() {
                        let value_pointer = child_pointer(&keys_pointer, key);
                        let key_at = Place { span: member.key_span, pointer: value_pointer.clone() };
                        match member.node.as_str() {
                            Some(v) => keys.push((
                                Located { value: key.to_string(), at: key_at },
                                Located { value: v.to_string(), at: place(&member.node, &value_pointer) },
                            )),
                            None => self.fail(
                                place(&member.node, &value_pointer),
                                format!(
                                    "the value of bind key `{key}` must be a string, found {}",
                                    member.node.type_name()
                                ),
                                format!("write `{key}: ENVIRONMENT_VARIABLE`"),
                            ),
                        }
                    }
                }
                None => self.fail(
                    place(map, &keys_pointer),
                    format!("`keys` must be a mapping, found {}", map.type_name()),
                    "write `keys: {NAME: ENVIRONMENT_VARIABLE}`",
                ),
            }
        }
        Some(Bind { namespace: namespace?, location, keys })
    }

    fn consumes(&mut self, (node, pointer): (&Node, String)) -> Option<Consumes> {
        let at = self.mapping(node, &pointer, "a `consumes` entry")?;
        if let Some(import) = self.string(at, "import", false) {
            self.fail(
                import.at,
                "an imported `consumes` entry (`import`/`location`) cannot be checked here".into(),
                "copy the imported entry into this file",
            );
            return None;
        }
        let kind = self.string(at, "type", true);
        let namespace = self.string(at, "namespace", true);
        let base_uri = self.string(at, "baseUri", true);
        let mut resources = Vec::new();
        for item in self.list(node, &pointer, "resources") {
            if let Some(r) = self.resource(item) {
                resources.push(r);
            }
        }
        let authentication = match self.field(at, "authentication", false) {
            Some(auth) => {
                let auth_pointer = child_pointer(&pointer, "authentication");
                self.mapping(auth, &auth_pointer, "`authentication`").and_then(|a| {
                    let kind = self.string(a, "type", true)?;
                    let token = self.string(a, "token", false);
                    Some(Authentication { kind, token, at: place(auth, &auth_pointer) })
                })
            }
            None => None,
        };
        Some(Consumes {
            kind: kind?,
            namespace: namespace?,
            base_uri: base_uri?,
            resources,
            authentication,
            at: place(node, &pointer),
        })
    }

    fn resource(&mut self, (node, pointer): (&Node, String)) -> Option<Resource> {
        let at = self.mapping(node, &pointer, "a resource")?;
        let name = self.string(at, "name", false).map(|n| n.value);
        let path = self.string(at, "path", true);
        let mut operations = Vec::new();
        for item in self.list(node, &pointer, "operations") {
            let (op_node, op_pointer) = item;
            let Some(op) = self.mapping(op_node, &op_pointer, "an operation") else { continue };
            let name = self.string(op, "name", true);
            let method = self.string(op, "method", true);
            let description = self.string(op, "description", false).map(|d| d.value);
            let inputs = self.inputs(op_node, &op_pointer);
            if let (Some(name), Some(method)) = (name, method) {
                operations.push(ConsumedOperation {
                    name,
                    method,
                    description,
                    inputs,
                    at: place(op_node, &op_pointer),
                });
            }
        }
        Some(Resource { name, path: path?, operations })
    }

    fn inputs(&mut self, parent: &Node, pointer: &str) -> Vec<Input> {
        let mut out = Vec::new();
        for (node, p) in self.list(parent, pointer, "inputParameters") {
            let Some(at) = self.mapping(node, &p, "an input parameter") else { continue };
            let name = self.string(at, "name", true);
            let location = self.string(at, "in", false);
            let ty = self.string(at, "type", false);
            let required = self.boolean(at, "required").unwrap_or(true);
            let description = self.string(at, "description", false).map(|d| d.value);
            if let Some(name) = name {
                out.push(Input { name, location, ty, required, description, at: place(node, &p) });
            }
        }
        out
    }

    fn with(&mut self, at: At<'_>) -> Vec<With> {
        let Some(map) = at.node.get("with") else { return Vec::new() };
        let pointer = child_pointer(at.pointer, "with");
        let Some(obj) = map.as_object() else {
            self.fail(
                place(map, &pointer),
                format!("`with` must be a mapping, found {}", map.type_name()),
                "write `with: {INPUT: tools.ARGUMENT}`",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, member) in obj.members() {
            let value_pointer = child_pointer(&pointer, key);
            let Some(value) = member.node.as_str() else {
                self.fail(
                    place(&member.node, &value_pointer),
                    format!("`with: {key}` must be a string, found {}", member.node.type_name()),
                    format!("write `{key}: tools.{key}` (or `rest.{key}`)"),
                );
                continue;
            };
            out.push(With {
                key: Located {
                    value: key.to_string(),
                    at: Place { span: member.key_span, pointer: value_pointer.clone() },
                },
                value: Located { value: value.to_string(), at: place(&member.node, &value_pointer) },
            });
        }
        out
    }

    /// The `call` of a tool or REST operation; orchestrated ones (`steps`) are refused.
    fn call(&mut self, at: At<'_>, what: &str) -> Option<Located<String>> {
        if let Some(steps) = at.node.get("steps") {
            self.fail(
                place(steps, &child_pointer(at.pointer, "steps")),
                format!("{what} orchestrates `steps`; clientgen checks and serves only single calls (`call`)"),
                "split it into tools that each `call` one consumed operation",
            );
            return None;
        }
        self.string(at, "call", true)
    }

    fn exposes(&mut self, (node, pointer): (&Node, String)) -> Option<Exposes> {
        let at = self.mapping(node, &pointer, "an `exposes` entry")?;
        let kind = self.string(at, "type", true)?;
        match kind.value.as_str() {
            "rest" => {
                let namespace = self.string(at, "namespace", true);
                let mut resources = Vec::new();
                for (r_node, r_pointer) in self.list(node, &pointer, "resources") {
                    let Some(r) = self.mapping(r_node, &r_pointer, "a REST resource") else { continue };
                    let path = self.string(r, "path", true);
                    let mut operations = Vec::new();
                    for (o_node, o_pointer) in self.list(r_node, &r_pointer, "operations") {
                        let Some(o) = self.mapping(o_node, &o_pointer, "a REST operation") else { continue };
                        let method = self.string(o, "method", true);
                        let call = self.call(o, "this REST operation");
                        let with = self.with(o);
                        let inputs = self.inputs(o_node, &o_pointer);
                        if let Some(method) = method {
                            operations.push(RestOperation {
                                method,
                                call,
                                with,
                                inputs,
                                at: place(o_node, &o_pointer),
                            });
                        }
                    }
                    if let Some(path) = path {
                        resources.push(RestResource { path, operations });
                    }
                }
                Some(Exposes::Rest(RestSurface { namespace: namespace?, resources }))
            }
            "mcp" => {
                let namespace = self.string(at, "namespace", true);
                let description = self.string(at, "description", false).map(|d| d.value);
                let transport = self.string(at, "transport", false);
                let mut tools = Vec::new();
                for (t_node, t_pointer) in self.list(node, &pointer, "tools") {
                    if let Some(tool) = self.tool(t_node, &t_pointer) {
                        tools.push(tool);
                    }
                }
                Some(Exposes::Mcp(McpSurface { namespace: namespace?, description, transport, tools }))
            }
            _ => Some(Exposes::Other { kind }),
        }
    }

    fn tool(&mut self, node: &Node, pointer: &str) -> Option<Tool> {
        let at = self.mapping(node, pointer, "a tool")?;
        let name = self.string(at, "name", true);
        let description = self.string(at, "description", false);
        let mut hints = Hints::default();
        if let Some(h) = at.node.get("hints") {
            let hints_pointer = child_pointer(pointer, "hints");
            if let Some(h) = self.mapping(h, &hints_pointer, "`hints`") {
                hints = Hints {
                    read_only: self.boolean(h, "readOnly"),
                    destructive: self.boolean(h, "destructive"),
                    idempotent: self.boolean(h, "idempotent"),
                    open_world: self.boolean(h, "openWorld"),
                };
            }
        }
        let call = self.call(at, "this tool");
        let with = self.with(at);
        let inputs = self.inputs(node, pointer);
        let mut output_mappings = Vec::new();
        for (o_node, o_pointer) in self.list(node, pointer, "outputParameters") {
            if let Some(o) = self.mapping(o_node, &o_pointer, "an output parameter") {
                output_mappings.extend(self.string(o, "mapping", false));
            }
        }
        Some(Tool { name: name?, description, hints, call, with, inputs, output_mappings, at: place(node, pointer) })
    }
}
