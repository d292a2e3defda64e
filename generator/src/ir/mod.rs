//! The intermediate representation between lowering and emitting.
//!
//! It knows nothing of YAML or OpenAPI keywords, nor of Rust tokens: types in an arena
//! ([`TypeArena`]) and operations that refer to them by [`TypeId`].

mod analysis;
pub mod ops;
pub mod servers;
pub mod types;

pub use analysis::{Directions, Reach};
pub use ops::*;
pub use servers::*;
pub use types::*;

/// How the API authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <user:password>`.
    Basic,
    /// A key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// Header, parameter or cookie name.
        name: String,
    },
}

/// A whole API, ready to emit.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.license`: its SPDX `identifier` (3.1), else its `name`.
    pub license: Option<String>,
    /// The servers the API is served from, in document order; the first is the default.
    pub servers: Vec<Server>,
    /// Every type.
    pub types: TypeArena,
    /// Every operation, in path and method order.
    pub operations: Vec<Operation>,
    /// The credential scheme the client sends, if the API declares one.
    pub auth: Option<Auth>,
}

impl Api {
    /// The URL requests go to by default: the first server's, its variables at their defaults.
    pub fn default_url(&self) -> Option<String> {
        self.servers.first().map(Server::default_url)
    }

    /// Whether the caller has a server to choose: several servers, or variables to set.
    pub fn has_server_choice(&self) -> bool {
        self.servers.len() > 1 || self.servers.iter().any(|s| !s.variables.is_empty())
    }

    /// Settle derived facts once lowering is done: box fields and variants that would
    /// otherwise make a type contain itself by value, and drop the unknown-kind variant of
    /// unions no response carries (the client only ever sends what the schema allows).
    pub fn finish(&mut self) {
        analysis::box_cycles(&mut self.types);
        let directions = self.directions();
        let sent_only: Vec<TypeId> = self
            .types
            .iter()
            .filter(|(id, e)| matches!(e.kind, TypeKind::Union(_)) && !directions.received(*id))
            .map(|(id, _)| id)
            .collect();
        for id in sent_only {
            if let TypeKind::Union(u) = &mut self.types.get_mut(id).kind {
                u.unknown_variant = None;
            }
        }
    }

    /// Types whose values must be checked before they are sent: those that contain a
    /// constrained newtype anywhere inside.
    pub fn validated_types(&self) -> std::collections::HashSet<TypeId> {
        analysis::types_needing_validation(&self.types)
    }

    /// Which operations reach each type (see [`Reach`]).
    pub fn reach(&self) -> Reach {
        let roots: Vec<Vec<TypeId>> = self
            .operations
            .iter()
            .map(|op| {
                let params = op.params.iter().map(|p| p.ty);
                let body = op.body.iter().map(|b| b.ty);
                let responses = op.responses.iter().filter_map(|r| r.body.as_ref()).map(|b| b.ty);
                params.chain(body).chain(responses).collect()
            })
            .collect();
        Reach::new(&self.types, &roots)
    }

    /// Which way values of each type travel: into requests (parameters and bodies), out of
    /// responses, both, or (for types no operation uses) either.
    pub fn directions(&self) -> Directions {
        let mut sent = Vec::new();
        let mut received = Vec::new();
        for op in &self.operations {
            sent.extend(op.params.iter().map(|p| p.ty));
            sent.extend(op.body.iter().map(|b| b.ty));
            received.extend(op.responses.iter().filter_map(|r| r.body.as_ref()).map(|b| b.ty));
        }
        Directions::new(&self.types, sent, received)
    }
}
