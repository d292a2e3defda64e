//! Graph facts about the type arena: cycles to box, where validation is needed, which way
//! values of each type travel, and which operations reach each type.

use std::collections::{HashMap, HashSet};

use super::types::{Additional, TypeArena, TypeId, TypeKind};

/// Types a type holds directly (without heap indirection), with what holds them.
enum Edge {
    Field(usize),
    Variant(usize),
    Plain,
}

/// Edges that are still by value: boxed fields and variants are already indirect.
fn by_value_edges(kind: &TypeKind) -> Vec<(Edge, TypeId)> {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().enumerate().filter(|(_, f)| !f.boxed).map(|(i, f)| (Edge::Field(i), f.ty)).collect()
        }
        TypeKind::Union(u) => {
            u.variants.iter().enumerate().filter(|(_, v)| !v.boxed).map(|(i, v)| (Edge::Variant(i), v.ty)).collect()
        }
        TypeKind::Nullable(t) | TypeKind::Alias(t) => vec![(Edge::Plain, *t)],
        TypeKind::Newtype(n) => vec![(Edge::Plain, n.inner)],
        // Vec and maps allocate, so they break cycles; the rest hold no other type.
        TypeKind::Array(_) | TypeKind::Map { .. } | TypeKind::Scalar(_) | TypeKind::Enum(_) | TypeKind::Placeholder => {
            Vec::new()
        }
    }
}

/// Strongly connected components of the by-value graph (Tarjan, iterative: graphs can be deep).
fn components(arena: &TypeArena) -> Vec<usize> {
    let n = arena.len();
    let edges: Vec<Vec<usize>> =
        arena.iter().map(|(_, e)| by_value_edges(&e.kind).into_iter().map(|(_, t)| t.0 as usize).collect()).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to visit)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Box struct fields and union variants until no type contains itself by value, choosing few
/// boxes: one edge of each remaining cycle at a time, preferring an optional field (which reads
/// naturally as `Option<Box<T>>`), then any field, then a union variant; ties go to the first
/// type and field, so the result is deterministic.
pub fn box_cycles(arena: &mut TypeArena) {
    loop {
        let comp = components(arena);
        // The best edge to box in each cyclic component: (rank, type, edge index).
        let mut best: HashMap<usize, (u8, TypeId, usize)> = HashMap::new();
        for (id, entry) in arena.iter() {
            let here = comp[id.0 as usize];
            for (edge, target) in by_value_edges(&entry.kind) {
                if comp[target.0 as usize] != here {
                    continue;
                }
                let candidate = match (&entry.kind, edge) {
                    (TypeKind::Struct(s), Edge::Field(i)) => {
                        let f = &s.fields[i];
                        let optional = !f.required || matches!(arena.kind(f.ty), TypeKind::Nullable(_));
                        (if optional { 0 } else { 1 }, id, i)
                    }
                    (_, Edge::Variant(i)) => (2, id, i),
                    // Aliases, nullables and newtypes cannot hold a box; the cycle has another edge.
                    _ => continue,
                };
                best.entry(here).and_modify(|b| *b = (*b).min(candidate)).or_insert(candidate);
            }
        }
        if best.is_empty() {
            return;
        }
        for (_, id, i) in best.into_values() {
            match &mut arena.get_mut(id).kind {
                TypeKind::Struct(s) => s.fields[i].boxed = true,
                TypeKind::Union(u) => u.variants[i].boxed = true,
                _ => {}
            }
        }
    }
}

/// Every type a value of `kind` holds, containers and boxed fields included.
fn children(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Array(t) | TypeKind::Nullable(t) | TypeKind::Alias(t) => vec![*t],
        TypeKind::Newtype(n) => vec![n.inner],
        TypeKind::Map { key, value } => key.iter().copied().chain([*value]).collect(),
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| f.ty)
            .chain(match s.additional {
                Additional::Map(t) => Some(t),
                _ => None,
            })
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| v.ty).collect(),
        TypeKind::Placeholder | TypeKind::Scalar(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Types that contain a constrained newtype anywhere (fixpoint over all edges, containers too).
pub fn types_needing_validation(arena: &TypeArena) -> HashSet<TypeId> {
    let mut needs: HashSet<TypeId> =
        arena.iter().filter(|(_, e)| matches!(e.kind, TypeKind::Newtype(_))).map(|(id, _)| id).collect();
    loop {
        let mut changed = false;
        for (id, entry) in arena.iter() {
            if !needs.contains(&id) && children(&entry.kind).iter().any(|c| needs.contains(c)) {
                needs.insert(id);
                changed = true;
            }
        }
        if !changed {
            return needs;
        }
    }
}

/// Which way values of each type travel between client and server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directions {
    sent: HashSet<TypeId>,
    received: HashSet<TypeId>,
}

