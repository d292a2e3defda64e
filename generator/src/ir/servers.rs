//! The servers an API is served from: URL templates whose variables the caller may choose.

use std::fmt::Write as _;

use super::types::TypeId;

/// One server (an entry of the document's root `servers`).
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// Rust variant name in the generated `Server` enum (UpperCamelCase, unique).
    pub name: String,
    /// The URL template, without a trailing `/`.
    pub url: Vec<UrlPart>,
    /// What the document says of the server.
    pub description: Option<String>,
    /// The variables the template uses, in document order.
    pub variables: Vec<ServerVariable>,
}

/// A piece of a server URL template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlPart {
    /// Text sent as it is.
    Literal(String),
    /// The value of the variable at this index of [`Server::variables`].
    Variable(usize),
}

/// A variable of a server URL template.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerVariable {
    /// The name in the template (`teamId` in `{teamId}`).
    pub wire_name: String,
    /// The Rust field name (snake_case, keyword-safe, unique in the server).
    pub name: String,
    /// A string, or an enum of the allowed values when the document closes the list.
    pub ty: TypeId,
    /// The value used unless the caller chooses another.
    pub default: String,
    /// What the document says of the variable.
    pub description: Option<String>,
}

impl Server {
    /// The template as the document writes it: `https://{region}.example.com/v1`.
    pub fn template(&self) -> String {
        let mut out = String::new();
        for part in &self.url {
            match part {
                UrlPart::Literal(text) => out.push_str(text),
                UrlPart::Variable(i) => {
                    let _ = write!(out, "{{{}}}", self.variables.get(*i).map_or("", |v| v.wire_name.as_str()));
                }
            }
        }
        out
    }

    /// The URL with every variable at its default, encoded as the generated `Server::url` does.
    pub fn default_url(&self) -> String {
        let mut out = String::new();
        for part in &self.url {
            match part {
                UrlPart::Literal(text) => out.push_str(text),
                UrlPart::Variable(i) => {
                    percent_encode(&mut out, self.variables.get(*i).map_or("", |v| v.default.as_str()));
                }
            }
        }
        out
    }
}

/// Percent-encode `s` onto `out` as one path segment: everything but RFC 3986 unreserved
/// characters. The same rule as the runtime's `percent_encode`, which `Server::url` calls, so
/// `DEFAULT_BASE_URL` is what `Server::default().url()` gives.
fn percent_encode(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Server {
        Server {
            name: "Team".into(),
            url: vec![UrlPart::Literal("https://example.com/teams/".into()), UrlPart::Variable(0)],
            description: None,
            variables: vec![ServerVariable {
                wire_name: "teamId".into(),
                name: "team_id".into(),
                ty: TypeId(0),
                default: "a/b c".into(),
                description: None,
            }],
        }
    }

    #[test]
    fn templates_and_default_urls() {
        assert_eq!(team().template(), "https://example.com/teams/{teamId}");
        assert_eq!(team().default_url(), "https://example.com/teams/a%2Fb%20c");
    }
}
