//! YAML to [`Node`] with spans, on saphyr's event parser.
//!
//! serde_yaml's `Value` forgets positions, so the tree is built from parser events here.
//! Plain scalars are resolved with the YAML 1.2 core schema. Aliases are expanded under a
//! budget (alias bombs fail fast), `<<` merge keys are honoured, and nesting is bounded.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::node::{Node, Object, Value};
use super::{MAX_DEPTH, SyntaxError};
use crate::diag::Span;

/// Aliases may expand the document to at most this many nodes beyond what was written.
const ALIAS_EXPANSION_BUDGET: usize = 2_000_000;

/// Closing brackets moved right before giving up (see [`parse`]).
const MAX_BRACKET_SHIFTS: usize = 256;

/// Most bytes parsed in all, over the attempts of [`parse`]: a large file with many moved
/// brackets is refused rather than parsed hundreds of times.
const REPARSE_BUDGET: usize = 256 << 20;

/// Parse one YAML document. Duplicate keys are reported through `duplicates` (last wins).
///
/// One relaxation of the YAML spec, the one libyaml and PyYAML make: a flow collection's
/// closing bracket may stand at its parent's indentation (`example: {` ... `}` under the key),
/// which real documents rely on (Docker's Engine API). saphyr mostly accepts it too, but not
/// after an empty `{}` inside; there the bracket is moved one column right and the text parsed
/// again, spans still pointing into `text`.
pub fn parse(text: &str, duplicates: &mut Vec<(Span, String)>) -> Result<Node, SyntaxError> {
    let mut shifted: Vec<usize> = Vec::new();
    loop {
        let mut found = Vec::new();
        let result = parse_once(text, &shifted, &mut found);
        match result {
            Err(e)
                if e.message == "invalid indentation"
                    && shifted.len() < MAX_BRACKET_SHIFTS
                    && (shifted.len() + 2).saturating_mul(text.len()) <= REPARSE_BUDGET =>
            {
                let at = e.span.start as usize;
                if !text.get(at..).is_some_and(|t| t.starts_with(['}', ']'])) {
                    return Err(e);
                }
                shifted.push(at);
                shifted.sort_unstable();
            }
            result => {
                duplicates.extend(found);
                return result;
            }
        }
    }
}

/// Parse `text` with a space inserted before each byte offset in `shifted` (sorted).
fn parse_once(text: &str, shifted: &[usize], duplicates: &mut Vec<(Span, String)>) -> Result<Node, SyntaxError> {
    let patched = if shifted.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        let mut out = String::with_capacity(text.len() + shifted.len());
        let mut from = 0;
        for &at in shifted {
            out.push_str(&text[from..at]);
            out.push(' ');
            from = at;
        }
        out.push_str(&text[from..]);
        std::borrow::Cow::Owned(out)
    };
    let text = patched.as_ref();
    let offsets = CharOffsets::new(text, shifted);
    let mut builder =
        Builder { offsets: &offsets, stack: Vec::new(), anchors: HashMap::new(), expanded: 0, duplicates };
    let mut root = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            span: offsets.span(e.marker().index(), e.marker().index() + 1),
            message: e.info().to_string(),
        })?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        span: offsets.yspan(span),
                        message: "the file holds more than one YAML document; an OpenAPI file must hold exactly one"
                            .into(),
                    });
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            other => {
                if let Some(node) = builder.event(other, span)? {
                    root = Some(node);
                }
            }
        }
    }
    root.ok_or_else(|| SyntaxError { span: Span::default(), message: "the file is empty".into() })
}

/// Maps saphyr's character indices to byte offsets in the original text.
struct CharOffsets {
    /// Byte offset of each character; empty when the text is ASCII and unshifted (identity).
    table: Vec<u32>,
    len: usize,
}

impl CharOffsets {
    /// Offsets for `text`, which has a space inserted before each original offset in `shifted`
    /// (sorted): an inserted space maps to the bracket after it, everything else to itself.
    fn new(text: &str, shifted: &[usize]) -> Self {
        let len = text.len() - shifted.len();
        if text.is_ascii() && shifted.is_empty() {
            return CharOffsets { table: Vec::new(), len };
        }
        let mut passed = 0;
        let table = text
            .char_indices()
            .map(|(b, _)| {
                // The k-th inserted space is at `shifted[k] + k` in `text`.
                while shifted.get(passed).is_some_and(|&at| at + passed < b) {
                    passed += 1;
                }
                (b - passed) as u32
            })
            .collect();
        CharOffsets { table, len }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).map_or(self.len, |&b| b as usize)
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.byte(start), self.byte(end))
    }

    fn yspan(&self, s: YSpan) -> Span {
        self.span(s.start.index(), s.end.index())
    }
}

enum Frame {
    Seq { start: Span, anchor: usize, items: Vec<Node> },
    Map { start: Span, anchor: usize, obj: Object, key: Option<(String, Span)>, merges: Vec<Node> },
}

struct Builder<'o, 'd> {
    offsets: &'o CharOffsets,
    stack: Vec<Frame>,
    /// Anchored nodes with their subtree sizes.
    anchors: HashMap<usize, (Node, usize)>,
    expanded: usize,
    duplicates: &'d mut Vec<(Span, String)>,
}

