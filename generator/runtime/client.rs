//! The client: configuration, credentials and the shared request plumbing.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

// clientgen:if !op_features
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
// clientgen:end
// clientgen:if op_features
use reqwest::header::{HeaderMap, HeaderValue};
// clientgen:gate calls
use reqwest::header::{HeaderName, AUTHORIZATION};
// clientgen:end

use super::error::{ConfigError, Error};
use super::hooks::Hooks;
use super::retry::RetryPolicy;
use super::secret::Secret;

/// Default time allowed for one attempt of a request, from connecting to reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit on the size of a response body: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 32 * 1024 * 1024;

/// Credentials sent with authenticated requests.
#[derive(Clone)]
pub(crate) enum Credentials {
    Bearer(Secret),
    Basic { username: String, password: Secret },
    ApiKeyHeader { name: reqwest::header::HeaderName, key: Secret },
    ApiKeyQuery { name: String, key: Secret },
    ApiKeyCookie { name: String, key: Secret },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // clientgen:if !op_features
            Credentials::Bearer(_) => f.write_str("Bearer([redacted])"),
            Credentials::Basic { username, .. } => write!(f, "Basic({username}:[redacted])"),
            Credentials::ApiKeyHeader { name, .. } => write!(f, "ApiKey(header {name}: [redacted])"),
            Credentials::ApiKeyQuery { name, .. } => write!(f, "ApiKey(query {name}=[redacted])"),
            Credentials::ApiKeyCookie { name, .. } => write!(f, "ApiKey(cookie {name}=[redacted])"),
            // clientgen:end
            // clientgen:if op_features
            // Each secret through its own `Debug`, which shows `[redacted]`: a client compiled
            // without operations never sends them, and reads them only here.
            Credentials::Bearer(token) => write!(f, "Bearer({token:?})"),
            Credentials::Basic { username, password } => write!(f, "Basic({username}:{password:?})"),
            Credentials::ApiKeyHeader { name, key } => write!(f, "ApiKey(header {name}: {key:?})"),
            Credentials::ApiKeyQuery { name, key } => write!(f, "ApiKey(query {name}={key:?})"),
            Credentials::ApiKeyCookie { name, key } => write!(f, "ApiKey(cookie {name}={key:?})"),
            // clientgen:end
        }
    }
}

/// What a [`Client`] is configured with; cloned whole to make a client that differs in one part.
#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) credentials: Option<Credentials>,
    /// The header the credentials make, when they make one: built once, marked sensitive.
    // clientgen:gate calls
    pub(crate) auth_header: Option<(HeaderName, HeaderValue)>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_response_size: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Option<Arc<dyn Hooks>>,
    pub(crate) default_headers: HeaderMap,
}

/// An API client. Cheap to clone: clones share one connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("max_response_size", &self.inner.max_response_size)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.as_ref().map(|_| "[set]"))
            .field("default_headers", &self.inner.default_headers.keys().collect::<Vec<_>>())
            .field("http", &self.inner.http)
            .finish()
    }
}

impl Client {
    /// The base URL requests are sent to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Configures a [`Client`]. Start from `Client::builder()`.
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    user_agent: String,
    timeout: Duration,
    deadline: Option<Duration>,
    max_response_size: u64,
    connect_timeout: Duration,
    retry: RetryPolicy,
    hooks: Option<Arc<dyn Hooks>>,
    http: Option<reqwest::Client>,
    default_headers: HeaderMap,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_size", &self.max_response_size)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with the crate's defaults.
    pub(crate) fn with_defaults(base_url: Option<&str>, user_agent: &str) -> Self {
        ClientBuilder {
            base_url: base_url.map(str::to_owned),
            credentials: None,
            user_agent: user_agent.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            deadline: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            hooks: None,
            http: None,
            default_headers: HeaderMap::new(),
        }
    }

