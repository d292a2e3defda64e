//! What generated code uses of the runtime, recorded by the emitters as they write it.
//!
//! Each piece of the runtime that not every crate needs is a [`Feature`]. The runtime sources
//! (`generator/runtime/`) mark such code with `// clientgen:if <marker>` blocks and
//! `// clientgen:gate <marker>` items; an emitter that writes code calling into that piece
//! records the feature on its context ([`super::tokens::Ctx::uses`]). Nothing is inferred from
//! the emitted text. Adding a runtime piece means a variant here (its marker beside it) and the
//! marked block in the runtime; the emitter that calls it records it.

use std::collections::BTreeSet;

macro_rules! features {
    ($($(#[$doc:meta])* $variant:ident = $marker:literal,)*) => {
        /// A piece of the runtime kept only in crates whose code uses it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Feature {
            $($(#[$doc])* $variant,)*
        }

        impl Feature {
            /// Every feature.
            pub const ALL: &[Feature] = &[$(Feature::$variant,)*];

            /// Its name in the runtime's `clientgen:if` and `clientgen:gate` markers.
            pub fn marker(self) -> &'static str {
                match self {
                    $(Feature::$variant => $marker,)*
                }
            }
        }
    };
}

features! {
    /// Base64 strings (`Base64`), for binary values inside JSON.
    Base64 = "base64",
    /// String enums' tolerant decoding.
    StrEnum = "str_enum",
    /// `checked_map`, to build maps whose keys the schema constrains.
    CheckedMap = "checked_map",
    /// Checking the keys of such maps.
    ValidateKeys = "validate_keys",
    /// `within`: a field's violation reported under its name.
    ValidateWithin = "validate_within",
    /// Unions read through raw JSON.
    RawUnion = "raw_union",
    /// A union's `Unknown` variant.
    UnionUnknown = "union_unknown",
    /// A union variant read tolerantly.
    TolerantUnion = "tolerant_union",
    /// Unions selected by a tag property.
    TaggedUnion = "tagged_union",
    /// Writing a tagged union.
    TaggedUnionSer = "tagged_union_ser",
    /// Unions selected by which keys an object has.
    KeyedUnion = "keyed_union",
    /// Unions tried variant by variant.
    UntaggedUnion = "untagged_union",
    /// Structs' `Deserialize` through the runtime's `Object`.
    Object = "object",
    /// Structs that refuse undeclared properties.
    ClosedObject = "closed_object",
    /// Structs that skip undeclared properties by key.
    ObjectKeys = "object_keys",
    /// Filling a field's slot as read.
    ObjectFill = "object_fill",
    /// Reporting a missing required property.
    ObjectRequired = "object_required",
    /// A struct field read tolerantly.
    TolerantField = "tolerant_field",
    /// Tolerant reading in general.
    Tolerant = "tolerant",
    /// Numbers sent as strings, whole floats for integers.
    TolerantNumber = "tolerant_number",
    /// Dates sent as midnight date-times.
    TolerantDate = "tolerant_date",
    /// A newtype around a number read tolerantly.
    TolerantNewtype = "tolerant_newtype",
    /// `Debug` that hides a sensitive field.
    Redacted = "redacted",
    /// `Debug` that shows a sensitive map's keys only.
    RedactedKeys = "redacted_keys",
    /// Pattern checks.
    Pattern = "pattern",
    /// Length checks.
    CheckLength = "check_length",
    /// Range checks.
    CheckRange = "check_range",
    /// `multipleOf` checks.
    CheckMultipleOf = "check_multiple_of",
    /// Any constraint check (implied by the four above).
    Validation = "validation",
    /// Requests checked before they are sent.
    ValidatedRequest = "validated_request",
    /// `ValidationError::new` (implied by what builds one).
    ValidationError = "validation_error",
    /// Operations: the client, requests and responses.
    Operations = "operations",
    /// Choosing among servers.
    Servers = "servers",
    /// Servers with variables.
    ServerVariables = "server_variables",
    /// Cursor pagination streams.
    Pagination = "pagination",
    /// Operations sent without credentials.
    Anonymous = "anonymous",
    /// Path parameters.
    PathParams = "path_params",
    /// Query parameters.
    QueryParams = "query_params",
    /// `spaceDelimited` query parameters.
    StyleSpace = "style_space",
    /// `pipeDelimited` query parameters.
    StylePipe = "style_pipe",
    /// `deepObject` query parameters.
    StyleDeep = "style_deep",
    /// Header parameters.
    HeaderParams = "header_params",
    /// Cookie parameters.
    CookieParams = "cookie_params",
    /// Values encoded as parameter text (implied by what encodes them).
    EncodeValues = "encode_values",
    /// JSON request bodies.
    JsonBody = "json_body",
    /// Form request bodies.
    Form = "form",
    /// Multipart request bodies.
    Multipart = "multipart",
    /// Multipart parts from values (text or JSON).
    MultipartField = "multipart_field",
    /// Multipart file parts.
    MultipartFile = "multipart_file",
    /// Bodies sent as they are (text or bytes).
    RawBody = "raw_body",
    /// Responses without a body.
    EmptyResponse = "empty_response",
    /// JSON responses.
    JsonResponse = "json_response",
    /// Text responses.
    TextResponse = "text_response",
    /// Byte responses.
    BytesResponse = "bytes_response",
    /// An `Accept` header other than JSON.
    Accept = "accept",
    /// Error responses with a typed body.
    TypedErrors = "typed_errors",
    /// Error responses read without a type.
    UntypedErrors = "untyped_errors",
}

impl Feature {
    /// The feature marked `marker` in the runtime sources.
    pub fn from_marker(marker: &str) -> Option<Feature> {
        Feature::ALL.iter().copied().find(|f| f.marker() == marker)
    }

    /// Features the runtime's shared helpers are kept for, when any of the listed ones is used.
    fn implied_by(self) -> &'static [Feature] {
        use Feature::*;
        match self {
            Validation => &[CheckLength, CheckRange, CheckMultipleOf, Pattern],
            EncodeValues => &[PathParams, QueryParams, HeaderParams, CookieParams, Form, MultipartField],
            ValidationError => &[Validation, EncodeValues, JsonBody],
            _ => &[],
        }
    }
}

/// What the generated code uses of the runtime: each feature always, or only in code behind
/// the generated crate's `full-serde` feature.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Features {
    always: BTreeSet<Feature>,
    gated: BTreeSet<Feature>,
}