impl Directions {
    /// `sent`: the types of parameters and request bodies; `received`: of responses. A type
    /// no operation uses may be used either way, and so may everything it holds.
    pub fn new(arena: &TypeArena, mut sent: Vec<TypeId>, mut received: Vec<TypeId>) -> Self {
        let used: HashSet<TypeId> = reachable(arena, sent.iter().chain(&received).copied());
        let unused: Vec<TypeId> = arena.iter().map(|(id, _)| id).filter(|id| !used.contains(id)).collect();
        sent.extend(&unused);
        received.extend(unused);
        Directions { sent: reachable(arena, sent), received: reachable(arena, received) }
    }

    /// Whether values of `id` may be sent.
    pub fn sent(&self, id: TypeId) -> bool {
        self.sent.contains(&id)
    }

    /// Whether values of `id` may be received.
    pub fn received(&self, id: TypeId) -> bool {
        self.received.contains(&id)
    }
}

/// Which operations reach each type: those whose parameters, body or responses hold its values,
/// directly or through fields, variants, items, map values and keys, aliases and newtypes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// The operations (indices, ascending) reaching each type that is not [needed by
    /// all](Reach::operations).
    by_type: HashMap<TypeId, Vec<usize>>,
}

impl Reach {
    /// `roots[i]`: the types operation `i` names itself (its parameters', body's and responses'
    /// types).
    pub fn new(arena: &TypeArena, roots: &[Vec<TypeId>]) -> Self {
        let mut by_type: HashMap<TypeId, Vec<usize>> = HashMap::new();
        for (op, roots) in roots.iter().enumerate() {
            for id in reachable(arena, roots.iter().copied()) {
                by_type.entry(id).or_default().push(op);
            }
        }
        // A type no operation reaches is there whichever operations are, and so is all it holds.
        let unreached = arena.iter().map(|(id, _)| id).filter(|id| !by_type.contains_key(id));
        for id in reachable(arena, unreached) {
            by_type.remove(&id);
        }
        Reach { by_type }
    }

    /// The operations reaching `id`, ascending; `None` when it is needed whichever operations
    /// there are: no operation reaches it, or a type no operation reaches holds it.
    pub fn operations(&self, id: TypeId) -> Option<&[usize]> {
        self.by_type.get(&id).map(Vec::as_slice)
    }
}

