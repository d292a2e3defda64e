//! `src/server.rs`: the `Server` enum of an API with servers to choose from, and the
//! `ClientBuilder::server` / `Client::with_server` that take it; plus the crate docs and README
//! text that show how to use them.

use super::feature::Feature;
use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{Ctx, Scope, ident};
use super::{default_base_url, docs};
use crate::ir::{Api, Auth, EnumValue, ParamLocation, Server, ServerVariable, TypeKind, UrlPart};

/// Whether the crate has a `Server` enum: the API offers a choice, and there is a client to
/// give it to.
pub fn emitted(api: &Api) -> bool {
    api.has_server_choice() && !api.operations.is_empty()
}

/// Whether any server has variables (their values are percent-encoded into the URL).
pub fn has_variables(api: &Api) -> bool {
    api.servers.iter().any(|s| !s.variables.is_empty())
}

/// The `server` module.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let api = ctx.api;
    ctx.uses(Feature::Servers);
    let variants = api.servers.iter().map(|s| variant(ctx, s));
    let url_arms = api.servers.iter().map(|s| url_arm(ctx, s));
    let default = api.servers.first().map(|s| value(s, |v| default_expr(ctx, v)));
    let default_doc = if default_base_url(api).is_some() {
        " The first server, with its variables at their defaults: [`crate::DEFAULT_BASE_URL`]."
    } else {
        " The first server, with its variables at their defaults."
    };
    let names_types = api.servers.iter().flat_map(|s| &s.variables).any(|v| is_enum(ctx, v));
    let types = names_types.then(|| quote!(types,));
    let encode = has_variables(api).then(|| {
        ctx.uses(Feature::ServerVariables);
        quote!(
            use crate::runtime::percent_encode;
        )
    });
    let url_doc = if has_variables(api) {
        quote! {
            /// The server's URL. Variable values are percent-encoded, so each stays within its
            /// place: a `/` in a value does not start another path segment.
        }
    } else {
        quote!(
            /// The server's URL.
        )
    };
    quote! {
        //! The servers the API is served from.

        #encode
        use crate::{#types Client, ClientBuilder};

        /// A server the API is served from, with the values of its URL variables.
        ///
        /// Send requests to one with [`ClientBuilder::server`] or [`Client::with_server`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Server {
            #(#variants)*
        }

        impl Default for Server {
            #[doc = #default_doc]
            fn default() -> Self {
                #default
            }
        }

        impl Server {
            #url_doc
            pub fn url(&self) -> String {
                match self {
                    #(#url_arms)*
                }
            }

            /// The server's URL with its scheme, host and port replaced by `origin`
            /// (`http://127.0.0.1:4010`), keeping its path: for a mock server or proxy that serves
            /// the API's paths on another host.
            pub fn url_at(&self, origin: &str) -> String {
                crate::runtime::at_origin(&self.url(), origin)
            }
        }

        impl ClientBuilder {
            /// Send requests to `server`.
            ///
            /// This sets the base URL, as [`ClientBuilder::base_url`] does: of the two, the one
            /// called last wins.
            pub fn server(self, server: Server) -> Self {
                self.base_url(server.url())
            }
        }

        impl Client {
            /// A client that sends requests to `server`, with this client's configuration
            /// (credentials, timeouts, retries, hooks) and connection pool.
            ///
            /// The URL is checked when a request is made: if it is not an absolute http(s) URL,
            /// requests fail with [`crate::Error::Config`].
            pub fn with_server(&self, server: Server) -> Client {
                crate::runtime::with_base_url(self, server.url())
            }
        }
    }
}

/// Whether a variable's values are an enum (else a string).
fn is_enum(ctx: &Ctx<'_>, v: &ServerVariable) -> bool {
    matches!(ctx.api.types.kind(v.ty), TypeKind::Enum(_))
}

/// Schema text as inline code in a doc comment, on one line: a line break could start a code
/// block rustdoc would run, a backtick end the span.
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| {
            if c == '`' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("`{text}`")
}

