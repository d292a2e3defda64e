//! Structs' `Deserialize`, written out: the runtime's `Object` with one loop over the
//! properties, in place of serde's derive (see `runtime/serde_helpers.rs`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::feature::Feature;
use super::super::fields::{FieldShape, Finish};
use super::super::tokens::unused_name;
use super::super::tokens::{Ctx, Serde, ident};
use super::tolerance::field_tolerance;
use crate::ir::{Additional, StructType, TypeId};

/// `Deserialize` through the runtime's `Object`: a loop over the object's properties that
/// fills one slot per field. This is what serde's derive would do for JSON, minus the code it
/// compiles per struct for other formats (a field enum with its own visitor, and a visitor
/// for the struct written as an array).
pub(super) fn deserialize_impl(
    ctx: &Ctx<'_>,
    id: TypeId,
    name: &str,
    s: &StructType,
    shapes: &[FieldShape],
    additional: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let n = ident(name);
    let cfg = ctx.serde_cfg(id, Serde::Deserialize);
    let gated = ctx.serde_gated(id, Serde::Deserialize);
    let uses = |f: Feature| ctx.uses_gated(f, gated);
    uses(Feature::Object);
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    let none = ctx.std("None");
    let some = ctx.std("Some");
    let wire: Vec<&str> = s.fields.iter().map(|f| f.wire_name.as_str()).collect();
    // Slots are named after the fields; the few other locals take names no field has.
    let slots: Vec<proc_macro2::Ident> = s.fields.iter().map(|f| ident(&f.name)).collect();
    let local = |name: &str| ident(&unused_name(s, name));
    let (map, key, value) = (local("map"), local("key"), local("value"));
    let arms: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(i, (f, slot))| {
            let i = Literal::usize_unsuffixed(i);
            let wire = &f.wire_name;
            let tolerance = field_tolerance(ctx, f);
            if tolerance.any() {
                tolerance.record(ctx, Feature::TolerantField, gated);
                quote!(#some(#i) => crate::runtime::fill_tolerant(&mut #slot, &mut #map, #wire)?,)
            } else {
                uses(Feature::ObjectFill);
                quote!(#some(#i) => crate::runtime::fill(&mut #slot, &mut #map, #wire)?,)
            }
        })
        .collect();
    let inits: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(shapes)
        .zip(&slots)
        .map(|((f, sh), slot)| {
            let fi = ident(&f.name);
            let wire = &f.wire_name;
            let value = match &sh.finish {
                Finish::Required => {
                    uses(Feature::ObjectRequired);
                    quote!(crate::runtime::required(#slot, #wire)?)
                }
                Finish::Flatten => quote!(#slot.flatten()),
                // The slot has the field's name: shorthand.
                Finish::AsIs => return quote!(#fi,),
                Finish::Zero => quote!(#slot.flatten().unwrap_or_default()),
                Finish::DefaultFn(f) => quote!(#slot.flatten().unwrap_or_else(Self::#f)),
            };
            quote!(#fi: #value,)
        })
        .collect();
    let option = ctx.std("Option");
    let field_fn = (!s.fields.is_empty()).then(|| {
        let positions = wire.iter().enumerate().map(|(i, wire)| {
            let i = Literal::usize_unsuffixed(i);
            quote!(#wire => #some(#i),)
        });
        quote! {
            fn field(key: &str) -> #option<usize> {
                match key {
                    #(#positions)*
                    _ => #none,
                }
            }
        }
    });
    let slot_tys = shapes.iter().map(|sh| {
        let ty = &sh.ty;
        match sh.finish {
            Finish::AsIs => quote!(#ty),
            // `null` is read too, and means the property is absent.
            Finish::Zero | Finish::DefaultFn(_) => quote!(#option<#option<#ty>>),
            Finish::Required | Finish::Flatten => quote!(#option<#ty>),
        }
    });
    let ignored = quote!(serde::de::IgnoredAny);
    // Where the schema allows no other properties, they are skipped all the same, unless
    // decoding strictly.
    let closed = s.additional == Additional::Deny;
    let field_of = || {
        if closed {
            uses(Feature::ClosedObject);
            quote!(crate::runtime::ClosedFieldOf)
        } else {
            uses(Feature::ObjectKeys);
            quote!(crate::runtime::FieldOf)
        }
    };
    let (key_loop, extra_init) = match additional {
        Some(fi) if s.fields.is_empty() => {
            let string = ctx.std("String");
            let default = ctx.std("Default");
            (
                quote! {
                    let mut #fi: std::collections::BTreeMap<#string, _> = #default::default();
                    while let #some(#key) = #map.next_key::<#string>()? {
                        let #value = #map.next_value()?;
                        #fi.insert(#key, #value);
                    }
                },
                quote!(#fi,),
            )
        }
        // Undeclared properties are kept, so their names are read as strings.
        Some(fi) => {
            let string = ctx.std("String");
            let default = ctx.std("Default");
            (
                quote! {
                    let mut #fi: std::collections::BTreeMap<#string, _> = #default::default();
                    while let #some(#key) = #map.next_key::<#string>()? {
                        match Self::field(&#key) {
                            #(#arms)*
                            _ => {
                                let #value = #map.next_value()?;
                                #fi.insert(#key, #value);
                            }
                        }
                    }
                },
                quote!(#fi,),
            )
        }
        // No property is declared, and any is skipped.
        None if s.fields.is_empty() && !closed => (
            quote! {
                while #map.next_key::<#ignored>()?.is_some() {
                    #map.next_value::<#ignored>()?;
                }
            },
            quote!(),
        ),
        // No property is declared, and none is allowed: one is skipped, unless decoding strictly.
        None if s.fields.is_empty() => {
            let of = field_of();
            (
                quote! {
                    while #map.next_key_seed(#of(Self::field))?.is_some() {
                        #map.next_value::<#ignored>()?;
                    }
                },
                quote!(),
            )
        }
        None => {
            let of = field_of();
            (
                quote! {
                    while let #some(#key) = #map.next_key_seed(#of(Self::field))? {
                        match #key {
                            #(#arms)*
                            _ => {
                                #map.next_value::<#ignored>()?;
                            }
                        }
                    }
                },
                quote!(),
            )
        }
    };
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #n {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                crate::runtime::deserialize_object(deserializer)
            }
        }

        #cfg
        impl crate::runtime::Object for #n {
            const NAME: &'static str = #name;
            #field_fn
            fn from_map<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> #result<Self, A::Error> {
                #(let mut #slots: #slot_tys = #none;)*
                #key_loop
                #ok(Self { #(#inits)* #extra_init })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::types_rs;

    #[test]
    fn deserialize_reads_each_property_into_a_slot_and_finishes_by_kind() {
        let code = types_rs(
            r#"{"S": {"type": "object", "required": ["id", "note"], "properties": {
                "id": {"type": "string"},
                "note": {"type": ["string", "null"]},
                "gone": {"type": ["string", "null"]},
                "tag": {"type": "string"}
            }}}"#,
        );
        // No derived `Deserialize`: the runtime's `Object` reads it.
        assert!(!code.contains("derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)"), "{code}");
        assert!(code.contains("impl crate::runtime::Object for S"), "{code}");
        assert!(code.contains(r#""tag" => Some(3),"#), "{code}");
        assert!(code.contains(r#"Some(3) => crate::runtime::fill(&mut tag, &mut map, "tag")?,"#), "{code}");
        // Required: an error when missing; nullable: `None`; optional nullable: `null` is `Some(None)`.
        assert!(code.contains(r#"id: crate::runtime::required(id, "id")?,"#), "{code}");
        assert!(code.contains("note: note.flatten(),"), "{code}");
        assert!(code.contains("let mut gone: Option<Option<String>> = None;"), "{code}");
        assert!(code.contains("\n            gone,\n"), "{code}");
        assert!(code.contains("tag: tag.flatten(),"), "{code}");
        // What the derived `Serialize` needs stays.
        assert!(
            code.contains("#[serde(skip_serializing_if = \"std::option::Option::is_none\")]\n    pub gone:"),
            "{code}"
        );
        assert!(!code.contains("deserialize_with"), "{code}");
    }

    #[test]
    fn locals_of_deserialize_never_take_a_fields_name() {
        let code = types_rs(
            r#"{"S": {"type": "object", "required": ["map", "key"], "properties": {
                "map": {"type": "string"}, "key": {"type": "string"}, "drop": {"type": "string"}
            }}}"#,
        );
        assert!(code.contains("mut map_: A,"), "{code}");
        assert!(
            code.contains("while let Some(key_) = map_.next_key_seed(crate::runtime::FieldOf(Self::field))?"),
            "{code}"
        );
        assert!(code.contains(r#"Some(0) => crate::runtime::fill(&mut map, &mut map_, "map")?,"#), "{code}");
    }

    #[test]
    fn undeclared_properties_are_collected_by_name() {
        let code = types_rs(
            r#"{"S": {"type": "object", "properties": {"a": {"type": "string"}},
                "additionalProperties": {"type": "integer"}}}"#,
        );
        assert!(code.contains("while let Some(key) = map.next_key::<String>()?"), "{code}");
        assert!(code.contains("additional_properties.insert(key, value);"), "{code}");
        assert!(code.contains("#[serde(flatten)]"), "{code}");
    }
}
