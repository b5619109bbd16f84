//! Service-user requests and answers: create, roles, assume (the token), shares, status, owned resources, delete.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Description, DisplayName, ExpiryMinutes, RoleId, Secret, TagId, Timestamp, UserId};

use super::*;

/// `POST /users`: creates a service user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateServiceUserRequest {
    pub user_id: UserId,
    pub display_name: DisplayName,
    #[serde(default)]
    pub description: Option<Description>,
}

/// `POST /users/{id}/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AttachRolesRequest {
    #[schema(max_items = 100)]
    pub role_ids: Vec<RoleId>,
}

/// `POST /users/{id}/auth-token`. `ExpiryInMinutes` is read as any JSON value so that a
/// wrong one is answered `INVALID_EXPIRY` (the contract's code), not `INVALID_REQUEST`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AssumeRequest {
    pub role_id: RoleId,
    #[schema(value_type = ExpiryMinutes)]
    pub expiry_in_minutes: serde_json::Value,
}

/// `201` of `POST /users/{id}/auth-token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceUserToken {
    /// The JWT to send as `X-Amorphic-Service-User`.
    pub token: Secret,
    /// Equals the token's `exp`.
    pub expires_at: Timestamp,
    pub role_id: RoleId,
    pub user_id: UserId,
}

/// One share to add, as requested. `AccessType` is kept as text so that any value other
/// than `owner` is answered `ACCESS_TYPE_NOT_ALLOWED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserShareRequest {
    pub user_id: UserId,
    #[schema(value_type = AccessType)]
    pub access_type: String,
}

/// One tag share to add, as requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TagShareRequest {
    pub tag_id: TagId,
    #[schema(value_type = AccessType)]
    pub access_type: String,
}

/// `PUT /users/{id}/shares`: merged into the existing shares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SharesRequest {
    #[serde(default)]
    #[schema(max_items = 100)]
    pub users: Vec<UserShareRequest>,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub tags: Vec<TagShareRequest>,
}

/// `PUT /users/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SetStatusRequest {
    pub user_status: UserStatus,
}

/// Kinds of resources a user can own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResourceType {
    Datasource,
}

/// A resource owned by a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OwnedResource {
    pub resource_type: ResourceType,
    pub resource_id: String,
    pub name: String,
}

/// `GET /users/{id}/owned-resources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OwnedResources {
    pub resources: Vec<OwnedResource>,
}

/// `DELETE /users/{id}?transfer_user_id=U`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteServiceUserResponse {
    pub transferred_to: UserId,
    pub transferred_resources: Vec<OwnedResource>,
}
