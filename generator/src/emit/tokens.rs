//! Rendering IR types as Rust type expressions, safe against names that shadow std.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::feature::{Feature, Features, When};
use super::op_features::OpFeatures;
use crate::Options;
use crate::ir::{Api, Directions, IntKind, Scalar, StructType, TypeId, TypeKind};

/// Where a type expression is written: inside the `types` module or elsewhere in the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Inside `types`: named types by their bare name.
    Types,
    /// Elsewhere: named types as `types::Name`.
    Crate,
}

/// What emitting needs to know about the API as a whole.
pub struct Ctx<'a> {
    /// The API.
    pub api: &'a Api,
    /// How the crate is generated.
    pub options: &'a Options,
    /// The schema's file name, for the generated code's header and docs.
    pub schema_name: &'a str,
    /// Names of the `types` module that shadow prelude names (`String`, `Option`, ...).
    shadowed: HashSet<String>,
    /// Types that contain a constrained value (responses too: checking them is the caller's choice).
    pub validated: HashSet<TypeId>,
    /// Which way values of each type travel.
    directions: Directions,
    /// The Cargo features operations are behind, when the crate has them.
    pub op_features: Option<OpFeatures>,
    /// What the code emitted with this context uses of the runtime, recorded as it is written.
    used: RefCell<Features>,
    /// Under which operation features the code being written is compiled (see [`Ctx::within`]).
    when: RefCell<When>,
    /// Whether a type expression outside `types` named one of its types (`types::Job`).
    named_outside: Cell<bool>,
}

/// A serde trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Serde {
    /// `Serialize`: needed by types that are sent.
    Serialize,
    /// `Deserialize`: needed by types that are received.
    Deserialize,
}

/// Prelude names the generated code uses, with their full paths.
const PRELUDE: &[(&str, &str)] = &[
    ("String", "std::string::String"),
    ("Vec", "std::vec::Vec"),
    ("Option", "std::option::Option"),
    ("Some", "std::option::Option::Some"),
    ("None", "std::option::Option::None"),
    ("Box", "std::boxed::Box"),
    ("Result", "std::result::Result"),
    ("Ok", "std::result::Result::Ok"),
    ("Err", "std::result::Result::Err"),
    ("Default", "std::default::Default"),
    ("ToString", "std::string::ToString"),
    ("From", "std::convert::From"),
    ("Into", "std::convert::Into"),
    ("TryFrom", "std::convert::TryFrom"),
    ("AsRef", "std::convert::AsRef"),
];

impl<'a> Ctx<'a> {
    /// Context for `api`.
    pub fn new(api: &'a Api, options: &'a Options, schema_name: &'a str) -> Self {
        let names: HashSet<&str> = api.types.iter().filter_map(|(_, e)| e.name.as_deref()).collect();
        let shadowed = PRELUDE.iter().filter(|(n, _)| names.contains(n)).map(|(n, _)| n.to_string()).collect();
        Ctx {
            api,
            options,
            schema_name,
            shadowed,
            validated: api.validated_types(),
            directions: api.directions(),
            op_features: options.features_by.map(|by| OpFeatures::new(api, by)),
            used: RefCell::default(),
            when: RefCell::new(When::Always),
            named_outside: Cell::new(false),
        }
    }

    /// Record that the code being written uses `f`.
    pub fn uses(&self, f: Feature) {
        self.uses_gated(f, false);
    }

    /// Record that the code being written uses `f`, only behind `full-serde` when `gated`.
    pub fn uses_gated(&self, f: Feature, gated: bool) {
        self.used.borrow_mut().insert_when(f, &self.when.borrow(), gated);
    }

    /// Run `write`, which writes code compiled only `when`: what it uses of the runtime is
    /// recorded as used there.
    pub fn within<T>(&self, when: When, write: impl FnOnce() -> T) -> T {
        let outer = self.when.replace(when);
        let written = write();
        self.when.replace(outer);
        written
    }

