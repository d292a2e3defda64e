//! How the typed client's methods take their arguments, read back from the client's emitted
//! source with `syn`: the client generator decides (a `&str`, a `Copy` value, `Option<&T>`, path
//! parameters moved into the params struct), and the server's calls ask it here rather than
//! repeating its rules.

use std::collections::BTreeMap;

use syn::{FnArg, GenericArgument, ImplItem, Item, Pat, PathArguments, Type};

use crate::emit::EmittedFile;

/// How a method takes one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passing {
    /// `&str`.
    Str,
    /// `&T`.
    Ref,
    /// `Option<&str>`.
    OptionStr,
    /// `Option<&T>`.
    OptionRef,
    /// `T`, by value.
    Value,
}

/// The arguments of every method of `Client`, by method name: `(name, passing)` in order,
/// `self` left out.
pub fn client_methods(files: &[EmittedFile]) -> BTreeMap<String, Vec<(String, Passing)>> {
    let mut out = BTreeMap::new();
    let Some(file) = files.iter().find(|f| f.path == "src/operations.rs") else { return out };
    let Ok(parsed) = syn::parse_file(&file.contents) else { return out };
    for item in &parsed.items {
        let Item::Impl(imp) = item else { continue };
        let Type::Path(self_ty) = &*imp.self_ty else { continue };
        if !self_ty.path.is_ident("Client") || imp.trait_.is_some() {
            continue;
        }
        for item in &imp.items {
            let ImplItem::Fn(f) = item else { continue };
            let args = f
                .sig
                .inputs
                .iter()
                .filter_map(|a| match a {
                    FnArg::Typed(t) => match &*t.pat {
                        Pat::Ident(i) => Some((i.ident.to_string(), passing(&t.ty))),
                        _ => None,
                    },
                    FnArg::Receiver(_) => None,
                })
                .collect();
            out.insert(f.sig.ident.to_string(), args);
        }
    }
    out
}

fn is_str(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident("str"))
}

fn passing(ty: &Type) -> Passing {
    match ty {
        Type::Reference(r) if is_str(&r.elem) => Passing::Str,
        Type::Reference(_) => Passing::Ref,
        Type::Path(p) => {
            let Some(last) = p.path.segments.last().filter(|s| s.ident == "Option") else { return Passing::Value };
            let PathArguments::AngleBracketed(args) = &last.arguments else { return Passing::Value };
            match args.args.first() {
                Some(GenericArgument::Type(Type::Reference(r))) if is_str(&r.elem) => Passing::OptionStr,
                Some(GenericArgument::Type(Type::Reference(_))) => Passing::OptionRef,
                _ => Passing::Value,
            }
        }
        _ => Passing::Value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_how_each_argument_is_taken() {
        let code = "impl Client {\n\
            pub async fn a(&self, id: &str, n: i64, params: &types::P, body: Option<&types::B>) -> R {}\n\
            pub async fn b(&self, body: Option<&str>, raw: bytes::Bytes, at: &chrono::DateTime<chrono::Utc>) -> R {}\n\
            fn private(&self) {}\n\
        }\nimpl Other { pub fn c(&self) {} }\n";
        let files = vec![EmittedFile { path: "src/operations.rs".into(), contents: code.into() }];
        let m = client_methods(&files);
        let a: Vec<Passing> = m["a"].iter().map(|(_, p)| *p).collect();
        assert_eq!(a, [Passing::Str, Passing::Value, Passing::Ref, Passing::OptionRef]);
        let b: Vec<Passing> = m["b"].iter().map(|(_, p)| *p).collect();
        assert_eq!(b, [Passing::OptionStr, Passing::Value, Passing::Ref]);
        assert!(!m.contains_key("c"));
    }
}
