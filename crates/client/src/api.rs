//! The HTTP client of the service-user API (`/work/shared/spec/api.md`): raw `Authorization`,
//! `role_id` and `X-Amorphic-Service-User` headers, typed errors, timeouts, and jittered retries
//! for idempotent GETs only.

use std::time::Duration;

use amorphic_su_model::{
    AccessToken, AccessTokenList, ApiError, AttachRolesRequest, CreateAccessTokenRequest,
    CreateDatasourceRequest, CreateServiceUserRequest, CreateSessionRequest, CreatedAccessToken,
    Datasource, DatasourceList, DeleteServiceUserResponse, ErrorCode, OwnedResources, Role, RoleId,
    RoleList, Secret, ServiceUserToken, SessionCreated, SetStatusRequest, Shares, SharesRequest,
    Tag, TagId, TagList, TokenId, User, UserId, UserStatus, UsersResponse, WhoAmI, ROLE_HEADER,
    SERVICE_USER_HEADER,
};
use rand::Rng;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ClientError, Result};

/// Timeouts and retry policy.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Extra attempts for idempotent GETs after a connection failure, a timeout or a 502-504.
    pub get_retries: u32,
    /// First retry delay; each next one doubles, with +-50% jitter.
    pub retry_base: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            get_retries: 2,
            retry_base: Duration::from_millis(150),
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
        let http = reqwest::Client::builder()
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

    fn offline(&self, e: &reqwest::Error) -> ClientError {
        let mut reason = if e.is_timeout() {
            "the request timed out".to_owned()
        } else if e.is_connect() {
            "connection failed".to_owned()
        } else {
            "the connection broke".to_owned()
        };
        // The innermost cause says most (e.g. "Connection refused", "dns error").
        let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
        let mut last = None;
        while let Some(s) = src {
            last = Some(s.to_string());
            src = s.source();
        }
        if let Some(l) = last {
            reason = format!("{reason}: {l}");
        }
        ClientError::Offline {
            url: self.base.clone(),
            reason: reason.replace('\n', " "),
        }
    }

    /// Sends one request; GETs are retried with jittered exponential backoff on connection
    /// failures, timeouts and 502/503/504. Returns the status and body of a 2xx answer, else
    /// the typed error.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
        body: Option<&serde_json::Value>,
    ) -> Result<(StatusCode, bytes::Bytes)> {
        let idempotent = method == Method::GET;
        let attempts = if idempotent {
            1 + self.config.get_retries
        } else {
            1
        };
        let mut last_err = None;
        for attempt in 0..attempts {
            if attempt > 0 {
                let base =
                    self.config.retry_base.as_millis() as u64 * (1u64 << (attempt - 1).min(6));
                let jitter = rand::thread_rng().gen_range(base / 2..=base + base / 2);
                tokio::time::sleep(Duration::from_millis(jitter)).await;
            }
            let mut req = self
                .http
                .request(method.clone(), self.url(path))
                .header("Accept", "application/json");
            if let Some(c) = creds {
                req = req.header("Authorization", c.authorization.expose());
                if let Some(r) = &c.role_id {
                    req = req.header(ROLE_HEADER, r.as_str());
                }
                if let Some(t) = &c.service_user {
                    req = req.header(SERVICE_USER_HEADER, t.expose());
                }
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = self.offline(&e);
                    if idempotent && (e.is_connect() || e.is_timeout() || e.is_request()) {
                        last_err = Some(err);
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = resp.status();
            let bytes = match resp.bytes().await {
                Ok(b) => b,
                Err(e) => {
                    let err = if e.is_timeout() {
                        self.offline(&e)
                    } else {
                        let reason = self.offline(&e).to_string();
                        ClientError::ServerError {
                            status: status.as_u16(),
                            detail: format!("the answer broke off ({reason})"),
                        }
                    };
                    if idempotent {
                        last_err = Some(err);
                        continue;
                    }
                    return Err(err);
                }
            };
            if status.is_success() {
                return Ok((status, bytes));
            }
            let err = classify_error(status.as_u16(), &bytes);
            if idempotent && matches!(status.as_u16(), 502..=504) {
                last_err = Some(err);
                continue;
            }
            return Err(err);
        }
        Err(last_err.unwrap_or_else(|| ClientError::Offline {
            url: self.base.clone(),
            reason: "no attempt made".into(),
        }))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        let (status, bytes) = self.send_raw(method, path, creds, body.as_ref()).await?;
        parse_body(status.as_u16(), &bytes)
    }

    async fn call_no_content(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
    ) -> Result<()> {
        self.send_raw(method, path, creds, None).await.map(|_| ())
    }

    fn to_value<B: Serialize>(body: &B) -> Result<serde_json::Value> {
        serde_json::to_value(body)
            .map_err(|e| ClientError::invalid(format!("cannot encode the request: {e}")))
    }

    // ---- unauthenticated -------------------------------------------------------------------

    pub async fn healthz(&self) -> Result<()> {
        self.call::<serde_json::Value>(Method::GET, "/healthz", None, None)
            .await
            .map(|_| ())
    }

    /// The server's public keys for service-user tokens.
    pub async fn jwks(&self) -> Result<jsonwebtoken::jwk::JwkSet> {
        self.call(Method::GET, "/.well-known/jwks.json", None, None)
            .await
    }

    /// `POST /auth/sessions`: user id and password for a 60-minute session token.
    pub async fn create_session(&self, user_id: &str, password: Secret) -> Result<SessionCreated> {
        let body = Self::to_value(&CreateSessionRequest {
            user_id: user_id.to_owned(),
            password,
        })?;
        self.call(Method::POST, "/auth/sessions", None, Some(body))
            .await
    }

    // ---- users ----------------------------------------------------------------------------

    pub async fn whoami(&self, c: &Credentials) -> Result<WhoAmI> {
        self.call(Method::GET, "/whoami", Some(c), None).await
    }

    /// One page of `GET /users` (all users, or service users only).
    pub async fn list_users(
        &self,
        c: &Credentials,
        service_only: bool,
        offset: u64,
        limit: u32,
    ) -> Result<amorphic_su_model::UserList> {
        let action = if service_only {
            "action=get_service_users&"
        } else {
            ""
        };
        let path = format!("/users?{action}offset={offset}&limit={limit}");
        let (status, bytes) = self.send_raw(Method::GET, &path, Some(c), None).await?;
        // The list, decoded straight into its type (an untagged `UsersResponse` would buffer
        // every page and decode it twice); a feed-shaped answer is taken as a list too.
        if let Ok(l) = serde_json::from_slice::<amorphic_su_model::UserList>(&bytes) {
            return Ok(l);
        }
        match parse_body::<UsersResponse>(status.as_u16(), &bytes)? {
            UsersResponse::List(l) => Ok(l),
            UsersResponse::Feed(f) => Ok(amorphic_su_model::UserList {
                total_count: f.users.len() as u64,
                users: f.users,
            }),
        }
    }

    /// The change feed page after `since`; a server without a feed answers a plain list,
    /// returned as `UsersResponse::List`.
    pub async fn service_users_since(
        &self,
        c: &Credentials,
        since: i64,
        limit: u32,
    ) -> Result<UsersResponse> {
        let path = format!("/users?action=get_service_users&since={since}&limit={limit}");
        let (status, bytes) = self.send_raw(Method::GET, &path, Some(c), None).await?;
        // Straight into the feed's type first (see `list_users`).
        if let Ok(f) = serde_json::from_slice::<amorphic_su_model::ChangeFeed>(&bytes) {
            return Ok(UsersResponse::Feed(f));
        }
        parse_body(status.as_u16(), &bytes)
    }

    pub async fn get_user(&self, c: &Credentials, id: &UserId) -> Result<User> {
        self.call(
            Method::GET,
            &format!("/users/{}", seg(id.as_str())),
            Some(c),
            None,
        )
        .await
    }

    pub async fn create_service_user(
        &self,
        c: &Credentials,
        req: &CreateServiceUserRequest,
    ) -> Result<User> {
        self.call(Method::POST, "/users", Some(c), Some(Self::to_value(req)?))
            .await
    }

    pub async fn attach_roles(
        &self,
        c: &Credentials,
        id: &UserId,
        roles: &[RoleId],
    ) -> Result<User> {
        let body = Self::to_value(&AttachRolesRequest {
            role_ids: roles.to_vec(),
        })?;
        self.call(
            Method::POST,
            &format!("/users/{}/roles", seg(id.as_str())),
            Some(c),
            Some(body),
        )
        .await
    }

    pub async fn detach_role(&self, c: &Credentials, id: &UserId, role: &RoleId) -> Result<User> {
        let path = format!("/users/{}/roles/{}", seg(id.as_str()), seg(role.as_str()));
        self.call(Method::DELETE, &path, Some(c), None).await
    }

    /// `POST /users/{id}/auth-token`. The caller must verify the token before trusting it.
    pub async fn assume(
        &self,
        c: &Credentials,
        id: &UserId,
        role: &RoleId,
        minutes: u16,
    ) -> Result<ServiceUserToken> {
        let body = serde_json::json!({"RoleId": role, "ExpiryInMinutes": minutes});
        self.call(
            Method::POST,
            &format!("/users/{}/auth-token", seg(id.as_str())),
            Some(c),
            Some(body),
        )
        .await
    }

    pub async fn get_shares(&self, c: &Credentials, id: &UserId) -> Result<Shares> {
        self.call(
            Method::GET,
            &format!("/users/{}/shares", seg(id.as_str())),
            Some(c),
            None,
        )
        .await
    }

    pub async fn add_shares(
        &self,
        c: &Credentials,
        id: &UserId,
        req: &SharesRequest,
    ) -> Result<Shares> {
        self.call(
            Method::PUT,
            &format!("/users/{}/shares", seg(id.as_str())),
            Some(c),
            Some(Self::to_value(req)?),
        )
        .await
    }

    pub async fn remove_user_share(
        &self,
        c: &Credentials,
        id: &UserId,
        user: &UserId,
    ) -> Result<Shares> {
        let path = format!(
            "/users/{}/shares/users/{}",
            seg(id.as_str()),
            seg(user.as_str())
        );
        self.call(Method::DELETE, &path, Some(c), None).await
    }

    pub async fn remove_tag_share(
        &self,
        c: &Credentials,
        id: &UserId,
        tag: &TagId,
    ) -> Result<Shares> {
        let path = format!(
            "/users/{}/shares/tags/{}",
            seg(id.as_str()),
            seg(tag.as_str())
        );
        self.call(Method::DELETE, &path, Some(c), None).await
    }

    pub async fn set_status(
        &self,
        c: &Credentials,
        id: &UserId,
        status: UserStatus,
    ) -> Result<User> {
        let body = Self::to_value(&SetStatusRequest {
            user_status: status,
        })?;
        self.call(
            Method::PUT,
            &format!("/users/{}/status", seg(id.as_str())),
            Some(c),
            Some(body),
        )
        .await
    }

    pub async fn owned_resources(&self, c: &Credentials, id: &UserId) -> Result<OwnedResources> {
        self.call(
            Method::GET,
            &format!("/users/{}/owned-resources", seg(id.as_str())),
            Some(c),
            None,
        )
        .await
    }

    pub async fn delete_service_user(
        &self,
        c: &Credentials,
        id: &UserId,
        transfer_to: &UserId,
    ) -> Result<DeleteServiceUserResponse> {
        let path = format!(
            "/users/{}?transfer_user_id={}",
            seg(id.as_str()),
            transfer_to.as_str()
        );
        self.call(Method::DELETE, &path, Some(c), None).await
    }

    /// A service user's PATs (metadata), for its owners.
    pub async fn access_tokens_of(&self, c: &Credentials, id: &UserId) -> Result<Vec<AccessToken>> {
        let l: AccessTokenList = self
            .call(
                Method::GET,
                &format!("/users/{}/access-tokens", seg(id.as_str())),
                Some(c),
                None,
            )
            .await?;
        Ok(l.access_tokens)
    }

    pub async fn delete_access_token_of(
        &self,
        c: &Credentials,
        id: &UserId,
        token: &TokenId,
    ) -> Result<()> {
        let path = format!(
            "/users/{}/access-tokens/{}",
            seg(id.as_str()),
            seg(token.as_str())
        );
        self.call_no_content(Method::DELETE, &path, Some(c)).await
    }

    // ---- the principal's own PATs ------------------------------------------------------------

    pub async fn access_tokens(&self, c: &Credentials) -> Result<Vec<AccessToken>> {
        let l: AccessTokenList = self
            .call(Method::GET, "/access-tokens", Some(c), None)
            .await?;
        Ok(l.access_tokens)
    }

    pub async fn create_access_token(
        &self,
        c: &Credentials,
        req: &CreateAccessTokenRequest,
    ) -> Result<CreatedAccessToken> {
        self.call(
            Method::POST,
            "/access-tokens",
            Some(c),
            Some(Self::to_value(req)?),
        )
        .await
    }

    pub async fn delete_access_token(&self, c: &Credentials, token: &TokenId) -> Result<()> {
        self.call_no_content(
            Method::DELETE,
            &format!("/access-tokens/{}", seg(token.as_str())),
            Some(c),
        )
        .await
    }

    // ---- datasources ----------------------------------------------------------------------------

    pub async fn datasources(&self, c: &Credentials) -> Result<Vec<Datasource>> {
        let l: DatasourceList = self
            .call(Method::GET, "/datasources", Some(c), None)
            .await?;
        Ok(l.datasources)
    }

    pub async fn create_datasource(
        &self,
        c: &Credentials,
        req: &CreateDatasourceRequest,
    ) -> Result<Datasource> {
        self.call(
            Method::POST,
            "/datasources",
            Some(c),
            Some(Self::to_value(req)?),
        )
        .await
    }

    // ---- catalogues ---------------------------------------------------------------------------

    pub async fn roles(&self, c: &Credentials) -> Result<Vec<Role>> {
        let l: RoleList = self.call(Method::GET, "/roles", Some(c), None).await?;
        Ok(l.roles)
    }

    pub async fn tags(&self, c: &Credentials) -> Result<Vec<Tag>> {
        let l: TagList = self.call(Method::GET, "/tags", Some(c), None).await?;
        Ok(l.tags)
    }
}

/// Parses a 2xx body; anything unreadable is a `server_error`, never a panic.
pub(crate) fn parse_body<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T> {
    let bytes = if bytes.is_empty() {
        b"null".as_slice()
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|e| ClientError::ServerError {
        status,
        detail: format!("malformed JSON ({e})"),
    })
}

/// Turns a non-2xx answer into the typed error: `{"Message","Code"}`, or only `Message` /
/// `message` classified by status, or no usable body at all.
pub fn classify_error(status: u16, body: &[u8]) -> ClientError {
    if let Some(ApiError { message, code }) = ApiError::from_body(status, body) {
        if code == ErrorCode::Internal {
            return ClientError::ServerError {
                status,
                detail: one_line(&message),
            };
        }
        return ClientError::Api {
            status,
            code,
            message: one_line(&message),
        };
    }
    match ErrorCode::from_status(status) {
        Some(code) if status < 500 => ClientError::Api {
            status,
            code,
            message: code.default_message().to_owned(),
        },
        _ => {
            let text = String::from_utf8_lossy(body);
            let detail = if text.trim().is_empty() {
                "empty body".to_owned()
            } else {
                format!(
                    "not an API error body: {}",
                    one_line(&text.chars().take(120).collect::<String>())
                )
            };
            ClientError::ServerError { status, detail }
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8787/").unwrap(),
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            normalize_base_url("https://abc.execute-api.us-east-1.amazonaws.com/stage/").unwrap(),
            "https://abc.execute-api.us-east-1.amazonaws.com/stage"
        );
        for bad in [
            "",
            "localhost:8787",
            "ftp://x",
            "http://",
            "http://x/?a=1",
            "http://u:p@x",
            "not a url",
        ] {
            let e = normalize_base_url(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{bad}");
        }
    }

    #[test]
    fn errors_are_classified() {
        let e = classify_error(
            409,
            br#"{"Message":"Disable it first.","Code":"MUST_DISABLE_FIRST"}"#,
        );
        assert_eq!(e.code(), "MUST_DISABLE_FIRST");
        assert_eq!(e.to_string(), "Disable it first.");
        let e = classify_error(403, br#"{"message":"User is not authorized"}"#);
        assert_eq!(e.code(), "FORBIDDEN");
        assert_eq!(e.to_string(), "User is not authorized");
        let e = classify_error(401, br#"{"Message":"Unauthorized"}"#);
        assert_eq!(e.code(), "UNAUTHENTICATED");
        let e = classify_error(500, b"<html>oops</html>");
        assert_eq!(e.code(), "server_error");
        let e = classify_error(502, b"");
        assert_eq!(e.code(), "server_error");
        let e = classify_error(431, b"");
        assert_eq!(e.code(), "server_error");
        let e = classify_error(404, b"not json");
        assert_eq!(e.code(), "NOT_FOUND");
        let e = classify_error(500, br#"{"Message":"boom","Code":"INTERNAL"}"#);
        assert_eq!(e.code(), "server_error");
    }

    #[test]
    fn malformed_success_bodies_are_server_errors() {
        let e = parse_body::<User>(200, b"{not json").unwrap_err();
        assert_eq!(e.code(), "server_error");
    }

    #[test]
    fn dot_segments_are_escaped() {
        assert_eq!(seg(".."), "%2E%2E");
        assert_eq!(seg("a.b"), "a.b");
    }
}
