//! Personal access tokens: metadata, list, create (the secret once).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Description, RoleId, Secret, Timestamp, TokenId, TokenName, UserId};

/// Whether a PAT can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    Active,
    Expired,
}

/// A personal access token's metadata (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccessToken {
    pub token_id: TokenId,
    pub token_name: String,
    pub description: Option<String>,
    /// The role the token is bound to.
    pub role_id: RoleId,
    pub expires_at: Timestamp,
    pub creation_time: Timestamp,
    /// The person who made it, also when made while acting as a service user.
    pub created_by: UserId,
    pub status: TokenStatus,
}

/// `GET /access-tokens`, `GET /users/{id}/access-tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenList {
    pub access_tokens: Vec<AccessToken>,
}

/// `POST /access-tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateAccessTokenRequest {
    pub token_name: TokenName,
    #[serde(default)]
    pub description: Option<Description>,
    pub role_id: RoleId,
    /// In the future and at most 365 days ahead.
    pub expires_at: Timestamp,
}

/// `201` of `POST /access-tokens`: the record plus the secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CreatedAccessToken {
    #[serde(flatten)]
    pub record: AccessToken,
    /// `amo_pat_` and 43 URL-safe base64 characters.
    pub token: Secret,
}

/// One PAT of a service user in the fleet listing: its service user and its metadata (never
/// the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceUserAccessToken {
    /// The service user the PAT acts as.
    pub user_id: UserId,
    #[serde(flatten)]
    pub token: AccessToken,
}

/// `GET /fleet/access-tokens` (a reference-server extension): the PATs of every service user
/// the caller has access to, sorted by service user then `TokenId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceUserAccessTokenList {
    pub access_tokens: Vec<ServiceUserAccessToken>,
}
