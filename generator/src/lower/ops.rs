//! Paths and operations.

use std::collections::HashMap;

use super::names::{self, Namespace};
use super::{Cursor, Lowerer};
use crate::ir::{
    Docs, MediaKind, Method, Operation, Param, ParamLocation, ParamStyle, PathPart, RequestBody, Response,
    ResponseBody, Scalar, StatusMatch, TypeId,
};

const METHODS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

/// Parameter names the generated methods use themselves.
const RESERVED_ARGS: &[&str] = &["params", "body", "self_"];

/// Local variables of the generated methods, which path parameters (method arguments) must
/// not shadow; other parameters are struct fields and may keep these names.
const METHOD_LOCALS: &[&str] = &["path", "request", "response"];

impl<'a> Lowerer<'a> {
    /// Every operation under `paths`, sorted by method name.
    pub(super) fn lower_paths(&mut self, root: &Cursor<'a>) -> Vec<Operation> {
        let Some(paths) = root.child("paths") else { return Vec::new() };
        let mut op_names = Namespace::snake();
        for m in crate::layout::CLIENT_METHODS.iter().chain(crate::layout::FORMER_CLIENT_METHODS) {
            op_names.reserve(m);
        }
        let mut seen_ids: HashMap<String, (u32, u32)> = HashMap::new();
        let mut ops = Vec::new();
        for (path, item) in paths.members() {
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                self.error(&item, format!("path `{path}` must start with `/`"));
                continue;
            }
            let Some(item) = (if item.has("$ref") { self.deref(&item) } else { Some(item) }) else { continue };
            let shared = item.child("parameters").map(|p| p.items()).unwrap_or_default();
            self.ignored_servers(&item);
            for (key, method) in METHODS {
                let Some(op) = item.child(key) else { continue };
                // Not allowed by the letter of the spec, but common in multi-file documents and
                // accepted by bundlers: the operation object kept in a file of its own. Its own
                // relative `$ref`s then resolve against that file.
                let op = if op.has("$ref") {
                    let Some(target) = self.deref(&op) else { continue };
                    self.warn(
                        &op,
                        "an operation object is a `$ref` (OpenAPI allows that only for path items); followed",
                    );
                    target
                } else {
                    op
                };
                self.ignored_servers(&op);
                if let Some(lowered) = self.operation(path, *method, &op, &shared, &mut op_names, &mut seen_ids) {
                    ops.push(lowered);
                }
            }
        }
        ops.sort_by(|a, b| a.name.cmp(&b.name));
        // The methods a paginated operation adds share `Client` with the operations, whose own
        // names come first: `list_runs_pages` the operation leaves `list_runs_pages_2` to the
        // pages of `list_runs`.
        for op in &mut ops {
            if let Some(p) = &mut op.pagination {
                p.pages_method = op_names.unique(&format!("{}_pages", op.name));
                p.stream_method = op_names.unique(&format!("{}_stream", op.name));
            }
        }
        ops
    }

    /// Servers of a path item or operation: requests go where the client is configured to send
    /// them, so these are not used; say so when they would send elsewhere (an empty list, or the
    /// root's own servers repeated, changes nothing).
    fn ignored_servers(&mut self, c: &Cursor<'a>) {
        let root = self.docs.doc(self.docs.root()).root.get("servers").map(crate::load::Node::to_json);
        let Some(servers) = c.child("servers") else { return };
        let same = servers.node.as_array().is_some_and(<[_]>::is_empty) || root == Some(servers.node.to_json());
        if !same {
            self.warn(
                &servers,
                "`servers` of a path or operation are ignored: every request goes to the client's server \
                 (the root `servers`)",
            );
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &Cursor<'a>,
        shared: &[Cursor<'a>],
        op_names: &mut Namespace,
        seen_ids: &mut HashMap<String, (u32, u32)>,
    ) -> Option<Operation> {
        let id = match op.child("operationId") {
            Some(id_node) => {
                let id = id_node.node.as_str().unwrap_or_default().to_string();
                let here = self.docs.location(id_node.file, id_node.node.span);
                if let Some((line, col)) = seen_ids.get(&id) {
                    self.error(
                        &id_node,
                        format!("duplicate operationId `{id}` (first used at line {line}, column {col})"),
                    );
                    return None;
                }
                seen_ids.insert(id.clone(), (here.line, here.column));
                id
            }
            None => format!("{} {path}", method.as_str().to_ascii_lowercase()),
        };
        let base = names::snake(&id).unwrap_or_else(|| "operation".into());
        let name = op_names.unique(&base);
        let type_base = names::camel(&id, "Op").unwrap_or_else(|| "Operation".into());

        let mut docs = Docs {
            title: op.str("summary").map(str::to_owned),
            description: op.str("description").map(str::to_owned),
            notes: Vec::new(),
            deprecated: op.bool("deprecated") == Some(true),
        };
        if let Some(p) = op.str("x-required-permission") {
            let line = format!("Required permission: `{p}`");
            if !docs.description.as_deref().unwrap_or("").contains(p) {
                docs.notes.push(line);
            }
        }

        let mut params = self.parameters(op, shared, &type_base);
        let segments = self.path_template(op, path, &mut params);
        let body = op.child("requestBody").and_then(|b| self.request_body(&b, &type_base));
        let responses = self.responses(op, &type_base);
        let non_path = params.iter().any(|p| p.location != ParamLocation::Path);
        let params_struct = non_path.then(|| self.type_names.unique(&format!("{type_base}Params")));
        let mut success_types: Vec<TypeId> =
            responses.iter().filter(|r| r.status.is_success()).filter_map(|r| r.body.as_ref().map(|b| b.ty)).collect();
        success_types.sort();
        success_types.dedup();
        let success_enum = (success_types.len() > 1).then(|| self.type_names.unique(&format!("{type_base}Response")));
        let authenticated = op.child("security").is_none_or(|s| !s.items().is_empty());
        let tags = op.child("tags").map(|t| t.items()).unwrap_or_default();
        let tags = tags.iter().filter_map(|t| t.node.as_str().map(str::to_owned)).collect();
        let mut operation = Operation {
            id,
            name,
            method,
            path: path.to_string(),
            segments,
            docs,
            params,
            params_struct,
            body,
            responses,
            success_enum,
            pagination: None,
            authenticated,
            tags,
        };
        operation.pagination = self.pagination(op, &operation);
        Some(operation)
    }

    /// Path-level and operation-level parameters (the latter win), path parameters first.
    fn parameters(&mut self, op: &Cursor<'a>, shared: &[Cursor<'a>], type_base: &str) -> Vec<Param> {
        let own = op.child("parameters").map(|p| p.items()).unwrap_or_default();
        let mut resolved: Vec<Cursor<'a>> = Vec::new();
        for p in shared.iter().chain(own.iter()) {
            let Some(p) = (if p.has("$ref") { self.deref(p) } else { Some(p.clone()) }) else { continue };
            let key = (p.str("name").map(str::to_owned), p.str("in").map(str::to_owned));
            if let Some(existing) =
                resolved.iter_mut().find(|e| (e.str("name").map(str::to_owned), e.str("in").map(str::to_owned)) == key)
            {
                *existing = p;
            } else {
                resolved.push(p);
            }
        }
        let mut arg_names = Namespace::snake();
        for r in RESERVED_ARGS {
            arg_names.reserve(r);
        }
        let mut out = Vec::new();
        for p in resolved {
            let Some(wire) = p.str("name") else {
                self.error(&p, "parameter has no `name`");
                continue;
            };
            let location = match p.str("in") {
                Some("path") => ParamLocation::Path,
                Some("query") => ParamLocation::Query,
                Some("header") => ParamLocation::Header,
                Some("cookie") => ParamLocation::Cookie,
                other => {
                    self.error(
                        &p,
                        format!(
                            "parameter `{wire}` has `in: {}`; expected path, query, header or cookie",
                            other.unwrap_or("(missing)")
                        ),
                    );
                    continue;
                }
            };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"].contains(&wire.to_ascii_lowercase().as_str())
            {
                // The OpenAPI specification says these are ignored: the client sets them.
                continue;
            }
            // A shared parameter is named for itself, not for the first operation using it.
            let shared_name = p.pointer.strip_prefix("/components/parameters/").filter(|n| !n.contains('/'));
            let hint = match shared_name.and_then(|n| names::camel(n, "P")) {
                Some(name) => name,
                None => format!("{type_base}{}", names::camel(wire, "P").unwrap_or_else(|| "Param".into())),
            };
            let schema = p.child("schema").or_else(|| {
                p.child("content").and_then(|c| c.members().into_iter().next()).and_then(|(_, m)| m.child("schema"))
            });
            let ty = match schema {
                Some(s) => self.schema_with_null(&s, &hint),
                None => self.scalar(Scalar::String),
            };
            let explode = p.bool("explode");
            let style = match (location, p.str("style")) {
                (ParamLocation::Query, Some("deepObject")) => ParamStyle::DeepObject,
                (ParamLocation::Query, Some("spaceDelimited")) => ParamStyle::SpaceDelimited,
                (ParamLocation::Query, Some("pipeDelimited")) => ParamStyle::PipeDelimited,
                (ParamLocation::Query | ParamLocation::Cookie, _) => {
                    ParamStyle::Form { explode: explode.unwrap_or(true) }
                }
                _ => ParamStyle::Simple,
            };
            let mut base = names::snake(wire).unwrap_or_else(|| format!("param_{}", out.len()));
            if location == ParamLocation::Path && METHOD_LOCALS.contains(&base.as_str()) {
                base.push_str("_param");
            }
            out.push(Param {
                wire_name: wire.to_string(),
                name: arg_names.unique(&base),
                location,
                required: location == ParamLocation::Path || p.bool("required") == Some(true),
                ty,
                style,
                docs: Docs {
                    description: p.str("description").map(str::to_owned),
                    deprecated: p.bool("deprecated") == Some(true),
                    ..Docs::default()
                },
            });
        }
        out
    }

    /// Split the template into literals and parameters; every `{name}` must be declared.
    /// Path parameters end up first in `params`, in template order.
    fn path_template(&mut self, op: &Cursor<'a>, path: &str, params: &mut Vec<Param>) -> Vec<PathPart> {
        enum Piece {
            Text(String),
            Name(String),
        }
        let mut pieces = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(op, format!("path `{path}` has an unclosed `{{`"));
                return vec![PathPart::Literal(path.to_string())];
            };
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            pieces.push(Piece::Name(rest[open + 1..close].to_string()));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        let declared = |params: &[Param], name: &str| {
            params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name)
        };
        let mut used: Vec<String> = Vec::new();
        for piece in &pieces {
            if let Piece::Name(name) = piece {
                if declared(params, name).is_none() {
                    let msg = format!(
                        "path template parameter `{{{name}}}` in `{path}` is not declared as an `in: path` parameter"
                    );
                    let help = format!(
                        "declare it in the operation's or the path's `parameters`: \
                         `{{name: {name}, in: path, required: true, schema: {{type: string}}}}`"
                    );
                    self.error_at_path_key(op, path, msg, help);
                } else if !used.contains(name) {
                    used.push(name.clone());
                }
            }
        }
        // Declared path parameters that the template does not use cannot be sent.
        for p in params.iter().filter(|p| p.location == ParamLocation::Path && !used.contains(&p.wire_name)) {
            self.warn(
                op,
                format!("path parameter `{}` does not appear in the path `{path}` and is ignored", p.wire_name),
            );
        }
        params.retain(|p| p.location != ParamLocation::Path || used.contains(&p.wire_name));
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => used.iter().position(|u| *u == p.wire_name).unwrap_or(0),
            _ => usize::MAX,
        });
        pieces
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Text(t) => Some(PathPart::Literal(t)),
                Piece::Name(n) => declared(params, &n).map(PathPart::Param),
            })
            .collect()
    }

    fn request_body(&mut self, b: &Cursor<'a>, type_base: &str) -> Option<RequestBody> {
        let b = if b.has("$ref") { self.deref(b)? } else { b.clone() };
        let content = b.child("content")?;
        let (content_type, media, schema) = self.pick_media(&content, true)?;
        let ty = match (media, schema) {
            (MediaKind::Binary, _) => self.scalar(Scalar::Bytes),
            (MediaKind::Text, _) => self.scalar(Scalar::String),
            (_, Some(s)) => self.schema_with_null(&s, &format!("{type_base}Request")),
            (_, None) => self.json().ty,
        };
        Some(RequestBody {
            media,
            content_type,
            ty,
            required: b.bool("required") == Some(true),
            docs: Docs { description: b.str("description").map(str::to_owned), ..Docs::default() },
        })
    }

    fn responses(&mut self, op: &Cursor<'a>, type_base: &str) -> Vec<Response> {
        let Some(responses) = op.child("responses") else { return Vec::new() };
        let mut out = Vec::new();
        for (key, r) in responses.members() {
            if key.starts_with("x-") {
                continue;
            }
            let status = match parse_status(key) {
                Some(s) => s,
                None => {
                    self.error(
                        &r,
                        format!("response key `{key}` is not a status code, a range like `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let Some(r) = (if r.has("$ref") { self.deref(&r) } else { Some(r) }) else { continue };
            let hint = match status {
                StatusMatch::Code(200) => format!("{type_base}Response"),
                StatusMatch::Code(c) if (200..300).contains(&c) => format!("{type_base}Response{c}"),
                StatusMatch::Code(c) => format!("{type_base}Error{c}"),
                StatusMatch::Range(x) => format!("{type_base}Error{x}xx"),
                StatusMatch::Default => format!("{type_base}ErrorDefault"),
            };
            let body = r.child("content").and_then(|content| {
                let (_, media, schema) = self.pick_media(&content, false)?;
                let ty = match (media, schema) {
                    (MediaKind::Binary, _) => self.scalar(Scalar::Bytes),
                    (MediaKind::Text, _) => self.scalar(Scalar::String),
                    (_, Some(s)) => self.schema_with_null(&s, &hint),
                    (_, None) => self.json().ty,
                };
                Some(ResponseBody { media, ty })
            });
            out.push(Response {
                status,
                body,
                docs: Docs { description: r.str("description").map(str::to_owned), ..Docs::default() },
            });
        }
        out.sort_by_key(|r| r.status);
        out
    }

    /// The media type to use from a `content` map: JSON first, then forms, then text or bytes.
    fn pick_media(&mut self, content: &Cursor<'a>, request: bool) -> Option<(String, MediaKind, Option<Cursor<'a>>)> {
        let members = content.members();
        let kinds: Vec<(usize, MediaKind)> =
            members.iter().enumerate().map(|(i, (ct, _))| (i, media_kind(ct))).collect();
        let order: &[MediaKind] = if request {
            &[MediaKind::Json, MediaKind::Form, MediaKind::Multipart, MediaKind::Binary, MediaKind::Text]
        } else {
            &[MediaKind::Json, MediaKind::Text, MediaKind::Binary, MediaKind::Form, MediaKind::Multipart]
        };
        let (i, kind) = order.iter().find_map(|want| kinds.iter().find(|(_, k)| k == want).copied())?;
        let (ct, media) = &members[i];
        if let Some(s) =
            media.child("schema").filter(|s| matches!(kind, MediaKind::Binary | MediaKind::Text) && structured(s))
        {
            // Degraded, not refused: the body is still sent or read, as text or bytes.
            let what = if kind == MediaKind::Text { "text" } else { "raw bytes" };
            self.warn(
                &s,
                format!(
                    "`{ct}` content is not encoded or decoded by the client: it is {what}, and this schema is not used"
                ),
            );
        }
        let content_type = if ct.contains('*') {
            match kind {
                MediaKind::Json => "application/json".to_string(),
                MediaKind::Text => "text/plain".to_string(),
                _ => "application/octet-stream".to_string(),
            }
        } else {
            ct.to_string()
        };
        Some((content_type, kind, media.child("schema")))
    }
}

/// Whether a schema describes a structured value (which text or bytes do not carry typed).
fn structured(s: &Cursor<'_>) -> bool {
    ["$ref", "properties", "items", "allOf", "oneOf", "anyOf"].iter().any(|k| s.has(k))
        || matches!(s.str("type"), Some("object" | "array"))
}

/// Classify a media type.
fn media_kind(ct: &str) -> MediaKind {
    let ct = ct.split(';').next().unwrap_or(ct).trim().to_ascii_lowercase();
    if ct == "application/json"
        || ct.ends_with("+json")
        || ct == "*/*"
        || ct == "application/*"
        || ct.ends_with("/json")
    {
        MediaKind::Json
    } else if ct == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if ct == "multipart/form-data" || ct.starts_with("multipart/") {
        MediaKind::Multipart
    } else if ct.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

fn parse_status(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    let upper = key.to_ascii_uppercase();
    if upper.len() == 3 && upper.ends_with("XX") {
        let class = upper.as_bytes()[0];
        return (b'1'..=b'5').contains(&class).then_some(StatusMatch::Range(class - b'0'));
    }
    key.parse::<u16>().ok().filter(|c| (100..600).contains(c)).map(StatusMatch::Code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_media_kinds() {
        assert_eq!(parse_status("200"), Some(StatusMatch::Code(200)));
        assert_eq!(parse_status("4XX"), Some(StatusMatch::Range(4)));
        assert_eq!(parse_status("4xx"), Some(StatusMatch::Range(4)));
        assert_eq!(parse_status("default"), Some(StatusMatch::Default));
        assert_eq!(parse_status("OK"), None);
        assert_eq!(parse_status("999"), None);
        assert_eq!(media_kind("application/vnd.github.v3+json"), MediaKind::Json);
        assert_eq!(media_kind("application/json; charset=utf-8"), MediaKind::Json);
        assert_eq!(media_kind("image/png"), MediaKind::Binary);
        assert_eq!(media_kind("text/csv"), MediaKind::Text);
        assert_eq!(media_kind("multipart/form-data"), MediaKind::Multipart);
    }

    #[test]
    fn operations_never_take_the_names_of_client_methods() {
        let ops: Vec<String> = crate::layout::CLIENT_METHODS
            .iter()
            .map(|m| {
                format!(
                    r#""/{m}": {{"get": {{"operationId": "{m}", "responses": {{"204": {{"description": "ok"}}}}}}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{{}}}}}"#,
            ops.join(",")
        );
        let (docs, _) = crate::load::Documents::from_text("t.json", &text).expect("loads");
        let (api, _) = super::super::lower(&docs).expect("lowers");
        let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
        assert!(names.iter().all(|n| !crate::layout::CLIENT_METHODS.contains(n)), "{names:?}");
        assert!(names.contains(&"send_2"), "{names:?}");
    }
}