impl Builder<'_, '_> {
    /// Feed one event; returns the root once it is complete.
    fn event(&mut self, event: Event<'_>, yspan: YSpan) -> Result<Option<Node>, SyntaxError> {
        let span = self.offsets.yspan(yspan);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| (t.handle.clone(), t.suffix.clone()));
                let (key_text, value) = scalar(&text, style, tag.as_ref().map(|(h, s)| (h.as_str(), s.as_str())));
                let node = Node::new(span, value);
                self.remember(anchor, &node);
                self.complete(node, Some(key_text), span)
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(SyntaxError { span, message: "alias refers to an unknown anchor".into() });
                };
                self.expanded += size;
                if self.expanded > ALIAS_EXPANSION_BUDGET {
                    return Err(SyntaxError {
                        span,
                        message: format!(
                            "YAML aliases expand the document beyond {ALIAS_EXPANSION_BUDGET} nodes (an alias bomb?)"
                        ),
                    });
                }
                let mut node = node.clone();
                node.span = span;
                let key = node.as_str().map(str::to_owned);
                self.complete(node, key, span)
            }
            Event::SequenceStart(anchor, _) => {
                self.check_depth(span)?;
                self.expect_value(span)?;
                self.stack.push(Frame::Seq { start: span, anchor, items: Vec::new() });
                Ok(None)
            }
            Event::MappingStart(anchor, _) => {
                self.check_depth(span)?;
                self.expect_value(span)?;
                self.stack.push(Frame::Map { start: span, anchor, obj: Object::new(), key: None, merges: Vec::new() });
                Ok(None)
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq { start, anchor, items }) => {
                    let node =
                        Node::new(Span { start: start.start, end: span.end.max(start.end) }, Value::Array(items));
                    self.remember(anchor, &node);
                    self.complete(node, None, span)
                }
                _ => Err(SyntaxError { span, message: "unbalanced sequence end".into() }),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map { start, anchor, mut obj, merges, .. }) => {
                    apply_merges(&mut obj, merges);
                    let node = Node::new(
                        Span { start: start.start, end: span.end.max(start.end) },
                        Value::Object(Box::new(obj)),
                    );
                    self.remember(anchor, &node);
                    self.complete(node, None, span)
                }
                _ => Err(SyntaxError { span, message: "unbalanced mapping end".into() }),
            },
            _ => Ok(None),
        }
    }

    fn check_depth(&self, span: Span) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(SyntaxError { span, message: format!("nesting is deeper than {MAX_DEPTH} levels") });
        }
        Ok(())
    }

    /// Collections may not be mapping keys.
    fn expect_value(&self, span: Span) -> Result<(), SyntaxError> {
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(SyntaxError {
                span,
                message: "a mapping or sequence is used as a mapping key; OpenAPI keys are strings".into(),
            });
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), node.size()));
        }
    }

    /// Place a finished node into its parent; returns it when it is the root.
    fn complete(&mut self, node: Node, key_text: Option<String>, span: Span) -> Result<Option<Node>, SyntaxError> {
        match self.stack.last_mut() {
            None => Ok(Some(node)),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(None)
            }
            Some(Frame::Map { obj, key, merges, .. }) => {
                match key.take() {
                    None => {
                        let Some(text) = key_text else {
                            return Err(SyntaxError { span, message: "a mapping key must be a scalar".into() });
                        };
                        *key = Some((text, node.span));
                    }
                    Some((k, _)) if k == "<<" => merges.push(node),
                    Some((k, key_span)) => {
                        if obj.insert(k.clone(), key_span, node).is_some() {
                            self.duplicates.push((key_span, k));
                        }
                    }
                }
                Ok(None)
            }
        }
    }
}

/// `<<: *base` or `<<: [*a, *b]`: copy keys the mapping does not set itself.
fn apply_merges(obj: &mut Object, merges: Vec<Node>) {
    for merge in merges {
        let sources: Vec<Node> = match merge.value {
            Value::Array(items) => items,
            _ => vec![merge],
        };
        for source in sources {
            if let Value::Object(src) = source.value {
                for (k, m) in src.members() {
                    if !obj.contains_key(k) {
                        obj.insert(k.to_string(), m.key_span, m.node.clone());
                    }
                }
            }
        }
    }
}

/// Resolve a scalar: returns the text usable as a key, and the typed value.
fn scalar(text: &str, style: ScalarStyle, tag: Option<(&str, &str)>) -> (String, Value) {
    let key = text.to_string();
    if let Some((handle, suffix)) = tag {
        if handle == "tag:yaml.org,2002:" || handle == "!!" {
            let v = match suffix {
                "str" => Value::String(key.clone()),
                "null" => Value::Null,
                "bool" => {
                    resolve_plain(text).filter(|v| matches!(v, Value::Bool(_))).unwrap_or(Value::String(key.clone()))
                }
                "int" | "float" => resolve_plain(text)
                    .filter(|v| matches!(v, Value::Int(_) | Value::UInt(_) | Value::Float(_)))
                    .unwrap_or(Value::String(key.clone())),
                _ => Value::String(key.clone()),
            };
            return (key, v);
        }
    }
    if style != ScalarStyle::Plain {
        return (key.clone(), Value::String(key));
    }
    let v = resolve_plain(text).unwrap_or_else(|| Value::String(key.clone()));
    (key, v)
}

