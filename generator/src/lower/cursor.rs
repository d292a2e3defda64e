//! A position in the loaded documents: a node together with its file and JSON pointer.

use crate::load::node::escape_pointer_token;
use crate::load::{FileId, Node, Object};

/// A node and where it is.
#[derive(Clone, Debug)]
pub struct Cursor<'a> {
    /// The file.
    pub file: FileId,
    /// The node.
    pub node: &'a Node,
    /// JSON pointer of the node within its file (`/components/schemas/Job`).
    pub pointer: String,
}

impl<'a> Cursor<'a> {
    /// A cursor at `node`.
    pub fn new(file: FileId, node: &'a Node, pointer: String) -> Self {
        Cursor { file, node, pointer }
    }

    /// The object, if the node is one.
    pub fn object(&self) -> Option<&'a Object> {
        self.node.as_object()
    }

    /// The member `key`, if the node is an object that has it.
    pub fn child(&self, key: &str) -> Option<Cursor<'a>> {
        let node = self.node.get(key)?;
        Some(Cursor { file: self.file, node, pointer: format!("{}/{}", self.pointer, escape_pointer_token(key)) })
    }

    /// The members of an object node, as cursors, in document order.
    pub fn members(&self) -> Vec<(&'a str, Cursor<'a>)> {
        match self.node.as_object() {
            Some(o) => o
                .iter()
                .map(|(k, v)| {
                    (
                        k,
                        Cursor {
                            file: self.file,
                            node: v,
                            pointer: format!("{}/{}", self.pointer, escape_pointer_token(k)),
                        },
                    )
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// The items of an array node, as cursors.
    pub fn items(&self) -> Vec<Cursor<'a>> {
        match self.node.as_array() {
            Some(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| Cursor { file: self.file, node: v, pointer: format!("{}/{i}", self.pointer) })
                .collect(),
            None => Vec::new(),
        }
    }

    /// String member `key`.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.node.get(key).and_then(Node::as_str)
    }

    /// Boolean member `key`.
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.node.get(key).and_then(Node::as_bool)
    }

    /// Whether the node is an object with member `key`.
    pub fn has(&self, key: &str) -> bool {
        self.node.get(key).is_some()
    }

    /// The last token of the pointer, unescaped (`Job` for `/components/schemas/Job`).
    pub fn last_token(&self) -> String {
        self.pointer.rsplit('/').next().unwrap_or("").replace("~1", "/").replace("~0", "~")
    }
}
