//! What generated code uses of the runtime, recorded by the emitters as they write it.
//!
//! Each piece of the runtime that not every crate needs is a [`Feature`]. The runtime sources
//! (`generator/runtime/`) mark such code with `// clientgen:if <marker>` blocks and
//! `// clientgen:gate <marker>` items; an emitter that writes code calling into that piece
//! records the feature on its context ([`super::tokens::Ctx::uses`]). Nothing is inferred from
//! the emitted text. Adding a runtime piece means a variant here (its marker beside it) and the
//! marked block in the runtime; the emitter that calls it records it.

use std::collections::{BTreeMap, BTreeSet};

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
    /// Operation methods: what only they use of the client (requests built, sent and read).
    Calls = "calls",
    /// Operations behind Cargo features, so that the client may be compiled without any.
    OpFeatures = "op_features",
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

/// The operation features (Cargo features of the generated crate, see
/// [`super::op_features`]) under which a piece of generated code is compiled.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// Whichever features are enabled.
    Always,
    /// When any of these features is enabled (never empty).
    Any(BTreeSet<String>),
}

impl When {
    /// Compiled when `self` or `other` is.
    fn or(&mut self, other: &When) {
        match (&mut *self, other) {
            (When::Always, _) => {}
            (_, When::Always) => *self = When::Always,
            (When::Any(a), When::Any(b)) => a.extend(b.iter().cloned()),
        }
    }

    /// The `cfg` predicate, `None` for [`When::Always`].
    pub fn predicate(&self) -> Option<Predicate> {
        match self {
            When::Always => None,
            When::Any(names) => Some(Predicate::any(names.iter().map(|n| Predicate::Feature(n.clone())).collect())),
        }
    }
}

/// A `cfg` predicate over the generated crate's features.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Predicate {
    /// `feature = "name"`.
    Feature(String),
    /// `any(..)` of at least two.
    Any(Vec<Predicate>),
    /// `all(..)` of at least two.
    All(Vec<Predicate>),
    /// `not(..)`.
    Not(Box<Predicate>),
}

impl Predicate {
    /// `any` of `terms`: the one term itself when there is one.
    fn any(mut terms: Vec<Predicate>) -> Predicate {
        if terms.len() == 1 { terms.remove(0) } else { Predicate::Any(terms) }
    }

    /// `#[cfg(..)]` as Rust source: on one line, or with the terms of a long list one per line
    /// (the runtime's files are written as they are, not formatted).
    pub fn attribute(&self, indent: &str) -> String {
        let mut out = format!("{indent}#[cfg(");
        self.write_wrapped(indent, indent.len() + "#[cfg(".len() + "))]".len(), &mut out);
        out.push_str(")]");
        out
    }

    /// `self` after `used` columns of its line, the terms of a list that does not fit one per
    /// line at `indent` + 4.
    fn write_wrapped(&self, indent: &str, used: usize, out: &mut String) {
        let line = self.to_string();
        let (name, terms) = match self {
            Predicate::Any(terms) => ("any", terms.iter().collect::<Vec<_>>()),
            Predicate::All(terms) => ("all", terms.iter().collect()),
            Predicate::Not(term) => ("not", vec![term.as_ref()]),
            Predicate::Feature(_) => ("", Vec::new()),
        };
        if used + line.len() <= 100 || terms.is_empty() {
            out.push_str(&line);
            return;
        }
        let inner = format!("{indent}    ");
        out.push_str(name);
        out.push_str("(\n");
        for term in terms {
            out.push_str(&inner);
            term.write_wrapped(&inner, inner.len() + 1, out);
            out.push_str(",\n");
        }
        out.push_str(indent);
        out.push(')');
    }

    /// `#[cfg(..)]` as tokens, for generated code.
    pub fn tokens(&self) -> proc_macro2::TokenStream {
        let inner: proc_macro2::TokenStream = self.to_string().parse().unwrap_or_default();
        quote::quote!(#[cfg(#inner)])
    }
}

impl std::fmt::Display for Predicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, name: &str, terms: &[Predicate]| {
            let terms: Vec<String> = terms.iter().map(ToString::to_string).collect();
            write!(f, "{name}({})", terms.join(", "))
        };
        match self {
            Predicate::Feature(name) => write!(f, "feature = {name:?}"),
            Predicate::Any(terms) => list(f, "any", terms),
            Predicate::All(terms) => list(f, "all", terms),
            Predicate::Not(term) => write!(f, "not({term})"),
        }
    }
}

/// Where a runtime feature is used: in code compiled under which operation features, without
/// `full-serde` (`plain`) and only with it (`serde`). `None`: not used that way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Use {
    plain: Option<When>,
    serde: Option<When>,
}

impl Use {
    fn add(slot: &mut Option<When>, when: &When) {
        match slot {
            Some(w) => w.or(when),
            None => *slot = Some(when.clone()),
        }
    }

    fn or(&mut self, other: &Use) {
        for (slot, when) in [(&mut self.plain, &other.plain), (&mut self.serde, &other.serde)] {
            if let Some(when) = when {
                Use::add(slot, when);
            }
        }
    }

    /// The `cfg` of code kept for this use; `None` when it is always compiled (or unused).
    fn predicate(&self) -> Option<Predicate> {
        let full_serde = || Predicate::Feature(super::runtime::FULL_SERDE.to_string());
        let mut terms = Vec::new();
        let mut plain = BTreeSet::new();
        match &self.plain {
            Some(When::Always) => return None,
            Some(When::Any(names)) => {
                plain.clone_from(names);
                terms.extend(names.iter().map(|n| Predicate::Feature(n.clone())));
            }
            None => {}
        }
        match &self.serde {
            Some(When::Always) => terms.push(full_serde()),
            // Where the feature alone compiles the code, it needs no `full-serde` as well.
            Some(When::Any(names)) => {
                let rest: BTreeSet<String> = names.difference(&plain).cloned().collect();
                if let Some(when) = (!rest.is_empty()).then(|| When::Any(rest).predicate()).flatten() {
                    terms.push(Predicate::All(vec![full_serde(), when]));
                }
            }
            None => {}
        }
        (!terms.is_empty()).then(|| Predicate::any(terms))
    }
}

