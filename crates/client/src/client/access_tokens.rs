//! A service user's personal access tokens: listed, created and revoked acting as it (`_as`),
//! or listed and revoked by its owners without assuming it (`_of`).

use amorphic_su_model::{
    AccessToken, CreateAccessTokenRequest, CreatedAccessToken, Description, ErrorCode, RoleId,
    Timestamp, TokenId, TokenName, UserId,
};

use super::{Acting, Client, Fetched, Journal};
use crate::cache::ReadKey;
use crate::error::{ClientError, Result};
use crate::journal::JournalAction;

/// A new PAT for a service user.
#[derive(Debug, Clone)]
pub struct NewAccessToken {
    pub name: String,
    pub description: Option<String>,
    pub role_id: RoleId,
    pub expires_at: Timestamp,
}

/// The expiry of a PAT `days` from now. The policy allows from 1 to
/// `policy::MAX_ACCESS_TOKEN_DAYS`; the server checks.
pub fn expires_in_days(days: u16) -> Timestamp {
    Timestamp::new(chrono::Utc::now() + chrono::Duration::days(i64::from(days)))
}

impl Client {
    /// The PATs of an assumed service user (acting as it).
    pub async fn access_tokens_as(&self, su: &UserId) -> Result<Fetched<Vec<AccessToken>>> {
        self.cached_read_as(su, ReadKey::AccessTokensAs(su.clone()), async |c| {
            self.api.access_tokens(&c).await
        })
        .await
    }

    /// Creates a PAT for an assumed service user; the secret is in the answer, this once only.
    pub async fn create_access_token_as(
        &self,
        su: &UserId,
        new: NewAccessToken,
    ) -> Result<CreatedAccessToken> {
        let req = CreateAccessTokenRequest {
            token_name: TokenName::parse(new.name)?,
            description: new.description.map(Description::parse).transpose()?,
            role_id: new.role_id,
            expires_at: new.expires_at,
        };
        if req.expires_at <= Timestamp::now() {
            return Err(ClientError::Refused {
                code: ErrorCode::InvalidExpiry,
                message: "the token's expiry must be in the future".into(),
            });
        }
        self.mutate(
            Acting::As(su),
            async |c| self.api.create_access_token(c, &req).await,
            async |_, _| Ok(()),
            |_| {
                Journal::new(
                    su,
                    JournalAction::AccessTokenCreated,
                    format!(
                        "access token \"{}\" created for role {}, expires {}",
                        req.token_name, req.role_id, req.expires_at
                    ),
                )
            },
        )
        .await
    }

    /// Revokes one of an assumed service user's PATs, acting as it.
    pub async fn revoke_access_token_as(&self, su: &UserId, token: &TokenId) -> Result<()> {
        self.mutate(
            Acting::As(su),
            async |c| self.api.revoke_access_token(c, token).await,
            async |_, _| Ok(()),
            |_| Journal::new(su, JournalAction::AccessTokenRevoked, revoked(token)),
        )
        .await
    }

    /// The PATs of a service user, for its owners, without assuming it.
    pub async fn access_tokens_of(&self, su: &UserId) -> Result<Fetched<Vec<AccessToken>>> {
        let c = self.principal().await?;
        self.cached_read(ReadKey::AccessTokensOf(su.clone()), || async {
            self.api.access_tokens_of(&c, su).await
        })
        .await
    }

    /// Revokes one of a service user's PATs without assuming it.
    pub async fn revoke_access_token_of(&self, su: &UserId, token: &TokenId) -> Result<()> {
        self.mutate(
            Acting::Myself,
            async |c| self.api.revoke_access_token_of(c, su, token).await,
            async |_, _| Ok(()),
            |_| Journal::new(su, JournalAction::AccessTokenRevoked, revoked(token)),
        )
        .await
    }
}

/// The journal's words for a revoked PAT.
fn revoked(token: &TokenId) -> String {
    format!("access token {token} revoked")
}
