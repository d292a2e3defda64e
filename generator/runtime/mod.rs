//! The client runtime: configuration, requests, retries, errors, pagination.
//!
//! Hand-written and shipped by clientgen inside every generated crate, so the crate depends
//! on nothing generated elsewhere.

// clientgen:if operations | base64
mod base64;
// clientgen:end
// clientgen:if operations
mod client;
mod encode;
mod error;
mod hooks;
// clientgen:end
// clientgen:if json_response
// clientgen:gate json_response
mod json_path;
// clientgen:end
// clientgen:if pagination
// clientgen:gate pagination
pub(crate) mod pagination;
// clientgen:end
// clientgen:if pattern
// clientgen:gate pattern
mod pattern;
// clientgen:end
// clientgen:if operations
mod options;
// clientgen:gate calls
mod raw;
// clientgen:gate calls
mod request;
mod response;
mod response_error;
mod retry;
// clientgen:gate calls
mod send;
// clientgen:gate calls
mod trace;
// clientgen:end
// clientgen:if operations | redacted
mod secret;
// clientgen:end
mod serde_helpers;
mod tolerant;
// clientgen:if operations | validation
mod validate;
// clientgen:end

// clientgen:if base64
pub use base64::Base64;
// clientgen:end
// clientgen:if operations
pub use client::{Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT};
// clientgen:end
// clientgen:if servers
// clientgen:gate servers
pub(crate) use client::{at_origin, with_base_url};
// clientgen:end
// clientgen:if server_variables
// clientgen:gate server_variables
pub(crate) use encode::percent_encode;
// clientgen:end
// clientgen:if path_params
// clientgen:gate path_params
pub(crate) use encode::push_segment;
// clientgen:end
// clientgen:if query_params
// clientgen:gate query_params
pub(crate) use encode::Style;
// clientgen:end
// clientgen:if multipart
// clientgen:gate multipart
pub(crate) use encode::Multipart;
// clientgen:end
// clientgen:if operations
pub use error::{
    ConfigError, DeadlineError, Error, PaginationError, PaginationErrorKind, TooLargeError, TransportError,
};
pub use hooks::{Hooks, Outcome, RequestInfo};
pub use options::RequestOptions;
pub use response_error::{ApiError, DecodeError, ErrorPayload};
// clientgen:end
// clientgen:if operations | validation
pub use validate::ValidationError;
// clientgen:if checked_map
pub use validate::checked_map;
// clientgen:end
// clientgen:end
// clientgen:if pattern
// clientgen:gate pattern
pub(crate) use pattern::Pattern;
// clientgen:end
// clientgen:if operations
// clientgen:gate calls
pub(crate) use request::Request;
// clientgen:end
// clientgen:if validated_request
// clientgen:gate validated_request
pub(crate) use request::validated;
// clientgen:end
// clientgen:if operations
pub use response::{RateLimit, Response};
pub use retry::RetryPolicy;
// clientgen:end
// clientgen:if redacted
// clientgen:gate redacted
pub(crate) use secret::Redacted;
// clientgen:end
// clientgen:if redacted_keys
// clientgen:gate redacted_keys
pub(crate) use secret::RedactedKeys;
// clientgen:end
// clientgen:if object
// clientgen:gate object
pub(crate) use serde_helpers::{deserialize_object, Object};
// clientgen:end
// clientgen:if object_fill
// clientgen:gate object_fill
pub(crate) use serde_helpers::fill;
// clientgen:end
// clientgen:if object_required
// clientgen:gate object_required
pub(crate) use serde_helpers::required;
// clientgen:end
// clientgen:if object_keys
// clientgen:gate object_keys
pub(crate) use serde_helpers::FieldOf;
// clientgen:end
// clientgen:if str_enum
// clientgen:gate str_enum
pub(crate) use serde_helpers::deserialize_str;
// clientgen:end
// clientgen:if raw_union
// clientgen:gate raw_union
pub(crate) use serde_helpers::raw_json;
// clientgen:end
// clientgen:if tagged_union_ser
// clientgen:gate tagged_union_ser
pub(crate) use serde_helpers::serialize_tagged;
// clientgen:end
// clientgen:if tagged_union
// clientgen:gate tagged_union
pub(crate) use serde_helpers::{tag_of, variant};
// clientgen:end
// clientgen:if untagged_union
// clientgen:gate untagged_union
pub(crate) use serde_helpers::no_variant_fits;
// clientgen:end
// clientgen:if keyed_union
// clientgen:gate keyed_union
pub(crate) use serde_helpers::deserialize_keyed;
// clientgen:end
pub use tolerant::decode_strictly;
// clientgen:if operations
pub use tolerant::decode_strictly_async;
// clientgen:end
// clientgen:if tolerant_newtype
// clientgen:gate tolerant_newtype
pub(crate) use tolerant::Tolerant;
// clientgen:end
// clientgen:if tolerant_field
// clientgen:gate tolerant_field
pub(crate) use tolerant::fill_tolerant;
// clientgen:end
// clientgen:if closed_object
// clientgen:gate closed_object
pub(crate) use tolerant::ClosedFieldOf;
// clientgen:end
// clientgen:if union_unknown
// clientgen:gate union_unknown
pub(crate) use tolerant::unknown;
// clientgen:end
// clientgen:if tolerant_union
// clientgen:gate tolerant_union
pub(crate) use tolerant::from_slice_tolerant;
// clientgen:end
// clientgen:if operations | validation
pub use validate::Validate;
// clientgen:end
// clientgen:if validate_within
// clientgen:gate validate_within
pub(crate) use validate::within;
// clientgen:end
// clientgen:if validate_keys
// clientgen:gate validate_keys
pub(crate) use validate::validate_keys;
// clientgen:end
// clientgen:if check_length
// clientgen:gate check_length
pub(crate) use validate::check_length;
// clientgen:end
// clientgen:if check_range
// clientgen:gate check_range
pub(crate) use validate::check_range;
// clientgen:end
// clientgen:if check_multiple_of
// clientgen:gate check_multiple_of
pub(crate) use validate::check_multiple_of;
// clientgen:end
