//! clientgen: reads an OpenAPI 3.0/3.1 document and writes a typed, self-contained Rust client crate.
//!
//! The pipeline runs one way: [`load`] (YAML/JSON with positions, `$ref` files) →
//! [`lower`] (OpenAPI → [`ir`]) → [`emit`] (IR → formatted Rust files).

pub mod diag;
pub mod ir;
pub mod load;
pub mod lower;
