//! The public API of a generated crate, read back from its emitted source with `syn`: every
//! item a dependent can name, with the parts whose change breaks it. Reading the output (not
//! re-deriving it from the IR) means the comparison sees exactly what users see.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{Fields, FnArg, ImplItem, Item, ReturnType, Visibility};

use crate::emit::EmittedFile;

/// One public item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Public {
    /// A struct: its public fields by name (with their types), and whether other crates can
    /// build it with a struct literal (no `#[non_exhaustive]`, no private field).
    Struct {
        /// Field name → type.
        fields: BTreeMap<String, String>,
        /// Built by literal elsewhere: a new field breaks that code.
        literal: bool,
    },
    /// An enum: its variants (with their payloads), and whether matches on it must be exhaustive.
    Enum {
        /// Variant name → payload (`` for a unit variant).
        variants: BTreeMap<String, String>,
        /// No `#[non_exhaustive]`: a new variant breaks exhaustive matches.
        exhaustive: bool,
    },
    /// A function or method, by its signature.
    Fn(String),
    /// A type alias, by its target.
    Alias(String),
    /// A constant or static, by its type.
    Const(String),
    /// A re-export.
    Use,
    /// A trait implementation.
    Impl,
    /// The item of the same path without ` #[deprecated]` is marked deprecated.
    Deprecated,
}

/// Every public item, by path (`types::JobRun`, `Client::get_job`, `impl From<A> for types::B`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Surface {
    /// The items.
    pub items: BTreeMap<String, Public>,
}

/// The public API of the crate made of `files`. Files that do not parse contribute nothing
/// (the generator only writes code that parses).
pub fn of_files(files: &[EmittedFile]) -> Surface {
    let mut surface = Surface::default();
    let mut runtime = Surface::default();
    for f in files {
        let (module, into) = match f.path.as_str() {
            "src/types.rs" => ("types::", &mut surface),
            "src/lib.rs" | "src/operations.rs" | "src/server.rs" => ("", &mut surface),
            // The runtime is a private module: what the crate root re-exports from it is public.
            p if p.starts_with("src/runtime/") => ("", &mut runtime),
            _ => continue,
        };
        let Ok(file) = syn::parse_file(&f.contents) else { continue };
        for item in &file.items {
            read_item(into, module, item);
        }
    }
    let exported: Vec<String> =
        surface.items.iter().filter(|(_, i)| **i == Public::Use).map(|(k, _)| k.clone()).collect();
    for (key, item) in runtime.items {
        // `Error`, `Error::status`, `impl Display for Error`: owned by a re-exported name.
        let owner = key.rsplit_once(" for ").map_or(key.as_str(), |(_, o)| o);
        let owner = owner.split("::").next().unwrap_or(owner);
        if exported.iter().any(|e| e == owner) {
            surface.items.insert(key, item);
        }
    }
    surface
}

/// The type of the `types` module that `path` is a method or an implementation of.
pub(super) fn owner_type(path: &str) -> Option<&str> {
    let ty = match path.rsplit_once(" for ") {
        Some((_, ty)) if path.starts_with("impl") => ty,
        _ => path.rsplit_once("::").map(|(owner, _)| owner)?,
    };
    is_type(ty).then_some(ty)
}

/// Whether `path` is a type of the `types` module.
pub(super) fn is_type(path: &str) -> bool {
    path.starts_with("types::") && path.matches("::").count() == 1
}

fn is_pub(v: &Visibility) -> bool {
    matches!(v, Visibility::Public(_))
}

