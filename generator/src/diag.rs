//! Diagnostics: located errors and warnings about the input document, rendered like rustc's.
//!
//! A [`Diagnostic`] is self-contained: it carries the file name, line, column and a short
//! excerpt of the source, so it can be rendered long after the loaded documents are gone.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span covering `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span { start: clamp(start), end: clamp(end.max(start)) }
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation cannot succeed.
    Error,
    /// Generation succeeds, but something was degraded or ignored.
    Warning,
}

/// Where in the input a diagnostic points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (or as a `$ref` named it).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Up to a few lines of source around the span, for the excerpt.
    pub excerpt: Option<Excerpt>,
}

impl fmt::Display for Location {
    /// `path:line:col`, as compilers write a place.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// Source lines around a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// Line number of the first line of `text`.
    pub first_line: u32,
    /// The lines themselves.
    pub text: String,
    /// The span, as a byte range within `text`.
    pub range: Range<usize>,
}

/// One error or warning about the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, if the problem is tied to a place in a file.
    pub location: Option<Location>,
    /// The JSON pointer of the offending node, e.g. `#/components/schemas/Job/properties/name`.
    pub pointer: Option<String>,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error with no location.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A new warning with no location.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic { severity, message: message.into(), location: None, pointer: None, help: None }
    }

    /// Attach a location.
    pub fn with_location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attach a JSON pointer.
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Attach a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Render in rustc's style, optionally with ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        if let Some(loc) = &self.location {
            let label = self.pointer.as_deref().unwrap_or("");
            match &loc.excerpt {
                Some(ex) => {
                    let snippet = Snippet::source(ex.text.as_str())
                        .line_start(ex.first_line as usize)
                        .path(loc.path.as_str())
                        .annotation(AnnotationKind::Primary.span(ex.range.clone()).label(label));
                    group = group.element(snippet);
                }
                None => {
                    group = group.element(
                        annotate_snippets::Origin::path(loc.path.as_str())
                            .line(loc.line as usize)
                            // Shown as given: annotate-snippets' origin column is 1-based.
                            .char_column(loc.column as usize),
                    );
                }
            }
        }
        let mut report: Vec<Group<'_>> = vec![group];
        let pointer_note;
        if self.location.is_none() {
            if let Some(p) = &self.pointer {
                pointer_note = format!("at {p}");
                report.push(Group::with_title(Level::NOTE.secondary_title(pointer_note.as_str())));
            }
        }
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let rendered = renderer.render(&report).to_string();
        match &self.location {
            Some(loc @ Location { excerpt: Some(ex), .. }) => fix_origin_column(rendered, loc, ex),
            _ => rendered,
        }
    }
}

/// annotate-snippets derives the `--> path:line:col` column from the excerpt, which for a long
/// line starts mid-line (the excerpt is a window); put the file's column back.
fn fix_origin_column(rendered: String, loc: &Location, ex: &Excerpt) -> String {
    let derived = ex.text.get(..ex.range.start).map_or(0, |t| t.chars().count()) + 1;
    if derived == loc.column as usize {
        return rendered;
    }
    let wrong = format!("{}:{}:{derived}", loc.path, loc.line);
    let right = loc.to_string();
    rendered.replacen(&wrong, &right, 1)
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: error: message (at pointer)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}:{}:{}: ", loc.path, loc.line, loc.column)?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}", self.message)?;
        if let Some(p) = &self.pointer {
            write!(f, " (at {p})")?;
        }
        Ok(())
    }
}

/// A list of diagnostics, errors first once [`Diagnostics::sort`] is called.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Add all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Iterate over them.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Errors first, then by file and position, so output is stable.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| (d.severity, d.location.as_ref().map(|l| (l.path.clone(), l.line, l.column)));
            key(a).cmp(&key(b))
        });
        self.items.dedup();
    }

    /// Render all, separated by blank lines.
    pub fn render(&self, color: bool) -> String {
        self.render_first(usize::MAX, color)
    }

    /// Render the first `max`, then a note of how many were left out: a broken document can
    /// have thousands, and the first ones are the ones to fix.
    pub fn render_first(&self, max: usize, color: bool) -> String {
        let mut out = String::new();
        for d in self.items.iter().take(max) {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        let rest = &self.items[max.min(self.items.len())..];
        if !rest.is_empty() {
            let errors = rest.iter().filter(|d| d.is_error()).count();
            let warnings = rest.len() - errors;
            let note = format!("{errors} more error(s) and {warnings} more warning(s) not shown");
            let renderer = if color { Renderer::styled() } else { Renderer::plain() };
            out.push_str(&renderer.render(&[Group::with_title(Level::NOTE.primary_title(note.as_str()))]).to_string());
            out.push_str("\n\n");
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    #[test]
    fn renders_like_rustc_with_the_files_column_even_for_a_window_of_a_long_line() {
        let text = format!("{{{}\"bad\": 1}}", "\"k\": 1, ".repeat(100));
        let source = SourceFile::new("min.json".into(), text.clone());
        let at = text.find("\"bad\"").unwrap();
        let d = Diagnostic::error("something is wrong")
            .with_location(source.location(Span::new(at, at + 5)))
            .with_pointer("#/bad")
            .with_help("fix it");
        let out = d.render(false);
        assert!(out.starts_with("error: something is wrong\n"), "{out}");
        assert!(out.contains(&format!("--> min.json:1:{}\n", at + 1)), "{out}");
        assert!(out.contains("^^^^^ #/bad"), "{out}");
        assert!(out.contains("help: fix it"), "{out}");
        assert_eq!(d.to_string(), format!("min.json:1:{}: error: something is wrong (at #/bad)", at + 1));
    }

    #[test]
    fn render_first_counts_what_it_leaves_out() {
        let mut all = Diagnostics::new();
        for i in 0..5 {
            all.push(Diagnostic::error(format!("e{i}")).with_pointer("#/x"));
        }
        all.push(Diagnostic::warning("w").with_pointer("#/y"));
        let out = all.render_first(2, false);
        assert!(out.contains("error: e1") && !out.contains("error: e2"), "{out}");
        assert!(out.contains("note: 3 more error(s) and 1 more warning(s) not shown"), "{out}");
        assert!(!all.render(false).contains("not shown"));
    }
}
