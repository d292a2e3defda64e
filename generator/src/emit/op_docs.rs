//! The doc comment of an operation method: what it does, what each argument is, and which
//! statuses the API documents as errors. What every method shares (connection failures,
//! timeouts, undecodable bodies) is said once, on the crate's `Error`.

use proc_macro2::TokenStream;

use super::docs;
use super::tokens::Ctx;
use crate::ir::{Docs, MediaKind, Operation, StatusMatch, TypeId};

/// The doc attributes of `op`'s method; `path_in_struct` when its path parameters travel in
/// its params struct rather than as arguments.
pub(super) fn method_docs(ctx: &Ctx<'_>, op: &Operation, path_in_struct: bool) -> TokenStream {
    let mut extra = vec![format!("`{} {}`", op.method.as_str(), op.path.replace('`', "'"))];
    let arguments = arguments(ctx, op, path_in_struct);
    if !arguments.is_empty() {
        extra.push(format!("# Arguments\n\n{}", arguments.join("\n")));
    }
    extra.push(errors(ctx, op));
    docs::attrs(&op.docs, &extra)
}

/// One list item per argument: path parameters, the params struct, the body.
fn arguments(ctx: &Ctx<'_>, op: &Operation, path_in_struct: bool) -> Vec<String> {
    let mut items = Vec::new();
    if !path_in_struct {
        for (_, p) in op.path_params() {
            let what = first_sentence(&p.docs).unwrap_or_else(|| format!("the `{}` path parameter", p.wire_name));
            items.push(format!("- `{}`: {what}", p.name));
        }
    }
    if let Some(ps) = &op.params_struct {
        let what =
            if path_in_struct { "the path, query and header parameters" } else { "the query and header parameters" };
        items.push(format!("- `params`: {what}, [`{ps}`](crate::types::{ps})"));
    }
    if let Some(b) = &op.body {
        let ty = match b.media {
            MediaKind::Binary => "the bytes to send".to_owned(),
            MediaKind::Text => "the text to send".to_owned(),
            _ => type_link(ctx, b.ty).unwrap_or_else(|| "the body".to_owned()),
        };
        let what = first_sentence(&b.docs).or_else(|| first_sentence(&ctx.api.types.get(b.ty).docs));
        let mut item = format!("- `body`: {ty}, sent as `{}`", b.content_type.replace('`', "'"));
        if let Some(what) = what {
            item.push_str(&format!(": {what}"));
        }
        if !b.required {
            item.push_str(" (`None` sends no body)");
        }
        items.push(item);
    }
    items
}

/// The documented error statuses, grouped where they share a description and body type.
fn errors(ctx: &Ctx<'_>, op: &Operation) -> String {
    let mut groups: Vec<(Vec<String>, Option<String>, String)> = Vec::new();
    for r in op.error_responses() {
        let status = match r.status {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(x) => format!("{x}XX"),
            StatusMatch::Default => "any other status".into(),
        };
        let body = r.body.as_ref().filter(|b| b.media == MediaKind::Json).and_then(|b| type_link(ctx, b.ty));
        let description = first_sentence(&r.docs).unwrap_or_default();
        match groups.iter_mut().find(|(_, b, d)| *b == body && *d == description) {
            Some((statuses, _, _)) => statuses.push(status),
            None => groups.push((vec![status], body, description)),
        }
    }
    let mut out = String::from("# Errors\n\n");
    let covers_all = op.error_responses().any(|r| r.status == StatusMatch::Default);
    if groups.is_empty() {
        out.push_str("[`Error::Api`](crate::Error::Api) for a status that is not a success");
    } else {
        out.push_str("[`Error::Api`](crate::Error::Api) for the statuses the API documents:\n\n");
        for (statuses, body, description) in &groups {
            let statuses = match statuses.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => statuses.join(""),
            };
            let mut line = format!("- {statuses}");
            if !description.is_empty() {
                line.push_str(&format!(": {description}"));
            }
            if let Some(body) = body {
                line.push_str(&format!(" ([`ApiError::payload`](crate::ApiError::payload) decodes into {body})"));
            }
            out.push_str(&line);
            out.push('\n');
        }
        if !covers_all {
            out.push_str("- any other status that is not a success\n");
        }
        out.push('\n');
    }
    out.push_str(if groups.is_empty() { "; the" } else { "The" });
    out.push_str(" other failures are those of every call (see [`Error`](crate::Error)).");
    out
}

/// A link to a named type of the `types` module.
fn type_link(ctx: &Ctx<'_>, ty: TypeId) -> Option<String> {
    let entry = ctx.api.types.get(ty);
    let name = entry.name.as_deref().filter(|_| entry.kind.is_named_kind())?;
    Some(format!("[`{name}`](crate::types::{name})"))
}

/// The first sentence of a description (or of a title), made safe for rustdoc: enough to say
/// what an argument or a status is in one list item.
fn first_sentence(d: &Docs) -> Option<String> {
    let text = d.description.as_deref().or(d.title.as_deref())?;
    let paragraph: Vec<&str> =
        text.lines().map(str::trim).skip_while(|l| l.is_empty()).take_while(|l| !l.is_empty()).collect();
    let paragraph = paragraph.join(" ");
    let sentence = match paragraph.find(". ") {
        Some(i) => &paragraph[..=i],
        None => paragraph.as_str(),
    };
    let safe = docs::sanitize(sentence).lines().map(str::trim).collect::<Vec<_>>().join(" ");
    Some(safe.trim_end_matches('.').to_owned()).filter(|s| !s.is_empty())
}
