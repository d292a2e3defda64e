//! Reading the Swagger tree and building the converted one. Every node built carries the span
//! of the Swagger node it comes from, so diagnostics about the converted document still point
//! at the line of the Swagger file.

use crate::diag::Span;
use crate::load::node::escape_pointer_token;
use crate::load::{FileId, Node, Object, Value};

/// A node of the original (Swagger) document with its file and JSON pointer, for resolving
/// references and locating messages.
#[derive(Clone, Debug)]
pub(super) struct Place<'d> {
    /// The file the node is in.
    pub file: FileId,
    /// The node.
    pub node: &'d Node,
    /// Its JSON pointer within the file (decoded: `/definitions/Pet`).
    pub pointer: String,
}

impl<'d> Place<'d> {
    /// The node's span.
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// The member `key`, if this is an object with it.
    pub fn child(&self, key: &str) -> Option<Place<'d>> {
        let node = self.node.get(key)?;
        Some(Place { file: self.file, node, pointer: format!("{}/{}", self.pointer, escape_pointer_token(key)) })
    }

    /// Whether this is an object with the member `key`.
    pub fn has(&self, key: &str) -> bool {
        self.node.get(key).is_some()
    }

    /// The string member `key`.
    pub fn str(&self, key: &str) -> Option<&'d str> {
        self.node.get(key).and_then(Node::as_str)
    }

    /// Members of an object (none for anything else): key, the key's span, the value.
    pub fn members(&self) -> Vec<(&'d str, Span, Place<'d>)> {
        let Some(o) = self.node.as_object() else { return Vec::new() };
        o.members()
            .map(|(k, m)| {
                let pointer = format!("{}/{}", self.pointer, escape_pointer_token(k));
                (k, m.key_span, Place { file: self.file, node: &m.node, pointer })
            })
            .collect()
    }

    /// Items of an array (none for anything else).
    pub fn items(&self) -> Vec<Place<'d>> {
        let Some(a) = self.node.as_array() else { return Vec::new() };
        a.iter()
            .enumerate()
            .map(|(i, node)| Place { file: self.file, node, pointer: format!("{}/{i}", self.pointer) })
            .collect()
    }

    /// The span of the key `key` in this object, or the object's own span.
    pub fn key_span(&self, key: &str) -> Span {
        self.node.as_object().and_then(|o| o.member(key)).map_or(self.node.span, |m| m.key_span)
    }
}

/// An object under construction.
pub(super) struct Obj {
    span: Span,
    object: Object,
}

impl Obj {
    /// An empty object that will have `span`.
    pub fn new(span: Span) -> Self {
        Obj { span, object: Object::new() }
    }

    /// Set `key` (whose key is written at `key_span`) to `node`.
    pub fn put(&mut self, key: &str, key_span: Span, node: Node) {
        self.object.insert(key.to_string(), key_span, node);
    }

    /// Whether `key` is set.
    pub fn has(&self, key: &str) -> bool {
        self.object.contains_key(key)
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.object.is_empty()
    }

    /// The finished node.
    pub fn node(self) -> Node {
        Node::new(self.span, Value::Object(Box::new(self.object)))
    }
}

/// A string node.
pub(super) fn string(span: Span, s: impl Into<String>) -> Node {
    Node::new(span, Value::String(s.into()))
}

/// A boolean node.
pub(super) fn boolean(span: Span, b: bool) -> Node {
    Node::new(span, Value::Bool(b))
}

/// An array node.
pub(super) fn array(span: Span, items: Vec<Node>) -> Node {
    Node::new(span, Value::Array(items))
}

/// The strings of an array node; `None` when it is not an array of strings.
pub(super) fn strings(node: &Node) -> Option<Vec<String>> {
    node.as_array()?.iter().map(|n| n.as_str().map(str::to_owned)).collect()
}
