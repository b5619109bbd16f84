//! The HTTP client of the service-user API: raw `Authorization`, `role_id` and
//! `X-Amorphic-Service-User` headers, typed errors, timeouts, and jittered retries for
//! idempotent GETs only.
//!
//! The core (`http`: one request, its retries, its body) and the error mapping (`errors`),
//! then the requests by feature: signing in (`session`), users (`users`), shares (`shares`),
//! tokens (`tokens`), datasources (`datasources`), roles and tags (`catalogues`).

mod catalogues;
mod datasources;
mod errors;
mod http;
mod session;
mod shares;
mod tokens;
mod users;

#[cfg(test)]
mod tests;

use std::time::Duration;

use amorphic_su_model::{RoleId, Secret};

use crate::error::{ClientError, Result};

pub use errors::classify_error;

/// Timeouts and retry policy.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Extra attempts for idempotent GETs after a connection failure, a timeout or a 502-504.
    pub get_retries: u32,
    /// First retry delay; each next one doubles, with +-50% jitter.
    pub retry_base: Duration,
    /// Ask for compressed answers (`Accept-Encoding: gzip, zstd`; decoded on arrival).
    pub compressed: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            get_retries: 2,
            retry_base: Duration::from_millis(150),
            compressed: true,
        }
    }
}

/// The credentials a request carries. `Debug` never shows the secrets.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// A PAT or a session token, sent raw in `Authorization`.
    pub authorization: Secret,
    /// The active role (`role_id`), when one is chosen.
    pub role_id: Option<RoleId>,
    /// A service-user JWT (`X-Amorphic-Service-User`), to act as that service user.
    pub service_user: Option<Secret>,
}

impl Credentials {
    pub fn new(authorization: Secret) -> Self {
        Credentials {
            authorization,
            role_id: None,
            service_user: None,
        }
    }

    pub fn with_role(mut self, role: Option<RoleId>) -> Self {
        self.role_id = role;
        self
    }

    pub fn acting_as(mut self, token: Secret) -> Self {
        self.service_user = Some(token);
        self
    }
}

/// Checks and normalises a base URL: `http` or `https`, a host, no query or fragment; the
/// trailing slash is dropped (the base may carry a path such as an API gateway stage).
pub fn normalize_base_url(raw: &str) -> Result<String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        ClientError::invalid(format!(
            "'{raw}' is not a valid base URL ({e}); use e.g. https://api.example.com/stage"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ClientError::invalid(format!(
            "base URL '{raw}' must start with http:// or https://"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ClientError::invalid(format!(
            "base URL '{raw}' has no host"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ClientError::invalid(format!(
            "base URL '{raw}' must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ClientError::invalid(
            "a base URL must not carry credentials; sign in with `login`",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// One path segment. Ids are validated to `[A-Za-z0-9._-]`, so only dot segments need care.
fn seg(s: &str) -> String {
    if s.chars().all(|c| c == '.') {
        s.replace('.', "%2E")
    } else {
        s.to_owned()
    }
}

/// The API client for one base URL. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    config: ApiConfig,
}

impl ApiClient {
    pub fn new(base_url: &str) -> Result<Self> {
        Self::with_config(base_url, ApiConfig::default())
    }

    pub fn with_config(base_url: &str, config: ApiConfig) -> Result<Self> {
        let base = normalize_base_url(base_url)?;
        let mut http = reqwest::Client::builder();
        if !config.compressed {
            http = http.no_gzip().no_zstd();
        }
        let http = http
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("amorphic-su/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::Io(format!("cannot build the HTTP client: {e}")))?;
        Ok(ApiClient { http, base, config })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn config(&self) -> &ApiConfig {
        &self.config
    }

    /// The underlying HTTP client (the `exec` proxy forwards with it).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}
