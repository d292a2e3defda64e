//! Parameters: path, query and header ones keep their place with their type as a `schema` and
//! `collectionFormat` as `style`/`explode`; `in: body` and `in: formData` ones become the
//! operation's request body.

use super::build::{Obj, Place, array, boolean, string};
use super::schema::is_simple_keyword;
use super::{Converter, Role};
use crate::load::{Node, Value};

/// Media types a request body goes out as when the document names none.
const DEFAULT_MEDIA: &str = "application/json";

/// What a parameter is, once `$ref`s are followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `in: body`: the request body.
    Body,
    /// `in: formData`: a field of a form request body.
    Form,
    /// Path, query or header (or unknown: left for lowering to judge).
    Other,
}

/// A body or formData parameter as an operation lists it: as written (perhaps a `$ref`) and the
/// parameter itself.
#[derive(Clone, Debug)]
pub(super) struct Listed<'d> {
    pub written: Place<'d>,
    pub param: Place<'d>,
}

/// The body and form fields an operation sends, from its path's parameters and its own.
#[derive(Clone, Debug, Default)]
pub(super) struct Payload<'d> {
    pub body: Option<Listed<'d>>,
    pub form: Vec<Listed<'d>>,
}

impl<'d> Payload<'d> {
    /// Add a body or form parameter; a later one (the operation's) replaces an earlier one (the
    /// path's) of the same name. Returns a second body parameter of the same list, which is
    /// not added.
    pub fn add(&mut self, kind: Kind, listed: Listed<'d>) -> Option<Place<'d>> {
        let list = |p: &Place<'_>| p.pointer.rsplit_once('/').map(|(list, _)| list.to_string());
        match kind {
            Kind::Body => {
                if self.body.as_ref().is_some_and(|b| list(&b.written) == list(&listed.written)) {
                    return Some(listed.written);
                }
                self.body = Some(listed);
            }
            Kind::Form => {
                let name = listed.param.str("name");
                match self.form.iter_mut().find(|f| f.param.str("name") == name) {
                    Some(existing) => *existing = listed,
                    None => self.form.push(listed),
                }
            }
            Kind::Other => {}
        }
        None
    }
}

/// The media types of a request body: `consumes`, or JSON.
pub(super) fn body_types(consumes: &[String]) -> Vec<String> {
    if consumes.is_empty() { vec![DEFAULT_MEDIA.to_string()] } else { consumes.to_vec() }
}

/// The media types of a response with `schema`: `produces` (or JSON); a file goes out as the
/// non-JSON types listed, else as `application/octet-stream`.
pub(super) fn response_types(schema: Option<&Place<'_>>, produces: &[String]) -> Vec<String> {
    let listed = body_types(produces);
    if schema.is_none_or(|s| s.str("type") != Some("file")) {
        return listed;
    }
    let raw: Vec<String> = listed.into_iter().filter(|t| !t.to_ascii_lowercase().contains("json")).collect();
    if raw.is_empty() { vec!["application/octet-stream".to_string()] } else { raw }
}

/// The part of a media type before its parameters, lower-cased.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or(media).trim().to_ascii_lowercase()
}

impl<'d> Converter<'d> {
    /// What the parameter at `at` is, following `$ref`s.
    pub(super) fn kind(&self, at: &Place<'d>) -> Kind {
        match self.resolve_chain(at).as_ref().and_then(|p| p.str("in")) {
            Some("body") => Kind::Body,
            Some("formData") => Kind::Form,
            _ => Kind::Other,
        }
    }

    /// A path, query or header parameter as it is written: a `$ref` kept (rewritten), or the
    /// parameter converted.
    pub(super) fn parameter_entry(&mut self, at: &Place<'d>) -> Node {
        if at.has("$ref") { self.ref_object(at, Role::Parameter) } else { self.parameter(at) }
    }