/// Tokens as compact text: `Option<Vec<types::Run>>`.
pub(super) fn text(t: &impl ToTokens) -> String {
    let raw = t.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    for part in raw.split(' ') {
        let glue = out.ends_with(['<', ':', '&', '(', '[', '\'', '!'])
            || part.starts_with(['<', '>', ':', ',', ')', ']', '?', '(', '[']);
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// Note that the item at `path` is deprecated (dependents get a warning using it).
fn deprecation(s: &mut Surface, path: &str, attrs: &[syn::Attribute]) {
    if attrs.iter().any(|a| a.path().is_ident("deprecated")) {
        s.items.insert(format!("{path} #[deprecated]"), Public::Deprecated);
    }
}

fn read_item(s: &mut Surface, module: &str, item: &Item) {
    match item {
        Item::Struct(st) if is_pub(&st.vis) => {
            let name = format!("{module}{}", st.ident);
            let mut fields = BTreeMap::new();
            let mut private = false;
            match &st.fields {
                Fields::Named(named) => {
                    for f in &named.named {
                        match (&f.ident, is_pub(&f.vis)) {
                            (Some(i), true) => {
                                fields.insert(i.to_string(), text(&f.ty));
                            }
                            _ => private = true,
                        }
                    }
                }
                Fields::Unnamed(unnamed) => {
                    for (i, f) in unnamed.unnamed.iter().enumerate() {
                        if is_pub(&f.vis) {
                            fields.insert(i.to_string(), text(&f.ty));
                        } else {
                            private = true;
                        }
                    }
                }
                Fields::Unit => {}
            }
            let literal = !private && !non_exhaustive(&st.attrs);
            deprecation(s, &name, &st.attrs);
            s.items.insert(name, Public::Struct { fields, literal });
        }
        Item::Enum(e) if is_pub(&e.vis) => {
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        fields => text(fields),
                    };
                    (v.ident.to_string(), payload)
                })
                .collect();
            let name = format!("{module}{}", e.ident);
            deprecation(s, &name, &e.attrs);
            s.items.insert(name, Public::Enum { variants, exhaustive: !non_exhaustive(&e.attrs) });
        }
        Item::Type(t) if is_pub(&t.vis) => {
            s.items.insert(format!("{module}{}", t.ident), Public::Alias(text(&t.ty)));
        }
        Item::Const(c) if is_pub(&c.vis) => {
            s.items.insert(format!("{module}{}", c.ident), Public::Const(text(&c.ty)));
        }
        Item::Static(c) if is_pub(&c.vis) => {
            s.items.insert(format!("{module}{}", c.ident), Public::Const(text(&c.ty)));
        }
        Item::Fn(f) if is_pub(&f.vis) => {
            let name = format!("{module}{}", f.sig.ident);
            deprecation(s, &name, &f.attrs);
            s.items.insert(name, Public::Fn(signature(&f.sig)));
        }
        Item::Use(u) if is_pub(&u.vis) => {
            // A re-export never hides the item itself where both are read.
            for name in use_names(&u.tree) {
                s.items.entry(format!("{module}{name}")).or_insert(Public::Use);
            }
        }
        Item::Impl(imp) => {
            let self_ty = text(&imp.self_ty);
            let owner = if self_ty.contains("::") || module.is_empty() {
                self_ty.clone()
            } else {
                format!("{module}{self_ty}")
            };
            match &imp.trait_ {
                Some((path, _)) => {
                    s.items.insert(format!("impl {} for {owner}", text(path)), Public::Impl);
                }
                None => {
                    for it in &imp.items {
                        if let ImplItem::Fn(f) = it {
                            if is_pub(&f.vis) {
                                let name = format!("{owner}::{}", f.sig.ident);
                                deprecation(s, &name, &f.attrs);
                                s.items.insert(name, Public::Fn(signature(&f.sig)));
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// `async fn(&self, project_id: &str, params: &types::P) -> Result<Response<T>, Error>`: the
/// argument names are left out, since renaming one breaks nobody.
fn signature(sig: &syn::Signature) -> String {
    let args: Vec<String> = sig
        .inputs
        .iter()
        .map(|a| match a {
            FnArg::Receiver(r) => text(r),
            FnArg::Typed(t) => text(&t.ty),
        })
        .collect();
    let ret = match &sig.output {
        ReturnType::Default => String::new(),
        ReturnType::Type(_, t) => format!(" -> {}", text(t)),
    };
    let asyncness = if sig.asyncness.is_some() { "async " } else { "" };
    let generics = if sig.generics.params.is_empty() { String::new() } else { text(&sig.generics) };
    format!("{asyncness}fn{generics}({}){ret}", args.join(", "))
}

fn use_names(tree: &syn::UseTree) -> Vec<String> {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree),
        syn::UseTree::Name(n) => vec![n.ident.to_string()],
        syn::UseTree::Rename(r) => vec![r.rename.to_string()],
        syn::UseTree::Group(g) => g.items.iter().flat_map(use_names).collect(),
        syn::UseTree::Glob(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(types: &str, ops: &str) -> Surface {
        of_files(&[
            EmittedFile { path: "src/types.rs".into(), contents: types.into() },
            EmittedFile { path: "src/operations.rs".into(), contents: ops.into() },
        ])
    }

    #[test]
    fn reads_structs_enums_methods_and_impls() {
        let s = surface(
            "pub struct Run { pub id: String, pub ended: Option<String> }\n\
             #[non_exhaustive] pub struct Page { pub runs: Vec<Run> }\n\
             pub struct Key(String);\n\
             pub enum Status { Running, Unknown(String) }\n\
             pub type Env = std::collections::BTreeMap<String, String>;\n\
             impl From<Key> for Run { fn from(k: Key) -> Self { todo!() } }\n\
             impl Run { pub fn new(id: String) -> Self { todo!() } fn private() {} }",
            "impl Client { pub async fn get_run(&self, project_id: &str, body: Option<&types::Run>) -> Result<Response<types::Run>, Error> { todo!() } }",
        );
        let Public::Struct { fields, literal } = &s.items["types::Run"] else { panic!() };
        assert!(literal);
        assert_eq!(fields["ended"], "Option<String>");
        assert!(matches!(s.items["types::Page"], Public::Struct { literal: false, .. }));
        assert!(matches!(s.items["types::Key"], Public::Struct { literal: false, .. }), "a private field");
        let Public::Enum { variants, exhaustive } = &s.items["types::Status"] else { panic!() };
        assert!(exhaustive);
        assert_eq!(variants["Unknown"], "(String)");
        assert_eq!(s.items["types::Env"], Public::Alias("std::collections::BTreeMap<String, String>".into()));
        assert_eq!(s.items["impl From<Key> for types::Run"], Public::Impl);
        assert_eq!(s.items["types::Run::new"], Public::Fn("fn(String) -> Self".into()));
        assert!(!s.items.contains_key("types::Run::private"));
        assert_eq!(
            s.items["Client::get_run"],
            Public::Fn("async fn(&self, &str, Option<&types::Run>) -> Result<Response<types::Run>, Error>".into())
        );
    }
}
