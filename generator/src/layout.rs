//! What a generated crate holds at its root besides the schema's types (which are in its
//! `types` module): the names both `lower`, which names schema types clear of them, and
//! `emit`, which exports them, take from here.

/// The runtime's types every client crate re-exports at its root, in the order `lib.rs` lists
/// them.
pub const RUNTIME_TYPES: &[&str] = &[
    "ApiError",
    "Client",
    "ClientBuilder",
    "ConfigError",
    "DeadlineError",
    "DecodeError",
    "Error",
    "ErrorPayload",
    "Hooks",
    "Outcome",
    "PaginationError",
    "PaginationErrorKind",
    "RateLimit",
    "RequestInfo",
    "RequestOptions",
    "Response",
    "RetryPolicy",
    "TooLargeError",
    "TransportError",
    "Validate",
    "ValidationError",
];

/// Methods a generated `Client` has besides its operations (in the runtime and in the code
/// written around it; private ones too, since an operation of the same name would clash with
/// them as well), which operations and the methods derived from them are named clear of.
/// `clone`, `fmt` and `default` are its traits'. A test reads them back from a generated crate.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "clone",
    "fmt",
    "default",
    "send",
    "prepare",
    "attempt",
    "send_with_retries",
    "with_server",
    "with_options",
];

/// Names `Client` no longer has but operations stay clear of, so that regenerating an existing
/// crate does not rename its `config_2` to `config`.
pub const FORMER_CLIENT_METHODS: &[&str] = &["config", "http_client", "server"];

/// Types a crate has at its root only when its schema needs them: base64 strings, and the
/// servers to choose from.
pub const OPTIONAL_TYPES: &[&str] = &["Base64", "Server"];

/// Whether `name` is, or may be, a type at a generated crate's root. A schema type of that
/// name would be a second meaning for it (`northflank_jobs::ApiError`, the client's error, and
/// `types::ApiError`, the body the API sends), and `use crate::*` with `use crate::types::*`
/// would not compile; so schema types are named clear of all of them, whichever a crate has,
/// and a new server or base64 field never renames one.
pub fn is_root_type(name: &str) -> bool {
    RUNTIME_TYPES.contains(&name) || OPTIONAL_TYPES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::is_root_type;
    use crate::{Options, generate_from_str};

    /// Every type a crate's root has is in this module's lists, or a schema type could take its
    /// name: read back from a crate that has them all (servers to choose, base64 fields).
    #[test]
    fn the_lists_hold_every_type_at_a_crate_root() {
        let schema = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://a.example.com"}, {"url": "https://b.example.com"}],
            "paths": {"/x": {"post": {"operationId": "postX",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"Error": {"type": "object",
                "properties": {"blob": {"type": "string", "format": "byte", "maxLength": 8}}}}}}"##;
        let krate = generate_from_str("api.json", schema, &Options::new("t")).expect("generates");
        // The crate's public API as `clientgen diff` reads it: root items have no path.
        let surface = crate::diff::surface::of_files(&krate.files);
        let names: Vec<String> = surface.items.keys().filter(|k| !k.contains([':', ' '])).cloned().collect();
        let types: Vec<&String> = names.iter().filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase())).collect();
        for name in ["Base64", "Server", "Client", "ValidationError"] {
            assert!(types.iter().any(|t| *t == name), "the crate exports `{name}`: {types:?}");
        }
        for t in types.iter().filter(|t| t.chars().any(|c| c.is_ascii_lowercase())) {
            assert!(is_root_type(t), "`{t}` is at the crate root but not in `layout`");
        }
        let doc = &krate.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
        assert!(doc.contains("pub struct ErrorModel") && doc.contains("`Error` at the crate root"), "{doc}");
    }

    /// `CLIENT_METHODS` is every method `Client` has but its operations: read from every
    /// `impl Client` and `impl _ for Client` of a crate that has all of them (servers to
    /// choose, a paginated operation), whatever their visibility.
    #[test]
    fn client_methods_are_the_ones_the_crate_defines() {
        let schema = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://a.example.com"}, {"url": "https://{region}.example.com",
                "variables": {"region": {"default": "eu"}}}],
            "paths": {"/x": {"get": {"operationId": "listX",
                "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["items"], "properties": {
                        "items": {"type": "array", "items": {"type": "string"}},
                        "next_cursor": {"type": "string"}}}}}}}}}}}"##;
        let krate = generate_from_str("api.json", schema, &Options::new("t")).expect("generates");
        let mut methods = std::collections::BTreeSet::new();
        for file in krate.files.iter().filter(|f| f.path.ends_with(".rs")) {
            let parsed = syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
            for item in parsed.items {
                let syn::Item::Impl(i) = item else { continue };
                let syn::Type::Path(ty) = &*i.self_ty else { continue };
                if ty.path.segments.last().is_some_and(|s| s.ident == "Client") {
                    for f in i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            methods.insert(f.sig.ident.to_string());
                        }
                    }
                }
            }
        }
        for operation in ["list_x", "list_x_pages", "list_x_stream"] {
            assert!(methods.remove(operation), "`Client::{operation}` is missing: {methods:?}");
        }
        // `clone` and `default` are derived, so no `impl` writes them out.
        let listed: std::collections::BTreeSet<String> =
            super::CLIENT_METHODS.iter().filter(|m| !["clone", "default"].contains(m)).map(|m| m.to_string()).collect();
        assert_eq!(methods, listed, "`layout::CLIENT_METHODS` differs from what `Client` has");
        assert!(super::FORMER_CLIENT_METHODS.iter().all(|m| !methods.contains(*m)));
    }
}
