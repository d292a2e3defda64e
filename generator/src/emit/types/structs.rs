//! Structs: fields with serde attributes for optional, nullable and defaulted properties, a
//! constructor taking the required fields, and `Default` when nothing is required.

use heck::ToLowerCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs;
use super::super::feature::Feature;
use super::super::fields::{FieldShape, field_form, field_shape};
use super::super::tokens::additional_field;
use super::super::tokens::{Ctx, Scope, Serde, ident};
use super::super::validate;
use super::MAX_CONSTRUCTOR_ARGS;
use super::object;
use crate::ir::{Additional, Field, StructType, TypeId, TypeKind};

/// The struct and its impls.
pub(super) fn struct_item(ctx: &Ctx<'_>, id: TypeId, name: &str, s: &StructType) -> TokenStream {
    let n = ident(name);
    let mut default_fns = Vec::new();
    let shapes: Vec<FieldShape> = s.fields.iter().map(|f| field_shape(ctx, f, &mut default_fns)).collect();
    // `rename_all = "camelCase"` when it covers every field, else per-field renames.
    let camel = !s.fields.is_empty()
        && s.fields.iter().all(|f| f.name.trim_end_matches('_').to_lower_camel_case() == f.wire_name)
        && s.fields.iter().any(|f| f.name != f.wire_name);
    // `Deserialize` is written out below; the attributes are for the derived `Serialize`, and
    // exist only where it does.
    let feature = super::super::runtime::FULL_SERDE;
    let serialize_gated = ctx.serde_gated(id, Serde::Serialize);
    let serde_attr = |args: Vec<TokenStream>| -> Option<TokenStream> {
        if args.is_empty() {
            return None;
        }
        Some(if serialize_gated {
            quote!(#[cfg_attr(feature = #feature, serde(#(#args),*))])
        } else {
            quote!(#[serde(#(#args),*)])
        })
    };
    let mut fields: Vec<TokenStream> = Vec::new();
    for (f, shape) in s.fields.iter().zip(&shapes) {
        let fname = ident(&f.name);
        let mut serde = Vec::new();
        // Under `rename_all` every field already has its wire name.
        if !camel && f.name != f.wire_name {
            let wire = &f.wire_name;
            serde.push(quote!(rename = #wire));
        }
        if shape.skip_none {
            serde.push(quote!(skip_serializing_if = "std::option::Option::is_none"));
        }
        let serde_attr = serde_attr(serde);
        let mut extra = Vec::new();
        if f.sensitive {
            extra.push("Sensitive: never shown by `Debug`.".to_string());
        }
        if f.read_only {
            extra.push("Set by the server; ignored in requests.".to_string());
        }
        let doc = docs::attrs(&f.docs, &extra);
        let ty = &shape.ty;
        fields.push(quote! {
            #doc
            #serde_attr
            pub #fname: #ty,
        });
    }
    let additional_name = match &s.additional {
        Additional::Map(value) => {
            let fi = ident(&additional_field(s));
            let v = ctx.ty(*value, Scope::Types);
            let string = ctx.std("String");
            let flatten = serde_attr(vec![quote!(flatten)]);
            fields.push(quote! {
                /// Properties not declared by the schema.
                #flatten
                pub #fi: std::collections::BTreeMap<#string, #v>,
            });
            Some(fi)
        }
        _ => None,
    };
    let sensitive = s.fields.iter().any(|f| f.sensitive);
    let all_defaulted = shapes.iter().all(|s| s.default.is_some());
    let derive_default = all_defaulted && shapes.iter().all(|s| s.derivable);
    let mut derives = Vec::new();
    if !sensitive {
        derives.push(quote!(Debug));
    }
    derives.extend([quote!(Clone), quote!(PartialEq)]);
    if derive_default {
        derives.push(quote!(Default));
    }
    if !serialize_gated {
        derives.push(quote!(serde::Serialize));
    }
    let gated_derives = serialize_gated.then(|| quote!(#[cfg_attr(feature = #feature, derive(serde::Serialize))]));
    let camel_attr = camel.then(|| serde_attr(vec![quote!(rename_all = "camelCase")]));
    let mut out = quote! {
        #[derive(#(#derives),*)]
        #gated_derives
        #camel_attr
        pub struct #n {
            #(#fields)*
        }
    };
    let default = ctx.std("Default");
    let extra_init = additional_name.as_ref().map(|fi| quote!(#fi: #default::default(),));
    let inits: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&shapes)
        .map(|(f, sh)| {
            let fi = ident(&f.name);
            match &sh.default {
                Some(d) => quote!(#fi: #d,),
                None => quote!(#fi,),
            }
        })
        .collect();
    let required: Vec<(&Field, &FieldShape)> =
        s.fields.iter().zip(&shapes).filter(|(_, sh)| sh.default.is_none()).collect();
    // Where a literal does the same, a `new` would be noise, unless the struct is
    // non-exhaustive and a literal cannot be written outside the crate.
    let literal_suffices =
        required.len() == s.fields.len() + usize::from(additional_name.is_some()) && !super::non_exhaustive(ctx, id);
    let constructor =
        (!required.is_empty() && !literal_suffices && required.len() <= MAX_CONSTRUCTOR_ARGS).then(|| {
            let params = required.iter().map(|(f, sh)| {
                let fi = ident(&f.name);
                let ty = &sh.ty;
                quote!(#fi: #ty)
            });
            quote! {
                /// A value with the required fields set and every other field absent or at its default.
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits)* #extra_init }
                }
            }
        });
    // A request struct with one required field of a type of this crate converts from that type, so
    // chains of single-field wrappers (`JobRunInternalOverride` around `InternalSource`) are
    // one `.into()` each. Strings, numbers and aliases of foreign types get no such `From`.
    let from_impl = match required.as_slice() {
        [(f, sh)] if constructor.is_some() && super::sent(ctx, id) => {
            let entry = ctx.api.types.get(f.ty);
            let own_type = entry.name.is_some()
                && entry.kind.is_named_kind()
                && !matches!(entry.kind, TypeKind::Alias(_))
                // The field holds the type itself, not an `Option` or a `Box` of it.
                && !sh.optional
                && !f.boxed;
            own_type.then(|| {
                let from = ctx.std("From");
                let ty = &sh.ty;
                quote! {
                    impl #from<#ty> for #n {
                        fn from(value: #ty) -> Self {
                            Self::new(value)
                        }
                    }
                }
            })
        }
        _ => None,
    };
    // Defaults only `Deserialize` reads exist only when it does.
    let defaults_elsewhere = constructor.is_some() || (all_defaulted && !derive_default);
    let default_cfg = (!defaults_elsewhere).then(|| ctx.serde_cfg(id, Serde::Deserialize)).flatten();
    if !default_fns.is_empty() || constructor.is_some() {
        out.extend(quote! {
            impl #n {
                #constructor
                #(#default_cfg #default_fns)*
            }
        });
    }
    if all_defaulted && !derive_default {
        out.extend(quote! {
            impl #default for #n {
                fn default() -> Self {
                    Self { #(#inits)* #extra_init }
                }
            }
        });
    }
    out.extend(from_impl);
    out.extend(object::deserialize_impl(ctx, id, name, s, &shapes, additional_name.as_ref()));
    if sensitive {
        out.extend(redacted_debug(ctx, name, s, &shapes, additional_name.as_ref()));
    }
    if ctx.validated.contains(&id) {
        out.extend(validate::struct_impl(ctx, name, s));
    }
    out
}

/// Whether `Debug` shows the keys of sensitive field `f` (a map: names of environment
/// variables or paths of secret files), hiding only the values.
fn shows_keys(ctx: &Ctx<'_>, f: &Field) -> bool {
    f.sensitive && matches!(ctx.api.types.kind(f.ty), TypeKind::Map { .. })
}

/// `Debug` that shows whether a sensitive field is set (and a map's keys), never its values.
fn redacted_debug(
    ctx: &Ctx<'_>,
    name: &str,
    s: &StructType,
    shapes: &[FieldShape],
    additional: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let n = ident(name);
    let shown = s.fields.iter().zip(shapes).map(|(f, sh)| {
        let fi = ident(&f.name);
        let label = &f.name;
        if shows_keys(ctx, f) {
            ctx.uses(Feature::RedactedKeys);
            match field_form(ctx, f).layers() {
                0 => quote!(.field(#label, &crate::runtime::RedactedKeys(&self.#fi))),
                1 => quote!(.field(#label, &self.#fi.as_ref().map(crate::runtime::RedactedKeys))),
                // Absent, `null` or a map: `None`, `Some(None)` or `Some(Some(keys))`.
                _ => quote!(.field(#label, &self.#fi.as_ref().map(|v| v.as_ref().map(crate::runtime::RedactedKeys)))),
            }
        } else if f.sensitive {
            ctx.uses(Feature::Redacted);
            if sh.optional {
                quote!(.field(#label, &crate::runtime::Redacted(self.#fi.is_some())))
            } else {
                quote!(.field(#label, &crate::runtime::Redacted(true)))
            }
        } else {
            quote!(.field(#label, &self.#fi))
        }
    });
    let extra = additional.map(|fi| {
        let label = fi.to_string();
        quote!(.field(#label, &self.#fi))
    });
    quote! {
        impl std::fmt::Debug for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name) #(#shown)* #extra .finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::types_rs;

    #[test]
    fn defaults_equal_to_the_types_own_are_derived() {
        let code = types_rs(
            r#"{"S": {"type": "object", "properties": {
                "on": {"type": "boolean", "default": false},
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                "n": {"type": "integer", "default": 2}
            }}}"#,
        );
        assert!(code.contains("on: on.flatten().unwrap_or_default(),"), "{code}");
        assert!(code.contains("tags: tags.flatten().unwrap_or_default(),"), "{code}");
        assert!(code.contains("n: n.flatten().unwrap_or_else(Self::default_n),"), "{code}");
        assert!(code.contains("impl Default for S"), "{code}");
    }

    #[test]
    fn a_required_constant_is_filled_in_by_the_constructor() {
        let code = types_rs(
            r#"{"S": {"type": "object", "required": ["kind", "size"], "properties": {
                "kind": {"const": "box"}, "size": {"type": "integer"}
            }}}"#,
        );
        assert!(code.contains("pub fn new(size: i64) -> Self"), "{code}");
        assert!(code.contains("kind: SKind::Box,"), "{code}");
    }
}
