//! Requests without credentials (health, the token-signing keys, signing in) and `/whoami`.

use amorphic_su_model::{CreateSessionRequest, Secret, SessionCreated, WhoAmI};
use reqwest::Method;

use super::{ApiClient, Credentials};
use crate::error::Result;

impl ApiClient {
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

    /// `DELETE /auth/sessions/current`: ends the session `c` is (a reference-server extension).
    pub async fn end_session(&self, c: &Credentials) -> Result<()> {
        self.call_no_content(Method::DELETE, "/auth/sessions/current", Some(c))
            .await
    }

    pub async fn whoami(&self, c: &Credentials) -> Result<WhoAmI> {
        self.call(Method::GET, "/whoami", Some(c), None).await
    }
}
