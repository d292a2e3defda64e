//! Cursor pagination: detected from the shape of an operation, or declared with
//! `x-pagination: {cursorParam, nextCursor, hasMore?, items}` (dotted wire-name paths).
//!
//! Shape: a string query parameter that carries a cursor, and a success body with a string
//! field holding the next cursor (optionally beside a "has more" boolean) and one array of items.

use super::{Cursor, Lowerer};
use crate::ir::{FieldStep, Operation, Pagination, ParamLocation, Scalar, TypeId, TypeKind};

/// Query parameter names that carry a cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "starting_after",
    "continuation_token",
    "continuationToken",
    "after",
];

/// Response fields that carry the next cursor.
const NEXT_FIELDS: &[&str] = &[
    "cursor",
    "next_cursor",
    "nextCursor",
    "next_page",
    "nextPage",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "after",
];

/// Boolean fields that say whether another page exists.
const MORE_FIELDS: &[&str] = &["hasNextPage", "has_next_page", "has_more", "hasMore", "more"];

/// A field path found in a struct tree.
type Path = Vec<FieldStep>;

impl<'a> Lowerer<'a> {
    pub(super) fn pagination(&mut self, op: &Cursor<'a>, operation: &Operation) -> Option<Pagination> {
        let success = operation.success_bodies().filter_map(|r| r.body.as_ref()).map(|b| b.ty).next();
        if let Some(declared) = op.child("x-pagination") {
            let bodiless = operation.body.as_ref().is_none_or(|b| !b.required);
            let found =
                success.filter(|_| bodiless).and_then(|body| self.declared_pagination(&declared, operation, body));
            if found.is_none() {
                self.error(
                    &declared,
                    "`x-pagination` does not match the operation: it needs `cursorParam` (a query parameter), and \
                     `nextCursor` and `items` as dotted paths to a string and an array in the success body",
                );
            }
            return found;
        }
        // Following pages are fetched without a body, so a required one rules paging out.
        if operation.body.as_ref().is_some_and(|b| b.required) {
            return None;
        }
        let body = success?;
        let cursor_param = operation.params.iter().position(|p| {
            p.location == ParamLocation::Query && CURSOR_PARAMS.contains(&p.wire_name.as_str()) && self.is_string(p.ty)
        })?;
        let (next_cursor, has_more) = self.find_cursor_field(body, 0)?;
        let cursor_parent = next_cursor.len() - 1;
        let items = self.find_items(body, &next_cursor[..cursor_parent], 0)?;
        let item = self.array_item(items.last().map(|s| self.field_ty(s))?)?;
        Some(unnamed(cursor_param, next_cursor, has_more, items, item))
    }

    fn declared_pagination(&self, declared: &Cursor<'a>, operation: &Operation, body: TypeId) -> Option<Pagination> {
        let cursor_name = declared.str("cursorParam")?;
        let cursor_param = operation
            .params
            .iter()
            .position(|p| p.location == ParamLocation::Query && p.wire_name == cursor_name && self.is_string(p.ty))?;
        let next_cursor = self.path_to(body, declared.str("nextCursor")?)?;
        if !self.is_string(self.field_ty(next_cursor.last()?)) {
            return None;
        }
        let has_more = match declared.str("hasMore") {
            Some(p) => {
                let path = self.path_to(body, p)?;
                let ty = self.field_ty(path.last()?);
                (self.types.kind(ty) == &TypeKind::Scalar(Scalar::Bool)).then_some(path)
            }
            None => None,
        };
        let items = self.path_to(body, declared.str("items")?)?;
        let item = self.array_item(self.field_ty(items.last()?))?;
        Some(unnamed(cursor_param, next_cursor, has_more, items, item))
    }