    /// `types::name`, for an item of the `types` module named outside it.
    pub fn types_item(&self, name: &str) -> TokenStream {
        self.named_outside.set(true);
        let name = ident(name);
        quote!(types::#name)
    }

    /// Whether code written with this context outside the `types` module names its types.
    pub fn named_in_crate_scope(&self) -> bool {
        self.named_outside.get()
    }

    /// Set whether code written outside `types` named its types (`false` before writing a
    /// module, to learn whether it does).
    pub fn types_named_outside(&self, named: bool) {
        self.named_outside.set(named);
    }

    /// What the code written with this context used, leaving it empty.
    pub fn take_used(&self) -> Features {
        self.used.take()
    }

    /// Whether `id` implements `way` only with the generated crate's `full-serde` feature: the
    /// API never moves its values that way, and the impl would only cost compile time.
    pub fn serde_gated(&self, id: TypeId, way: Serde) -> bool {
        match way {
            Serde::Serialize => !self.directions.sent(id),
            Serde::Deserialize => !self.directions.received(id),
        }
    }

    /// `#[cfg(feature = "full-serde")]` for an impl of `way` that is [gated](Self::serde_gated).
    pub fn serde_cfg(&self, id: TypeId, way: Serde) -> Option<TokenStream> {
        let feature = super::runtime::FULL_SERDE;
        self.serde_gated(id, way).then(|| quote!(#[cfg(feature = #feature)]))
    }

    /// A prelude name, qualified when a generated type shadows it (only matters in `types`).
    pub fn std(&self, name: &str) -> TokenStream {
        if self.shadowed.contains(name) {
            let full = PRELUDE.iter().find(|(n, _)| *n == name).map_or(name, |(_, f)| f);
            let path: syn::Path = syn::parse_str(&format!("::{full}")).unwrap_or_else(|_| syn::Path::from(ident(name)));
            quote!(#path)
        } else {
            let id = ident(name);
            quote!(#id)
        }
    }

    /// The type expression for `id`.
    pub fn ty(&self, id: TypeId, scope: Scope) -> TokenStream {
        let entry = self.api.types.get(id);
        if entry.kind.is_named_kind() {
            if let Some(name) = &entry.name {
                let name = ident(name);
                return match scope {
                    Scope::Types => quote!(#name),
                    Scope::Crate => self.types_item(&name.to_string()),
                };
            }
        }
        match &entry.kind {
            TypeKind::Scalar(s) => self.scalar(*s),
            TypeKind::Array(item) => {
                let vec = self.std("Vec");
                let item = self.ty(*item, scope);
                quote!(#vec<#item>)
            }
            TypeKind::Map { key, value } => {
                if key.is_some_and(|k| self.validated.contains(&k)) {
                    // Built with `checked_map`, which the crate then exports.
                    self.uses(Feature::CheckedMap);
                }
                let key = match key {
                    Some(k) => self.ty(*k, scope),
                    None => self.std("String"),
                };
                let value = self.ty(*value, scope);
                quote!(std::collections::BTreeMap<#key, #value>)
            }
            TypeKind::Nullable(inner) => {
                let option = self.std("Option");
                let inner = self.ty(*inner, scope);
                quote!(#option<#inner>)
            }
            TypeKind::Alias(target) => self.ty(*target, scope),
            // Named kinds without a name, and placeholders, do not reach emitting; JSON rather
            // than a panic if one ever did.
            TypeKind::Struct(_)
            | TypeKind::Enum(_)
            | TypeKind::Union(_)
            | TypeKind::Newtype(_)
            | TypeKind::Placeholder => quote!(serde_json::Value),
        }
    }

    fn scalar(&self, s: Scalar) -> TokenStream {
        match s {
            Scalar::String => self.std("String"),
            Scalar::Bool => quote!(bool),
            Scalar::Int(k) => {
                let t = int_ident(k);
                quote!(#t)
            }
            Scalar::F32 => quote!(f32),
            Scalar::F64 => quote!(f64),
            Scalar::DateTime => quote!(chrono::DateTime<chrono::Utc>),
            Scalar::Date => quote!(chrono::NaiveDate),
            Scalar::Uuid => quote!(uuid::Uuid),
            // Binary inside JSON travels as base64.
            Scalar::Base64 | Scalar::Bytes => {
                self.uses(Feature::Base64);
                quote!(crate::runtime::Base64)
            }
            Scalar::Json => quote!(serde_json::Value),
            Scalar::Unit => quote!(()),
        }
    }

    /// Whether values of `id` are `Copy` (passed by value in signatures).
    pub fn is_copy(&self, id: TypeId) -> bool {
        match self.api.types.kind(id) {
            TypeKind::Scalar(s) => matches!(
                s,
                Scalar::Bool
                    | Scalar::Int(_)
                    | Scalar::F32
                    | Scalar::F64
                    | Scalar::DateTime
                    | Scalar::Date
                    | Scalar::Uuid
                    | Scalar::Unit
            ),
            _ => false,
        }
    }

    /// Whether the type is (after aliases) a plain string.
    pub fn is_string(&self, id: TypeId) -> bool {
        matches!(self.api.types.kind(id), TypeKind::Scalar(Scalar::String))
    }
}

/// An identifier from a name the lowering already made valid.
pub fn ident(name: &str) -> Ident {
    // Names come from `lower::names`; raw identifiers are never needed.
    Ident::new(name, Span::call_site())
}

/// The primitive type for an integer kind.
pub fn int_ident(k: IntKind) -> Ident {
    format_ident!(
        "{}",
        match k {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
    )
}

/// The values an integer kind holds.
pub fn int_bounds(k: IntKind) -> (i128, i128) {
    use IntKind::*;
    match k {
        I8 => (i8::MIN as i128, i8::MAX as i128),
        I16 => (i16::MIN as i128, i16::MAX as i128),
        I32 => (i32::MIN as i128, i32::MAX as i128),
        I64 => (i64::MIN as i128, i64::MAX as i128),
        U8 => (0, u8::MAX as i128),
        U16 => (0, u16::MAX as i128),
        U32 => (0, u32::MAX as i128),
        U64 => (0, u64::MAX as i128),
    }
}

/// Name of the field holding undeclared properties: `additional_properties`, unless a
/// property already has that name.
pub fn additional_field(s: &StructType) -> String {
    unused_name(s, "additional_properties")
}

/// `base`, with underscores added until no field of `s` has the name.
pub fn unused_name(s: &StructType, base: &str) -> String {
    let mut name = base.to_owned();
    while s.fields.iter().any(|f| f.name == name) {
        name.push('_');
    }
    name
}
