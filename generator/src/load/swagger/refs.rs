//! `$ref`s: rewritten to where the conversion moves what they name, and their targets noted to
//! be converted as what the reference needs.

use super::build::{Obj, Place, string};
use super::params::{Kind, body_types, response_types};
use super::{Converter, Role};
use crate::load::node::escape_pointer_token;
use crate::load::{FileId, Node, percent_decode, split_ref};

/// Longest chain of `$ref`s followed to see what a parameter or response is.
const MAX_CHAIN: usize = 64;

impl<'d> Converter<'d> {
    /// An object with a `$ref` (at `at`), its reference rewritten and its target noted as `role`;
    /// members beside the `$ref` are kept.
    pub(super) fn ref_object(&mut self, at: &Place<'d>, role: Role) -> Node {
        let mut out = Obj::new(at.span());
        for (key, key_span, child) in at.members() {
            let node = if key == "$ref" { self.reference(&child, role) } else { child.node.clone() };
            out.put(key, key_span, node);
        }
        out.node()
    }

    /// The `$ref` string at `at`, rewritten; its target is noted to be converted as `role`.
    pub(super) fn reference(&mut self, at: &Place<'d>, role: Role) -> Node {
        let node = self.rewritten(at, role);
        if let Some(text) = node.as_str() {
            self.written.push((at.file, at.span(), text.to_string()));
        }
        node
    }

    fn rewritten(&mut self, at: &Place<'d>, role: Role) -> Node {
        let Some(text) = at.node.as_str() else { return at.node.clone() };
        // Remote references are left for lowering, which says it does not fetch them.
        let Ok(target) = self.docs.resolve(at.file, text) else { return at.node.clone() };
        self.targets.push((target.file, target.pointer.clone(), role));
        if !self.containers.contains(&target.file) {
            return at.node.clone();
        }
        let (file_part, fragment) = split_ref(text);
        match self.rewrite_fragment(target.file, fragment) {
            Ok(Some(new)) => string(at.span(), format!("{file_part}#{new}")),
            Ok(None) => at.node.clone(),
            Err(message) => {
                self.error(at, message);
                at.node.clone()
            }
        }
    }

    /// Follow `$ref`s from `at` to a node that is not one; `None` when one is remote or does
    /// not resolve (loading reported it) or the chain does not end.
    pub(super) fn resolve_chain(&self, at: &Place<'d>) -> Option<Place<'d>> {
        let mut current = at.clone();
        for _ in 0..MAX_CHAIN {
            let Some(text) = current.str("$ref") else { return Some(current) };
            let t = self.docs.resolve(current.file, text).ok()?;
            current = Place { file: t.file, node: t.node, pointer: t.pointer };
        }
        None
    }

    /// Where `fragment` (a JSON pointer into the container file `file`, as written) points
    /// after conversion; `None` when it does not move.
    fn rewrite_fragment(&mut self, file: FileId, fragment: &str) -> Result<Option<String>, String> {
        let Some(tail) = fragment.strip_prefix('/') else { return Ok(None) };
        let tokens: Vec<&str> = tail.split('/').collect();
        let join = |head: &[&str], rest: &[&str]| {
            let all: Vec<&str> = head.iter().chain(rest).copied().collect();
            Some(format!("/{}", all.join("/")))
        };
        let decoded = |token: &str| percent_decode(token).replace("~1", "/").replace("~0", "~");
        let media = self.media_of(file);
        Ok(match tokens.as_slice() {
            ["definitions", rest @ ..] if !rest.is_empty() => join(&["components", "schemas"], rest),
            ["securityDefinitions", rest @ ..] if !rest.is_empty() => join(&["components", "securitySchemes"], rest),
            ["responses", name, "schema", rest @ ..] => {
                let at = self.place(file, &format!("/responses/{}", escape_pointer_token(&decoded(name))));
                let ct = first_type(&response_types(at.child("schema").as_ref(), &media.produces));
                join(&["components", "responses", name, "content", &ct, "schema"], rest)
            }
            ["responses", rest @ ..] if !rest.is_empty() => join(&["components", "responses"], rest),
            ["parameters", name, rest @ ..] => {
                let at = self.place(file, &format!("/parameters/{}", escape_pointer_token(&decoded(name))));
                match (self.kind(&at), rest) {
                    (Kind::Body, ["schema", rest @ ..]) => {
                        let ct = first_type(&body_types(&media.consumes));
                        join(&["components", "requestBodies", name, "content", &ct, "schema"], rest)
                    }
                    (Kind::Body, _) => join(&["components", "requestBodies", name], rest),
                    (Kind::Form, _) => {
                        return Err(format!(
                            "`$ref` to the formData parameter `{}`: it is converted into the request body of \
                             each operation using it, and cannot be referred to elsewhere",
                            decoded(name)
                        ));
                    }
                    (Kind::Other, _) => join(&["components", "parameters", name], rest),
                }
            }
            ["paths", path, method, "responses", code, "schema", rest @ ..] => {
                let op = self.place(file, &format!("/paths/{}/{}", escape_pointer_token(&decoded(path)), method));
                let media = self.read_media(&op, &media);
                let response = op.child("responses").and_then(|r| r.child(&decoded(code)));
                let ct =
                    first_type(&response_types(response.and_then(|r| r.child("schema")).as_ref(), &media.produces));
                join(&["paths", path, method, "responses", code, "content", &ct, "schema"], rest)
            }
            ["paths", path, "parameters", index, rest @ ..] => {
                self.parameter_index(file, &["paths", path], index, rest)?
            }
            ["paths", path, method, "parameters", index, rest @ ..] => {
                self.parameter_index(file, &["paths", path, method], index, rest)?
            }
            _ => None,
        })
    }
}

impl<'d> Converter<'d> {
    /// `#/paths/.../parameters/{index}` after body and formData parameters leave the list.
    fn parameter_index(
        &mut self,
        file: FileId,
        head: &[&str],
        index: &str,
        rest: &[&str],
    ) -> Result<Option<String>, String> {
        let list = self.place(file, &format!("/{}/parameters", head.join("/")));
        let Ok(i) = index.parse::<usize>() else { return Ok(None) };
        let items = list.items();
        if items.get(i).is_some_and(|p| self.kind(p) != Kind::Other) {
            return Err("`$ref` to a body or formData parameter of an operation: it becomes the request body, \
                        and cannot be referred to elsewhere"
                .into());
        }
        let kept = items.iter().take(i).filter(|p| self.kind(p) == Kind::Other).count();
        let all: Vec<String> = head
            .iter()
            .map(|t| t.to_string())
            .chain(["parameters".into(), kept.to_string()])
            .chain(rest.iter().map(|t| t.to_string()))
            .collect();
        Ok(Some(format!("/{}", all.join("/"))))
    }
}

/// The first media type of a list, escaped as a pointer token.
fn first_type(types: &[String]) -> String {
    escape_pointer_token(types.first().map_or("application/json", String::as_str))
}
