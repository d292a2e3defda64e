//! Swagger 2.0 documents, converted on load into the OpenAPI 3.0 form the rest of the pipeline
//! reads, so lowering and the IR know nothing of Swagger.
//!
//! The converted tree is built from the Swagger nodes and keeps their spans: a diagnostic
//! about `#/components/schemas/Pet` points at the line of `definitions: Pet:` in the Swagger
//! file. What moves, and where `$ref`s are rewritten to follow it:
//!
//! - `definitions` → `components/schemas`; `parameters` → `components/parameters` (body
//!   parameters → `components/requestBodies`); `responses` → `components/responses`;
//!   `securityDefinitions` → `components/securitySchemes`; `host`, `basePath`, `schemes` → `servers`.
//! - `in: body` and `in: formData` parameters → the operation's `requestBody`, with the
//!   operation's (or the document's) `consumes` as its media types; responses' `schema` under
//!   `produces`.
//! - Schemas: `x-nullable` → `nullable`, `type: file` → binary string, a string
//!   `discriminator` → `{propertyName}`; other parameters' types → `schema`, `collectionFormat`
//!   → `style`/`explode`.
//!
//! Files reached through `$ref` are converted by what the reference makes of them: a file whose
//! sections are referred to (`common.yaml#/definitions/Error`) has its sections moved like the
//! root's; a file referred to as a whole (`$ref: pet.yaml`) is converted as the schema,
//! parameter, response or path item the reference needs. Whatever cannot be converted is
//! reported with a located warning, or an error when the document cannot be used.

mod build;
mod document;
mod operation;
mod params;
mod refs;
mod schema;

use std::collections::{HashMap, HashSet};

use build::Place;

use super::{Documents, FileId, Node, Value, collect_refs, is_remote};
use crate::diag::{Diagnostic, Diagnostics, Span};

/// The OpenAPI version a converted document declares.
const OPENAPI_VERSION: &str = "3.0.3";

/// How to read a Swagger version clientgen does not.
const CONVERT_FIRST: &str = "convert it to Swagger 2.0 or OpenAPI 3 first, e.g. with https://converter.swagger.io";

/// What a referenced node is converted as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    Schema,
    Parameter,
    /// A body parameter, which becomes a request body.
    RequestBody,
    Response,
    PathItem,
}

/// The media types an operation sends and receives by default: the document's `consumes` and
/// `produces` (of the file's own root, for a file whose sections are referred to).
#[derive(Clone, Debug, Default, PartialEq)]
struct Media {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Whether `consumes` was written rather than left to the default.
    consumes_written: bool,
}

