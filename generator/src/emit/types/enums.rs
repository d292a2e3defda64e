//! Enums of strings and integers: one variant per listed value, and one that keeps any other.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::docs;
use super::super::feature::Feature;
use super::super::tokens::{Ctx, ident};
use crate::ir::{EnumType, EnumValue};

/// An open enum of strings.
pub(super) fn string_enum(ctx: &Ctx<'_>, name: &str, e: &EnumType) -> TokenStream {
    ctx.uses(Feature::StrEnum);
    let n = ident(name);
    let string = ctx.std("String");
    let unknown = ident(&e.unknown_variant);
    let mut variants = Vec::new();
    let mut as_str = Vec::new();
    let mut from = Vec::new();
    for v in &e.variants {
        let vi = ident(&v.name);
        let EnumValue::String(wire) = &v.value else { continue };
        let mut paragraphs = Vec::new();
        if let Some(d) = &v.docs {
            paragraphs.push(docs::sanitize(d));
        }
        paragraphs.push(if wire.is_empty() {
            "The empty string.".into()
        } else {
            format!("`{}`", wire.replace('`', "'"))
        });
        let doc = docs::lines_to_attrs(&paragraphs);
        variants.push(quote! { #doc #vi, });
        as_str.push(quote!(Self::#vi => #wire,));
        from.push(quote!(#wire => Self::#vi,));
    }
    let to_string = ctx.std("ToString");
    let from_trait = ctx.std("From");
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #n {
            #(#variants)*
            /// A value this version of the client does not know, kept as it was sent.
            #unknown(#string),
        }

        impl #n {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl #from_trait<&str> for #n {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(#to_string::to_string(other)),
                }
            }
        }

        impl std::str::FromStr for #n {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> #result<Self, Self::Err> {
                #ok(#from_trait::from(value))
            }
        }

        impl std::fmt::Display for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #n {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #n {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                crate::runtime::deserialize_str(deserializer, |value| #from_trait::from(value))
            }
        }
    }
}

/// An open enum of integers.
pub(super) fn int_enum(ctx: &Ctx<'_>, name: &str, e: &EnumType) -> TokenStream {
    let n = ident(name);
    let unknown = ident(&e.unknown_variant);
    let mut variants = Vec::new();
    let mut value = Vec::new();
    let mut from = Vec::new();
    for v in &e.variants {
        let vi = ident(&v.name);
        let EnumValue::Integer(wire) = v.value else { continue };
        let mut paragraphs = Vec::new();
        if let Some(d) = &v.docs {
            paragraphs.push(docs::sanitize(d));
        }
        paragraphs.push(format!("`{wire}`"));
        let doc = docs::lines_to_attrs(&paragraphs);
        let lit = Literal::i64_unsuffixed(wire);
        variants.push(quote! { #doc #vi, });
        value.push(quote!(Self::#vi => #lit,));
        from.push(quote!(#lit => Self::#vi,));
    }
    let result = ctx.std("Result");
    let from_trait = ctx.std("From");
    let flag = flag(ctx, &n, e);
    let as_bool = flag.as_ref().map(|f| &f.as_bool);
    let from_bool = flag.as_ref().map(|f| &f.from_bool);
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #n {
            #(#variants)*
            /// A value this version of the client does not know, kept as it was sent.
            #unknown(i64),
        }

        impl #n {
            /// The value as it appears on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#value)*
                    Self::#unknown(value) => value,
                }
            }

            #as_bool
        }

        #from_bool

        impl #from_trait<i64> for #n {
            fn from(value: i64) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl std::fmt::Display for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #n {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #n {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(<Self as #from_trait<i64>>::from)
            }
        }
    }
}

/// What an integer enum of exactly `0` and `1` (a flag sent as an integer) adds: `as_bool`,
/// and `From<bool>`.
struct Flag {
    as_bool: TokenStream,
    from_bool: TokenStream,
}

/// The conversions of `e` to and from `bool`, if its values are `0` and `1`.
fn flag(ctx: &Ctx<'_>, n: &proc_macro2::Ident, e: &EnumType) -> Option<Flag> {
    let named = |wanted: i64| e.variants.iter().find(|v| v.value == EnumValue::Integer(wanted)).map(|v| ident(&v.name));
    let (zero, one) = (named(0)?, named(1)?);
    if e.variants.len() != 2 {
        return None;
    }
    let (option, some, none, from) = (ctx.std("Option"), ctx.std("Some"), ctx.std("None"), ctx.std("From"));
    let unknown = ident(&e.unknown_variant);
    Some(Flag {
        as_bool: quote! {
            /// The value as a flag: `Some(false)` for `0`, `Some(true)` for `1`, `None` for a
            /// value this version of the client does not know.
            pub fn as_bool(self) -> #option<bool> {
                match self {
                    Self::#zero => #some(false),
                    Self::#one => #some(true),
                    Self::#unknown(_) => #none,
                }
            }
        },
        from_bool: quote! {
            impl #from<bool> for #n {
                fn from(value: bool) -> Self {
                    if value { Self::#one } else { Self::#zero }
                }
            }
        },
    })
}