impl Features {
    /// Use `f` always.
    pub fn insert(&mut self, f: Feature) {
        self.always.insert(f);
    }

    /// Use `f`, only with `full-serde` when `gated`.
    pub fn insert_gated(&mut self, f: Feature, gated: bool) {
        if gated {
            self.gated.insert(f);
        } else {
            self.always.insert(f);
        }
    }

    /// Everything `other` uses too.
    pub fn extend(&mut self, other: Features) {
        self.always.extend(other.always);
        self.gated.extend(other.gated);
    }

    /// Whether `f` is used at all.
    pub fn contains(&self, f: Feature) -> bool {
        self.always.contains(&f) || self.gated.contains(&f)
    }

    /// Whether `f` is used only with `full-serde`.
    pub fn only_gated(&self, f: Feature) -> bool {
        self.gated.contains(&f) && !self.always.contains(&f)
    }

    /// With the features the used ones imply added (until none is left to add: an implied
    /// feature may imply another).
    pub fn with_implied(mut self) -> Self {
        loop {
            let implied: Vec<Feature> = Feature::ALL
                .iter()
                .copied()
                .filter(|f| !self.always.contains(f) && f.implied_by().iter().any(|by| self.contains(*by)))
                .collect();
            if implied.is_empty() {
                return self;
            }
            self.always.extend(implied);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_name_one_feature_each() {
        let markers: BTreeSet<&str> = Feature::ALL.iter().map(|f| f.marker()).collect();
        assert_eq!(markers.len(), Feature::ALL.len());
        assert_eq!(Feature::from_marker("multipart_file"), Some(Feature::MultipartFile));
        assert_eq!(Feature::from_marker("nope"), None);
    }

    #[test]
    fn implied_features_follow_the_ones_that_imply_them() {
        let mut f = Features::default();
        f.insert(Feature::Pattern);
        let f = f.with_implied();
        let mut path = Features::default();
        path.insert(Feature::PathParams);
        assert!(path.with_implied().contains(Feature::ValidationError), "through `EncodeValues`");
        assert!(f.contains(Feature::Validation) && f.contains(Feature::ValidationError));
        assert!(!f.contains(Feature::EncodeValues));
        let mut files_only = Features::default();
        files_only.insert(Feature::MultipartFile);
        assert!(!files_only.with_implied().contains(Feature::EncodeValues));
    }
}