    /// Follow a dotted path of wire names through structs.
    fn path_to(&self, mut ty: TypeId, dotted: &str) -> Option<Path> {
        let mut path = Vec::new();
        for name in dotted.split('.') {
            let struct_ty = self.types.resolve(self.strip_null(ty));
            let TypeKind::Struct(s) = &self.types.get(struct_ty).kind else { return None };
            let field = s.fields.iter().position(|f| f.wire_name == name)?;
            ty = s.fields[field].ty;
            path.push(FieldStep { ty: struct_ty, field });
        }
        Some(path)
    }

    fn field_ty(&self, step: &FieldStep) -> TypeId {
        match &self.types.get(step.ty).kind {
            TypeKind::Struct(s) => s.fields[step.field].ty,
            _ => step.ty,
        }
    }

    fn strip_null(&self, ty: TypeId) -> TypeId {
        match self.types.kind(ty) {
            TypeKind::Nullable(inner) => *inner,
            _ => ty,
        }
    }

    /// A plain string (cursors are opaque, so constrained ones are not followed).
    fn is_string(&self, ty: TypeId) -> bool {
        matches!(self.types.kind(self.strip_null(ty)), TypeKind::Scalar(Scalar::String))
    }

    fn array_item(&self, ty: TypeId) -> Option<TypeId> {
        match self.types.kind(self.strip_null(ty)) {
            TypeKind::Array(item) => Some(*item),
            _ => None,
        }
    }

    /// The next-cursor field (depth ≤ 2) and a "has more" boolean beside it.
    fn find_cursor_field(&self, ty: TypeId, depth: usize) -> Option<(Path, Option<Path>)> {
        let struct_ty = self.types.resolve(self.strip_null(ty));
        let TypeKind::Struct(s) = &self.types.get(struct_ty).kind else { return None };
        if let Some(i) =
            s.fields.iter().position(|f| NEXT_FIELDS.contains(&f.wire_name.as_str()) && self.is_string(f.ty))
        {
            let more = s.fields.iter().position(|f| {
                MORE_FIELDS.contains(&f.wire_name.as_str()) && self.types.kind(f.ty) == &TypeKind::Scalar(Scalar::Bool)
            });
            return Some((
                vec![FieldStep { ty: struct_ty, field: i }],
                more.map(|m| vec![FieldStep { ty: struct_ty, field: m }]),
            ));
        }
        if depth >= 1 {
            return None;
        }
        s.fields.iter().enumerate().find_map(|(i, f)| {
            let (mut cursor, more) = self.find_cursor_field(f.ty, depth + 1)?;
            cursor.insert(0, FieldStep { ty: struct_ty, field: i });
            let more = more.map(|mut m| {
                m.insert(0, FieldStep { ty: struct_ty, field: i });
                m
            });
            Some((cursor, more))
        })
    }

    /// The one array of items (depth ≤ 2, shallowest first), not inside the struct that holds
    /// the cursor.
    fn find_items(&self, ty: TypeId, cursor_parent: &[FieldStep], depth: usize) -> Option<Path> {
        let struct_ty = self.types.resolve(self.strip_null(ty));
        let TypeKind::Struct(s) = &self.types.get(struct_ty).kind else { return None };
        let fields: Vec<(FieldStep, TypeId)> = s
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (FieldStep { ty: struct_ty, field: i }, f.ty))
            // Skip the block that holds the cursor.
            .filter(|(step, _)| !(cursor_parent.len() == 1 && cursor_parent[0] == *step))
            .collect();
        let direct: Vec<Path> =
            fields.iter().filter(|(_, t)| self.array_item(*t).is_some()).map(|(step, _)| vec![step.clone()]).collect();
        if !direct.is_empty() || depth > 0 {
            // Several arrays at one level: cannot tell which holds the items.
            return (direct.len() == 1).then(|| direct.into_iter().next()).flatten();
        }
        let nested: Vec<Path> = fields
            .into_iter()
            .filter_map(|(step, t)| {
                let mut inner = self.find_items(t, &[], depth + 1)?;
                inner.insert(0, step);
                Some(inner)
            })
            .collect();
        (nested.len() == 1).then(|| nested.into_iter().next()).flatten()
    }
}

