//! Tokens: a service-user token (assuming it), a service user's PATs for its owners, and the
//! principal's own PATs.

use amorphic_su_model::{
    AccessToken, AccessTokenList, CreateAccessTokenRequest, CreatedAccessToken, RoleId,
    ServiceUserAccessToken, ServiceUserAccessTokenList, ServiceUserToken, TokenId, UserId,
};
use reqwest::Method;

use super::{seg, ApiClient, Credentials};
use crate::error::Result;

impl ApiClient {
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

    /// `GET /fleet/access-tokens` (a reference-server extension): the PATs of every service
    /// user the caller has access to.
    pub async fn fleet_access_tokens(
        &self,
        c: &Credentials,
    ) -> Result<Vec<ServiceUserAccessToken>> {
        let l: ServiceUserAccessTokenList = self
            .call(Method::GET, "/fleet/access-tokens", Some(c), None)
            .await?;
        Ok(l.access_tokens)
    }

    /// Revokes one of a service user's PATs, as its owner.
    pub async fn revoke_access_token_of(
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

    /// Revokes one of the principal's own PATs.
    pub async fn revoke_access_token(&self, c: &Credentials, token: &TokenId) -> Result<()> {
        self.call_no_content(
            Method::DELETE,
            &format!("/access-tokens/{}", seg(token.as_str())),
            Some(c),
        )
        .await
    }
}
