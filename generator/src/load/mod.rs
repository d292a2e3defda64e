//! Loading: read the schema file (YAML or JSON, told apart by content), every file its `$ref`s
//! name, and keep source positions so later stages can point at the line. A Swagger 2.0
//! document is converted to OpenAPI 3.0 here (`swagger`), its positions kept.

mod json;
pub mod node;
pub mod source;
mod swagger;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use node::{Node, Object, Value};
pub use source::SourceFile;

use crate::diag::{Diagnostic, Diagnostics, Location, Span};

/// Deepest nesting of arrays/objects accepted; real documents stay far below it.
pub const MAX_DEPTH: usize = 256;

/// Largest file accepted; larger ones are refused before being read.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Duplicate keys reported one by one per file; the rest are summed up in one warning.
const MAX_DUPLICATE_WARNINGS: usize = 20;

/// A syntax error from one of the parsers.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// Index of a loaded file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

/// One parsed file.
#[derive(Debug)]
pub struct Document {
    /// Its text, for locations.
    pub source: SourceFile,
    /// The parsed tree.
    pub root: Node,
    /// Its path on disk, used to resolve relative references.
    pub path: PathBuf,
}

/// All files of one schema: the root (first) and those reached through `$ref`.
#[derive(Debug)]
pub struct Documents {
    docs: Vec<Document>,
    by_path: HashMap<PathBuf, FileId>,
}

/// A resolved reference.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    /// The file the target is in.
    pub file: FileId,
    /// The target node.
    pub node: &'a Node,
    /// JSON pointer of the target within its file (decoded, `/components/schemas/Job`).
    pub pointer: String,
}

impl Documents {
    /// Load `path` and, transitively, every file referenced from it. Returns the documents and
    /// any warnings (e.g. duplicate keys); errors stop loading.
    pub fn load(path: &Path) -> Result<(Documents, Diagnostics), Diagnostics> {
        let mut docs = Documents { docs: Vec::new(), by_path: HashMap::new() };
        let mut warnings = Diagnostics::new();
        let root = docs.load_file(path, path.display().to_string(), None, &mut warnings)?;
        let mut errors = Diagnostics::new();
        let mut queue = vec![root];
        while let Some(file) = queue.pop() {
            for (span, reference) in collect_refs(&docs.docs[file.0 as usize].root) {
                match docs.load_ref_target(file, span, &reference, &mut warnings) {
                    Ok(Some(new)) => queue.push(new),
                    Ok(None) => {}
                    Err(d) => errors.extend(d),
                }
            }
        }
        if errors.is_empty() {
            // Check every reference now so dangling ones are reported all at once, located.
            for (i, doc) in docs.docs.iter().enumerate() {
                let file = FileId(i as u32);
                for (span, reference) in collect_refs(&doc.root) {
                    if is_remote(&reference) {
                        continue;
                    }
                    if let Err(msg) = docs.resolve(file, &reference) {
                        errors.push(
                            Diagnostic::error(msg)
                                .with_location(docs.location(file, span))
                                .with_pointer(reference.clone()),
                        );
                    }
                }
            }
        }
        if errors.is_empty() {
            swagger::convert(&mut docs, &mut warnings)?;
            Ok((docs, warnings))
        } else {
            errors.sort();
            Err(errors)
        }
    }

    /// Parse text already in memory as the root document (for tests and fuzzing). It may not
    /// refer to other files.
    pub fn from_text(name: &str, text: &str) -> Result<(Documents, Diagnostics), Diagnostics> {
        Self::from_string(name, text.to_string())
    }

