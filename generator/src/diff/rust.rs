//! Changes of the generated crate's public API, by cargo-semver-checks' rules: what may stop a
//! dependent from building is major, an addition is minor.

use std::collections::{BTreeMap, BTreeSet};

use super::surface::{Public, Surface, is_type, owner_type};
use super::{Change, Level, Location, RustLevel};

use RustLevel::{Major, Minor};

fn change(level: RustLevel, kind: &'static str, item: &str, message: String) -> Change {
    Change { level: Level::Rust(level), kind, location: Some(Location::Item(item.to_owned())), source: None, message }
}

/// Every change from `old` to `new`.
pub(super) fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    // A renamed type takes its methods and impls along, and fields and signatures that name
    // it change with it: compared under its new name, they are one change, the rename.
    let types_renamed: Vec<(String, String)> = renames(old, new)
        .into_iter()
        .filter(|(from, to)| is_type(from) && is_type(to))
        .map(|(from, to)| (from.clone(), to.clone()))
        .collect();
    if types_renamed.is_empty() {
        return compare_items(old, new);
    }
    let mut out: Vec<Change> = types_renamed
        .iter()
        .map(|(from, to)| change(Major, "item-renamed", to, format!("`{from}` is now `{to}`")))
        .collect();
    out.extend(compare_items(&follow(old, &types_renamed), new));
    out
}

/// Items that left under one name and came back under another, unchanged.
fn renames<'s>(old: &'s Surface, new: &'s Surface) -> BTreeMap<&'s String, &'s String> {
    let added: Vec<(&String, &Public)> = new.items.iter().filter(|(k, _)| !old.items.contains_key(*k)).collect();
    let mut renamed_to = BTreeMap::new();
    let mut taken: BTreeSet<&String> = BTreeSet::new();
    for (name, item) in old.items.iter().filter(|(k, _)| !new.items.contains_key(*k)) {
        if matches!(item, Public::Use | Public::Impl | Public::Deprecated) {
            continue;
        }
        let twin = added.iter().find(|(n, i)| *i == item && !taken.contains(n) && same_kind_of_path(name, n));
        if let Some((to, _)) = twin {
            renamed_to.insert(name, *to);
            taken.insert(*to);
        }
    }
    renamed_to
}

/// `old` with the types in `renamed` (`types::A` → `types::B`) under their new names, in item
/// paths and in the types items mention: `A` after `types::`, and bare `A` in items of the
/// `types` module, where a bare name is a schema type's.
fn follow(old: &Surface, renamed: &[(String, String)]) -> Surface {
    let short: Vec<(&str, &str)> =
        renamed.iter().map(|(a, b)| (a.trim_start_matches("types::"), b.trim_start_matches("types::"))).collect();
    let mut items = BTreeMap::new();
    for (path, item) in &old.items {
        let in_types = path.starts_with("types::") || path.contains(" for types::");
        let text = |s: &str| rename_idents(s, &short, in_types);
        let item = match item {
            Public::Struct { fields, literal } => {
                Public::Struct { fields: fields.iter().map(|(f, t)| (f.clone(), text(t))).collect(), literal: *literal }
            }
            Public::Enum { variants, exhaustive } => Public::Enum {
                variants: variants.iter().map(|(v, p)| (v.clone(), text(p))).collect(),
                exhaustive: *exhaustive,
            },
            Public::Fn(s) => Public::Fn(text(s)),
            Public::Alias(s) => Public::Alias(text(s)),
            Public::Const(s) => Public::Const(text(s)),
            other => other.clone(),
        };
        items.insert(text(path), item);
    }
    Surface { items }
}