/// What the generated code uses of the runtime, and where: each feature's use in code compiled
/// always or only with some of the generated crate's features (`full-serde`, operation
/// features), so that a runtime piece is compiled exactly when code using it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Features {
    uses: BTreeMap<Feature, Use>,
}

impl Features {
    /// Use `f` always.
    pub fn insert(&mut self, f: Feature) {
        self.insert_when(f, &When::Always, false);
    }

    /// Use `f`, only with `full-serde` when `gated`.
    pub fn insert_gated(&mut self, f: Feature, gated: bool) {
        self.insert_when(f, &When::Always, gated);
    }

    /// Use `f` in code compiled `when`, and only with `full-serde` too when `gated`.
    pub fn insert_when(&mut self, f: Feature, when: &When, gated: bool) {
        let used = self.uses.entry(f).or_default();
        Use::add(if gated { &mut used.serde } else { &mut used.plain }, when);
    }

    /// Everything `other` uses too.
    pub fn extend(&mut self, other: Features) {
        for (f, used) in other.uses {
            self.uses.entry(f).or_default().or(&used);
        }
    }

    /// Whether `f` is used at all.
    pub fn contains(&self, f: Feature) -> bool {
        self.uses.contains_key(&f)
    }

    /// The `cfg` under which code serving any of `features` is compiled: `None` when some of
    /// it is compiled always (or none of them is used).
    pub fn predicate(&self, features: &[Feature]) -> Option<Predicate> {
        let mut all = Use::default();
        for f in features {
            if let Some(used) = self.uses.get(f) {
                all.or(used);
            }
        }
        all.predicate()
    }

    /// With the features the used ones imply added, used where those are (until none is left
    /// to add: an implied feature may imply another).
    pub fn with_implied(mut self) -> Self {
        loop {
            let mut changed = false;
            for f in Feature::ALL {
                let mut implied = self.uses.get(f).cloned().unwrap_or_default();
                for by in f.implied_by() {
                    if let Some(used) = self.uses.get(by) {
                        implied.or(used);
                    }
                }
                if implied != Use::default() && self.uses.get(f) != Some(&implied) {
                    self.uses.insert(*f, implied);
                    changed = true;
                }
            }
            if !changed {
                return self;
            }
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

    fn any(names: &[&str]) -> When {
        When::Any(names.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn code_is_compiled_where_some_use_of_it_is() {
        let mut f = Features::default();
        assert_eq!(f.predicate(&[Feature::Object]), None, "unused");
        f.insert_when(Feature::Object, &any(&["jobs"]), false);
        assert_eq!(f.predicate(&[Feature::Object]).unwrap().to_string(), r#"feature = "jobs""#);
        f.insert_when(Feature::Object, &any(&["runs"]), true);
        f.insert_when(Feature::Object, &any(&["jobs"]), true);
        assert_eq!(
            f.predicate(&[Feature::Object]).unwrap().to_string(),
            r#"any(feature = "jobs", all(feature = "full-serde", feature = "runs"))"#
        );
        f.insert_when(Feature::Form, &any(&["projects", "teams"]), false);
        assert_eq!(
            f.predicate(&[Feature::Object, Feature::Form]).unwrap().to_string(),
            r#"any(feature = "jobs", feature = "projects", feature = "teams", all(feature = "full-serde", feature = "runs"))"#
        );
        f.insert_gated(Feature::Object, true);
        assert_eq!(
            f.predicate(&[Feature::Object]).unwrap().to_string(),
            r#"any(feature = "jobs", feature = "full-serde")"#
        );
        f.insert(Feature::Form);
        assert_eq!(f.predicate(&[Feature::Object, Feature::Form]), None, "compiled always for forms");
        let mut serde_only = Features::default();
        serde_only.insert_gated(Feature::Object, true);
        assert_eq!(serde_only.predicate(&[Feature::Object]).unwrap().to_string(), r#"feature = "full-serde""#);
    }

    #[test]
    fn implied_features_are_used_where_their_implications_are() {
        let mut f = Features::default();
        f.insert_when(Feature::PathParams, &any(&["jobs"]), false);
        f.insert_when(Feature::Form, &any(&["runs"]), false);
        let f = f.with_implied();
        assert_eq!(
            f.predicate(&[Feature::ValidationError]).unwrap().to_string(),
            r#"any(feature = "jobs", feature = "runs")"#,
            "through `EncodeValues`"
        );
    }

    #[test]
    fn long_attributes_list_one_feature_a_line() {
        let short = any(&["a", "b"]).predicate().unwrap();
        assert_eq!(short.attribute("    "), r#"    #[cfg(any(feature = "a", feature = "b"))]"#);
        let long = any(&["actions", "activity", "apps", "billing", "checks", "code-scanning"]).predicate().unwrap();
        assert_eq!(
            long.attribute(""),
            "#[cfg(any(\n    feature = \"actions\",\n    feature = \"activity\",\n    feature = \"apps\",\n    \
             feature = \"billing\",\n    feature = \"checks\",\n    feature = \"code-scanning\",\n))]"
        );
        assert_eq!(short.tokens().to_string(), r#"# [cfg (any (feature = "a" , feature = "b"))]"#);
    }
}