    /// As [`Documents::from_text`], for bytes that may not be text: they get the checks a file
    /// gets (binary, UTF-16, invalid UTF-8).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<(Documents, Diagnostics), Diagnostics> {
        Self::from_string(name, decode_text(name, bytes)?)
    }

    fn from_string(name: &str, text: String) -> Result<(Documents, Diagnostics), Diagnostics> {
        let mut docs = Documents { docs: Vec::new(), by_path: HashMap::new() };
        let mut warnings = Diagnostics::new();
        docs.add(PathBuf::from(name), name.to_string(), text, &mut warnings)?;
        let mut errors = Diagnostics::new();
        for (span, reference) in collect_refs(&docs.docs[0].root) {
            if is_remote(&reference) {
                continue;
            }
            if let Err(msg) = docs.resolve(FileId(0), &reference) {
                errors
                    .push(Diagnostic::error(msg).with_location(docs.location(FileId(0), span)).with_pointer(reference));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        swagger::convert(&mut docs, &mut warnings)?;
        Ok((docs, warnings))
    }

    /// The root file.
    pub fn root(&self) -> FileId {
        FileId(0)
    }

    /// A loaded file.
    pub fn doc(&self, file: FileId) -> &Document {
        &self.docs[file.0 as usize]
    }

    /// All loaded files, root first.
    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.iter()
    }

    /// A location for diagnostics.
    pub fn location(&self, file: FileId, span: Span) -> Location {
        self.doc(file).source.location(span)
    }

    /// How to show a pointer into `file`: `#/a/b` for the root, `other.yaml#/a/b` elsewhere.
    pub fn display_pointer(&self, file: FileId, pointer: &str) -> String {
        if file == self.root() { format!("#{pointer}") } else { format!("{}#{pointer}", self.doc(file).source.name()) }
    }

    /// Resolve `reference` (as written in `from`) to its node.
    pub fn resolve(&self, from: FileId, reference: &str) -> Result<Target<'_>, String> {
        let (file_part, fragment) = split_ref(reference);
        let file = if file_part.is_empty() {
            from
        } else {
            let path = self.ref_path(from, file_part)?;
            *self.by_path.get(&path).ok_or_else(|| format!("`$ref` names a file that was not loaded: `{file_part}`"))?
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!(
                "`$ref` fragment `#{fragment}` is not a JSON pointer (named anchors are not supported)"
            ));
        }
        let node = self.doc(file).root.pointer(&pointer).ok_or_else(|| {
            format!("unresolvable `$ref`: `{reference}` points at nothing in {}", self.doc(file).source.name())
        })?;
        Ok(Target { file, node, pointer })
    }

    fn ref_path(&self, from: FileId, file_part: &str) -> Result<PathBuf, String> {
        if file_part.contains("://") {
            return Err(format!(
                "remote `$ref` `{file_part}` is not supported (generation never uses the network); \
                 download the file and refer to it by a relative path"
            ));
        }
        let base = self.doc(from).path.parent().map(Path::to_path_buf).unwrap_or_default();
        // `components()` drops `.` segments, so messages show `dir/x.yaml`, not `dir/./x.yaml`.
        let joined: PathBuf = base.join(percent_decode(file_part)).components().collect();
        Ok(joined.canonicalize().unwrap_or(joined))
    }

    /// Make sure the file a reference names is loaded; returns its id if newly loaded.
    fn load_ref_target(
        &mut self,
        from: FileId,
        span: Span,
        reference: &str,
        warnings: &mut Diagnostics,
    ) -> Result<Option<FileId>, Diagnostics> {
        let (file_part, _) = split_ref(reference);
        if file_part.is_empty() || is_remote(reference) {
            return Ok(None);
        }
        let located = |docs: &Self, msg: String| {
            Diagnostics::from(Diagnostic::error(msg).with_location(docs.location(from, span)).with_pointer(reference))
        };
        let path = self.ref_path(from, file_part).map_err(|m| located(self, m))?;
        if self.by_path.contains_key(&path) {
            return Ok(None);
        }
        let name = path.display().to_string();
        self.load_file(&path, name, Some((from, span)), warnings).map(Some)
    }

    fn load_file(
        &mut self,
        path: &Path,
        name: String,
        referrer: Option<(FileId, Span)>,
        warnings: &mut Diagnostics,
    ) -> Result<FileId, Diagnostics> {
        let fail = |docs: &Self, msg: String| {
            let mut d = Diagnostic::error(msg);
            if let Some((file, span)) = referrer {
                d = d.with_location(docs.location(file, span));
            }
            Diagnostics::from(d)
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(self, format!("cannot read `{name}`: {e}")))?;
        if meta.is_dir() {
            return Err(fail(self, format!("`{name}` is a directory, not a schema file")));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(fail(
                self,
                format!(
                    "`{name}` is {} MiB; the largest schema accepted is {} MiB",
                    meta.len() >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(self, format!("cannot read `{name}`: {e}")))?;
        let text = decode_text(&name, bytes)?;
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.add(canonical, name, text, warnings)
    }

    fn add(
        &mut self,
        path: PathBuf,
        name: String,
        text: String,
        warnings: &mut Diagnostics,
    ) -> Result<FileId, Diagnostics> {
        let source = SourceFile::new(name, text);
        let mut duplicates = Vec::new();
        let parsed = if looks_like_json(source.text()) {
            json::parse(source.text(), &mut duplicates)
        } else {
            yaml::parse(source.text(), &mut duplicates)
        };
        let root = parsed.map_err(|e| {
            let kind = if looks_like_json(source.text()) { "JSON" } else { "YAML" };
            Diagnostics::from(
                Diagnostic::error(format!("{kind} syntax error: {}", e.message)).with_location(source.location(e.span)),
            )
        })?;
        for (span, key) in duplicates.iter().take(MAX_DUPLICATE_WARNINGS) {
            warnings.push(
                Diagnostic::warning(format!("duplicate key `{key}`; the later value wins"))
                    .with_location(source.location(*span)),
            );
        }
        if let Some((span, _)) = duplicates.get(MAX_DUPLICATE_WARNINGS) {
            let more = duplicates.len() - MAX_DUPLICATE_WARNINGS;
            warnings.push(
                Diagnostic::warning(format!(
                    "{more} more duplicate keys, from here on; the later value wins each time"
                ))
                .with_location(source.location(*span)),
            );
        }
        let id = FileId(self.docs.len() as u32);
        self.by_path.insert(path.clone(), id);
        self.docs.push(Document { source, root, path });
        Ok(id)
    }
}

/// Check the bytes are UTF-8 text and return them as a string. Refusals point at the first
/// offending byte; no excerpt, since the text around it may not be printable.
fn decode_text(name: &str, mut bytes: Vec<u8>) -> Result<String, Diagnostics> {
    // Line and column of byte `at`, counting only the valid UTF-8 before it.
    let at = |bytes: &[u8], at: usize| {
        let before = String::from_utf8_lossy(&bytes[..at.min(bytes.len())]).into_owned();
        let (line, column) = SourceFile::new(name.to_string(), before.clone()).line_col(before.len() as u32);
        Location { path: name.to_string(), line, column, excerpt: None }
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    // UTF-16 without a byte order mark: ASCII text with every other byte NUL.
    let ascii = |c: &u8| c.is_ascii_graphic() || c.is_ascii_whitespace();
    let utf16 = utf16 || matches!(bytes.get(..4), Some([a, 0, b, 0] | [0, a, 0, b]) if ascii(a) && ascii(b));
    if utf16 {
        return Err(Diagnostic::error(format!("`{name}` is UTF-16 encoded; schemas must be UTF-8"))
            .with_location(at(&bytes, 0))
            .with_help("convert it, e.g. `iconv -f UTF-16 -t UTF-8`")
            .into());
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(Diagnostic::error(format!(
            "`{name}` looks like a binary file (NUL byte at offset {pos}), not a YAML or JSON schema"
        ))
        .with_location(at(&bytes, pos))
        .into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let location = at(e.as_bytes(), valid);
        Diagnostic::error(format!(
            "`{name}` is not valid UTF-8: invalid byte at line {}, column {} (offset {valid})",
            location.line, location.column
        ))
        .with_location(location)
        .with_help("schemas must be UTF-8; convert it, e.g. `iconv -f LATIN1 -t UTF-8`")
        .into()
    })
}

fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

/// Whether `reference` names a document on the network (`https://…`), which is never fetched:
/// lowering degrades what it names, with a warning, instead of failing the document.
pub fn is_remote(reference: &str) -> bool {
    split_ref(reference).0.contains("://")
}

/// `file.yaml#/a/b` → (`file.yaml`, `/a/b`).
fn split_ref(reference: &str) -> (&str, &str) {
    match reference.split_once('#') {
        Some((file, frag)) => (file, frag),
        None => (reference, ""),
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Keywords whose values are literal data, where a `$ref` key is just data too
/// (`examples` arrays in schemas, `value` of Example Objects, defaults, enums, extensions).
const DATA_KEYWORDS: &[&str] = &["example", "default", "enum", "const"];

/// Keys whose values are maps from user-chosen names, so their keys are never keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "mapping",
    "variables",
];

/// Whether the value under `key` (in an object that is itself under `parent`, which is under
/// `grandparent`) is literal data rather than part of the document's structure.
fn is_data(key: &str, value: &Node, parent: Option<&str>, grandparent: Option<&str>) -> bool {
    let in_name_map = parent.is_some_and(|p| NAME_MAPS.contains(&p));
    if in_name_map {
        return false;
    }
    DATA_KEYWORDS.contains(&key)
        || key.starts_with("x-")
        || (key == "examples" && matches!(value.value, Value::Array(_)))
        // An Example Object's `value`: `examples: {name: {value: ...}}`.
        || (key == "value" && grandparent == Some("examples"))
}

/// Every `$ref` string in the structure of the tree (not in examples or other data), with its
/// span. Iterative: trees can be deep.
fn collect_refs(root: &Node) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    // Each node with the keys of its parent and grandparent objects.
    let mut stack: Vec<(&Node, Option<&str>, Option<&str>)> = vec![(root, None, None)];
    while let Some((node, parent, grandparent)) = stack.pop() {
        match &node.value {
            Value::Object(o) => {
                for (k, v) in o.iter() {
                    if k == "$ref" {
                        if let Some(s) = v.as_str() {
                            out.push((v.span, s.to_string()));
                            continue;
                        }
                    }
                    if !is_data(k, v, parent, grandparent) {
                        stack.push((v, Some(k), parent));
                    }
                }
            }
            // Array items keep the array's key as their parent key (`allOf: [{...}]`).
            Value::Array(a) => stack.extend(a.iter().map(|n| (n, parent, grandparent))),
            _ => {}
        }
    }
    out.sort_by_key(|(span, _)| span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_are_told_apart_by_content() {
        let (d, _) = Documents::from_text("x", "  {\"a\": 1}").unwrap();
        assert!(d.doc(d.root()).root.get("a").is_some());
        let (d, _) = Documents::from_text("x", "a: 1").unwrap();
        assert!(d.doc(d.root()).root.get("a").is_some());
    }

    #[test]
    fn dangling_refs_are_located_errors() {
        let err = Documents::from_text("s.yaml", "a:\n  $ref: '#/nope'\n").unwrap_err();
        let d = err.iter().next().unwrap();
        assert!(d.message.contains("unresolvable"), "{}", d.message);
        assert_eq!(d.location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn refs_inside_examples_and_extensions_are_data() {
        let text = "paths: {}\ncomponents:\n  examples:\n    e:\n      value: {members: [{$ref: 'https://x/y'}]}\n  schemas:\n    A:\n      example: {$ref: nope}\n      examples: [{$ref: nope}]\n      x-extra: {$ref: nope}\n      properties:\n        example: {$ref: '#/components/schemas/B'}\n    B: {type: string}\n";
        let (d, _) = Documents::from_text("s.yaml", text).unwrap();
        let refs = collect_refs(&d.doc(d.root()).root);
        assert_eq!(refs.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>(), ["#/components/schemas/B"]);
    }

    #[test]
    fn fragments_are_percent_decoded() {
        let (d, _) = Documents::from_text("s.yaml", "paths:\n  /a{b}: {x: 1}\n").unwrap();
        let t = d.resolve(d.root(), "#/paths/~1a%7Bb%7D").unwrap();
        assert!(t.node.get("x").is_some());
    }

    #[test]
    fn binary_and_non_utf8_input_are_refused() {
        assert!(decode_text("b", vec![0x7f, 0x45, 0x4c, 0x46, 0, 1]).unwrap_err().to_string().contains("binary"));
        let e = decode_text("u", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert!(e.to_string().contains("line 2, column 4"), "{e}");
        assert!(decode_text("w", vec![0xFF, 0xFE, b'a', 0]).unwrap_err().to_string().contains("UTF-16"));
    }
}