    /// A path, query or header parameter: its type keywords become its `schema`, and an array's
    /// `collectionFormat` its `style` and `explode`.
    pub(super) fn parameter(&mut self, at: &Place<'d>) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        // Type keywords make the schema; without them a `schema` may (OpenAPI 3 style).
        let typed = ["type", "items", "enum", "format"].iter().any(|k| at.has(k));
        for (key, key_span, child) in at.members() {
            match key {
                // A schema instead of a type (OpenAPI 3 style, seen in Swagger documents).
                "schema" if !typed => out.put(key, key_span, self.schema(&child)),
                "schema" => self.warn(&child, "a non-body parameter with `type` has no `schema`; it is ignored"),
                k if is_simple_keyword(k) => {}
                _ => out.put(key, key_span, child.node.clone()),
            }
        }
        if typed {
            out.put("schema", at.key_span("type"), self.simple_schema(at, false));
        }
        let is_array = at.str("type") == Some("array");
        if is_array && !at.has("style") {
            if let Some((style, explode)) = self.style(at) {
                let span = at.child("collectionFormat").map_or(at.span(), |c| c.span());
                out.put("style", span, string(span, style));
                out.put("explode", span, boolean(span, explode));
            }
        }
        out.node()
    }

    /// OpenAPI 3's `style` and `explode` for an array parameter's `collectionFormat` (`csv`
    /// when not written).
    fn style(&mut self, at: &Place<'d>) -> Option<(&'static str, bool)> {
        let location = at.str("in")?;
        let written = at.child("collectionFormat");
        let format = written.as_ref().and_then(|c| c.node.as_str()).unwrap_or("csv");
        let query = location == "query";
        if !query && location != "path" && location != "header" {
            return None;
        }
        let comma = if query { ("form", false) } else { ("simple", false) };
        let here = written.clone().unwrap_or_else(|| at.clone());
        Some(match (query, format) {
            (_, "csv") => comma,
            (true, "multi") => ("form", true),
            (true, "ssv") => ("spaceDelimited", false),
            (true, "pipes") => ("pipeDelimited", false),
            (_, "tsv") => {
                self.warn(&here, "`collectionFormat: tsv` has no OpenAPI 3 style; the values are sent comma-separated");
                comma
            }
            (false, "multi" | "ssv" | "pipes") => {
                self.warn(
                    &here,
                    format!(
                        "`collectionFormat: {format}` is not available for {location} parameters in OpenAPI 3; the \
                         values are sent comma-separated"
                    ),
                );
                comma
            }
            (_, other) => {
                self.warn(&here, format!("unknown `collectionFormat: {other}`; the values are sent comma-separated"));
                comma
            }
        })
    }

