//! Lowering: the loaded OpenAPI document becomes the IR.
//!
//! Everything OpenAPI-specific (keywords, `$ref`, 3.0 vs 3.1 differences, naming from
//! context) is settled here, so emitting only ever sees [`crate::ir`].

mod coerce;
mod compose;
mod cursor;
mod dispatch;
mod enums;
pub mod names;
mod object;
mod ops;
mod pagination;
mod schema;
mod servers;
mod union;

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{Api, Auth, ParamLocation, TypeArena, TypeEntry, TypeId, TypeKind};
use crate::load::{Documents, FileId, Node};

pub use cursor::Cursor;
use names::Namespace;

/// Longest chain of `$ref`s to other `$ref`s followed before giving up.
const MAX_REF_CHAIN: usize = 64;

/// Which OpenAPI version the document declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// 3.0.x: `nullable`, boolean `exclusiveMinimum`.
    V30,
    /// 3.1.x: JSON Schema 2020-12 (`type: [..., "null"]`, `const`, numeric exclusive bounds).
    V31,
}

/// State of one lowering run.
pub struct Lowerer<'a> {
    docs: &'a Documents,
    version: Version,
    types: TypeArena,
    type_names: Namespace,
    /// Types already made for a schema location, with their nullability.
    by_location: HashMap<(FileId, String), (TypeId, bool)>,
    /// Names reserved for component schemas, by location.
    component_names: HashMap<(FileId, String), String>,
    /// Anonymous named types by structure, for dedup.
    by_structure: HashMap<String, TypeId>,
    /// Untagged unions, with where they are defined, whose dispatch is settled once every
    /// type is lowered (see `dispatch.rs`).
    unsettled_unions: Vec<(TypeId, Cursor<'a>)>,
    diags: Diagnostics,
}

/// Lower a loaded document to the IR. Errors stop generation; warnings are returned with the API.
pub fn lower(docs: &Documents) -> Result<(Api, Diagnostics), Diagnostics> {
    let root = Cursor::new(docs.root(), &docs.doc(docs.root()).root, String::new());
    let version = check_document(docs, &root)?;
    let mut l = Lowerer {
        docs,
        version,
        types: TypeArena::new(),
        type_names: Namespace::types(),
        by_location: HashMap::new(),
        component_names: HashMap::new(),
        by_structure: HashMap::new(),
        unsettled_unions: Vec::new(),
        diags: Diagnostics::new(),
    };
    l.reserve_component_names(&root);
    l.check_component_refs(&root);
    l.lower_components(&root);
    let operations = l.lower_paths(&root);
    l.settle_unions();
    let auth = l.auth(&root);
    // After the schemas, so that their types keep their names and server enums adapt.
    let servers = l.servers(&root);
    let info = root.child("info");
    let mut api = Api {
        title: info.as_ref().and_then(|i| i.str("title")).unwrap_or("API").to_string(),
        version: info.as_ref().and_then(|i| i.node.get("version")).map(scalar_text).unwrap_or_default(),
        description: info.as_ref().and_then(|i| i.str("description")).map(str::to_owned),
        license: info
            .as_ref()
            .and_then(|i| i.child("license"))
            .and_then(|l| l.str("identifier").or_else(|| l.str("name")))
            .map(str::to_owned),
        servers,
        types: std::mem::take(&mut l.types),
        operations,
        auth,
    };
    l.note_renamed_types(&mut api);
    api.finish();
    if l.diags.has_errors() {
        l.diags.sort();
        return Err(l.diags);
    }
    l.diags.sort();
    Ok((api, l.diags))
}