/// `s` with each identifier `A` of `renamed` replaced by its `B`, where it names a schema type.
fn rename_idents(s: &str, renamed: &[(&str, &str)], bare_is_schema_type: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(|c: char| c.is_alphanumeric() || c == '_') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let len = tail.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(tail.len());
        let word = &tail[..len];
        let schema_type = bare_is_schema_type || out.ends_with("types::");
        match renamed.iter().find(|(a, _)| *a == word) {
            Some((_, b)) if schema_type => out.push_str(b),
            _ => out.push_str(word),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// Every change from `old` to `new`, items compared by path.
fn compare_items(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    let removed: Vec<(&String, &Public)> = old.items.iter().filter(|(k, _)| !new.items.contains_key(*k)).collect();
    let added: Vec<(&String, &Public)> = new.items.iter().filter(|(k, _)| !old.items.contains_key(*k)).collect();
    // An item that left under one name and came back under another, unchanged, is a rename:
    // one change, not a removal and an addition.
    let renamed_to = renames(old, new);
    let taken: BTreeSet<&String> = renamed_to.values().copied().collect();
    for (name, item) in &removed {
        // No longer deprecated: nothing breaks. A removed type's methods and impls go with it.
        if **item == Public::Deprecated || owner_type(name).is_some_and(|t| !new.items.contains_key(t)) {
            continue;
        }
        match renamed_to.get(name) {
            Some(to) => out.push(change(Major, "item-renamed", to, format!("`{name}` is now `{to}`"))),
            None => out.push(change(Major, kind_removed(item), name, format!("`{name}` was removed"))),
        }
    }
    for (name, item) in &added {
        if **item == Public::Deprecated {
            let of = name.trim_end_matches(" #[deprecated]");
            if old.items.contains_key(of) {
                out.push(change(Minor, "item-deprecated", of, format!("`{of}` is deprecated now: using it warns")));
            }
        } else if !taken.contains(name) && owner_type(name).is_none_or(|t| old.items.contains_key(t)) {
            // A new type's methods and impls are part of it: said once, with the type.
            out.push(change(Minor, "item-added", name, format!("`{name}` was added")));
        }
    }
    for (name, before) in &old.items {
        if let Some(after) = new.items.get(name) {
            item(name, before, after, &mut out);
        }
    }
    out
}

/// Whether two paths name the same sort of item (both methods of one type, both types).
fn same_kind_of_path(a: &str, b: &str) -> bool {
    let owner = |p: &str| p.rsplit_once("::").map(|(o, _)| o.to_owned()).unwrap_or_default();
    owner(a) == owner(b) || (is_type(a) && is_type(b))
}

fn kind_removed(item: &Public) -> &'static str {
    match item {
        Public::Fn(_) => "function-removed",
        Public::Impl => "impl-removed",
        Public::Use => "reexport-removed",
        _ => "item-removed",
    }
}

fn item(name: &str, before: &Public, after: &Public, out: &mut Vec<Change>) {
    match (before, after) {
        (Public::Struct { fields: a, literal: la }, Public::Struct { fields: b, literal: lb }) => {
            for (f, ta) in a {
                match b.get(f) {
                    None => out.push(change(Major, "field-removed", name, format!("`{name}.{f}` was removed"))),
                    Some(tb) if ta != tb => out.push(field_type(name, f, ta, tb)),
                    Some(_) => {}
                }
            }
            for (f, tb) in b {
                if !a.contains_key(f) {
                    if *la {
                        out.push(change(
                            Major,
                            "field-added-to-exhaustive-struct",
                            name,
                            format!(
                                "`{name}` gained the field `{f}: {tb}`; a struct literal without it no longer builds"
                            ),
                        ));
                    } else {
                        out.push(change(Minor, "field-added", name, format!("`{name}` gained the field `{f}: {tb}`")));
                    }
                }
            }
            if *la && !*lb {
                out.push(change(
                    Major,
                    "struct-no-longer-literal",
                    name,
                    format!("`{name}` can no longer be built with a struct literal"),
                ));
            }
        }
        (Public::Enum { variants: a, exhaustive: ea }, Public::Enum { variants: b, exhaustive: eb }) => {
            for (v, pa) in a {
                match b.get(v) {
                    None => out.push(change(Major, "variant-removed", name, format!("`{name}::{v}` was removed"))),
                    Some(pb) if pa != pb => out.push(change(
                        Major,
                        "variant-payload-changed",
                        name,
                        format!("`{name}::{v}` holds `{pb}` now, not `{pa}`"),
                    )),
                    Some(_) => {}
                }
            }
            for v in b.keys() {
                if !a.contains_key(v) {
                    if *ea {
                        out.push(change(
                            Major,
                            "variant-added-to-exhaustive-enum",
                            name,
                            format!("`{name}` gained the variant `{v}`; an exhaustive `match` on it no longer builds"),
                        ));
                    } else {
                        out.push(change(Minor, "variant-added", name, format!("`{name}` gained the variant `{v}`")));
                    }
                }
            }
            if *ea && !*eb {
                out.push(change(
                    Major,
                    "enum-now-non-exhaustive",
                    name,
                    format!("`{name}` is `#[non_exhaustive]` now"),
                ));
            }
        }
        (Public::Fn(a), Public::Fn(b)) if a != b => {
            out.push(change(Major, "signature-changed", name, format!("`{name}` changed from `{a}` to `{b}`")))
        }
        (Public::Alias(a), Public::Alias(b)) if a != b => {
            out.push(change(Major, "alias-target-changed", name, format!("`{name}` is `{b}` now, not `{a}`")))
        }
        (Public::Const(a), Public::Const(b)) if a != b => {
            out.push(change(Major, "const-type-changed", name, format!("`{name}` is a `{b}` now, not a `{a}`")))
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            out.push(change(Major, "item-kind-changed", name, format!("`{name}` is another kind of item now")))
        }
        _ => {}
    }
}

/// A field whose type changed: `T` ↔ `Option<T>` said as such.
fn field_type(name: &str, field: &str, before: &str, after: &str) -> Change {
    let optional = |t: &str| t.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')).map(str::to_owned);
    let (kind, message) = if optional(after).as_deref() == Some(before) {
        ("field-became-optional", format!("`{name}.{field}` is `{after}` now (was `{before}`)"))
    } else if optional(before).as_deref() == Some(after) {
        ("field-became-required", format!("`{name}.{field}` is `{after}` now (was `{before}`)"))
    } else {
        ("field-type-changed", format!("`{name}.{field}` is `{after}` now, not `{before}`"))
    };
    change(Major, kind, name, message)
}

#[cfg(test)]
mod tests {
    use super::super::surface::of_files;
    use super::*;
    use crate::emit::EmittedFile;

    fn surface(types: &str) -> Surface {
        of_files(&[EmittedFile { path: "src/types.rs".into(), contents: types.into() }])
    }

    fn kinds(old: &str, new: &str) -> Vec<(&'static str, &'static str)> {
        compare(&surface(old), &surface(new)).iter().map(|c| (c.kind, c.level.name())).collect()
    }

    #[test]
    fn struct_fields() {
        assert_eq!(
            kinds("pub struct A { pub x: String }", "pub struct A { pub x: Option<String>, pub y: u8 }"),
            [("field-became-optional", "major"), ("field-added-to-exhaustive-struct", "major")]
        );
        assert_eq!(
            kinds(
                "#[non_exhaustive] pub struct A { pub x: String }",
                "#[non_exhaustive] pub struct A { pub x: String, pub y: u8 }"
            ),
            [("field-added", "minor")]
        );
    }

    #[test]
    fn enum_variants_and_renames() {
        assert_eq!(kinds("pub enum E { A, B }", "pub enum E { A }"), [("variant-removed", "major")]);
        assert_eq!(kinds("pub enum E { A }", "pub enum E { A, B }"), [("variant-added-to-exhaustive-enum", "major")]);
        assert_eq!(kinds("pub struct Old { pub x: u8 }", "pub struct New { pub x: u8 }"), [("item-renamed", "major")]);
        // What names the renamed type follows it: the rename is the one change.
        assert_eq!(
            kinds(
                "pub struct Old { pub x: u8 } impl Old { pub fn new(x: u8) -> Self { Self { x } } } \
                 impl From<Old> for Holder { fn from(o: Old) -> Self { Holder { old: o } } } \
                 pub struct Holder { pub old: Old, pub oldest: Option<Vec<Old>> }",
                "pub struct New { pub x: u8 } impl New { pub fn new(x: u8) -> Self { Self { x } } } \
                 impl From<New> for Holder { fn from(o: New) -> Self { Holder { old: o } } } \
                 pub struct Holder { pub old: New, pub oldest: Option<Vec<New>> }"
            ),
            [("item-renamed", "major")]
        );
        // A new or removed type is one change, not one per method and impl.
        assert_eq!(
            kinds(
                "pub struct A;",
                "pub struct A; pub struct N(u8); impl N { pub fn get(&self) -> u8 { self.0 } } \
                 impl std::fmt::Display for N { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } } \
                 impl A { pub fn n(&self) -> N { N(1) } }"
            ),
            [("item-added", "minor"), ("item-added", "minor")]
        );
        assert_eq!(
            kinds("pub struct A; pub struct N(u8); impl N { pub fn get(&self) -> u8 { self.0 } }", "pub struct A;"),
            [("item-removed", "major")]
        );
        // A rename that is not all there is still shows the rest.
        assert_eq!(
            kinds(
                "pub struct Old { pub x: u8 } pub struct H { pub o: Old }",
                "pub struct New { pub x: u8 } pub struct H { pub o: Option<New> }"
            ),
            [("item-renamed", "major"), ("field-became-optional", "major")]
        );
        assert_eq!(
            kinds("pub struct A { pub x: u8 }", "pub struct A { pub x: u8 } pub struct B;"),
            [("item-added", "minor")]
        );
    }
}