/// A pagination whose methods are named once every operation has its name (see `lower_paths`).
fn unnamed(cursor_param: usize, next_cursor: Path, has_more: Option<Path>, items: Path, item: TypeId) -> Pagination {
    let (pages_method, stream_method) = (String::new(), String::new());
    Pagination { cursor_param, next_cursor, has_more, items, item, pages_method, stream_method }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind};
    use crate::load::Documents;

    /// One GET `/items` operation with `params` (YAML list items) and a 200 body `body`.
    fn api(params: &str, body: &str, extension: &str) -> Result<Api, String> {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /items:\n    get:\n      operationId: listItems\n{extension}      parameters:\n{params}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n{body}"
        );
        let (docs, _) = Documents::from_text("t.yaml", &text).map_err(|d| d.to_string())?;
        super::super::lower(&docs).map(|(api, _)| api).map_err(|d| d.to_string())
    }

    fn names(api: &Api, path: &[crate::ir::FieldStep]) -> Vec<String> {
        path.iter()
            .map(|s| match &api.types.get(s.ty).kind {
                TypeKind::Struct(st) => st.fields[s.field].wire_name.clone(),
                _ => String::new(),
            })
            .collect()
    }

    const CURSOR: &str = "        - {name: cursor, in: query, schema: {type: string}}\n";
    const NORTHFLANK: &str = "                type: object\n                required: [data, pagination]\n                properties:\n                  data: {type: object, properties: {runs: {type: array, items: {type: string}}}}\n                  pagination: {type: object, required: [hasNextPage], properties: {hasNextPage: {type: boolean}, cursor: {type: string}, count: {type: integer}}}\n";

    #[test]
    fn detected_by_shape_not_by_name() {
        let api = api(CURSOR, NORTHFLANK, "").unwrap();
        let p = api.operations[0].pagination.as_ref().expect("detected");
        assert_eq!(names(&api, &p.next_cursor), ["pagination", "cursor"]);
        assert_eq!(names(&api, p.has_more.as_ref().unwrap()), ["pagination", "hasNextPage"]);
        assert_eq!(names(&api, &p.items), ["data", "runs"]);
    }

    #[test]
    fn no_cursor_parameter_means_no_pagination() {
        let api = api("        - {name: page, in: query, schema: {type: integer}}\n", NORTHFLANK, "").unwrap();
        assert!(api.operations[0].pagination.is_none());
    }

    #[test]
    fn declared_with_other_names() {
        let body = "                type: object\n                properties:\n                  results: {type: array, items: {type: integer}}\n                  meta: {type: object, properties: {following: {type: string}, more: {type: boolean}}}\n";
        let ext =
            "      x-pagination: {cursorParam: from, nextCursor: meta.following, hasMore: meta.more, items: results}\n";
        let api = api("        - {name: from, in: query, schema: {type: string}}\n", body, ext).unwrap();
        let p = api.operations[0].pagination.as_ref().expect("declared");
        assert_eq!(names(&api, &p.next_cursor), ["meta", "following"]);
        assert_eq!(names(&api, p.has_more.as_ref().unwrap()), ["meta", "more"]);
        assert_eq!(names(&api, &p.items), ["results"]);
        // Without the declaration nothing in this shape says "cursor".
        let plain = super::tests::api("        - {name: from, in: query, schema: {type: string}}\n", body, "").unwrap();
        assert!(plain.operations[0].pagination.is_none());
    }

    #[test]
    fn a_declaration_that_does_not_match_is_an_error_not_a_fallback() {
        let ext = "      x-pagination: {cursorParam: cursor, nextCursor: pagination.nope, items: data.runs}\n";
        let err = api(CURSOR, NORTHFLANK, ext).unwrap_err();
        assert!(err.contains("`x-pagination` does not match"), "{err}");
        assert!(err.contains("t.yaml:7:21"), "located at the extension: {err}");
    }
}
