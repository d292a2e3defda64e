//! The document's root `servers`: URL templates, their variables, and the names the generated
//! `Server` enum gives them.

use std::collections::HashMap;

use super::enums::{Listed, enum_type};
use super::names::{self, Namespace};
use super::{Cursor, Lowerer, scalar_text};
use crate::ir::{Docs, EnumRepr, EnumValue, Scalar, Server, ServerVariable, TypeEntry, TypeId, TypeKind, UrlPart};
use crate::load::Value;

/// Vendor extensions that name a server, in order of preference.
const NAME_EXTENSIONS: &[&str] = &["x-fern-server-name", "x-speakeasy-server-id"];

/// Longest `description`, in words, that still makes a good variant name.
const MAX_NAME_WORDS: usize = 4;

/// A piece of a URL template before its variables are resolved.
enum Piece<'t> {
    Text(&'t str),
    Name(&'t str),
}

impl<'a> Lowerer<'a> {
    /// The root `servers`, in document order. Entries that cannot be used are left out with a
    /// warning; the first one left is the default.
    pub(super) fn servers(&mut self, root: &Cursor<'a>) -> Vec<Server> {
        let Some(list) = root.child("servers") else { return Vec::new() };
        if list.node.as_array().is_none() {
            self.warn(
                &list,
                format!("`servers` must be an array of server objects, found {}; it is ignored", list.node.type_name()),
            );
            return Vec::new();
        }
        let usable: Vec<(usize, Cursor<'a>, &'a str)> = list
            .items()
            .into_iter()
            .enumerate()
            .filter_map(|(i, c)| self.server_url(&c).map(|url| (i, c, url)))
            .collect();
        let names = variant_names(&usable.iter().map(|(i, c, _)| (*i, preferred_name(c))).collect::<Vec<_>>());
        let mut enums: HashMap<(String, Vec<String>), TypeId> = HashMap::new();
        usable
            .into_iter()
            .zip(names)
            .map(|((_, c, url), name)| {
                let (url, variables) = self.template(&c, url, &name, &mut enums);
                Server { name, url, description: c.str("description").map(str::to_owned), variables }
            })
            .collect()
    }

    /// The `url` of a server, or a warning and `None` when the entry has none to use.
    fn server_url(&mut self, c: &Cursor<'a>) -> Option<&'a str> {
        if c.object().is_none() {
            self.warn(
                c,
                format!("a server must be an object with a `url`, found {}; it is left out", c.node.type_name()),
            );
            return None;
        }
        match c.child("url") {
            Some(url) => {
                let text = url.node.as_str();
                if text.is_none() {
                    let found = url.node.type_name();
                    self.warn(&url, format!("a server `url` must be a string, found {found}; the server is left out"));
                }
                text
            }
            None => {
                self.warn(c, "this server has no `url`; it is left out");
                None
            }
        }
    }

    /// The template of `server` in parts, and the variables it uses in the order it uses them.
    fn template(
        &mut self,
        server: &Cursor<'a>,
        url: &str,
        variant: &str,
        enums: &mut HashMap<(String, Vec<String>), TypeId>,
    ) -> (Vec<UrlPart>, Vec<ServerVariable>) {
        let at = server.child("url").unwrap_or_else(|| server.clone());
        let declared: Vec<(&'a str, Cursor<'a>)> = match server.child("variables") {
            Some(v) if v.object().is_some() => v.members(),
            Some(v) => {
                let found = v.node.type_name();
                self.warn(&v, format!("server `variables` must be an object, found {found}; they are ignored"));
                Vec::new()
            }
            None => Vec::new(),
        };
        let mut parts = Vec::new();
        let mut variables: Vec<ServerVariable> = Vec::new();
        // The names of `variables`, by index; every name the template mentions.
        let mut used: Vec<&str> = Vec::new();
        let mut mentioned: Vec<&str> = Vec::new();
        let mut field_names = Namespace::snake();
        for piece in split_template(url) {
            let name = match piece {
                Ok(Piece::Text(text)) => {
                    push_literal(&mut parts, text);
                    continue;
                }
                Ok(Piece::Name(name)) => name,
                Err(rest) => {
                    self.warn(
                        &at,
                        format!("the server URL `{url}` has an unclosed `{{`; what follows it is sent as it is"),
                    );
                    push_literal(&mut parts, rest);
                    continue;
                }
            };
            if let Some(i) = used.iter().position(|u| *u == name) {
                parts.push(UrlPart::Variable(i));
                continue;
            }
            if mentioned.contains(&name) {
                // Already found unusable, and said so.
                push_literal(&mut parts, &format!("{{{name}}}"));
                continue;
            }
            mentioned.push(name);
            let Some((_, var)) = declared.iter().find(|(k, _)| *k == name) else {
                self.warn(
                    &at,
                    format!("`{{{name}}}` in the server URL `{url}` names no server variable; it is sent as it is"),
                );
                push_literal(&mut parts, &format!("{{{name}}}"));
                continue;
            };
            let Some(variable) = self.variable(name, var, variant, &mut field_names, enums) else {
                push_literal(&mut parts, &format!("{{{name}}}"));
                continue;
            };
            parts.push(UrlPart::Variable(variables.len()));
            variables.push(variable);
            used.push(name);
        }
        for (name, var) in &declared {
            if !mentioned.contains(name) {
                self.warn(var, format!("server variable `{name}` does not appear in the URL `{url}` and is ignored"));
            }
        }
        // A base URL has no trailing slash: operation paths start with one.
        if let Some(UrlPart::Literal(text)) = parts.last_mut() {
            text.truncate(text.trim_end_matches('/').len());
            if text.is_empty() {
                parts.pop();
            }
        }
        (parts, variables)
    }

    /// One server variable: its field name, type and default.
    fn variable(
        &mut self,
        wire: &str,
        var: &Cursor<'a>,
        variant: &str,
        field_names: &mut Namespace,
        enums: &mut HashMap<(String, Vec<String>), TypeId>,
    ) -> Option<ServerVariable> {
        if var.object().is_none() {
            let found = var.node.type_name();
            self.warn(
                var,
                format!("server variable `{wire}` must be an object with a `default`, found {found}; it is ignored"),
            );
            return None;
        }
        let values = self.allowed_values(wire, var);
        let default = match var.child("default") {
            Some(d) if is_scalar(&d.node.value) => scalar_text(d.node),
            found => {
                let fallback = values.as_ref().and_then(|v| v.first().cloned()).unwrap_or_default();
                let used = if fallback.is_empty() { "the empty string".to_string() } else { format!("`{fallback}`") };
                let problem = match &found {
                    Some(d) => format!("has {} as its `default`, which must be a string", d.node.type_name()),
                    None => "has no `default` (OpenAPI requires one)".to_string(),
                };
                self.warn(found.as_ref().unwrap_or(var), format!("server variable `{wire}` {problem}; {used} is used"));
                fallback
            }
        };
        if let Some(values) = values.as_ref().filter(|v| !v.contains(&default)) {
            let at = var.child("default").unwrap_or_else(|| var.clone());
            self.warn(
                &at,
                format!(
                    "the default `{default}` of server variable `{wire}` is not among its `enum` values ({})",
                    values.join(", ")
                ),
            );
        }
        let description = var.str("description").map(str::to_owned);
        let ty = match values {
            Some(values) => self.variable_enum(wire, var, variant, values, description.clone(), enums),
            None => self.scalar(Scalar::String),
        };
        let name = field_names.unique(&names::snake(wire).unwrap_or_else(|| "variable".into()));
        Some(ServerVariable { wire_name: wire.to_string(), name, ty, default, description })
    }

    /// The `enum` of a server variable as text, or `None` when any value is allowed.
    fn allowed_values(&mut self, wire: &str, var: &Cursor<'a>) -> Option<Vec<String>> {
        let list = var.child("enum")?;
        if list.node.as_array().is_none() {
            let found = list.node.type_name();
            self.warn(
                &list,
                format!("the `enum` of server variable `{wire}` must be an array, found {found}; any value is allowed"),
            );
            return None;
        }
        let mut values: Vec<String> = Vec::new();
        for item in list.items() {
            if !is_scalar(&item.node.value) {
                let found = item.node.type_name();
                self.warn(
                    &item,
                    format!("a server variable's `enum` value must be a string, found {found}; it is left out"),
                );
                continue;
            }
            let text = scalar_text(item.node);
            if !values.contains(&text) {
                values.push(text);
            }
        }
        if values.is_empty() {
            self.warn(&list, format!("the `enum` of server variable `{wire}` lists no value; any value is allowed"));
            return None;
        }
        Some(values)
    }

    /// The enum type of a server variable's values, shared by servers whose variable of the
    /// same name allows the same values. It is `Server<Variable>`, or `<Variant><Variable>` when
    /// a schema type or another server's variable has that name (servers are lowered after the
    /// schemas, so their types keep their names).
    fn variable_enum(
        &mut self,
        wire: &str,
        var: &Cursor<'a>,
        variant: &str,
        values: Vec<String>,
        description: Option<String>,
        enums: &mut HashMap<(String, Vec<String>), TypeId>,
    ) -> TypeId {
        let key = (wire.to_string(), values);
        if let Some(&id) = enums.get(&key) {
            return id;
        }
        let listed =
            key.1.iter().map(|v| Listed { value: EnumValue::String(v.clone()), name: None, docs: None }).collect();
        // Keyword-safe names may end in `_` (`Self_`); inside a longer name that is not needed.
        let var_name = names::camel(wire, "V").unwrap_or_else(|| "Variable".into());
        let var_name = var_name.trim_end_matches('_');
        let preferred = format!("Server{var_name}");
        let name = if self.type_names.contains(&preferred) {
            self.type_names.unique(&format!("{}{var_name}", variant.trim_end_matches('_')))
        } else {
            self.type_names.unique(&preferred)
        };
        let entry = TypeEntry {
            name: Some(name),
            docs: Docs {
                description,
                notes: vec![format!("The values of the server URL variable `{wire}`.")],
                ..Docs::default()
            },
            kind: TypeKind::Enum(enum_type(EnumRepr::String, listed)),
            origin: Some(self.docs.display_pointer(var.file, &var.pointer)),
        };
        let id = self.types.add(entry);
        enums.insert(key, id);
        id
    }
}

/// The name a server gives itself: a vendor extension, else a short `description`.
fn preferred_name(c: &Cursor<'_>) -> Option<String> {
    let explicit = NAME_EXTENSIONS.iter().find_map(|k| c.str(k).and_then(|n| names::camel(n, "Server")));
    explicit.or_else(|| c.str("description").and_then(description_name))
}

/// `Production server` → `Production`: a description of a few words as a variant name; the
/// word "server" at its end says nothing in a `Server` enum.
fn description_name(description: &str) -> Option<String> {
    let mut words: Vec<&str> = description.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_NAME_WORDS {
        return None;
    }
    if words.len() > 1 && words.last().is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "server" | "servers"))
    {
        words.pop();
    }
    names::camel(&words.join(" "), "Server")
}