/// YAML 1.2 core schema resolution of a plain scalar; `None` means it is a string.
fn resolve_plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(Value::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        _ => {}
    }
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Value::Int);
    }
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        let digits = text.strip_prefix('+').unwrap_or(text);
        return digits
            .parse::<i64>()
            .map(Value::Int)
            .or_else(|_| digits.parse::<u64>().map(Value::UInt))
            .ok()
            .or_else(|| digits.parse::<f64>().ok().map(Value::Float));
    }
    // Core-schema floats: digits with an optional fraction and exponent.
    let valid_float = {
        let (mantissa, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let mantissa_ok = match mantissa.split_once('.') {
            Some((int, frac)) => {
                (!int.is_empty() || !frac.is_empty())
                    && int.bytes().all(|b| b.is_ascii_digit())
                    && frac.bytes().all(|b| b.is_ascii_digit())
            }
            None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
        };
        let exp_ok = exp.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        });
        mantissa_ok && exp_ok && mantissa != "."
    };
    if valid_float {
        return text.parse::<f64>().ok().map(Value::Float);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, SyntaxError> {
        parse(text, &mut Vec::new())
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let n = p("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: 0x1F\ng: v1.0\nh: 1e3\ni: .5\n'200': ok\n").unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Int(1));
        assert_eq!(n.get("b").unwrap().value, Value::Float(1.5));
        assert_eq!(n.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("d").unwrap().value, Value::Null);
        assert_eq!(n.get("e").unwrap().as_str(), Some("1"));
        assert_eq!(n.get("f").unwrap().value, Value::Int(31));
        assert_eq!(n.get("g").unwrap().as_str(), Some("v1.0"));
        assert_eq!(n.get("h").unwrap().value, Value::Float(1000.0));
        assert_eq!(n.get("i").unwrap().value, Value::Float(0.5));
        assert!(n.get("200").is_some());
    }

    #[test]
    fn spans_are_byte_offsets_even_after_multibyte_text() {
        let text = "é: x\nkey: value\n";
        let n = p(text).unwrap();
        let v = n.get("key").unwrap();
        assert_eq!(&text[v.span.start as usize..v.span.end as usize], "value");
    }

    #[test]
    fn aliases_and_merge_keys() {
        let n = p("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\ncopy: *b\n").unwrap();
        let d = n.get("derived").unwrap();
        assert_eq!(d.get("x").unwrap().value, Value::Int(1));
        assert_eq!(d.get("y").unwrap().value, Value::Int(3));
        assert!(d.get("<<").is_none());
        assert_eq!(n.get("copy").unwrap().get("y").unwrap().value, Value::Int(2));
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", [prev.as_str(); 10].join(", ")));
        }
        let e = p(&text).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000));
        let e = p(&text).unwrap_err();
        assert!(e.message.contains("deeper than") || e.message.contains("recursion limit"), "{e:?}");
    }

    #[test]
    fn syntax_errors_are_located() {
        let e = p("a: b\n  c: d\n").unwrap_err();
        assert!(e.span.start >= 5, "{e:?}");
        assert!(p("a: [1, 2\n").is_err());
        assert!(p("").unwrap_err().message.contains("empty"));
        assert!(p("a: 1\n---\nb: 2\n").unwrap_err().message.contains("more than one"));
    }

    #[test]
    fn closing_brackets_at_the_parent_indentation_are_accepted() {
        let text =
            "a:\n  t:\n    example: {\n      \"x\": [\n        {}\n    ],\n      y: 2\n    }\n    next: é\nb: |\n  }\n";
        assert!(parse_once(text, &[], &mut Vec::new()).is_err(), "saphyr refuses it as written");
        let mut duplicates = Vec::new();
        let n = parse(text, &mut duplicates).unwrap();
        let example = n.get("a").unwrap().get("t").unwrap().get("example").unwrap();
        assert_eq!(example.get("x").unwrap().as_array().map(<[Node]>::len), Some(1));
        assert_eq!(example.get("y").unwrap().value, Value::Int(2));
        // Spans are in the text as written, after the moved brackets too.
        let next = n.get("a").unwrap().get("t").unwrap().get("next").unwrap();
        assert_eq!(&text[next.span.start as usize..next.span.end as usize], "é");
        assert_eq!(&text[example.span.start as usize..example.span.start as usize + 1], "{");
        // A bracket in a block scalar is text, left as it is.
        assert_eq!(n.get("b").unwrap().as_str(), Some("}\n"));
        // Other indentation errors are still errors.
        assert!(p("a:\n  t:\n    b: {\n      c: {}\n    }\n   d: 2\n").is_err());
    }

    #[test]
    fn complex_keys_are_rejected() {
        assert!(p("? [a, b]\n: c\n").is_err());
    }
}
