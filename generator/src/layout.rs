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

/// Methods a generated `Client` has besides its operations, which operations are named clear
/// of (`send` is the runtime's own, crate-private; `clone`, `fmt` and `default` its traits').
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "config",
    "base_url",
    "http_client",
    "clone",
    "fmt",
    "default",
    "send",
    "server",
    "with_server",
    "with_options",
];

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
        // Every public method of `Client` is the operation or in `CLIENT_METHODS`.
        for method in names_of(&surface, "Client::") {
            let operation = method == "post_x";
            assert!(operation || super::CLIENT_METHODS.contains(&method), "`Client::{method}` is not in `layout`");
        }
        let doc = &krate.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
        assert!(doc.contains("pub struct ErrorModel") && doc.contains("`Error` at the crate root"), "{doc}");
    }

    /// The names of the items under `prefix` (`Client::`) in `surface`.
    fn names_of<'s>(surface: &'s crate::diff::surface::Surface, prefix: &str) -> Vec<&'s str> {
        surface.items.keys().filter_map(|k| k.strip_prefix(prefix)).filter(|k| !k.contains([':', ' '])).collect()
    }
}
