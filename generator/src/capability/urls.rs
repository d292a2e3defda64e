//! Matching a capability's URLs (`baseUri` + resource path) against the document's servers
//! and operation paths, both templates: a server variable stands for text of the capability's
//! URL, an operation's path parameter for one of the capability's path parameters.

use crate::ir::{Server, UrlPart};

/// A piece of a capability URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// One character of literal text.
    Char(char),
    /// A path parameter, `{name}` (or `{{name}}`).
    Param(String),
}

/// Split a capability URL into characters and `{param}`s (`{{param}}` too, as Naftiko writes
/// them).
pub fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '{' {
            let double = rest.starts_with("{{");
            let (open, close) = if double { ("{{", "}}") } else { ("{", "}") };
            if let Some(end) = rest[open.len()..].find(close) {
                let name = rest[open.len()..open.len() + end].trim();
                if !name.is_empty() && !name.contains(['{', '}', '/']) {
                    out.push(Tok::Param(name.to_string()));
                    rest = &rest[open.len() + end + close.len()..];
                    continue;
                }
            }
        }
        out.push(Tok::Char(c));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The path parameters of a capability URL, in order.
pub fn params(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Param(p) => Some(p),
            Tok::Char(_) => None,
        })
        .collect()
}

/// A capability URL written back with single braces: `/projects/{projectId}/jobs`.
pub fn normalized(text: &str) -> String {
    tokens(text)
        .into_iter()
        .map(|t| match t {
            Tok::Char(c) => c.to_string(),
            Tok::Param(p) => format!("{{{p}}}"),
        })
        .collect()
}

/// A piece of a pattern: a server URL followed by an operation path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pat {
    /// Literal text.
    Char(char),
    /// A server variable (index into the server's variables): one or more characters, no `/`.
    Var(usize),
    /// An operation path parameter (index into its `{}`s in order).
    Param(usize),
    /// Where the server's URL ends and the operation's path begins.
    Split,
}

/// What matched: the server variables' values, the capability's parameter name for each of
/// the operation's path parameters, and where in the capability URL the operation path starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Match {
    /// `(variable index, value)` for each server variable.
    pub variables: Vec<(usize, String)>,
    /// The capability's name for each path parameter of the operation, in template order.
    pub params: Vec<String>,
    /// Characters of the capability URL before the operation's path: the client's base URL.
    pub base: String,
}

fn server_pattern(server: &Server) -> Vec<Pat> {
    let mut out = Vec::new();
    for part in &server.url {
        match part {
            UrlPart::Literal(text) => out.extend(text.chars().map(Pat::Char)),
            UrlPart::Variable(i) => out.push(Pat::Var(*i)),
        }
    }
    out.push(Pat::Split);
    out
}

/// An operation path template as a pattern (its parameters numbered in order).
fn path_pattern(path: &str) -> Vec<Pat> {
    let mut out = Vec::new();
    let mut n = 0;
    for tok in tokens(path) {
        match tok {
            Tok::Char(c) => out.push(Pat::Char(c)),
            Tok::Param(_) => {
                out.push(Pat::Param(n));
                n += 1;
            }
        }
    }
    out
}

/// Match `text` (the capability URL) against `server` followed by `path` (an operation's
/// template). With `path` `None`, the server need only match a prefix of `text` that ends at a
/// `/` (or the end): where the server's path stops and the capability's own begins.
pub fn match_url(server: &Server, path: Option<&str>, text: &[Tok]) -> Option<Match> {
    let mut pattern = server_pattern(server);
    let prefix_only = path.is_none();
    if let Some(p) = path {
        pattern.extend(path_pattern(p));
    }
    let mut state = Match::default();
    let mut split = None;
    if step(&pattern, text, prefix_only, &mut state, &mut split) {
        state.base = text[..split.unwrap_or(0)]
            .iter()
            .map(|t| match t {
                Tok::Char(c) => c.to_string(),
                Tok::Param(p) => format!("{{{p}}}"),
            })
            .collect();
        Some(state)
    } else {
        None
    }
}

