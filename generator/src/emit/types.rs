//! The `types` module: one item per named type, sorted by name.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

mod enums;
mod newtypes;
mod object;
mod structs;
mod tolerance;
mod unions;

use super::docs;
use super::tokens::{Ctx, Scope, Serde, ident};
use crate::ir::{Additional, EnumRepr, Scalar, TypeEntry, TypeId, TypeKind};

use tolerance::union_tolerance;

/// Most arguments of a generated `new` (clippy's `too_many_arguments` allows 7).
pub(super) const MAX_CONSTRUCTOR_ARGS: usize = 6;

/// Largest size difference between union variants before the big one is boxed (clippy's
/// `large_enum_variant` fires at 200 bytes).
const MAX_VARIANT_SPREAD: usize = 128;

/// The code of named type `id`.
pub(super) fn item(ctx: &Ctx<'_>, id: TypeId, entry: &TypeEntry) -> TokenStream {
    let name = entry.name.as_deref().unwrap_or("Unnamed");
    let doc = docs::attrs(&entry.docs, &[]);
    let body = match &entry.kind {
        TypeKind::Struct(s) => structs::struct_item(ctx, id, name, s),
        TypeKind::Enum(e) => match e.repr {
            EnumRepr::String => enums::string_enum(ctx, name, e),
            EnumRepr::Integer => enums::int_enum(ctx, name, e),
        },
        TypeKind::Union(u) => unions::union_item(ctx, id, name, u),
        TypeKind::Newtype(n) => newtypes::newtype_item(ctx, name, n),
        TypeKind::Alias(target) => {
            let n = ident(name);
            let t = ctx.ty(*target, Scope::Types);
            quote!(pub type #n = #t;)
        }
        _ => quote!(),
    };
    let evolvable = non_exhaustive(ctx, id).then(|| quote!(#[non_exhaustive]));
    quote! {
        #doc
        #evolvable
        #body
    }
}

/// `#[non_exhaustive]` where the schema may add to a type without breaking its users: enums
/// and unions (the server may send new values and kinds; clients already keep them as
/// `Unknown`), and structs the API only ever sends to the client (a new field is then a minor
/// change, while request structs stay buildable by struct literal with `..Default::default()`).
/// `clientgen diff` reads the attribute from the output, so what it says follows this; a
/// non-exhaustive struct gets a `new` even when every field is required, since users can no
/// longer write its literal (to build one in their own tests).
pub(super) fn non_exhaustive(ctx: &Ctx<'_>, id: TypeId) -> bool {
    match &ctx.api.types.get(id).kind {
        TypeKind::Enum(_) | TypeKind::Union(_) => true,
        TypeKind::Struct(_) => !sent(ctx, id),
        _ => false,
    }
}

/// Whether requests carry `id`, so users build its values: conversions that make building
/// shorter (`From` a union's payload, a one-field struct's field) are for these only. On
/// types only responses carry they would cost compile time (a tenth of `cargo check` on
/// nexus) for values nobody builds but a test.
pub(super) fn sent(ctx: &Ctx<'_>, id: TypeId) -> bool {
    !ctx.serde_gated(id, Serde::Serialize)
}

/// Rough in-memory size of a type, to keep enum variants balanced.
pub(super) fn size_of(ctx: &Ctx<'_>, id: TypeId, memo: &mut HashMap<TypeId, usize>, depth: usize) -> usize {
    if let Some(&s) = memo.get(&id) {
        return s;
    }
    if depth > 24 {
        return 24;
    }
    let size = match &ctx.api.types.get(id).kind {
        TypeKind::Scalar(s) => match s {
            Scalar::Bool => 1,
            Scalar::Int(_) | Scalar::F32 | Scalar::F64 => 8,
            Scalar::DateTime => 12,
            Scalar::Date => 4,
            Scalar::Uuid => 16,
            Scalar::Json => 32,
            Scalar::Unit => 0,
            Scalar::String | Scalar::Base64 | Scalar::Bytes => 24,
        },
        TypeKind::Array(_) | TypeKind::Map { .. } => 24,
        TypeKind::Nullable(inner) => size_of(ctx, *inner, memo, depth + 1) + 8,
        TypeKind::Struct(s) => {
            s.fields
                .iter()
                .map(|f| if f.boxed { 8 } else { size_of(ctx, f.ty, memo, depth + 1) + if f.required { 0 } else { 8 } })
                .sum::<usize>()
                + usize::from(matches!(s.additional, Additional::Map(_))) * 24
        }
        TypeKind::Enum(_) => 24,
        TypeKind::Union(u) => {
            u.variants.iter().map(|v| if v.boxed { 8 } else { size_of(ctx, v.ty, memo, depth + 1) }).max().unwrap_or(0)
                + 8
        }
        TypeKind::Newtype(n) => size_of(ctx, n.inner, memo, depth + 1),
        TypeKind::Alias(t) => size_of(ctx, *t, memo, depth + 1),
        TypeKind::Placeholder => 8,
    };
    memo.insert(id, size);
    size
}

/// Which payloads of an enum to box so that no variant dwarfs the others.
pub(super) fn boxed_variants(sizes: &[usize]) -> Vec<bool> {
    let mut sizes: Vec<usize> = sizes.to_vec();
    let mut boxed = vec![false; sizes.len()];
    loop {
        let mut order: Vec<usize> = (0..sizes.len()).collect();
        order.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]));
        let (Some(&largest), Some(&second)) = (order.first(), order.get(1)) else { return boxed };
        if sizes[largest] <= sizes[second] + MAX_VARIANT_SPREAD || boxed[largest] {
            return boxed;
        }
        boxed[largest] = true;
        sizes[largest] = 8;
    }
}