    /// Send requests to this base URL instead of the default (e.g. a mock server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticate with `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer(Secret::new(token.into())));
        self
    }

    /// Authenticate with HTTP basic authentication.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials =
            Some(Credentials::Basic { username: username.into(), password: Secret::new(password.into()) });
        self
    }

    /// Authenticate with an API key sent in the named header.
    pub fn api_key_header(mut self, header: &str, key: impl Into<String>) -> Self {
        match reqwest::header::HeaderName::from_bytes(header.as_bytes()) {
            Ok(name) => self.credentials = Some(Credentials::ApiKeyHeader { name, key: Secret::new(key.into()) }),
            Err(_) => self.credentials = None,
        }
        self
    }

    /// Authenticate with an API key sent as the named query parameter.
    pub fn api_key_query(mut self, parameter: &str, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::ApiKeyQuery { name: parameter.to_owned(), key: Secret::new(key.into()) });
        self
    }

    /// Authenticate with an API key sent as the named cookie.
    pub fn api_key_cookie(mut self, cookie: &str, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::ApiKeyCookie { name: cookie.to_owned(), key: Secret::new(key.into()) });
        self
    }

    /// Replace the `User-Agent` header (default: `<crate>/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Time allowed for each attempt, from sending to reading the whole body (default 30 s).
    ///
    /// It bounds one attempt, not the call: with retries a call may take several timeouts and
    /// the waits between them. [`ClientBuilder::deadline`] bounds the whole call. An attempt
    /// that times out ends the call with [`Error::Timeout`] unless it is retried.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed for each call as a whole: every attempt, retry and wait between them
    /// (default: none).
    ///
    /// When it runs out during an attempt, the attempt is abandoned; a retry is not started
    /// when what is left of it cannot cover the wait before the retry and an attempt as long
    /// as the last one took. Either way the call ends with [`Error::Deadline`], which keeps how
    /// the last attempt ended, if it ended. There is no default because
    /// [`ClientBuilder::timeout`] and [`RetryPolicy`] already bound every call (at about
    /// `max_attempts` × `timeout` plus the waits), and a hidden budget would cut short the
    /// long timeouts set for large transfers; set one where a caller has a budget of its own.
    /// [`Client::with_options`] sets one for some calls.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`], 32 MiB).
    ///
    /// A body over it ends the call with [`Error::TooLarge`]: at once when `Content-Length`
    /// announces it, else as soon as the bytes read cross it, so memory stays near the limit
    /// whatever the server sends. Error bodies count too.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Time allowed to connect (default 10 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Callbacks around every request, for tracing or metrics.
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks = Some(Arc::new(hooks));
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: reqwest::header::HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// Use this `reqwest::Client` (its own proxy, TLS and pool settings) instead of building one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Build the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the base URL is missing or not an absolute http(s) URL, a
    /// credential or the user agent cannot be sent as a header, or TLS cannot be initialised.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.ok_or_else(|| {
            Error::Config(ConfigError::new("no base URL: this API declares none, so set one with `base_url`"))
        })?;
        let base_url = base_url.trim_end_matches('/').to_owned();
        http_url(&base_url)
            .map_err(|e| Error::Config(ConfigError::new(format!("invalid base URL `{base_url}`: {e}"))))?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::Config(ConfigError::new("the user agent contains characters not allowed in a header"))
        })?;
        // clientgen:gate calls
        let auth_header = match &self.credentials {
            Some(Credentials::Bearer(token)) => Some((AUTHORIZATION, format!("Bearer {}", token.expose()), "token")),
            Some(Credentials::Basic { username, password }) => {
                let encoded = super::base64::encode(format!("{username}:{}", password.expose()).as_bytes());
                Some((AUTHORIZATION, format!("Basic {encoded}"), "user name or password"))
            }
            Some(Credentials::ApiKeyHeader { name, key }) => Some((name.clone(), key.expose().to_owned(), "API key")),
            _ => None,
        };
        // clientgen:gate calls
        let auth_header = match auth_header {
            Some((name, text, what)) => {
                let mut value = HeaderValue::from_str(&text).map_err(|_| {
                    Error::Config(ConfigError::new(format!("the {what} contains characters not allowed in a header")))
                })?;
                value.set_sensitive(true);
                Some((name, value))
            }
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(ConfigError::new(format!("cannot build the HTTP client: {e}"))))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                // clientgen:gate calls
                auth_header,
                user_agent,
                timeout: self.timeout,
                deadline: self.deadline,
                max_response_size: self.max_response_size,
                retry: self.retry,
                hooks: self.hooks,
                default_headers: self.default_headers,
            }),
        })
    }
}
/// `url` as an absolute http(s) URL, which every request's URL must be: checked when the
/// client is built, and again for each request (`Client::with_server` takes any URL).
pub(crate) fn http_url(url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        other => Err(format!("it must use http or https, not `{other}`")),
    }
}

// clientgen:if servers

/// `client`'s configuration and connection pool, sending requests to `base_url`.
pub(crate) fn with_base_url(client: &Client, base_url: String) -> Client {
    let mut inner = Inner::clone(&client.inner);
    inner.base_url = base_url.trim_end_matches('/').to_owned();
    Client { inner: Arc::new(inner) }
}

/// `url` with its scheme, host and port replaced by `origin`, keeping its path (and query).
/// A URL without a scheme is all path.
pub(crate) fn at_origin(url: &str, origin: &str) -> String {
    let is_scheme = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    };
    let authority_and_path = match url.split_once("://") {
        Some((scheme, rest)) if is_scheme(scheme) => Some(rest),
        _ => url.strip_prefix("//"),
    };
    let path = match authority_and_path {
        Some(rest) => rest.find(['/', '?', '#']).map_or("", |i| &rest[i..]),
        None => url,
    };
    let origin = origin.trim_end_matches('/');
    if path.is_empty() || path.starts_with(['/', '?', '#']) {
        format!("{origin}{path}")
    } else {
        format!("{origin}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::at_origin;

    #[test]
    fn at_origin_keeps_the_path_and_replaces_the_rest() {
        assert_eq!(
            at_origin("https://api.example.com/v1/teams/a%2Fb", "http://127.0.0.1:4010"),
            "http://127.0.0.1:4010/v1/teams/a%2Fb"
        );
        assert_eq!(at_origin("https://api.example.com:8443", "http://localhost:1/"), "http://localhost:1");
        assert_eq!(at_origin("https://api.example.com?x=1", "http://m"), "http://m?x=1");
        assert_eq!(at_origin("//cdn.example.com/v2", "http://m"), "http://m/v2");
        assert_eq!(at_origin("/v1", "http://m"), "http://m/v1");
        assert_eq!(at_origin("v1", "http://m"), "http://m/v1");
        assert_eq!(at_origin("/next?to=https://x.example/y", "http://m"), "http://m/next?to=https://x.example/y");
    }
}
// clientgen:end
