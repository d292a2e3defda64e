//! The document's root: its sections become `components`, `host`/`basePath`/`schemes`
//! become `servers`, `securityDefinitions` become security schemes.

use super::build::{Obj, Place, array, string};
use super::params::Kind;
use super::{Converter, OPENAPI_VERSION, Role};
use crate::diag::Span;
use crate::load::Node;

/// Root keys the conversion reads and does not copy.
const CONSUMED: &[&str] = &[
    "swagger",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
];

/// Root sections of a file that move into `components`.
const SECTIONS: &[&str] = &["definitions", "parameters", "responses", "securityDefinitions"];

impl<'d> Converter<'d> {
    /// The root document.
    pub(super) fn document(&mut self, at: &Place<'d>) -> Node {
        let mut out = Obj::new(at.span());
        if let Some(swagger) = at.child("swagger") {
            out.put("openapi", at.key_span("swagger"), string(swagger.span(), OPENAPI_VERSION));
        }
        for (key, key_span, child) in at.members() {
            match key {
                k if CONSUMED.contains(&k) => {}
                "paths" => out.put(key, key_span, self.paths(&child)),
                "servers" | "components" => {
                    self.warn(&child, format!("`{key}` is OpenAPI 3, not Swagger 2.0; it is ignored"));
                }
                _ => out.put(key, key_span, child.node.clone()),
            }
        }
        if let Some((span, servers)) = self.servers(at) {
            out.put("servers", span, servers);
        }
        if let Some((span, components)) = self.components(at) {
            out.put("components", span, components);
        }
        out.node()
    }