/// Backtracking match of `pattern` against `text`. Patterns are short (a URL), and each
/// variable is bounded by the next `/`, so the search stays small.
fn step(pattern: &[Pat], text: &[Tok], prefix_only: bool, state: &mut Match, split: &mut Option<usize>) -> bool {
    fn go(
        pattern: &[Pat],
        pi: usize,
        text: &[Tok],
        ti: usize,
        prefix_only: bool,
        state: &mut Match,
        split: &mut Option<usize>,
    ) -> bool {
        let Some(pat) = pattern.get(pi) else {
            return ti == text.len() || (prefix_only && text.get(ti) == Some(&Tok::Char('/')));
        };
        match pat {
            Pat::Split => {
                *split = Some(ti);
                go(pattern, pi + 1, text, ti, prefix_only, state, split)
            }
            Pat::Char(c) => {
                text.get(ti) == Some(&Tok::Char(*c)) && go(pattern, pi + 1, text, ti + 1, prefix_only, state, split)
            }
            Pat::Param(_) => match text.get(ti) {
                Some(Tok::Param(name)) => {
                    state.params.push(name.clone());
                    if go(pattern, pi + 1, text, ti + 1, prefix_only, state, split) {
                        return true;
                    }
                    state.params.pop();
                    false
                }
                _ => false,
            },
            Pat::Var(v) => {
                // One or more literal characters, never a `/` or a parameter.
                let mut end = ti;
                let mut value = String::new();
                while let Some(Tok::Char(c)) = text.get(end) {
                    if *c == '/' {
                        break;
                    }
                    value.push(*c);
                    end += 1;
                    state.variables.push((*v, value.clone()));
                    if go(pattern, pi + 1, text, end, prefix_only, state, split) {
                        return true;
                    }
                    state.variables.pop();
                }
                false
            }
        }
    }
    go(pattern, 0, text, 0, prefix_only, state, split)
}

/// Levenshtein distance between two strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb { previous } else { 1 + previous.min(row[j]).min(row[j + 1]) };
            previous = current;
        }
    }
    row[b.len()]
}

/// The candidate closest to `wanted` when it is close enough to be a likely typo: a
/// case-insensitive match first, else the nearest within a third of the length (at least 2).
pub fn nearest<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(wanted)) {
        return Some(same);
    }
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(&wanted.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ServerVariable, TypeId};

    fn server(parts: Vec<UrlPart>, vars: &[&str]) -> Server {
        Server {
            name: "S".into(),
            url: parts,
            description: None,
            variables: vars
                .iter()
                .map(|v| ServerVariable {
                    wire_name: v.to_string(),
                    name: v.to_string(),
                    ty: TypeId(0),
                    default: String::new(),
                    description: None,
                })
                .collect(),
        }
    }

    #[test]
    fn tokens_read_single_and_double_braces() {
        assert_eq!(params("/ships/{{imo}}/crew/{id}"), ["imo", "id"]);
        assert_eq!(normalized("/ships/{{imo}}"), "/ships/{imo}");
        assert_eq!(params("/odd/{/x"), Vec::<String>::new());
    }

    #[test]
    fn a_url_matches_server_and_path_with_variables_and_renamed_params() {
        let account = server(vec![UrlPart::Literal("https://api.example.com/v1".into())], &[]);
        let text = tokens("https://api.example.com/v1/projects/{projectid}/jobs");
        let m = match_url(&account, Some("/projects/{projectId}/jobs"), &text).unwrap();
        assert_eq!(m.params, ["projectid"]);
        assert_eq!(m.base, "https://api.example.com/v1");
        assert!(match_url(&account, Some("/projects/{projectId}/jobs/{jobId}"), &text).is_none());

        let team = server(
            vec![UrlPart::Literal("https://api.example.com/v1/teams/".into()), UrlPart::Variable(0)],
            &["teamId"],
        );
        let text = tokens("https://api.example.com/v1/teams/acme/projects/{p}");
        let m = match_url(&team, Some("/projects/{projectId}"), &text).unwrap();
        assert_eq!(m.variables, [(0, "acme".to_string())]);
        assert_eq!(m.base, "https://api.example.com/v1/teams/acme");
        // The account server is a prefix of the team URL too, but its path then goes on.
        assert!(match_url(&account, Some("/projects/{projectId}"), &text).is_none());
        assert!(match_url(&account, None, &text).is_some());
        assert!(match_url(&team, None, &tokens("https://api.example.com/v1/projects")).is_none());
    }

    #[test]
    fn nearest_prefers_case_then_small_edits() {
        assert_eq!(nearest("jobId", ["projectid", "jobid"]), Some("jobid"));
        assert_eq!(nearest("runjbo", ["runjob", "listjobs"]), Some("runjob"));
        assert_eq!(nearest("x", ["something"]), None);
        assert_eq!(distance("/a/{}/run", "/a/{}/runs"), 1);
    }
}
