//! The consumed API's credentials: the document's security scheme, the capability's
//! `authentication`, and the bind of the environment the token comes from.

use super::model::Consumes;
use super::resolve::Resolver;
use crate::ir::Auth;

impl Resolver<'_> {
    /// The environment variable the consumed API's token comes from, checked against the
    /// document's security scheme and the capability's binds.
    pub(super) fn credentials(&mut self, c: &Consumes) -> Option<String> {
        let needs = self.api.auth.as_ref().filter(|_| self.api.operations.iter().any(|o| o.authenticated));
        let Some(auth) = &c.authentication else {
            if let Some(scheme) = needs {
                let e = self.src.error(
                    &c.namespace.at,
                    format!(
                        "{} authenticates ({}), and namespace `{}` has no `authentication`",
                        self.schema_name,
                        scheme_word(scheme),
                        c.namespace.value
                    ),
                );
                self.diags.push(e.with_help(
                    "add `authentication: {type: bearer, token: '{{env.API_KEY}}'}` with a bind for the key",
                ));
            }
            return None;
        };
        if auth.kind.value != "bearer" {
            let e = self.src.error(
                &auth.kind.at,
                format!("clientgen serves only `type: bearer` authentication, found `{}`", auth.kind.value),
            );
            self.diags.push(e.with_help("write `type: bearer` with `token: '{{env.API_KEY}}'`"));
            return None;
        }
        if let Some(scheme) = needs.filter(|a| !matches!(a, Auth::Bearer)) {
            let e = self.src.error(
                &auth.kind.at,
                format!("{} authenticates with {}, not a bearer token", self.schema_name, scheme_word(scheme)),
            );
            self.diags.push(e.with_help("authenticate as the document's `securitySchemes` say"));
        }
        let Some(token) = &auth.token else {
            let e = self.src.error(&auth.at, "bearer authentication without a `token`");
            self.diags.push(e.with_help("add `token: '{{env.API_KEY}}'` with a bind for the key"));
            return None;
        };
        let reference = token.value.trim().strip_prefix("{{").and_then(|t| t.strip_suffix("}}")).map(str::trim);
        let Some(reference) = reference else {
            let e = self.src.error(&token.at, "the token is written inline; a secret must come from a bind");
            self.diags.push(e.with_help("write `token: '{{env.API_KEY}}'` and bind `API_KEY` in `binds`"));
            return None;
        };
        let (namespace, key) = match reference.split_once('.') {
            Some((n, k)) => (Some(n), k),
            None => (None, reference),
        };
        let found = self.capability.binds.iter().find_map(|b| {
            let ns_ok = namespace.is_none_or(|n| n == b.namespace.value);
            ns_ok.then(|| b.keys.iter().find(|(k, _)| k.value == key).map(|(_, v)| (b, v))).flatten()
        });
        let Some((bind, variable)) = found else {
            let known: Vec<String> = self
                .capability
                .binds
                .iter()
                .flat_map(|b| b.keys.iter().map(move |(k, _)| format!("`{}.{}`", b.namespace.value, k.value)))
                .collect();
            let e = self.src.error(&token.at, format!("`{reference}` names no bound key"));
            let help = if known.is_empty() {
                "declare it under `binds`".to_string()
            } else {
                format!("the bound keys are {}", known.join(", "))
            };
            self.diags.push(e.with_help(help));
            return None;
        };
        if let Some(location) = &bind.location {
            let e = self.src.error(
                &location.at,
                format!(
                    "bind `{}` reads a file; clientgen reads bound secrets from the environment only",
                    bind.namespace.value
                ),
            );
            self.diags.push(e.with_help("remove `location` and set the variables in the environment"));
            return None;
        }
        Some(variable.value.clone())
    }
}

fn scheme_word(auth: &Auth) -> &'static str {
    match auth {
        Auth::Bearer => "a bearer token",
        Auth::Basic => "HTTP basic authentication",
        Auth::ApiKey { .. } => "an API key",
    }
}
