//! Where in a JSON body decoding failed, as a path such as `data.runs[3].status`.
//!
//! Found by scanning the text up to the line and column serde_json reports, so it costs
//! nothing on the success path and adds no generic code per type.

/// A container open at the error position.
enum Frame {
    /// An object, with the key whose value is being read.
    Object(Option<String>),
    /// An array, with the index of the item being read.
    Array(usize),
}

/// The path of the value being read at `line` and `column` (1-based, as serde_json counts;
/// `.` for the top level).
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> String {
    let end = offset_of(body, line, column);
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(key)) => {
                    *key = None;
                    expecting_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(key_text(&body[start..(i + 1).min(body.len())]));
                    }
                    expecting_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Reported just after an opening bracket: the container itself has the wrong type.
    if end > 0 && matches!(body[end - 1], b'[' | b'{') {
        stack.pop();
    }
    // Reported at an object's closing brace (a missing field): the path is the object's.
    if body.get(end) == Some(&b'}') {
        if let Some(Frame::Object(key)) = stack.last_mut() {
            *key = None;
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    if path.is_empty() { ".".to_owned() } else { path }
}

/// The byte offset of a 1-based line and column, clamped to the body.
pub(crate) fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match body[offset..].iter().position(|&b| b == b'\n') {
            Some(i) => offset += i + 1,
            None => return body.len(),
        }
    }
    (offset + column.saturating_sub(1)).min(body.len())
}

/// A quoted key as text, escapes resolved.
fn key_text(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(quoted).trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::path_at;

    /// The path serde_json's own error position leads to when decoding `body` as `T`.
    fn path<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        let e = serde_json::from_str::<T>(body).expect_err("the body does not decode");
        path_at(body.as_bytes(), e.line(), e.column())
    }

    #[derive(Debug, serde::Deserialize)]
    struct Run {
        id: String,
        status: u8,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Data {
        runs: Vec<Run>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Page {
        data: Data,
    }

    #[test]
    fn paths_name_the_failing_field() {
        let run = r#"{"id": "a", "status": 1}"#;
        let good: Page = serde_json::from_str(&format!(r#"{{"data": {{"runs": [{run}]}}}}"#)).unwrap();
        assert_eq!((good.data.runs[0].id.as_str(), good.data.runs[0].status), ("a", 1));
        let bad = format!(r#"{{"data": {{"runs": [{run}, {run}, {run}, {{"id": "d", "status": "x"}}]}}}}"#);
        assert_eq!(path::<Page>(&bad), "data.runs[3].status");
        let pretty = format!("{{\n  \"data\": {{\n    \"runs\": [\n      {run},\n      {{\"id\": 5, \"status\": 1}}\n    ]\n  }}\n}}");
        assert_eq!(path::<Page>(&pretty), "data.runs[1].id");
        assert_eq!(path::<Page>(r#"{"data": {"runs": [{"id": "a"}]}}"#), "data.runs[0]", "a missing field");
        assert_eq!(path::<Page>(r#"{"data": 3}"#), "data");
        assert_eq!(path::<Page>("[]"), ".");
        assert_eq!(path::<Page>(r#"{"data": {"runs": {"id": "a"}}}"#), "data.runs");
        assert_eq!(path::<Page>(r#"{"data": {"runs": [{"id": "a\"}", "status": -1}]}}"#), "data.runs[0].status");
        assert_eq!(path::<std::collections::BTreeMap<String, u8>>(r#"{"a\u0062": "x"}"#), "ab");
    }

    #[test]
    fn offsets_of_lines_and_columns() {
        assert_eq!(super::offset_of(b"ab\ncd", 2, 2), 4);
        assert_eq!(super::offset_of(b"ab", 9, 9), 2);
    }
}