/// Text of a scalar node (`version: 1.0` is a number in YAML but means "1.0").
fn scalar_text(n: &Node) -> String {
    use crate::load::Value;
    match &n.value {
        Value::String(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Make sure this is an OpenAPI 3.x document; say what it is otherwise.
fn check_document(docs: &Documents, root: &Cursor<'_>) -> Result<Version, Diagnostics> {
    let located = |c: &Cursor<'_>, msg: String| {
        Diagnostic::error(msg)
            .with_location(docs.location(c.file, c.node.span))
            .with_pointer(docs.display_pointer(c.file, &c.pointer))
    };
    if root.object().is_none() {
        return Err(located(
            root,
            format!("expected an OpenAPI document (an object), found {}", root.node.type_name()),
        )
        .into());
    }
    let Some(version) = root.child("openapi") else {
        return Err(located(root, "not an OpenAPI document: the top-level `openapi` field is missing".into())
            .with_help("an OpenAPI document starts with e.g. `openapi: 3.1.0`")
            .into());
    };
    let text = scalar_text(version.node);
    if text.starts_with("3.0") {
        Ok(Version::V30)
    } else if text.starts_with("3.1") || text.starts_with("3.2") {
        Ok(Version::V31)
    } else {
        Err(located(&version, format!("unsupported OpenAPI version `{text}`; clientgen reads 3.0 and 3.1")).into())
    }
}

impl<'a> Lowerer<'a> {
    /// Say on each schema type named clear of the crate root why it has not its schema name.
    fn note_renamed_types(&self, api: &mut Api) {
        let renamed: Vec<(TypeId, String)> = api
            .types
            .iter()
            .filter_map(|(id, e)| {
                let name = e.name.as_deref()?;
                let asked = self.type_names.renamed_from(name)?;
                Some((id, format!("Named `{name}`, not `{asked}`: `{asked}` at the crate root is the client's own.")))
            })
            .collect();
        for (id, note) in renamed {
            api.types.get_mut(id).docs.notes.push(note);
        }
    }

    /// Report an error at `c`.
    fn error(&mut self, c: &Cursor<'_>, msg: impl Into<String>) {
        let d = Diagnostic::error(msg)
            .with_location(self.docs.location(c.file, c.node.span))
            .with_pointer(self.docs.display_pointer(c.file, &c.pointer));
        self.diags.push(d);
    }

    /// Report an error about operation `op` at the key of its path in `paths`, where the
    /// template is written; at `op` if the key cannot be found.
    fn error_at_path_key(&mut self, op: &Cursor<'_>, path: &str, msg: String, help: String) {
        let root = self.docs.root();
        let key = self.docs.doc(root).root.get("paths").and_then(|p| p.as_object()).and_then(|o| o.member(path));
        let location = match key {
            Some(m) => self.docs.location(root, m.key_span),
            None => self.docs.location(op.file, op.node.span),
        };
        let d = Diagnostic::error(msg)
            .with_location(location)
            .with_pointer(self.docs.display_pointer(op.file, &op.pointer))
            .with_help(help);
        self.diags.push(d);
    }

    /// Report a warning at `c`.
    fn warn(&mut self, c: &Cursor<'_>, msg: impl Into<String>) {
        let d = Diagnostic::warning(msg)
            .with_location(self.docs.location(c.file, c.node.span))
            .with_pointer(self.docs.display_pointer(c.file, &c.pointer));
        self.diags.push(d);
    }

    /// Follow `$ref` chains from `c` to a node that is not a bare reference.
    /// Errors (cycles, dangling references) are reported and give `None`.
    fn deref(&mut self, c: &Cursor<'a>) -> Option<Cursor<'a>> {
        let mut current = c.clone();
        let mut seen = Vec::new();
        for _ in 0..MAX_REF_CHAIN {
            let Some(reference) = current.str("$ref") else {
                // Anything but a string under `$ref` is no reference; following it as the schema
                // itself would loop through `allOf`/`$ref` handling forever.
                if let Some(bad) = current.child("$ref") {
                    self.error(&bad, format!("`$ref` must be a string, found {}", bad.node.type_name()));
                    return None;
                }
                return Some(current);
            };
            let key = (current.file, current.pointer.clone());
            if seen.contains(&key) {
                let chain: Vec<String> = seen.iter().map(|(f, p)| self.docs.display_pointer(*f, p)).collect();
                self.error(c, format!("`$ref` cycle with no type in between: {}", chain.join(" → ")));
                return None;
            }
            seen.push(key);
            if crate::load::is_remote(reference) {
                // Not fetched: what it names degrades (to any JSON value, or is left out).
                let at = current.child("$ref").unwrap_or(current.clone());
                let d = Diagnostic::warning(format!(
                    "remote `$ref` `{reference}` is not fetched (generation never uses the network); \
                     what it names is read as any JSON value, or left out"
                ))
                .with_location(self.docs.location(at.file, at.node.span))
                .with_pointer(self.docs.display_pointer(at.file, &at.pointer))
                .with_help("download the file and refer to it by a relative path");
                self.diags.push(d);
                return None;
            }
            match self.docs.resolve(current.file, reference) {
                Ok(t) => current = Cursor::new(t.file, t.node, t.pointer),
                Err(msg) => {
                    let at = current.child("$ref").unwrap_or(current.clone());
                    self.error(&at, msg);
                    return None;
                }
            }
        }
        self.error(c, format!("`$ref` chain longer than {MAX_REF_CHAIN} links"));
        None
    }

    /// Component schemas that are only a `$ref`: follow them now, so a cycle of them (which has
    /// no type in between to stop at) or a chain too long is reported where it starts.
    fn check_component_refs(&mut self, root: &Cursor<'a>) {
        let Some(schemas) = root.child("components").and_then(|c| c.child("schemas")) else { return };
        for (_, c) in schemas.members() {
            if c.has("$ref") {
                let _ = self.deref(&c);
            }
        }
    }

    /// Add an anonymous structural type (scalar, array, map, nullable), shared when identical.
    fn structural(&mut self, kind: TypeKind) -> TypeId {
        let key = format!("{kind:?}");
        if let Some(&id) = self.by_structure.get(&key) {
            return id;
        }
        let id = self.types.add(TypeEntry { name: None, docs: Default::default(), kind, origin: None });
        self.by_structure.insert(key, id);
        id
    }

    /// The credential scheme: the first one the document requires, else the first declared.
    fn auth(&mut self, root: &Cursor<'a>) -> Option<Auth> {
        let schemes = root.child("components").and_then(|c| c.child("securitySchemes"))?;
        let required: Vec<String> = root
            .child("security")
            .map(|s| s.items().iter().flat_map(|req| req.members().into_iter().map(|(k, _)| k.to_string())).collect())
            .unwrap_or_default();
        let members = schemes.members();
        let chosen =
            required.iter().find_map(|name| members.iter().find(|(k, _)| k == name)).or_else(|| members.first())?;
        let scheme = self.deref(&chosen.1)?;
        match (scheme.str("type"), scheme.str("scheme").map(str::to_ascii_lowercase)) {
            (Some("http"), Some(s)) if s == "basic" => Some(Auth::Basic),
            (Some("http"), _) | (Some("oauth2" | "openIdConnect"), _) => Some(Auth::Bearer),
            (Some("apiKey"), _) => {
                let location = match scheme.str("in") {
                    Some("query") => ParamLocation::Query,
                    Some("cookie") => ParamLocation::Cookie,
                    _ => ParamLocation::Header,
                };
                let name = scheme.str("name").unwrap_or("Authorization").to_string();
                Some(Auth::ApiKey { location, name })
            }
            _ => None,
        }
    }
}
