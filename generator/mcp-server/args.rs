//! Tool arguments read into the client's types, the clients built from the environment, and
//! what a call answers.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The arguments of one `tools/call`.
pub struct Args {
    values: Map<String, Value>,
}

impl Args {
    /// The arguments as the client sent them.
    pub fn new(values: Map<String, Value>) -> Self {
        Args { values }
    }

    /// Argument `name` as the type the client takes. When it is absent: an error if
    /// `when_absent` is `None`, else that value is read instead (`null` for an optional value,
    /// `{}` for a body the API requires and accepts empty).
    pub fn get<T: DeserializeOwned>(&self, name: &str, when_absent: Option<Value>) -> Result<T, ToolError> {
        match (self.values.get(name), when_absent) {
            (Some(value), _) => read(name, value.clone()),
            (None, Some(value)) => read(name, value),
            (None, None) => Err(ToolError::Missing(name.to_string())),
        }
    }
}

/// `value` as the type the client takes for `name`.
pub fn read<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, ToolError> {
    serde_json::from_value(value).map_err(|e| ToolError::Argument { name: name.to_string(), message: e.to_string() })
}

/// Why a tool call failed; shown to the model as the tool's error.
#[derive(Debug)]
pub enum ToolError {
    /// A required argument is missing.
    Missing(String),
    /// An argument does not have the type the API takes.
    Argument {
        /// The argument.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The API call failed: the API's answer, or why none came.
    Call(api::Error),
    /// The answer could not be written as JSON.
    Answer(String),
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::Missing(name) => write!(f, "missing required argument `{name}`"),
            ToolError::Argument { name, message } => write!(f, "argument `{name}`: {message}"),
            ToolError::Call(e) => e.fmt(f),
            ToolError::Answer(message) => write!(f, "the answer cannot be written as JSON: {message}"),
        }
    }
}

impl From<api::Error> for ToolError {
    fn from(e: api::Error) -> Self {
        ToolError::Call(e)
    }
}

/// What a successful call answers: the body as JSON, or the status when there is none.
pub fn answer<T: Serialize>(status: api::reqwest::StatusCode, value: &T) -> Result<String, ToolError> {
    let json = serde_json::to_value(value).map_err(|e| ToolError::Answer(e.to_string()))?;
    Ok(if json.is_null() { format!("{status}, no content") } else { json.to_string() })
}

/// A client for `base_url`, with the bearer token from the environment variable
/// `token_variable` when the API takes one.
///
/// # Errors
/// When the variable is not set, or the client cannot be built; the message never holds the
/// token.
pub fn client(base_url: &str, token_variable: Option<&str>) -> Result<api::Client, String> {
    let mut builder = api::Client::builder().base_url(base_url);
    if let Some(variable) = token_variable {
        let token = std::env::var(variable)
            .map_err(|_| format!("the environment variable {variable} (the API token) is not set"))?;
        builder = builder.bearer_token(token);
    }
    builder.build().map_err(|e| format!("cannot make a client for {base_url}: {e}"))
}