    /// A file other than the root whose sections are referred to: the sections move into
    /// `components`, the rest stays (and what is referred to there is converted on its own).
    pub(super) fn container(&mut self, at: &Place<'d>) -> Node {
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            let section = SECTIONS.contains(&key) && child.node.as_object().is_some();
            if !section && key != "components" {
                out.put(key, key_span, child.node.clone());
            }
        }
        if let Some((span, components)) = self.components(at) {
            out.put("components", span, components);
        }
        out.node()
    }

    /// `components` from the sections of the file at `at`, with any `components` it has.
    fn components(&mut self, at: &Place<'d>) -> Option<(Span, Node)> {
        let mut schemas = None;
        let mut parameters = None;
        let mut bodies = None;
        let mut responses = None;
        let mut security = None;
        let mut first: Option<Span> = None;
        let media = self.media_of(at.file);
        for (key, key_span, section) in at.members() {
            if !SECTIONS.contains(&key) {
                continue;
            }
            if section.node.as_object().is_none() {
                self.warn(&section, format!("`{key}` must be an object; it is ignored"));
                continue;
            }
            first.get_or_insert(key_span);
            let mut out = Obj::new(section.span());
            for (name, name_span, item) in section.members() {
                let node = match key {
                    "definitions" => Some(self.schema(&item)),
                    "responses" if item.has("$ref") => Some(self.ref_object(&item, Role::Response)),
                    "responses" => Some(self.response(&item, &media.produces)),
                    "securityDefinitions" => self.security_scheme(&item),
                    // Parameters are sorted into the two maps below.
                    _ => None,
                };
                if let Some(node) = node {
                    out.put(name, name_span, node);
                }
            }
            match key {
                "definitions" => schemas = Some((key_span, out.node())),
                "responses" => responses = Some((key_span, out.node())),
                "securityDefinitions" => security = Some((key_span, out.node())),
                _ => {
                    let (p, b) = self.parameter_sections(&section, &media.consumes);
                    parameters = p.map(|p| (key_span, p));
                    bodies = b.map(|b| (key_span, b));
                }
            }
        }
        let existing = at.child("components").filter(|c| c.node.as_object().is_some());
        let span = first.or(existing.as_ref().map(|_| at.key_span("components")))?;
        let mut out = Obj::new(existing.as_ref().map_or(span, |c| c.span()));
        for (key, key_span, child) in existing.iter().flat_map(|c| c.members()) {
            out.put(key, key_span, child.node.clone());
        }
        let sections = [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("responses", responses),
            ("securitySchemes", security),
        ];
        for (key, section) in sections {
            if let Some((key_span, node)) = section {
                out.put(key, key_span, node);
            }
        }
        Some((span, out.node()))
    }

    /// The root `parameters` sorted: body parameters become request bodies, path, query and
    /// header ones stay parameters; formData ones are copied into each operation's form.
    fn parameter_sections(&mut self, section: &Place<'d>, consumes: &[String]) -> (Option<Node>, Option<Node>) {
        let mut params = Obj::new(section.span());
        let mut bodies = Obj::new(section.span());
        for (name, name_span, p) in section.members() {
            match self.kind(&p) {
                Kind::Body if p.has("$ref") => bodies.put(name, name_span, self.ref_object(&p, Role::RequestBody)),
                Kind::Body => bodies.put(name, name_span, self.body_request(&p, consumes)),
                Kind::Form => {}
                Kind::Other => params.put(name, name_span, self.parameter_entry(&p)),
            }
        }
        let some = |o: Obj| (!o.is_empty()).then(|| o.node());
        (some(params), some(bodies))
    }

    /// `servers` from `host`, `basePath` and `schemes`: one per scheme, in their order.
    fn servers(&mut self, at: &Place<'d>) -> Option<(Span, Node)> {
        let host = at.child("host");
        let base = at.child("basePath");
        let mut path = String::new();
        if let Some(b) = &base {
            match b.node.as_str() {
                Some(p) if p.starts_with('/') || p.is_empty() => path = p.to_string(),
                Some(p) => {
                    self.warn(b, "`basePath` must start with `/`; it is read as if it did");
                    path = format!("/{p}");
                }
                None => {
                    self.warn(b, format!("`basePath` must be a string, found {}; it is ignored", b.node.type_name()))
                }
            }
        }
        // Paths start with `/` themselves: `/v2/` + `/pets` would send `/v2//pets`.
        let path = path.trim_end_matches('/').to_string();
        let Some(host) = host else {
            // Relative to wherever the document is served from: the client is given the URL.
            let b = base?;
            let url = if path.is_empty() { "/".to_string() } else { path };
            return Some((at.key_span("basePath"), array(b.span(), vec![server(b.span(), url)])));
        };
        let Some(mut name) = host.node.as_str().map(str::to_owned) else {
            self.warn(&host, format!("`host` must be a string, found {}; it is ignored", host.node.type_name()));
            return None;
        };
        if let Some((scheme, rest)) = name.split_once("://") {
            self.warn(&host, format!("`host` is a name and port, without a scheme; `{scheme}://` is ignored"));
            name = rest.to_string();
        }
        if let Some((bare, extra)) = name.split_once('/') {
            self.warn(&host, format!("`host` is a name and port, without a path; `/{extra}` is ignored"));
            name = bare.to_string();
        }
        let schemes = match at.child("schemes") {
            Some(s) => {
                let listed = super::build::strings(s.node).unwrap_or_default();
                let (web, other): (Vec<String>, Vec<String>) =
                    listed.into_iter().partition(|s| matches!(s.as_str(), "http" | "https"));
                if !other.is_empty() {
                    self.warn(&s, format!("only http and https are served; `{}` is ignored", other.join("`, `")));
                }
                web
            }
            None => Vec::new(),
        };
        let schemes = if schemes.is_empty() {
            self.warn(
                &host,
                "no `schemes` (Swagger 2.0 then means the scheme the document was served with): https is assumed",
            );
            vec!["https".to_string()]
        } else {
            schemes
        };
        let span = host.span();
        let servers = schemes.iter().map(|scheme| server(span, format!("{scheme}://{name}{path}"))).collect();
        Some((at.key_span("host"), array(span, servers)))
    }

    /// A security scheme: `basic` → HTTP basic, `apiKey` as it is, `oauth2` with its one flow
    /// as OpenAPI 3's `flows`. `None` (with a warning) for one that cannot be used.
    fn security_scheme(&mut self, at: &Place<'d>) -> Option<Node> {
        if at.node.as_object().is_none() {
            self.warn(
                at,
                format!("a security scheme must be an object, found {}; it is left out", at.node.type_name()),
            );
            return None;
        }
        let kind = match at.str("type") {
            Some(t) => t,
            None if at.has("flow") => {
                self.warn(at, "this security scheme has no `type`; its `flow` makes it oauth2");
                "oauth2"
            }
            None => {
                self.warn(at, "this security scheme has no `type`; it is left out");
                return None;
            }
        };
        let span = at.span();
        let mut out = Obj::new(span);
        let type_span = at.child("type").map_or(span, |t| t.span());
        match kind {
            "basic" => {
                out.put("type", at.key_span("type"), string(type_span, "http"));
                out.put("scheme", at.key_span("type"), string(type_span, "basic"));
            }
            "apiKey" => out.put("type", at.key_span("type"), string(type_span, "apiKey")),
            "oauth2" => {
                out.put("type", at.key_span("type"), string(type_span, "oauth2"));
                out.put("flows", at.key_span("flow"), self.oauth_flows(at));
            }
            other => {
                self.warn(at, format!("unknown security scheme type `{other}`; it is left out"));
                return None;
            }
        }
        for (key, key_span, child) in at.members() {
            let keep =
                key == "description" || key.starts_with("x-") || (kind == "apiKey" && matches!(key, "name" | "in"));
            if keep {
                out.put(key, key_span, child.node.clone());
            }
        }
        Some(out.node())
    }

    /// OpenAPI 3's `flows` for an oauth2 scheme's `flow`.
    fn oauth_flows(&mut self, at: &Place<'d>) -> Node {
        let mut flows = Obj::new(at.child("flow").map_or(at.span(), |f| f.span()));
        let (name, urls): (&str, &[&str]) = match at.str("flow") {
            Some("implicit") => ("implicit", &["authorizationUrl"]),
            Some("password") => ("password", &["tokenUrl"]),
            Some("application") => ("clientCredentials", &["tokenUrl"]),
            Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            other => {
                let at = at.child("flow").unwrap_or_else(|| at.clone());
                let what = other.map_or("no `flow`".to_string(), |f| format!("unknown `flow: {f}`"));
                self.warn(&at, format!("oauth2 scheme with {what}; its flows are left out"));
                return flows.node();
            }
        };
        let mut flow = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            if urls.contains(&key) || key == "scopes" {
                flow.put(key, key_span, child.node.clone());
            }
        }
        if !flow.has("scopes") {
            flow.put("scopes", at.span(), Obj::new(at.span()).node());
        }
        flows.put(name, at.key_span("flow"), flow.node());
        flows.node()
    }
}

/// A server object for `url`.
fn server(span: Span, url: String) -> Node {
    let mut s = Obj::new(span);
    s.put("url", span, string(span, url));
    s.node()
}