/// Distinct variant names for servers at the given document positions, from the names they
/// prefer: those are handed out first (in order), then `Server<position>` to the others.
fn variant_names(servers: &[(usize, Option<String>)]) -> Vec<String> {
    let mut namespace = Namespace::camel();
    let mut names: Vec<Option<String>> =
        servers.iter().map(|(_, preferred)| preferred.as_deref().map(|p| namespace.unique(p))).collect();
    for ((position, _), name) in servers.iter().zip(&mut names) {
        if name.is_none() {
            *name = Some(namespace.unique(&format!("Server{}", position + 1)));
        }
    }
    names.into_iter().flatten().collect()
}

/// The template's literal text and `{names}`; `Err` with the rest after an unclosed `{`.
fn split_template(url: &str) -> Vec<Result<Piece<'_>, &str>> {
    let mut pieces = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            pieces.push(Ok(Piece::Text(&rest[..open])));
        }
        pieces.push(Ok(Piece::Name(&rest[open + 1..close])));
        rest = &rest[close + 1..];
    }
    if let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(Ok(Piece::Text(&rest[..open])));
        }
        pieces.push(Err(&rest[open..]));
    } else if !rest.is_empty() {
        pieces.push(Ok(Piece::Text(rest)));
    }
    pieces
}

/// Append literal text, merged with literal text before it.
fn push_literal(parts: &mut Vec<UrlPart>, text: &str) {
    match parts.last_mut() {
        Some(UrlPart::Literal(prev)) => prev.push_str(text),
        _ => parts.push(UrlPart::Literal(text.to_string())),
    }
}