/// A variant of `Server`, with its variables as fields.
fn variant(ctx: &Ctx<'_>, s: &Server) -> TokenStream {
    let mut paragraphs = Vec::new();
    if let Some(d) = s.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        paragraphs.push(docs::sanitize(d));
    }
    paragraphs.push(code_span(&s.template()));
    let doc = docs::lines_to_attrs(&paragraphs);
    let name = ident(&s.name);
    if s.variables.is_empty() {
        return quote!(#doc #name,);
    }
    let fields = s.variables.iter().map(|v| {
        let mut paragraphs = Vec::new();
        if let Some(d) = v.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            paragraphs.push(docs::sanitize(d));
        }
        let default = if v.default.is_empty() { "the empty string".to_string() } else { code_span(&v.default) };
        let placeholder = code_span(&format!("{{{}}}", v.wire_name));
        paragraphs.push(format!("{placeholder} in the URL; default {default}."));
        let doc = docs::lines_to_attrs(&paragraphs);
        let field = ident(&v.name);
        let ty = ctx.ty(v.ty, Scope::Crate);
        quote!(#doc #field: #ty,)
    });
    quote! {
        #doc
        #name {
            #(#fields)*
        },
    }
}

/// `Self::Name { field: value, .. }` (or `Self::Name`), with each variable's value from `expr`.
fn value(s: &Server, expr: impl Fn(&ServerVariable) -> TokenStream) -> TokenStream {
    let name = ident(&s.name);
    if s.variables.is_empty() {
        return quote!(Self::#name);
    }
    let fields = s.variables.iter().map(|v| {
        let field = ident(&v.name);
        let value = expr(v);
        quote!(#field: #value)
    });
    quote!(Self::#name { #(#fields),* })
}

/// The default of a variable as an expression of its type.
fn default_expr(ctx: &Ctx<'_>, v: &ServerVariable) -> TokenStream {
    let text = v.default.as_str();
    match ctx.api.types.kind(v.ty) {
        TypeKind::Enum(e) => {
            let ty = ctx.ty(v.ty, Scope::Crate);
            match e.variants.iter().find(|x| x.value == EnumValue::String(text.to_string())) {
                Some(x) => {
                    let variant = ident(&x.name);
                    quote!(#ty::#variant)
                }
                None => {
                    let unknown = ident(&e.unknown_variant);
                    quote!(#ty::#unknown(#text.to_owned()))
                }
            }
        }
        _ => quote!(#text.to_owned()),
    }
}

/// The match arm of `Server::url` for `s`: literal text, and values percent-encoded.
fn url_arm(ctx: &Ctx<'_>, s: &Server) -> TokenStream {
    let name = ident(&s.name);
    if s.variables.is_empty() {
        let text = s.template();
        return quote!(Self::#name => #text.to_owned(),);
    }
    let fields = s.variables.iter().map(|v| ident(&v.name));
    let mut parts = s.url.iter();
    let start = match s.url.first() {
        Some(UrlPart::Literal(text)) => {
            parts.next();
            quote!(String::from(#text))
        }
        _ => quote!(String::new()),
    };
    let pushes = parts.map(|part| match part {
        UrlPart::Literal(text) => quote!(url.push_str(#text);),
        UrlPart::Variable(i) => {
            let Some(v) = s.variables.get(*i) else { return quote!() };
            let field = ident(&v.name);
            if is_enum(ctx, v) {
                quote!(percent_encode(&mut url, #field.as_str());)
            } else {
                quote!(percent_encode(&mut url, #field);)
            }
        }
    });
    quote! {
        Self::#name { #(#fields),* } => {
            let mut url = #start;
            #(#pushes)*
            url
        }
    }
}

/// The server the examples choose: the first with variables to set, else the second.
fn example_server(api: &Api) -> Option<&Server> {
    api.servers.iter().find(|s| !s.variables.is_empty()).or_else(|| api.servers.get(1))
}

/// Rust source choosing a server, for the crate docs and README: the lines of a `main` body
/// whose `?` takes the crate's `Error`.
fn example(api: &Api, krate: &str) -> Option<String> {
    let server = example_server(api)?;
    let names_types = server.variables.iter().any(|v| matches!(api.types.kind(v.ty), TypeKind::Enum(_)));
    let types = if names_types { "types, " } else { "" };
    let mut value = format!("Server::{}", server.name);
    if !server.variables.is_empty() {
        let fields: Vec<String> =
            server.variables.iter().map(|v| format!("{}: {}", v.name, default_text(api, v))).collect();
        let _ = write!(value, " {{ {} }}", fields.join(", "));
    }
    let credentials = match &api.auth {
        Some(Auth::Bearer) => "\n    .bearer_token(\"<token>\")".to_string(),
        Some(Auth::Basic) => "\n    .basic_auth(\"<user>\", \"<password>\")".to_string(),
        Some(Auth::ApiKey { location, name }) => {
            let method = match location {
                ParamLocation::Query => "api_key_query",
                ParamLocation::Cookie => "api_key_cookie",
                _ => "api_key_header",
            };
            format!("\n    .{method}({name:?}, \"<key>\")")
        }
        None => String::new(),
    };
    // A client for another server shares this one's pool: worth showing when there is another.
    let first = api.servers.first().is_some_and(|s| s.name == server.name);
    let other = if first || default_base_url(api).is_none() {
        String::new()
    } else {
        "\n// The same configuration and connection pool, sending to the default server:\n\
         let default = client.with_server(Server::default());"
            .to_string()
    };
    Some(format!(
        "use {krate}::{{{types}Client, Server}};\n\n\
         let client = Client::builder(){credentials}\n    .server({value})\n    .build()?;{other}"
    ))
}

/// A variable's default as Rust source, for the examples.
fn default_text(api: &Api, v: &ServerVariable) -> String {
    match api.types.kind(v.ty) {
        TypeKind::Enum(e) => {
            let ty = api.types.get(v.ty).name.as_deref().unwrap_or_default();
            match e.variants.iter().find(|x| x.value == EnumValue::String(v.default.clone())) {
                Some(x) => format!("types::{ty}::{}", x.name),
                None => format!("types::{ty}::{}({:?}.into())", e.unknown_variant, v.default),
            }
        }
        _ => format!("{:?}.into()", v.default),
    }
}

/// The crate docs' "Servers" section (already-safe Markdown paragraphs), if there is a
/// `Server` enum.
pub fn crate_docs(api: &Api, krate: &str) -> Vec<String> {
    if !emitted(api) {
        return Vec::new();
    }
    let default = if default_base_url(api).is_some() {
        "Requests go to the first, with its variables at their defaults ([`DEFAULT_BASE_URL`]), unless \
         [`ClientBuilder::server`] or [`Client::with_server`] choose another."
    } else {
        "The first one's URL is not absolute, so [`Client::new`] takes a base URL; [`ClientBuilder::server`] \
         and [`Client::with_server`] choose a server."
    };
    let mut paragraphs = vec![
        "# Servers".to_string(),
        format!(
            "[`Server`] lists the servers the API is served from, with the variables of their URLs. {default} \
             [`ClientBuilder::base_url`] still replaces the whole URL (with a mock server, say); \
             [`Server::url_at`] keeps a server's path on another host."
        ),
    ];
    // Not a doctest: generated docs run nothing, and the example quotes schema text (defaults).
    if let Some(code) = example(api, krate) {
        paragraphs.push(format!("```text\n{code}\n```"));
    }
    paragraphs
}

/// The README's "Servers" section, if there is a `Server` enum.
pub fn readme_section(api: &Api, krate: &str) -> String {
    if !emitted(api) {
        return String::new();
    }
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|");
    let default = if default_base_url(api).is_some() {
        "Requests go to the first server, with its variables at their defaults, unless `ClientBuilder::server` \
         or `Client::with_server` choose another"
    } else {
        "The first server's URL is not absolute, so `Client::new` takes a base URL; `ClientBuilder::server` \
         and `Client::with_server` choose a server"
    };
    let mut out = format!("## Servers\n\n{default}:\n\n| Server | URL | Description |\n|---|---|---|\n");
    for s in &api.servers {
        let fields: Vec<&str> = s.variables.iter().map(|v| v.name.as_str()).collect();
        let variant =
            if fields.is_empty() { s.name.clone() } else { format!("{} {{ {} }}", s.name, fields.join(", ")) };
        let description = s.description.as_deref().map(one_line).unwrap_or_default();
        let _ = writeln!(out, "| `Server::{variant}` | `{}` | {description} |", one_line(&s.template()));
    }
    if let Some(code) = example(api, krate) {
        let _ = write!(out, "\n```rust,ignore\n{code}\n```\n");
    }
    out.push_str(
        "\n`ClientBuilder::base_url` still replaces the whole URL (with a mock server, say); \
         `Server::url_at(\"http://127.0.0.1:4010\")` keeps a server's path on another host.\n\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::{GeneratedCrate, Options, generate_from_str};

    fn generate(servers: &str) -> GeneratedCrate {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "servers": {servers},
                "paths": {{"/a": {{"get": {{"operationId": "getA", "responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"#
        );
        generate_from_str("t.json", &text, &Options::new("t")).expect("generates")
    }

    fn file<'a>(krate: &'a GeneratedCrate, path: &str) -> Option<&'a str> {
        krate.files.iter().find(|f| f.path == path).map(|f| f.contents.as_str())
    }

    #[test]
    fn one_server_without_variables_has_no_server_enum() {
        let krate = generate(r#"[{"url": "https://a.example.com/v1"}]"#);
        assert!(file(&krate, "src/server.rs").is_none());
        let lib = file(&krate, "src/lib.rs").unwrap_or_default();
        assert!(!lib.contains("Server") && lib.contains("\"https://a.example.com/v1\""), "{lib}");
        let client = file(&krate, "src/runtime/client.rs").unwrap_or_default();
        assert!(!client.contains("at_origin") && !client.contains("fn with_base_url"), "{client}");
        assert!(!file(&krate, "README.md").unwrap_or_default().contains("## Servers"));
    }

    #[test]
    fn schema_text_in_server_docs_stays_on_one_line() {
        let krate = generate(
            r#"[{"url": "https://a.example.com/{v}\n```\nevil();", "variables": {"v": {"default": "x\n```rust\ny`"}}}]"#,
        );
        let server = file(&krate, "src/server.rs").unwrap_or_default();
        assert!(server.contains("/// `https://a.example.com/{v} ''' evil();`"), "{server}");
        assert!(server.contains("/// `{v}` in the URL; default `x '''rust y'`."), "{server}");
    }

    #[test]
    fn servers_without_variables_encode_nothing() {
        let krate =
            generate(r#"[{"url": "https://a.example.com", "description": "Live"}, {"url": "https://b.example.com"}]"#);
        let server = file(&krate, "src/server.rs").unwrap_or_default();
        assert!(server.contains("    Live,\n") && server.contains("    Server2,\n"), "{server}");
        assert!(!server.contains("percent_encode") && !server.contains("types"), "{server}");
        let runtime = file(&krate, "src/runtime/mod.rs").unwrap_or_default();
        assert!(runtime.contains("at_origin") && !runtime.contains("percent_encode"), "{runtime}");
        // The example shows the other server, and a client derived for the default one.
        let readme = file(&krate, "README.md").unwrap_or_default();
        assert!(readme.contains(".server(Server::Server2)") && readme.contains("with_server(Server::default())"));
    }
}