/// Every type reachable from `roots`, the roots included.
fn reachable(arena: &TypeArena, roots: impl IntoIterator<Item = TypeId>) -> HashSet<TypeId> {
    let mut seen = HashSet::new();
    let mut work: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = work.pop() {
        if seen.insert(id) {
            work.extend(children(&arena.get(id).kind).into_iter().filter(|c| !seen.contains(c)));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::types::*;

    fn field(name: &str, ty: TypeId) -> Field {
        Field {
            wire_name: name.into(),
            name: name.into(),
            ty,
            required: true,
            nullable: false,
            default: None,
            docs: Docs::default(),
            read_only: false,
            write_only: false,
            sensitive: false,
            boxed: false,
        }
    }

    fn strukt(arena: &mut TypeArena, name: &str, fields: Vec<Field>) -> TypeId {
        arena.add(TypeEntry {
            name: Some(name.into()),
            docs: Docs::default(),
            kind: TypeKind::Struct(StructType { fields, additional: Additional::Ignore }),
            origin: None,
        })
    }

    fn unnamed(arena: &mut TypeArena, kind: TypeKind) -> TypeId {
        arena.add(TypeEntry { name: None, docs: Docs::default(), kind, origin: None })
    }

    fn fields_of(arena: &TypeArena, id: TypeId) -> Vec<bool> {
        match &arena.get(id).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.boxed).collect(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn directions_follow_every_edge_and_unused_types_go_both_ways() {
        let mut a = TypeArena::new();
        let string = unnamed(&mut a, TypeKind::Scalar(Scalar::String));
        let shared = strukt(&mut a, "Shared", vec![field("s", string)]);
        let list = unnamed(&mut a, TypeKind::Array(shared));
        let request = strukt(&mut a, "Request", vec![field("items", list)]);
        let only_received = strukt(&mut a, "OnlyReceived", vec![]);
        let response = strukt(&mut a, "Response", vec![field("one", shared), field("other", only_received)]);
        // A type no operation uses, holding one that only responses otherwise carry.
        let unused = strukt(&mut a, "Unused", vec![field("held", only_received)]);
        let d = Directions::new(&a, vec![request], vec![response]);
        assert!(d.sent(request) && !d.received(request));
        assert!(!d.sent(response) && d.received(response));
        assert!(d.sent(shared) && d.received(shared) && d.sent(list) && !d.received(list));
        assert!(d.sent(unused) && d.received(unused));
        assert!(d.sent(only_received) && d.received(only_received));
    }

    #[test]
    fn each_type_is_reached_by_the_operations_whose_values_hold_it() {
        let mut a = TypeArena::new();
        let string = unnamed(&mut a, TypeKind::Scalar(Scalar::String));
        let leaf = strukt(&mut a, "Leaf", vec![field("s", string)]);
        let key =
            unnamed(&mut a, TypeKind::Newtype(NewtypeType { inner: string, constraints: Constraints::default() }));
        let map = unnamed(&mut a, TypeKind::Map { key: Some(key), value: leaf });
        let alias = a.add(TypeEntry {
            name: Some("Alias".into()),
            docs: Docs::default(),
            kind: TypeKind::Alias(map),
            origin: None,
        });
        let list = unnamed(&mut a, TypeKind::Array(alias));
        // Operation 0 names `first`, operation 1 `second`; both reach `Leaf`, only 1 the union.
        let first = strukt(&mut a, "First", vec![field("items", list)]);
        let union = a.add(TypeEntry {
            name: Some("Either".into()),
            docs: Docs::default(),
            kind: TypeKind::Union(UnionType {
                tagging: Tagging::Untagged,
                variants: vec![UnionVariant {
                    name: "Leaf".into(),
                    ty: leaf,
                    tag_values: Vec::new(),
                    docs: Docs::default(),
                    boxed: false,
                    lenient: false,
                }],
                unknown_variant: None,
            }),
            origin: None,
        });
        let nullable = unnamed(&mut a, TypeKind::Nullable(union));
        let second = strukt(&mut a, "Second", vec![field("pick", nullable)]);
        // Held by a type no operation names: needed whatever operations are compiled.
        let held = strukt(&mut a, "Held", vec![]);
        let unused = strukt(&mut a, "Unused", vec![field("held", held)]);
        let only_third = strukt(&mut a, "OnlyThird", vec![field("held", held)]);
        let reach = Reach::new(&a, &[vec![first], vec![string, second], vec![only_third]]);
        assert_eq!(reach.operations(first), Some(&[0][..]));
        for id in [list, alias, map, key] {
            assert_eq!(reach.operations(id), Some(&[0][..]), "{id:?}");
        }
        assert_eq!(reach.operations(leaf), Some(&[0, 1][..]));
        assert_eq!(reach.operations(union), Some(&[1][..]));
        assert_eq!(reach.operations(nullable), Some(&[1][..]));
        assert_eq!(reach.operations(only_third), Some(&[2][..]));
        // A root of operation 1, and held by `Leaf`.
        assert_eq!(reach.operations(string), Some(&[0, 1][..]));
        assert_eq!(reach.operations(unused), None);
        assert_eq!(reach.operations(held), None, "held by `Unused`, which is always there");
    }

    #[test]
    fn self_and_mutual_references_are_boxed_but_vec_is_not() {
        let mut a = TypeArena::new();
        let string = unnamed(&mut a, TypeKind::Scalar(Scalar::String));
        // Node { name, next: Option<Node>, children: Vec<Node> }
        let node = strukt(&mut a, "Node", vec![]);
        let opt = unnamed(&mut a, TypeKind::Nullable(node));
        let vec = unnamed(&mut a, TypeKind::Array(node));
        a.get_mut(node).kind = TypeKind::Struct(StructType {
            fields: vec![field("name", string), field("next", opt), field("children", vec)],
            additional: Additional::Ignore,
        });
        // A { b: B }, B { a: A }
        let ta = strukt(&mut a, "A", vec![]);
        let tb = strukt(&mut a, "B", vec![field("a", ta)]);
        a.get_mut(ta).kind =
            TypeKind::Struct(StructType { fields: vec![field("b", tb)], additional: Additional::Ignore });
        box_cycles(&mut a);
        assert_eq!(fields_of(&a, node), vec![false, true, false]);
        // One box breaks the A -> B -> A cycle.
        assert_eq!(fields_of(&a, ta), vec![true]);
        assert_eq!(fields_of(&a, tb), vec![false]);
    }
}
