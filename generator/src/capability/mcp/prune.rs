//! The API as the server's client needs it: only the operations its tools call, and only the
//! types those reach. A server of three tools then builds a client of three operations, not
//! the whole API (for Northflank's 44 operations, most of the client's compile time).
//!
//! Types are copied into a new arena in their old order, so names and output stay stable.

use std::collections::BTreeMap;

use crate::ir::{Additional, Api, FieldStep, TypeArena, TypeId, TypeKind};

/// `api` with only the operations at `keep` (indices, in any order) and the types they and the
/// servers reach.
pub fn to_operations(api: &Api, keep: &[usize]) -> Api {
    let operations: Vec<_> =
        api.operations.iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, op)| op.clone()).collect();
    // Every type reachable from the kept operations and the servers.
    let mut roots: Vec<TypeId> = Vec::new();
    for op in &operations {
        roots.extend(op.params.iter().map(|p| p.ty));
        roots.extend(op.body.iter().map(|b| b.ty));
        roots.extend(op.responses.iter().filter_map(|r| r.body.as_ref()).map(|b| b.ty));
        if let Some(p) = &op.pagination {
            roots.push(p.item);
            let steps = p.next_cursor.iter().chain(p.has_more.iter().flatten()).chain(&p.items);
            roots.extend(steps.map(|s| s.ty));
        }
    }
    roots.extend(api.servers.iter().flat_map(|s| &s.variables).map(|v| v.ty));
    let mut reached = vec![false; api.types.len()];
    while let Some(id) = roots.pop() {
        let Some(seen) = reached.get_mut(id.0 as usize) else { continue };
        if !*seen {
            *seen = true;
            roots.extend(children(&api.types.get(id).kind));
        }
    }
    // New ids in the old order.
    let new_id: BTreeMap<TypeId, TypeId> = reached
        .iter()
        .enumerate()
        .filter(|(_, r)| **r)
        .enumerate()
        .map(|(new, (old, _))| (TypeId(old as u32), TypeId(new as u32)))
        .collect();
    let map = |id: TypeId| new_id.get(&id).copied().unwrap_or(id);
    let mut types = TypeArena::new();
    for old in new_id.keys() {
        let mut entry = api.types.get(*old).clone();
        remap(&mut entry.kind, map);
        types.add(entry);
    }
    let mut pruned = Api { operations, types, ..api.clone() };
    for op in &mut pruned.operations {
        op.params.iter_mut().for_each(|p| p.ty = map(p.ty));
        op.body.iter_mut().for_each(|b| b.ty = map(b.ty));
        op.responses.iter_mut().filter_map(|r| r.body.as_mut()).for_each(|b| b.ty = map(b.ty));
        if let Some(p) = &mut op.pagination {
            p.item = map(p.item);
            let step = |s: &mut FieldStep| s.ty = map(s.ty);
            p.next_cursor.iter_mut().for_each(step);
            p.has_more.iter_mut().flatten().for_each(step);
            p.items.iter_mut().for_each(step);
        }
    }
    pruned.servers.iter_mut().flat_map(|s| &mut s.variables).for_each(|v| v.ty = map(v.ty));
    pruned
}

/// The types a kind refers to.
fn children(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Placeholder | TypeKind::Scalar(_) | TypeKind::Enum(_) => Vec::new(),
        TypeKind::Array(t) | TypeKind::Nullable(t) | TypeKind::Alias(t) => vec![*t],
        TypeKind::Map { key, value } => key.iter().copied().chain([*value]).collect(),
        TypeKind::Struct(s) => {
            let extra = match s.additional {
                Additional::Map(t) => Some(t),
                Additional::Ignore | Additional::Deny => None,
            };
            s.fields.iter().map(|f| f.ty).chain(extra).collect()
        }
        TypeKind::Union(u) => u.variants.iter().map(|v| v.ty).collect(),
        TypeKind::Newtype(n) => vec![n.inner],
    }
}

/// Rewrite the types a kind refers to.
fn remap(kind: &mut TypeKind, map: impl Fn(TypeId) -> TypeId) {
    match kind {
        TypeKind::Placeholder | TypeKind::Scalar(_) | TypeKind::Enum(_) => {}
        TypeKind::Array(t) | TypeKind::Nullable(t) | TypeKind::Alias(t) => *t = map(*t),
        TypeKind::Map { key, value } => {
            *key = key.map(&map);
            *value = map(*value);
        }
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|f| f.ty = map(f.ty));
            if let Additional::Map(t) = &mut s.additional {
                *t = map(*t);
            }
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.ty = map(v.ty)),
        TypeKind::Newtype(n) => n.inner = map(n.inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Documents;

    #[test]
    fn only_what_the_kept_operations_reach_is_kept() {
        let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}\n  /b:\n    get:\n      operationId: getB\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}}\ncomponents:\n  schemas:\n    A: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}, again: {$ref: '#/components/schemas/A'}}}\n    Inner: {type: object, properties: {n: {type: integer}}}\n    B: {type: object, properties: {s: {type: string}}}\n    Unused: {type: object, properties: {x: {type: string}}}\n";
        let (docs, _) = Documents::from_text("api.yaml", text).unwrap();
        let (api, _) = crate::lower::lower(&docs).unwrap();
        let a = api.operations.iter().position(|o| o.id == "getA").unwrap();
        let pruned = to_operations(&api, &[a]);
        assert_eq!(pruned.operations.len(), 1);
        let names: Vec<&str> =
            pruned.types.named_sorted().iter().filter_map(|id| pruned.types.get(*id).name.as_deref()).collect();
        assert_eq!(names, ["A", "Inner"]);
        // References point into the new arena: A's `again` is A itself.
        let body = pruned.operations[0].responses[0].body.as_ref().unwrap().ty;
        let TypeKind::Struct(s) = pruned.types.kind(body) else { panic!("A is a struct") };
        let again = s.fields.iter().find(|f| f.wire_name == "again").unwrap().ty;
        assert_eq!(pruned.types.resolve(again), pruned.types.resolve(body));
        // The emitted client builds from it.
        let files = crate::emit::emit(&pruned, &crate::Options::new("t"), "api.yaml").unwrap();
        let types = &files.iter().find(|f| f.path == "src/types.rs").unwrap().contents;
        assert!(types.contains("pub struct Inner") && !types.contains("pub struct Unused"), "{types}");
    }
}