    /// The request body of a body parameter (`at`): its schema under each of `consumes`.
    pub(super) fn body_request(&mut self, at: &Place<'d>, consumes: &[String]) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            if matches!(key, "description" | "required") || key.starts_with("x-") {
                out.put(key, key_span, child.node.clone());
            }
        }
        let schema = match at.child("schema") {
            Some(s) => Some(self.schema(&s)),
            None => {
                self.warn(at, "a body parameter needs a `schema`; the body is any JSON value");
                None
            }
        };
        let span = at.child("schema").map_or(at.span(), |s| s.span());
        let mut content = Obj::new(span);
        for media in body_types(consumes) {
            let mut m = Obj::new(span);
            if let Some(s) = &schema {
                m.put("schema", span, s.clone());
            }
            content.put(&media, span, m.node());
        }
        out.put("content", at.key_span("schema"), content.node());
        out.node()
    }

    /// The request body of an operation's body or formData parameters (`payload`), if any.
    pub(super) fn request_body(&mut self, payload: &Payload<'d>, consumes: &[String], written: bool) -> Option<Node> {
        if let Some(body) = &payload.body {
            if let Some(field) = payload.form.first() {
                self.warn(
                    &field.written,
                    "an operation cannot have both a body and formData parameters; the formData parameters are ignored",
                );
            }
            // A shared body parameter stays shared when its media types are the ones it was
            // converted with; otherwise it is copied here with this operation's.
            let shared = body_types(&self.media_of(body.param.file).consumes);
            if body.written.has("$ref") && (body.param.file != body.written.file || body_types(consumes) == shared) {
                return Some(self.ref_object(&body.written, Role::RequestBody));
            }
            return Some(self.body_request(&body.param, consumes));
        }
        let first = payload.form.first()?;
        Some(self.form_request(first, &payload.form, consumes, written))
    }

    /// A form request body: an object schema with a property per formData parameter, as
    /// `application/x-www-form-urlencoded`, or `multipart/form-data` when a field is a file.
    fn form_request(&mut self, first: &Listed<'d>, fields: &[Listed<'d>], consumes: &[String], written: bool) -> Node {
        let span = first.written.span();
        let file = fields.iter().any(|f| f.param.str("type") == Some("file"));
        let form = |t: &String| {
            let e = essence(t);
            e.starts_with("multipart/") || (!file && e == "application/x-www-form-urlencoded")
        };
        let mut types: Vec<String> = consumes.iter().filter(|t| form(t)).cloned().collect();
        if types.is_empty() {
            let chosen = if file { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
            if written {
                let why = if file { "a field is a file, and " } else { "" };
                self.warn(
                    &first.written,
                    format!("formData parameters are sent as `{chosen}`: {why}no form media type is in `consumes`"),
                );
            }
            types.push(chosen.to_string());
        }
        let mut properties = Obj::new(span);
        let mut required = Vec::new();
        let mut encoding = Obj::new(span);
        for field in fields {
            let Some(name) = field.param.str("name") else {
                self.warn(&field.param, "a formData parameter has no `name`; it is left out");
                continue;
            };
            let mut schema = self.simple_schema(&field.param, false);
            if let (Some(d), Value::Object(o)) = (field.param.child("description"), &mut schema.value) {
                o.insert("description".into(), field.param.key_span("description"), d.node.clone());
            }
            properties.put(name, field.param.span(), schema);
            if field.param.node.get("required").and_then(Node::as_bool) == Some(true) {
                required.push(string(field.param.span(), name));
            }
            if field.param.str("type") == Some("array") {
                encoding.put(name, field.param.span(), self.form_encoding(&field.param));
            }
        }
        let mut schema = Obj::new(span);
        schema.put("type", span, string(span, "object"));
        schema.put("properties", span, properties.node());
        let any_required = !required.is_empty();
        if any_required {
            schema.put("required", span, array(span, required));
        }
        let schema = schema.node();
        let encoding = (!encoding.is_empty()).then(|| encoding.node());
        let mut content = Obj::new(span);
        for media in types {
            let mut m = Obj::new(span);
            m.put("schema", span, schema.clone());
            if let Some(e) = encoding.as_ref().filter(|_| essence(&media) == "application/x-www-form-urlencoded") {
                m.put("encoding", span, e.clone());
            }
            content.put(&media, span, m.node());
        }
        let mut out = Obj::new(span);
        if any_required {
            out.put("required", span, boolean(span, true));
        }
        out.put("content", span, content.node());
        out.node()
    }

    /// How a form array field is encoded: `multi` is a field per value, the rest one delimited
    /// field.
    fn form_encoding(&mut self, field: &Place<'d>) -> Node {
        let span = field.span();
        let written = field.child("collectionFormat");
        let (style, explode) = match written.as_ref().and_then(|c| c.node.as_str()).unwrap_or("csv") {
            "multi" => ("form", true),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            "csv" => ("form", false),
            other => {
                let here = written.clone().unwrap_or_else(|| field.clone());
                self.warn(&here, format!("`collectionFormat: {other}` has no OpenAPI 3 style; sent comma-separated"));
                ("form", false)
            }
        };
        let mut out = Obj::new(span);
        out.put("style", span, string(span, style));
        out.put("explode", span, boolean(span, explode));
        out.node()
    }
}
