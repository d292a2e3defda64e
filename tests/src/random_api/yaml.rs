//! JSON values as block-style YAML that people can read: OpenAPI's keys in their usual order,
//! short lists of scalars on one line, and every string that could read as something else
//! double-quoted (JSON's string syntax is YAML's double-quoted syntax).

use serde_json::Value;

/// Keys in the order OpenAPI documents usually write them; other keys (property names,
/// paths) follow in sorted order.
const KEY_ORDER: &[&str] = &[
    "openapi",
    "$ref",
    "type",
    "format",
    "info",
    "title",
    "version",
    "summary",
    "description",
    "license",
    "name",
    "identifier",
    "servers",
    "url",
    "variables",
    "security",
    "paths",
    "operationId",
    "deprecated",
    "x-pagination",
    "parameters",
    "in",
    "required",
    "style",
    "explode",
    "requestBody",
    "content",
    "encoding",
    "responses",
    "headers",
    "components",
    "schemas",
    "securitySchemes",
    "nullable",
    "const",
    "enum",
    "default",
    "minimum",
    "maximum",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "propertyName",
    "mapping",
    "schema",
];

/// `value` as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(o) if !o.is_empty() => block_mapping(value, 0, &mut out),
        other => {
            out.push_str(&inline(other).unwrap_or_else(|| serde_json::to_string(other).unwrap_or_default()));
            out.push('\n');
        }
    }
    out
}

fn ordered(o: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = o.iter().collect();
    let rank = |k: &str| KEY_ORDER.iter().position(|x| *x == k).unwrap_or(KEY_ORDER.len());
    entries.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
    entries
}

fn block_mapping(value: &Value, indent: usize, out: &mut String) {
    let Value::Object(o) = value else { return };
    for (k, v) in ordered(o) {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(k));
        out.push(':');
        after_key(v, indent, out);
    }
}

fn block_sequence(value: &Value, indent: usize, out: &mut String) {
    let Value::Array(items) = value else { return };
    for item in items {
        match inline(item) {
            Some(text) => {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                out.push_str(&text);
                out.push('\n');
            }
            None => {
                // The item's block at the indent of its content, its first line after the dash.
                let mut inner = String::new();
                if item.is_object() {
                    block_mapping(item, indent + 2, &mut inner);
                } else {
                    block_sequence(item, indent + 2, &mut inner);
                }
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                out.push_str(&inner[indent + 2..]);
            }
        }
    }
}

/// After `key:`, the value on the same line, or on the lines below.
fn after_key(v: &Value, indent: usize, out: &mut String) {
    match inline(v) {
        Some(text) => {
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
        }
        None => {
            out.push('\n');
            if v.is_object() {
                block_mapping(v, indent + 2, out);
            } else {
                block_sequence(v, indent + 2, out);
            }
        }
    }
}

/// A value that fits on one line: a scalar, an empty collection, or a short list of scalars.
fn inline(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(string(s)),
        Value::Object(o) if o.is_empty() => Some("{}".into()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            let parts: Vec<String> = a.iter().filter_map(inline).collect();
            let text = format!("[{}]", parts.join(", "));
            (text.len() <= 80 && !text.contains('\n')).then_some(text)
        }
        _ => None,
    }
}

/// A string plain when it can only read as that string, else double-quoted.
fn string(s: &str) -> String {
    const WORDS: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/$".contains(c))
        && !WORDS.contains(&s.to_ascii_lowercase().as_str());
    if plain { s.to_string() } else { serde_json::to_string(s).unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_back_as_the_same_value() {
        let v = json!({
            "openapi": "3.1.0",
            "paths": { "/a/{id}": { "get": { "parameters": [{ "name": "id", "in": "path" }], "responses": {
                "200": { "description": "yes" } } } } },
            "x": ["on", "", "1st", 1, 2.5, null, true, "a: b", "ü\n\"q\" \\", "\u{7}"],
            "nested": [[1, [2]], { "a": [] }, [{ "b": { "c": "d" } }]],
            "empty": {},
        });
        let text = to_yaml(&v);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, v, "{text}");
        assert!(text.starts_with("openapi: \"3.1.0\"\n"), "{text}");
        assert!(text.contains("\"200\":"), "status codes stay strings: {text}");
    }
}
