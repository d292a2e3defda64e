//! The generated part of the server, `src/tools.rs`: the clients (one per consumed namespace
//! a tool uses), the tools as `tools/list` describes them, and one function per tool that
//! reads its arguments into the client's types and calls the client.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::capability::Resolved;
use crate::capability::json_schema::description;
use crate::capability::resolve::{Target, describe};
use crate::capability::surface::{Argument, ResolvedTool};
use crate::emit::Passing;
use crate::ir::Operation;

/// A Rust identifier for `name` (snake case), prefixed when it would be a keyword or start
/// with a digit, and unique among `taken`.
fn ident(name: &str, prefix: &str, taken: &mut Vec<String>) -> Ident {
    let mut base = name.to_snake_case();
    if base.is_empty() || syn::parse_str::<Ident>(&base).is_err() || taken.contains(&base) {
        base = format!("{prefix}_{base}");
    }
    let mut unique = base.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{base}_{n}");
        n += 1;
    }
    taken.push(unique.clone());
    Ident::new(&unique, Span::call_site())
}

fn flag(value: Option<bool>) -> TokenStream {
    match value {
        Some(b) => quote!(Some(#b)),
        None => quote!(None),
    }
}

/// The text of `src/tools.rs` (before formatting).
///
/// # Errors
/// An internal error when the client's methods do not take what the operations say.
pub fn module(resolved: &Resolved, methods: &BTreeMap<String, Vec<(String, Passing)>>) -> Result<TokenStream, String> {
    // The namespaces the tools use, in capability order, each with its field name.
    let mut field_names = Vec::new();
    let mut fields: BTreeMap<usize, Ident> = BTreeMap::new();
    for (i, ns) in resolved.namespaces.iter().enumerate() {
        if resolved.tools.iter().any(|t| t.namespace == i) {
            fields.insert(i, ident(&ns.name, "api", &mut field_names));
        }
    }
    let mut declarations = Vec::new();
    let mut inits = Vec::new();
    for (i, field) in &fields {
        let ns = &resolved.namespaces[*i];
        let url = &ns.base_url;
        let doc = format!(" `{}`: requests go to `{url}` unless `--base-url` says otherwise.", ns.name);
        declarations.push(quote!(#[doc = #doc] pub #field: api::Client,));
        let token = flag_str(ns.token_env.as_deref());
        inits.push(quote!(#field: crate::args::client(base_url.unwrap_or(#url), #token)?,));
    }
    let variables: Vec<String> = fields.keys().filter_map(|i| resolved.namespaces[*i].token_env.clone()).collect();
    let from_env_doc = if variables.is_empty() {
        " The clients, sending requests to `base_url` when given.".to_string()
    } else {
        format!(
            " The clients, with the API token from the environment ({}), sending requests to `base_url` when given.",
            variables.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        )
    };

    let mut fn_names = vec!["call".to_string()];
    let mut specs = Vec::new();
    let mut arms = Vec::new();
    let mut functions = Vec::new();
    for tool in &resolved.tools {
        let ns = &resolved.namespaces[tool.namespace];
        let bound = &ns.operations[tool.operation];
        let op = &resolved.api.operations[bound.operation];
        let name = &tool.name;
        let text = tool
            .description
            .clone()
            .or_else(|| description(&op.docs))
            .unwrap_or_else(|| format!("Calls {}.", describe(op)));
        let hints = &tool.hints;
        let (read_only, destructive, idempotent, open_world) =
            (flag(hints.read_only), flag(hints.destructive), flag(hints.idempotent), flag(hints.open_world));
        let schema = serde_json::to_string_pretty(&tool.input_schema).map_err(|e| format!("internal error: {e}"))?;
        let schema = raw_string(&schema);
        specs.push(quote! {
            ToolSpec {
                name: #name,
                description: #text,
                read_only: #read_only,
                destructive: #destructive,
                idempotent: #idempotent,
                open_world: #open_world,
                input_schema: #schema,
            },
        });
        let f = ident(name, "tool", &mut fn_names);
        arms.push(quote!(#name => #f(clients, args).await,));
        let field = fields.get(&tool.namespace).ok_or("internal error: a tool's namespace has no client")?;
        let signature = methods
            .get(&op.name)
            .ok_or_else(|| format!("internal error: the client has no method `{}` for {}", op.name, describe(op)))?;
        let body = call_body(tool, op, field, signature)?;
        let doc = format!(" `{name}`: {}, consumed as `{}.{}`.", describe(op), ns.name, bound.name);
        // Calling a deprecated operation is what the capability asks for; say so once, here.
        let allow = op.docs.deprecated.then(|| quote!(#[allow(deprecated)]));
        functions.push(quote! {
            #[doc = #doc]
            #allow
            async fn #f(clients: &Clients, args: &Args) -> Result<String, ToolError> {
                #body
            }
        });
    }
    let instructions = instructions(resolved);
    Ok(quote! {
        //! The tools of the capability and the API clients they call.

        use crate::args::{Args, ToolError};

        /// What the server tells clients it is for, on `initialize`.
        pub const INSTRUCTIONS: &str = #instructions;

        /// A tool as `tools/list` describes it.
        pub struct ToolSpec {
            /// Its name.
            pub name: &'static str,
            /// What it does.
            pub description: &'static str,
            /// `readOnlyHint`.
            pub read_only: Option<bool>,
            /// `destructiveHint`.
            pub destructive: Option<bool>,
            /// `idempotentHint`.
            pub idempotent: Option<bool>,
            /// `openWorldHint`.
            pub open_world: Option<bool>,
            /// The JSON Schema of its arguments.
            pub input_schema: &'static str,
        }

        /// Every tool, in the capability's order.
        pub const TOOLS: &[ToolSpec] = &[#(#specs)*];

        /// The API clients, one per consumed namespace.
        pub struct Clients {
            #(#declarations)*
        }

        impl Clients {
            #[doc = #from_env_doc]
            ///
            /// # Errors
            /// When a token variable is not set or a client cannot be built.
            pub fn from_env(base_url: Option<&str>) -> Result<Self, String> {
                Ok(Clients { #(#inits)* })
            }
        }

        /// Call the tool `name`; `None` when there is no such tool.
        pub async fn call(clients: &Clients, name: &str, args: &Args) -> Option<Result<String, ToolError>> {
            Some(match name {
                #(#arms)*
                _ => return None,
            })
        }

        #(#functions)*
    })
}

/// `text` as a raw string literal, so a JSON schema reads as JSON in the generated file.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| quote!(#text))
}

fn flag_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// What the server says it is for: the MCP surfaces' descriptions, else the capability's.
fn instructions(resolved: &Resolved) -> String {
    let surfaces: Vec<&str> = resolved
        .capability
        .exposes
        .iter()
        .filter_map(|e| match e {
            crate::capability::model::Exposes::Mcp(m) => m.description.as_deref(),
            _ => None,
        })
        .collect();
    if surfaces.is_empty() {
        resolved.capability.description.clone().or_else(|| resolved.capability.label.clone()).unwrap_or_default()
    } else {
        surfaces.join("\n\n")
    }
}

/// `args.get(..)` for an argument: required, or read from `null` when absent.
fn get(argument: &Argument) -> TokenStream {
    let name = &argument.name;
    if argument.required {
        quote!(args.get(#name, None)?)
    } else {
        quote!(args.get(#name, Some(serde_json::Value::Null))?)
    }
}

/// The body of a tool function: arguments into locals, the call, the answer.
fn call_body(
    tool: &ResolvedTool,
    op: &Operation,
    client: &Ident,
    signature: &[(String, Passing)],
) -> Result<TokenStream, String> {
    let argument = |target: Target| tool.arguments.iter().find(|a| a.target == target);
    let taken = |n: &str| matches!(n, "args" | "clients" | "response");
    let mismatch =
        |what: &str| format!("internal error: `Client::{}` takes `{what}` in a way clientgen cannot call", op.name);
    let mut lets = Vec::new();
    let mut call_args = Vec::new();
    for (name, passing) in signature {
        let local = Ident::new(&if taken(name) { format!("{name}_value") } else { name.clone() }, Span::call_site());
        if name == "params" {
            let Some(ps) = &op.params_struct else { return Err(mismatch(name)) };
            let ps = Ident::new(ps, Span::call_site());
            let mut fields = Vec::new();
            for (i, p) in op.params.iter().enumerate() {
                if signature.iter().any(|(n, _)| *n == p.name) {
                    continue;
                }
                let f = Ident::new(&p.name, Span::call_site());
                let value = argument(Target::Param(i)).map_or_else(|| quote!(None), get);
                fields.push(quote!(#f: #value,));
            }
            lets.push(quote!(let #local = api::types::#ps { #(#fields)* };));
            call_args.push(quote!(&#local));
        } else if name == "body" {
            let Some(body) = &op.body else { return Err(mismatch(name)) };
            let value = match argument(Target::Body) {
                Some(a) if !a.required && body.required => {
                    let n = &a.name;
                    quote!(args.get(#n, Some(serde_json::json!({})))?)
                }
                Some(a) => get(a),
                None if body.required => quote!(crate::args::read("body", serde_json::json!({}))?),
                None => quote!(None),
            };
            match passing {
                Passing::Ref => {
                    lets.push(quote!(let #local = #value;));
                    call_args.push(quote!(&#local));
                }
                Passing::Str => {
                    lets.push(quote!(let #local: String = #value;));
                    call_args.push(quote!(&#local));
                }
                Passing::OptionRef if argument(Target::Body).is_some() => {
                    lets.push(quote!(let #local: Option<_> = #value;));
                    call_args.push(quote!(#local.as_ref()));
                }
                Passing::OptionStr if argument(Target::Body).is_some() => {
                    lets.push(quote!(let #local: Option<String> = #value;));
                    call_args.push(quote!(#local.as_deref()));
                }
                Passing::OptionRef | Passing::OptionStr => call_args.push(quote!(None)),
                Passing::Value | Passing::OptionValue => return Err(mismatch(name)),
            }
        } else {
            let Some(index) = op.params.iter().position(|p| p.name == *name) else { return Err(mismatch(name)) };
            let Some(a) = argument(Target::Param(index)) else {
                return Err(format!(
                    "internal error: path parameter `{name}` of `Client::{}` has no argument",
                    op.name
                ));
            };
            let n = &a.name;
            match passing {
                Passing::Str => {
                    lets.push(quote!(let #local: String = args.get(#n, None)?;));
                    call_args.push(quote!(&#local));
                }
                Passing::Ref => {
                    lets.push(quote!(let #local = args.get(#n, None)?;));
                    call_args.push(quote!(&#local));
                }
                Passing::Value => {
                    lets.push(quote!(let #local = args.get(#n, None)?;));
                    call_args.push(quote!(#local));
                }
                Passing::OptionRef | Passing::OptionStr | Passing::OptionValue => return Err(mismatch(name)),
            }
        }
    }
    let method = Ident::new(&op.name, Span::call_site());
    Ok(quote! {
        #(#lets)*
        let response = clients.#client.#method(#(#call_args),*).await?;
        crate::args::answer(response.status(), response.value())
    })
}
