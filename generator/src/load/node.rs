//! The loaded document: a JSON-like tree in which every node remembers where it came from.

use indexmap::IndexMap;

use crate::diag::Span;

/// A value with the span it was parsed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value is in its file.
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// A JSON value; YAML documents are reduced to the same shapes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX`.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, in document order.
    Object(Box<Object>),
}

/// One member of an object: the key's span and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Where the key is.
    pub key_span: Span,
    /// The value.
    pub node: Node,
}

/// An object: keys in document order with their spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    members: IndexMap<String, Member>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Insert, returning the previous value of a duplicate key.
    pub fn insert(&mut self, key: String, key_span: Span, node: Node) -> Option<Member> {
        self.members.insert(key, Member { key_span, node })
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members.get(key).map(|m| &m.node)
    }

    /// The value under `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.members.get_mut(key).map(|m| &mut m.node)
    }

    /// The member under `key`, with its key's span.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members.get(key)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.members.contains_key(key)
    }

    /// Keys and values in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.members.iter().map(|(k, m)| (k.as_str(), &m.node))
    }

    /// Keys, values and key spans in document order.
    pub fn members(&self) -> impl Iterator<Item = (&str, &Member)> {
        self.members.iter().map(|(k, m)| (k.as_str(), m))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl Node {
    /// A node of `value` at `span`.
    pub fn new(span: Span, value: Value) -> Self {
        Node { span, value }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match &self.value {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::UInt(u) => Some(u as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The number as `i64`, if it is an integer that fits (`3.0` counts).
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// The number as `u64`, if it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self.value {
            Value::UInt(u) => Some(u),
            _ => self.as_i64().and_then(|i| u64::try_from(i).ok()),
        }
    }

    /// `obj[key]`, if this is an object with that key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// A word for the JSON type, for messages. Numbers say what kind they are, since keywords
    /// often want one kind ("must be a non-negative integer, found a negative integer").
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(i) if i < 0 => "a negative integer",
            Value::Int(_) => "an integer",
            Value::UInt(_) => "an integer too large for 64 signed bits",
            Value::Float(f) if !f.is_finite() => "a non-finite number (infinity or NaN)",
            Value::Float(f) if f.fract() != 0.0 => "a fractional number",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Follow a JSON pointer (`/a/b~1c/0`, already percent-decoded) from this node.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match &node.value {
                Value::Object(o) => o.get(&token),
                Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            }
        })
    }

    /// As [`Node::pointer`], to change the node it names.
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match &mut node.value {
                Value::Object(o) => o.get_mut(&token),
                Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                _ => None,
            }
        })
    }

    /// Number of nodes in this subtree, including itself.
    pub fn size(&self) -> usize {
        match &self.value {
            Value::Array(a) => 1 + a.iter().map(Node::size).sum::<usize>(),
            Value::Object(o) => 1 + o.iter().map(|(_, n)| n.size()).sum::<usize>(),
            _ => 1,
        }
    }

    /// Convert to a `serde_json::Value` (non-finite floats become `null`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::UInt(u) => J::from(*u),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Array(a) => J::Array(a.iter().map(Node::to_json).collect()),
            Value::Object(o) => J::Object(o.iter().map(|(k, v)| (k.to_string(), v.to_json())).collect()),
        }
    }
}

/// Escape one JSON pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(entries: Vec<(&str, Node)>) -> Node {
        let mut o = Object::new();
        for (k, v) in entries {
            o.insert(k.to_string(), Span::default(), v);
        }
        Node::new(Span::default(), Value::Object(Box::new(o)))
    }

    fn s(v: &str) -> Node {
        Node::new(Span::default(), Value::String(v.into()))
    }

    #[test]
    fn pointer_unescapes_tokens_and_indexes_arrays() {
        let arr = Node::new(Span::default(), Value::Array(vec![s("zero"), s("one")]));
        let root = obj(vec![("a/b", obj(vec![("~x", arr)]))]);
        assert_eq!(root.pointer("/a~1b/~0x/1").and_then(Node::as_str), Some("one"));
        assert!(root.pointer("/a~1b/~0x/2").is_none());
        assert!(root.pointer("/missing").is_none());
        assert_eq!(root.pointer(""), Some(&root));
        let mut root = root;
        *root.pointer_mut("/a~1b/~0x/0").unwrap() = s("changed");
        assert_eq!(root.pointer("/a~1b/~0x/0").and_then(Node::as_str), Some("changed"));
        assert!(root.pointer_mut("/a~1b/nope").is_none());
    }
}