/// The `src/types.rs` generated for a 3.1 document whose `components.schemas` is `schemas`
/// (JSON text), for the unit tests of this module's parts.
#[cfg(test)]
fn types_rs(schemas: &str) -> String {
    let text = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
            "components": {{"schemas": {schemas}}}}}"#
    );
    let krate = crate::generate_from_str("t.json", &text, &crate::Options::new("t")).expect("generates");
    krate.files.into_iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents
}

#[cfg(test)]
mod serde_direction_tests {
    /// The generated files for a spec with one operation that sends `Sent` and returns
    /// `Received`, both holding `Shared`; `Unused` is in no operation.
    fn files() -> Vec<(String, String)> {
        let text = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"post": {"operationId": "send",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Sent"}}}},
                "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Received"}}}}}}}},
            "components": {"schemas": {
                "Shared": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Sent": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/Shared"},
                    "pick": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                    "gone": {"type": ["string", "null"]}}},
                "Received": {"type": "object", "properties": {"r": {"$ref": "#/components/schemas/Shared"}}},
                "Unused": {"type": "object", "properties": {"u": {"type": "string"}}}
            }}}"##;
        let krate = crate::generate_from_str("t.json", text, &crate::Options::new("t")).expect("generates");
        krate.files.into_iter().map(|f| (f.path, f.contents)).collect()
    }

    fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
        &files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no {path}")).1
    }

    /// The attributes right above `pub struct NAME`/`pub enum NAME`.
    fn attrs_of<'a>(code: &'a str, item: &str) -> &'a str {
        let at = code.find(item).unwrap_or_else(|| panic!("no `{item}` in\n{code}"));
        let start = code[..at].rfind("\n\n").map_or(0, |i| i + 2);
        &code[start..at]
    }

    /// Whether `impl<'de> serde::Deserialize<'de> for NAME` exists only with `full-serde`.
    fn deserialize_gated(code: &str, name: &str) -> bool {
        let head = format!("impl<'de> serde::Deserialize<'de> for {name} {{");
        let at = code.find(&head).unwrap_or_else(|| panic!("no `{head}` in\n{code}"));
        code[..at].ends_with("#[cfg(feature = \"full-serde\")]\n")
    }

    #[test]
    fn each_type_derives_the_directions_the_api_moves_it() {
        let files = files();
        let types = file(&files, "src/types.rs");
        let gated = |t: &str| format!("#[cfg_attr(feature = \"full-serde\", derive(serde::{t}))]");
        // Structs derive `Serialize` and implement `Deserialize` through the runtime.
        let sent = attrs_of(types, "pub struct Sent ");
        assert!(sent.contains("serde::Serialize") && !sent.contains("cfg_attr"), "{sent}");
        assert!(deserialize_gated(types, "Sent"), "{types}");
        let received = attrs_of(types, "pub struct Received ");
        assert!(received.contains(&gated("Serialize")) && !received.contains("serde::Deserialize"), "{received}");
        assert!(!deserialize_gated(types, "Received"), "{types}");
        for both in ["Shared", "Unused"] {
            let attrs = attrs_of(types, &format!("pub struct {both} "));
            assert!(attrs.contains("serde::Serialize") && !attrs.contains("cfg_attr"), "{attrs}");
            assert!(!deserialize_gated(types, both), "{types}");
        }
        // A request-only untagged union: its hand-written `Deserialize` is compiled only with the feature.
        assert!(deserialize_gated(types, "SentPick"), "{types}");
        assert!(file(&files, "Cargo.toml").contains("\n[features]\n"));
        assert!(file(&files, "Cargo.toml").contains("\nfull-serde = []\n"));
        assert!(file(&files, "src/lib.rs").contains("full-serde"));
    }

    #[test]
    fn serde_attributes_of_a_gated_serialize_are_gated_with_it() {
        let text = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "get",
                "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Got"}}}}}}}},
            "components": {"schemas": {
                "Got": {"type": "object", "properties": {"fullName": {"type": "string"}, "snake_case": {"type": "string"}}}
            }}}"##;
        let krate = crate::generate_from_str("t.json", text, &crate::Options::new("t")).expect("generates");
        let types = &krate.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
        // Without the feature no derive declares `#[serde]`, so a bare attribute would not compile.
        assert!(!types.contains("    #[serde("), "{types}");
        assert!(
            types.contains("    #[cfg_attr(\n        feature = \"full-serde\",\n        serde(rename = \"fullName\","),
            "{types}"
        );
    }

    #[test]
    fn the_feature_is_declared_even_where_it_changes_nothing() {
        // So a dependent that enables it keeps building after a regeneration.
        let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"S": {"type": "object"}}}}"#;
        let krate = crate::generate_from_str("t.json", text, &crate::Options::new("t")).expect("generates");
        let manifest = krate.files.iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml");
        assert!(manifest.contents.contains("\n[features]\n"), "{}", manifest.contents);
        assert!(manifest.contents.contains("\nfull-serde = []\n"), "{}", manifest.contents);
    }

    #[test]
    fn runtime_helpers_only_gated_impls_use_are_gated_too() {
        let files = files();
        let helpers = file(&files, "src/runtime/serde_helpers.rs");
        // Only `Sent` has a union, and it is never decoded.
        for item in ["pub(crate) fn raw_json", "pub(crate) fn no_variant_fits"] {
            let at = helpers.find(item).unwrap_or_else(|| panic!("no `{item}` in\n{helpers}"));
            let above = &helpers[helpers[..at].rfind("\n\n").unwrap_or(0)..at];
            assert!(above.contains("#[cfg(feature = \"full-serde\")]"), "{item} is not gated:\n{above}");
        }
        let m = file(&files, "src/runtime/mod.rs");
        assert!(m.contains("#[cfg(feature = \"full-serde\")]\npub(crate) use serde_helpers::raw_json;"), "{m}");
        // Structs are decoded (`Received`), so the struct decoding is not gated.
        assert!(m.contains("\npub(crate) use serde_helpers::{deserialize_object, Object};"), "{m}");
    }
}
