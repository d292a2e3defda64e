//! Where in the documents a change of the generated crate comes from: the schema a type was
//! made from, the operation a method calls. The Rust analysis reads the crates, which know
//! nothing of the documents; the IRs of both sides do, so a change is traced through them.

use crate::ir::Api;
use crate::load::Documents;
use crate::wire::Origin;

use super::surface::{is_type, owner_type};
use super::{Change, Level, Location};

/// One side of the comparison: a document and what it lowered to.
pub(super) struct Side<'a> {
    pub docs: &'a Documents,
    pub api: &'a Api,
}

/// Give each Rust change the place in a document it comes from: the new document for what is
/// there now, the old one for what was removed.
pub(super) fn trace(changes: &mut [Change], old: &Side<'_>, new: &Side<'_>) {
    for c in changes.iter_mut().filter(|c| matches!(c.level, Level::Rust(_))) {
        let Some(Location::Item(path)) = &c.location else { continue };
        c.source = match new.origin(path) {
            Some(o) => Some(Location::New(o)),
            None => old.origin(path).map(Location::Old),
        };
    }
}

impl Side<'_> {
    /// Where the item at `path` (`types::JobRun`, `types::JobRun::new`,
    /// `impl From<A> for types::B`, `Client::get_job_runs_stream`) comes from in this document.
    fn origin(&self, path: &str) -> Option<Origin> {
        let path = path.trim_end_matches(" #[deprecated]");
        if let Some(ty) = if is_type(path) { Some(path) } else { owner_type(path) } {
            return self.type_origin(ty.trim_start_matches("types::"));
        }
        let method = path.strip_prefix("Client::")?;
        self.api
            .operations
            .iter()
            .find(|op| {
                method == op.name
                    || op.pagination.as_ref().is_some_and(|p| method == p.pages_method || method == p.stream_method)
            })
            .and_then(|op| self.operation(op))
    }

    /// A schema type's origin, or for a parameter or response type the operation it belongs to.
    fn type_origin(&self, name: &str) -> Option<Origin> {
        let entry = self.api.types.iter().map(|(_, e)| e).find(|e| e.name.as_deref() == Some(name));
        if let Some(origin) = entry.and_then(|e| e.origin.as_deref()) {
            return self.place(origin);
        }
        let op = self
            .api
            .operations
            .iter()
            .find(|op| op.params_struct.as_deref() == Some(name) || op.success_enum.as_deref() == Some(name))?;
        self.operation(op)
    }

    /// Where an operation is: `#/paths/~1jobs/get`.
    fn operation(&self, op: &crate::ir::Operation) -> Option<Origin> {
        self.place(&format!("#/paths/{}/{}", escape(&op.path), op.method.as_str().to_lowercase()))
    }

    /// `pointer` (as [`Documents::display_pointer`] writes it) with its line and column.
    fn place(&self, pointer: &str) -> Option<Origin> {
        let target = self.docs.resolve(self.docs.root(), pointer).ok()?;
        Some(Origin::of(self.docs, &crate::lower::Cursor::new(target.file, target.node, target.pointer)))
    }
}

/// A JSON pointer token: `~` and `/` escaped, as in `#/paths/~1jobs~1{id}`.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_change_of_the_crate_points_at_the_schema_behind_it() {
        let dir = std::env::temp_dir().join(format!("clientgen-diff-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let doc = |extra: &str| {
            format!(
                "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /jobs/{{id}}:\n    get:\n      \
                 operationId: getJob\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n\
                 {extra}      responses:\n        '200':\n          description: ok\n          content:\n            \
                 application/json:\n              schema: {{$ref: '#/components/schemas/Job'}}\n\
                 components:\n  schemas:\n    Job:\n      type: object\n      required: [id]\n      properties:\n        \
                 id: {{type: string}}\n"
            )
        };
        let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
        std::fs::write(&old, doc("")).unwrap();
        std::fs::write(&new, doc("        - {name: verbose, in: query, required: true, schema: {type: boolean}}\n"))
            .unwrap();
        let gone = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Job:\n      \
                    type: object\n      required: [id]\n      properties:\n        id: {type: string}\n";
        std::fs::write(dir.join("gone.yaml"), gone).unwrap();
        let at = |a: &Path, b: &Path| -> Vec<(String, String)> {
            let report = super::super::diff(a, b, "t").expect("compares");
            report
                .changes
                .iter()
                .filter(|c| c.level.scope() == "rust")
                .map(|c| {
                    (
                        c.location.as_ref().unwrap().to_string(),
                        c.source.as_ref().map(ToString::to_string).unwrap_or_default(),
                    )
                })
                .collect()
        };
        let added = at(&old, &new);
        let job = added.iter().find(|(item, _)| item == "Client::get_job").expect("the method changed");
        assert!(job.1.ends_with("new.yaml:6:7 (#/paths/~1jobs~1{id}/get)"), "{added:?}");
        let params = added.iter().find(|(item, _)| item == "types::GetJobParams").expect("a params type");
        assert!(params.1.contains("new.yaml:6:7"), "{added:?}");
        // What was removed is found in the old document.
        let removed = at(&old, &dir.join("gone.yaml"));
        let gone = removed.iter().find(|(item, _)| item == "Client::get_job").expect("removed");
        assert!(gone.1.ends_with("old.yaml:6:7 (#/paths/~1jobs~1{id}/get) [old]"), "{removed:?}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
