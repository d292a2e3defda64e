//! Constrained scalars: a newtype checked by `new`, `TryFrom` and `FromStr`, decoded as is
//! (unchecked: a server that breaks its own constraints should not break the call).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::feature::Feature;
use super::super::tokens::{Ctx, Scope, ident};
use super::super::validate;
use crate::ir::{NewtypeType, Scalar, TypeKind};

/// The newtype and its conversions.
pub(super) fn newtype_item(ctx: &Ctx<'_>, name: &str, nt: &NewtypeType) -> TokenStream {
    let n = ident(name);
    let inner = ctx.ty(nt.inner, Scope::Types);
    let result = ctx.std("Result");
    let ok = ctx.std("Ok");
    let checks = validate::constraint_checks(ctx, name, nt);
    let statics = checks.statics;
    let body = checks.body;
    let common = quote! {
        impl crate::Validate for #n {
            fn validate(&self) -> #result<(), crate::ValidationError> {
                #body
                #ok(())
            }
        }

        impl std::fmt::Display for #n {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }
    };
    let is_string = matches!(ctx.api.types.kind(nt.inner), TypeKind::Scalar(Scalar::String));
    let try_from = ctx.std("TryFrom");
    if is_string {
        let string = ctx.std("String");
        let into = ctx.std("Into");
        let as_ref = ctx.std("AsRef");
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
            #[derive(serde::Serialize, serde::Deserialize)]
            #[serde(transparent)]
            pub struct #n(#string);

            #statics

            impl #n {
                /// Check `value` against the constraints and wrap it.
                ///
                /// # Errors
                /// The constraint `value` breaks.
                pub fn new(value: impl #into<#string>) -> #result<Self, crate::ValidationError> {
                    let value = Self(#into::into(value));
                    crate::Validate::validate(&value)?;
                    #ok(value)
                }

                /// The text.
                pub fn as_str(&self) -> &str {
                    &self.0
                }

                /// The text, unwrapped.
                pub fn into_inner(self) -> #string {
                    self.0
                }
            }

            impl std::ops::Deref for #n {
                type Target = str;
                fn deref(&self) -> &str {
                    &self.0
                }
            }

            impl #as_ref<str> for #n {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }

            impl std::str::FromStr for #n {
                type Err = crate::ValidationError;
                fn from_str(value: &str) -> #result<Self, Self::Err> {
                    Self::new(value)
                }
            }

            impl #try_from<#string> for #n {
                type Error = crate::ValidationError;
                fn try_from(value: #string) -> #result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            impl #try_from<&str> for #n {
                type Error = crate::ValidationError;
                fn try_from(value: &str) -> #result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            #common
        }
    } else {
        ctx.uses(Feature::Tolerant);
        ctx.uses(Feature::TolerantNumber);
        ctx.uses(Feature::TolerantNewtype);
        let integer = matches!(ctx.api.types.kind(nt.inner), TypeKind::Scalar(Scalar::Int(_)));
        // Floats are neither `Eq` nor `Ord`.
        let (eq, ord) = if integer { (quote!(Eq,), quote!(Ord, Hash,)) } else { (quote!(), quote!()) };
        quote! {
            #[derive(Debug, Clone, Copy, PartialEq, #eq PartialOrd, #ord serde::Serialize)]
            #[serde(transparent)]
            pub struct #n(#inner);

            // Read as the number it wraps, numeric strings included (see the runtime's `Tolerant`).
            impl<'de> serde::Deserialize<'de> for #n {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    crate::runtime::Tolerant::read(deserializer, "")
                }
            }

            impl crate::runtime::Tolerant for #n {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D, field: &'static str) -> #result<Self, D::Error> {
                    <#inner as crate::runtime::Tolerant>::read(deserializer, field).map(Self)
                }
            }

            #statics

            impl #n {
                /// Check `value` against the constraints and wrap it.
                ///
                /// # Errors
                /// The constraint `value` breaks.
                pub fn new(value: #inner) -> #result<Self, crate::ValidationError> {
                    let value = Self(value);
                    crate::Validate::validate(&value)?;
                    #ok(value)
                }

                /// The number.
                pub fn get(self) -> #inner {
                    self.0
                }
            }

            impl #try_from<#inner> for #n {
                type Error = crate::ValidationError;
                fn try_from(value: #inner) -> #result<Self, Self::Error> {
                    Self::new(value)
                }
            }

            impl std::str::FromStr for #n {
                type Err = crate::ValidationError;
                fn from_str(value: &str) -> #result<Self, Self::Err> {
                    let parsed: #inner = value
                        .trim()
                        .parse()
                        .map_err(|_| crate::ValidationError::new(format!("`{value}` is not a number")))?;
                    Self::new(parsed)
                }
            }

            #common
        }
    }
}