/// If the root document is a Swagger document, convert every loaded file to OpenAPI 3.0 in
/// place; warnings go to `warnings`. Errors when it is a Swagger version other than 2.0, or
/// when a `$ref` cannot follow what the conversion moved.
pub(super) fn convert(docs: &mut Documents, warnings: &mut Diagnostics) -> Result<(), Diagnostics> {
    if !is_swagger_2(docs)? {
        return Ok(());
    }
    let (roots, diags, written) = {
        let mut c = Converter::new(docs);
        let roots = c.run();
        (roots, c.diags, c.written)
    };
    for (doc, root) in docs.docs.iter_mut().zip(roots) {
        if let Some(root) = root {
            doc.root = root;
        }
    }
    let mut errors = Diagnostics::new();
    for d in diags {
        if d.is_error() { errors.push(d) } else { warnings.push(d) }
    }
    errors.extend(check_refs(docs, &written));
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Whether the root is a Swagger 2.0 document; an error for other Swagger versions and for a
/// document that says both `swagger` and `openapi`.
fn is_swagger_2(docs: &Documents) -> Result<bool, Diagnostics> {
    let root = docs.root();
    let object = docs.doc(root).root.as_object();
    let at = |span| docs.location(root, span);
    // Swagger 1.x says `swaggerVersion`.
    let old = object.filter(|o| !o.contains_key("openapi") && !o.contains_key("swagger"));
    if let Some(v) = old.and_then(|o| o.get("swaggerVersion")) {
        let version = v.as_str().map_or_else(|| v.type_name().to_string(), str::to_owned);
        return Err(Diagnostic::error(format!(
            "this is a Swagger `{version}` document; clientgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1"
        ))
        .with_location(at(v.span))
        .with_pointer("#/swaggerVersion")
        .with_help(CONVERT_FIRST)
        .into());
    }
    let Some(member) = object.and_then(|o| o.member("swagger")) else { return Ok(false) };
    if docs.doc(root).root.get("openapi").is_some() {
        return Err(Diagnostic::error("the document has both `swagger` and `openapi`: it cannot be both versions")
            .with_location(at(member.key_span))
            .with_pointer("#/swagger")
            .with_help("remove `swagger` from an OpenAPI 3 document")
            .into());
    }
    let version = match &member.node.value {
        Value::String(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        _ => String::new(),
    };
    if version == "2" || version.starts_with("2.") {
        return Ok(true);
    }
    Err(Diagnostic::error(format!(
        "this is a Swagger `{version}` document; clientgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1"
    ))
    .with_location(at(member.node.span))
    .with_pointer("#/swagger")
    .with_help(CONVERT_FIRST)
    .into())
}

/// After conversion, every reference the conversion wrote must still name something: one into
/// a part the conversion reshapes (say, a response's `schema`, now under `content`) may not.
fn check_refs(docs: &Documents, written: &[(FileId, Span, String)]) -> Diagnostics {
    let mut errors = Diagnostics::new();
    for (file, span, reference) in written {
        if is_remote(reference) || docs.resolve(*file, reference).is_ok() {
            continue;
        }
        errors.push(
            Diagnostic::error(format!(
                "`$ref` `{reference}` points into a part of the Swagger 2.0 document that is reshaped when it is \
                 converted to OpenAPI 3, and cannot follow it"
            ))
            .with_location(docs.location(*file, *span))
            .with_pointer(reference.clone())
            .with_help("refer to a definition, parameter or response (`#/definitions/Name`) instead"),
        );
    }
    errors
}

/// State of one conversion: the original documents, and what converting them found.
struct Converter<'d> {
    docs: &'d Documents,
    /// Files some `$ref` names as a whole: converted as what that reference needs.
    whole: HashSet<FileId>,
    /// Files whose root sections (`definitions`, ...) move into `components`: the root, and
    /// files referred into that are neither whole nor OpenAPI 3.
    containers: HashSet<FileId>,
    /// Default media types per container file (others use the root's).
    media: HashMap<FileId, Media>,
    /// The root's `schemes`, which operations' own `schemes` are compared with.
    root_schemes: Option<Vec<String>>,
    /// Referenced nodes to convert as their role, found while converting.
    targets: Vec<(FileId, String, Role)>,
    /// Every `$ref` written into the converted tree: where, and what it says.
    written: Vec<(FileId, Span, String)>,
    diags: Vec<Diagnostic>,
    /// Diagnostics already given (the same node converted for several operations says it once).
    said: HashSet<(FileId, u32, String)>,
}

impl<'d> Converter<'d> {
    fn new(docs: &'d Documents) -> Self {
        let mut c = Converter {
            docs,
            whole: HashSet::new(),
            containers: HashSet::new(),
            media: HashMap::new(),
            root_schemes: None,
            targets: Vec::new(),
            written: Vec::new(),
            diags: Vec::new(),
            said: HashSet::new(),
        };
        let root = docs.root();
        for (i, doc) in docs.docs.iter().enumerate() {
            for (_, reference) in collect_refs(&doc.root) {
                if let Ok(t) = docs.resolve(FileId(i as u32), &reference) {
                    if t.pointer.is_empty() && t.file != root {
                        c.whole.insert(t.file);
                    }
                }
            }
        }
        for (i, doc) in docs.docs.iter().enumerate() {
            let file = FileId(i as u32);
            let openapi = doc.root.get("openapi").is_some();
            if file == root || (!c.whole.contains(&file) && !openapi && doc.root.as_object().is_some()) {
                c.containers.insert(file);
            }
        }
        let root_media = c.read_media(&c.place(root, ""), &Media::default());
        let mut containers: Vec<FileId> = c.containers.iter().copied().collect();
        containers.sort();
        for file in containers {
            let media = if file == root { root_media.clone() } else { c.read_media(&c.place(file, ""), &root_media) };
            c.media.insert(file, media);
        }
        c.root_schemes = docs.doc(root).root.get("schemes").and_then(build::strings);
        c
    }

    /// The converted root of each file (`None`: unchanged), root first.
    fn run(&mut self) -> Vec<Option<Node>> {
        let docs = self.docs;
        let mut roots: Vec<Option<Node>> = vec![None; docs.docs.len()];
        roots[0] = Some(self.document(&self.place(docs.root(), "")));
        for (i, slot) in roots.iter_mut().enumerate().skip(1) {
            let file = FileId(i as u32);
            if self.containers.contains(&file) {
                *slot = Some(self.container(&self.place(file, "")));
            }
        }
        // Referenced nodes outside the sections converted above, converted as their references
        // need; converting one may find more.
        let mut done: HashSet<(FileId, String)> = HashSet::new();
        let mut patches: Vec<(FileId, String, Node)> = Vec::new();
        let mut next = 0;
        while let Some((file, pointer, role)) = self.targets.get(next).cloned() {
            next += 1;
            if self.covered(file, &pointer) || !done.insert((file, pointer.clone())) {
                continue;
            }
            let Some(node) = docs.doc(file).root.pointer(&pointer) else { continue };
            let converted = self.convert_as(role, &Place { file, node, pointer: pointer.clone() });
            if pointer.is_empty() {
                roots[file.0 as usize] = Some(converted);
            } else {
                patches.push((file, pointer, converted));
            }
        }
        // Outer nodes first, so a patch inside another lands in the converted outer one.
        patches.sort_by_key(|(file, pointer, _)| (*file, pointer.len()));
        for (file, pointer, node) in patches {
            let slot = &mut roots[file.0 as usize];
            let tree = slot.get_or_insert_with(|| docs.doc(file).root.clone());
            if let Some(target) = tree.pointer_mut(&pointer) {
                *target = node;
            }
        }
        roots
    }

    /// Whether converting the files' sections already converts the node at `pointer`.
    fn covered(&self, file: FileId, pointer: &str) -> bool {
        let first = pointer.trim_start_matches('/').split('/').next().unwrap_or_default();
        const SECTIONS: &[&str] = &["definitions", "parameters", "responses", "securityDefinitions"];
        if file == self.docs.root() {
            pointer.is_empty() || first == "paths" || SECTIONS.contains(&first)
        } else {
            self.containers.contains(&file) && SECTIONS.contains(&first)
        }
    }

    fn convert_as(&mut self, role: Role, at: &Place<'d>) -> Node {
        if at.has("$ref") && role != Role::Schema && role != Role::PathItem {
            return self.ref_object(at, role);
        }
        match role {
            Role::Schema => self.schema(at),
            Role::Parameter => self.parameter(at),
            Role::RequestBody => {
                let consumes = self.media_of(at.file).consumes;
                self.body_request(at, &consumes)
            }
            Role::Response => {
                let produces = self.media_of(at.file).produces;
                self.response(at, &produces)
            }
            Role::PathItem => self.path_item(at),
        }
    }

    /// The node at `pointer` in `file`'s original tree.
    fn place(&self, file: FileId, pointer: &str) -> Place<'d> {
        let node = self.docs.doc(file).root.pointer(pointer).unwrap_or(&self.docs.doc(file).root);
        Place { file, node, pointer: pointer.to_string() }
    }

    /// Default media types for operations and sections of `file`.
    fn media_of(&self, file: FileId) -> Media {
        self.media.get(&file).or_else(|| self.media.get(&self.docs.root())).cloned().unwrap_or_default()
    }

    /// `consumes` and `produces` of `at` (a root or an operation), each falling back to `base`.
    fn read_media(&mut self, at: &Place<'d>, base: &Media) -> Media {
        let mut media = base.clone();
        if let Some(list) = self.mime_list(at, "consumes") {
            media.consumes = list;
            media.consumes_written = true;
        }
        if let Some(list) = self.mime_list(at, "produces") {
            media.produces = list;
        }
        media
    }

    fn mime_list(&mut self, at: &Place<'d>, key: &str) -> Option<Vec<String>> {
        let list = at.child(key)?;
        match build::strings(list.node) {
            Some(l) => Some(l),
            None => {
                self.warn(&list, format!("`{key}` must be an array of media types; it is ignored"));
                None
            }
        }
    }

    /// A warning at `at`.
    fn warn(&mut self, at: &Place<'_>, message: impl Into<String>) {
        self.say(Diagnostic::warning(message), at);
    }

    /// An error at `at`: the converted document cannot be used.
    fn error(&mut self, at: &Place<'_>, message: impl Into<String>) {
        self.say(Diagnostic::error(message), at);
    }

    fn say(&mut self, d: Diagnostic, at: &Place<'_>) {
        if self.said.insert((at.file, at.node.span.start, d.message.clone())) {
            let d = d
                .with_location(self.docs.location(at.file, at.node.span))
                .with_pointer(self.docs.display_pointer(at.file, &at.pointer));
            self.diags.push(d);
        }
    }
}

#[cfg(test)]
mod tests;
