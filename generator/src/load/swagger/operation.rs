//! Paths, operations and responses.

use super::build::{Obj, Place, array};
use super::params::{Kind, Listed, Payload, body_types, response_types};
use super::schema::is_simple_keyword;
use super::{Converter, Role};
use crate::load::Node;

/// The operations of a Swagger 2.0 path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

impl<'d> Converter<'d> {
    /// The `paths` object.
    pub(super) fn paths(&mut self, at: &Place<'d>) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        for (key, key_span, item) in at.members() {
            let node = if key.starts_with("x-") { item.node.clone() } else { self.path_item(&item) };
            out.put(key, key_span, node);
        }
        out.node()
    }

    /// A path item: its body and formData parameters go to each of its operations.
    pub(super) fn path_item(&mut self, at: &Place<'d>) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let (shared, payload) = match at.child("parameters") {
            Some(list) if list.node.as_array().is_some() => {
                let (own, payload) = self.split_parameters(&list, Payload::default());
                (Some(kept(&list, own)), payload)
            }
            _ => (None, Payload::default()),
        };
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            match key {
                "$ref" => out.put(key, key_span, self.reference(&child, Role::PathItem)),
                "parameters" => match &shared {
                    Some(Some(list)) => out.put(key, key_span, list.clone()),
                    Some(None) => {}
                    None => out.put(key, key_span, child.node.clone()),
                },
                m if METHODS.contains(&m) => out.put(key, key_span, self.operation(&child, &payload)),
                _ => out.put(key, key_span, child.node.clone()),
            }
        }
        out.node()
    }

    /// The parameters of `list` that stay parameters (converted), and the body and form fields
    /// added to `payload`.
    fn split_parameters(&mut self, list: &Place<'d>, mut payload: Payload<'d>) -> (Vec<Node>, Payload<'d>) {
        let mut own = Vec::new();
        for p in list.items() {
            let kind = self.kind(&p);
            if kind == Kind::Other {
                own.push(self.parameter_entry(&p));
                continue;
            }
            let param = self.resolve_chain(&p).unwrap_or_else(|| p.clone());
            if let Some(extra) = payload.add(kind, Listed { written: p, param }) {
                self.warn(&extra, "an operation has one body parameter; this second one is ignored");
            }
        }
        (own, payload)
    }

    /// An operation: its body and formData parameters (and its path's) become `requestBody`,
    /// its responses' schemas go under its media types.
    fn operation(&mut self, at: &Place<'d>, shared: &Payload<'d>) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let media = self.read_media(at, &self.media_of(at.file));
        let (own, payload) = match at.child("parameters") {
            Some(list) if list.node.as_array().is_some() => {
                let (own, payload) = self.split_parameters(&list, shared.clone());
                (Some(kept(&list, own)), payload)
            }
            _ => (None, shared.clone()),
        };
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            match key {
                "parameters" => match &own {
                    Some(Some(list)) => out.put(key, key_span, list.clone()),
                    Some(None) => {}
                    None => out.put(key, key_span, child.node.clone()),
                },
                "responses" => out.put(key, key_span, self.responses(&child, &media.produces)),
                "consumes" | "produces" => {}
                "schemes" => self.operation_schemes(&child),
                _ => out.put(key, key_span, child.node.clone()),
            }
        }
        if let Some(body) = self.request_body(&payload, &media.consumes, media.consumes_written) {
            let span = payload.body.as_ref().or(payload.form.first()).map_or(at.span(), |p| p.written.span());
            out.put("requestBody", span, body);
        }
        out.node()
    }

    /// An operation's own `schemes`: every request goes to the client's server, so schemes
    /// other than the document's are not used.
    fn operation_schemes(&mut self, at: &Place<'d>) {
        if super::build::strings(at.node) != self.root_schemes {
            self.warn(
                at,
                "`schemes` of an operation are ignored: every request goes to the client's server (the \
                 document's `host`, `basePath` and `schemes`)",
            );
        }
    }

    /// An operation's `responses`.
    fn responses(&mut self, at: &Place<'d>, produces: &[String]) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        for (code, key_span, r) in at.members() {
            let node = if code.starts_with("x-") { r.node.clone() } else { self.response_entry(&r, produces) };
            out.put(code, key_span, node);
        }
        out.node()
    }

    /// A response as an operation lists it: a `$ref` stays one when the response's media types
    /// are the ones it was converted with (it is copied with this operation's otherwise).
    fn response_entry(&mut self, r: &Place<'d>, produces: &[String]) -> Node {
        if !r.has("$ref") {
            return self.response(r, produces);
        }
        match self.resolve_chain(r) {
            Some(target)
                if target.file == r.file
                    && body_types(produces) != body_types(&self.media_of(target.file).produces) =>
            {
                self.response(&target, produces)
            }
            _ => self.ref_object(r, Role::Response),
        }
    }

    /// A Response Object: `schema` (and `examples`) under each of `produces`, `headers` with
    /// their types as schemas.
    pub(super) fn response(&mut self, at: &Place<'d>, produces: &[String]) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            match key {
                "schema" | "examples" => {}
                "headers" if child.node.as_object().is_some() => {
                    let mut headers = Obj::new(child.span());
                    for (name, name_span, h) in child.members() {
                        headers.put(name, name_span, self.header(&h));
                    }
                    out.put(key, key_span, headers.node());
                }
                _ => out.put(key, key_span, child.node.clone()),
            }
        }
        if let Some(schema) = at.child("schema") {
            let converted = self.schema(&schema);
            let examples = at.child("examples");
            let mut content = Obj::new(schema.span());
            let mut types = response_types(Some(&schema), produces);
            // An example in a type the operation does not produce (errors of a streaming
            // operation, as JSON) says the response comes in that type too.
            if schema.str("type") != Some("file") {
                for (media, _, _) in examples.iter().flat_map(Place::members) {
                    if !types.iter().any(|t| t == media) {
                        types.push(media.to_string());
                    }
                }
            }
            for media in types {
                let mut m = Obj::new(schema.span());
                m.put("schema", at.key_span("schema"), converted.clone());
                if let Some(example) = examples.as_ref().and_then(|e| e.child(&media)) {
                    m.put("example", example.span(), example.node.clone());
                }
                content.put(&media, schema.span(), m.node());
            }
            out.put("content", at.key_span("schema"), content.node());
        }
        out.node()
    }

    /// A response header: its type keywords become its `schema`.
    fn header(&mut self, at: &Place<'d>) -> Node {
        if at.node.as_object().is_none() {
            return at.node.clone();
        }
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            if !is_simple_keyword(key) {
                out.put(key, key_span, child.node.clone());
            }
        }
        if at.has("type") {
            out.put("schema", at.key_span("type"), self.simple_schema(at, false));
        }
        out.node()
    }
}

/// The parameters left in `list` once body and formData ones have moved to the request body;
/// `None` when all of them moved (an empty list where there was none written says nothing).
fn kept(list: &Place<'_>, own: Vec<Node>) -> Option<Node> {
    let moved_all = own.is_empty() && !list.items().is_empty();
    (!moved_all).then(|| array(list.span(), own))
}