/// Whether a value has a text form (YAML reads `port: 8080` as a number; it means "8080").
fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Int(_) | Value::UInt(_) | Value::Float(_) | Value::Bool(_))
}

#[cfg(test)]
mod tests {
    use super::{description_name, variant_names};
    use crate::diag::Diagnostics;
    use crate::ir::{Api, TypeKind, UrlPart};
    use crate::load::Documents;

    /// The API and warnings of a document with these root `servers` (JSON) and one operation.
    fn lower(servers: &str) -> (Api, Diagnostics) {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "servers": {servers},
                "paths": {{"/a": {{"get": {{"operationId": "getA", "responses": {{"204": {{"description": "ok"}}}}}}}}}},
                "components": {{"schemas": {{"ServerRegion": {{"type": "string"}}}}}}}}"#
        );
        let (docs, _) = Documents::from_text("t.json", &text).expect("loads");
        super::super::lower(&docs).expect("lowers")
    }

    fn messages(diags: &Diagnostics) -> Vec<String> {
        diags.iter().map(|d| format!("{} @ {}", d.message, d.pointer.as_deref().unwrap_or("?"))).collect()
    }

    #[test]
    fn short_descriptions_name_servers() {
        assert_eq!(description_name("Production server").as_deref(), Some("Production"));
        assert_eq!(description_name("Xero API servers").as_deref(), Some("XeroApi"));
        assert_eq!(description_name("server").as_deref(), Some("Server"));
        assert_eq!(description_name("EU (Frankfurt) sandbox").as_deref(), Some("EuFrankfurtSandbox"));
        assert_eq!(description_name("self").as_deref(), Some("Self_"));
        assert_eq!(description_name("2nd region").as_deref(), Some("Server2ndRegion"));
        assert_eq!(description_name("The servers of the team that owns the token"), None);
        assert_eq!(description_name("🚀"), None);
        assert_eq!(description_name("  "), None);
    }

    #[test]
    fn names_the_document_gives_come_before_position_names() {
        let names =
            variant_names(&[(0, None), (1, Some("Server1".into())), (2, Some("Eu".into())), (3, Some("Eu".into()))]);
        assert_eq!(names, ["Server1_2", "Server1", "Eu", "Eu2"]);
    }

    #[test]
    fn servers_are_named_by_extension_then_description_then_position() {
        let (api, warnings) = lower(
            r#"[
                {"url": "https://a.example.com/v1/", "description": "Production server"},
                {"url": "https://b.example.com", "description": "Long descriptions make poor names, so not this",
                 "x-fern-server-name": "team scoped"},
                {"url": "https://c.example.com", "x-speakeasy-server-id": "sandbox"},
                {"url": "https://d.example.com", "description": "A description of more than four words"},
                {"url": "https://e.example.com", "description": "Production"}
            ]"#,
        );
        assert!(warnings.is_empty(), "{:?}", messages(&warnings));
        let names: Vec<&str> = api.servers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Production", "TeamScoped", "Sandbox", "Server4", "Production2"]);
        assert_eq!(api.default_url().as_deref(), Some("https://a.example.com/v1"));
        assert!(api.has_server_choice());
    }

    #[test]
    fn variables_get_fields_types_and_defaults() {
        let (api, warnings) = lower(
            r#"[{"url": "https://{region}.example.com/{type}/{team-id}/{team_id}/{region}",
                 "variables": {
                    "region": {"default": "eu", "enum": ["eu", "us"], "description": "Where."},
                    "type": {"default": "jobs"},
                    "team-id": {"default": "a/b"},
                    "team_id": {"default": 7}
                 }}]"#,
        );
        assert!(warnings.is_empty(), "{:?}", messages(&warnings));
        let server = &api.servers[0];
        assert_eq!(server.name, "Server1");
        let fields: Vec<&str> = server.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(fields, ["region", "type_", "team_id", "team_id_2"]);
        assert_eq!(server.variables[3].default, "7");
        assert_eq!(server.url.last(), Some(&UrlPart::Variable(0)), "a repeated variable is one field");
        assert_eq!(server.template(), "https://{region}.example.com/{type}/{team-id}/{team_id}/{region}");
        assert_eq!(api.default_url().as_deref(), Some("https://eu.example.com/jobs/a%2Fb/7/eu"));
        // The schema type keeps its name; the variable's enum is named after its server.
        let region = api.types.get(server.variables[0].ty);
        assert_eq!(region.name.as_deref(), Some("Server1Region"));
        let TypeKind::Enum(e) = &region.kind else { panic!("an enum: {region:?}") };
        let variants: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(variants, ["Eu", "Us"]);
        assert_eq!(api.types.kind(server.variables[1].ty), &TypeKind::Scalar(crate::ir::Scalar::String));
    }

    #[test]
    fn enum_names_drop_the_underscore_of_keywords() {
        let (api, _) = lower(
            r#"[{"url": "https://{self}.{region}.example.com", "x-fern-server-name": "self",
                 "variables": {"self": {"default": "a", "enum": ["a"]}, "region": {"default": "b", "enum": ["b"]}}}]"#,
        );
        let server = &api.servers[0];
        assert_eq!(server.name, "Self_");
        let names: Vec<Option<&str>> = server.variables.iter().map(|v| api.types.get(v.ty).name.as_deref()).collect();
        assert_eq!(names, [Some("ServerSelf"), Some("SelfRegion")]);
    }

    #[test]
    fn one_server_without_variables_is_no_choice() {
        let (api, warnings) = lower(r#"[{"url": "https://a.example.com/"}]"#);
        assert!(warnings.is_empty(), "{:?}", messages(&warnings));
        assert!(!api.has_server_choice());
        assert_eq!(api.default_url().as_deref(), Some("https://a.example.com"));
        let (api, _) = lower("[]");
        assert_eq!(api.default_url(), None);
    }

    #[test]
    fn bad_servers_are_located_warnings() {
        let (api, warnings) = lower(
            r#"[
                "https://not-an-object.example.com",
                {"url": 42},
                {"description": "no url"},
                {"url": "https://{a}.example.com/{b}/{c}/{d}/{c}/{b}/{e", "variables": {
                    "a": {"description": "no default", "enum": ["x", "y"]},
                    "b": "not an object",
                    "d": {"default": "z", "enum": ["x", []]},
                    "unused": {"default": "u"}
                }},
                {"url": "https://v.example.com/{v}", "variables": ["not", "an", "object"]},
                {"url": "https://w.example.com/{w}", "variables": {"w": {"default": "q", "enum": []}}},
                {"url": "https://x.example.com/{x}", "variables": {"x": {"default": {"no": 1}, "enum": "x"}}}
            ]"#,
        );
        let got = messages(&warnings);
        let want = [
            "a server must be an object with a `url`, found a string; it is left out @ #/servers/0",
            "a server `url` must be a string, found an integer; the server is left out @ #/servers/1/url",
            "this server has no `url`; it is left out @ #/servers/2",
            "server variable `a` has no `default` (OpenAPI requires one); `x` is used @ #/servers/3/variables/a",
            "server variable `b` must be an object with a `default`, found a string; it is ignored @ #/servers/3/variables/b",
            "`{c}` in the server URL `https://{a}.example.com/{b}/{c}/{d}/{c}/{b}/{e` names no server variable; it is sent as it is @ #/servers/3/url",
            "a server variable's `enum` value must be a string, found an array; it is left out @ #/servers/3/variables/d/enum/1",
            "the default `z` of server variable `d` is not among its `enum` values (x) @ #/servers/3/variables/d/default",
            "the server URL `https://{a}.example.com/{b}/{c}/{d}/{c}/{b}/{e` has an unclosed `{`; what follows it is sent as it is @ #/servers/3/url",
            "server variable `unused` does not appear in the URL `https://{a}.example.com/{b}/{c}/{d}/{c}/{b}/{e` and is ignored @ #/servers/3/variables/unused",
            "server `variables` must be an object, found an array; they are ignored @ #/servers/4/variables",
            "`{v}` in the server URL `https://v.example.com/{v}` names no server variable; it is sent as it is @ #/servers/4/url",
            "the `enum` of server variable `w` lists no value; any value is allowed @ #/servers/5/variables/w/enum",
            "the `enum` of server variable `x` must be an array, found a string; any value is allowed @ #/servers/6/variables/x/enum",
            "server variable `x` has an object as its `default`, which must be a string; the empty string is used @ #/servers/6/variables/x/default",
        ];
        for w in &want {
            assert!(got.contains(&w.to_string()), "missing {w}\nin {got:#?}");
        }
        assert_eq!(got.len(), want.len(), "{got:#?}");
        assert!(warnings.iter().all(|w| !w.is_error() && w.location.is_some()));
        let names: Vec<&str> = api.servers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Server4", "Server5", "Server6", "Server7"]);
        assert_eq!(api.servers[0].template(), "https://{a}.example.com/{b}/{c}/{d}/{c}/{b}/{e");
        assert_eq!(api.default_url().as_deref(), Some("https://x.example.com/{b}/{c}/z/{c}/{b}/{e"));
    }

    #[test]
    fn servers_that_are_not_a_list_and_path_servers_are_ignored_with_a_warning() {
        let (api, warnings) = lower(r#"{"url": "https://a.example.com"}"#);
        assert!(api.servers.is_empty());
        assert_eq!(
            messages(&warnings),
            ["`servers` must be an array of server objects, found an object; it is ignored @ #/servers"]
        );
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {"/a": {"servers": [{"url": "https://uploads.example.com"}],
                "get": {"servers": [{"url": "https://uploads.example.com"}], "responses": {"204": {"description": "ok"}}}},
              "/b": {"servers": [], "get": {"servers": [{"url": "https://api.example.com"}],
                "responses": {"204": {"description": "ok"}}}}}}"#;
        let (docs, _) = Documents::from_text("t.json", text).expect("loads");
        let (_, warnings) = super::super::lower(&docs).expect("lowers");
        let ignored = "`servers` of a path or operation are ignored: every request goes to the client's server (the root `servers`)";
        assert_eq!(
            messages(&warnings),
            [format!("{ignored} @ #/paths/~1a/servers"), format!("{ignored} @ #/paths/~1a/get/servers")]
        );
    }
}
