//! Users as the contract shows them: status, shares, the user record, lists, the change feed, `whoami`.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::{RoleId, TagId, Timestamp, UserId};

/// Whether a user may sign in and act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    Enabled,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Enabled => "enabled",
            UserStatus::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "enabled" => Some(UserStatus::Enabled),
            "disabled" => Some(UserStatus::Disabled),
            _ => None,
        }
    }
}

/// The only access type a service user can be shared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccessType {
    Owner,
}

impl AccessType {
    pub fn as_str(self) -> &'static str {
        "owner"
    }
}

/// A share of a service user with a regular user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserShare {
    pub user_id: UserId,
    pub access_type: AccessType,
}

/// A share of a service user with a tag: every user carrying the tag has access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TagShare {
    pub tag_id: TagId,
    pub access_type: AccessType,
}

/// Who has access to a service user. Both lists sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Shares {
    pub users: Vec<UserShare>,
    pub tags: Vec<TagShare>,
}

impl Shares {
    pub fn len(&self) -> usize {
        self.users.len() + self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn has_user(&self, user: &UserId) -> bool {
        self.users.iter().any(|s| &s.user_id == user)
    }

    pub fn has_tag(&self, tag: &TagId) -> bool {
        self.tags.iter().any(|s| &s.tag_id == tag)
    }
}

/// A user, regular or service, as listed and fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub user_id: UserId,
    pub is_service_user: bool,
    pub display_name: String,
    pub description: Option<String>,
    /// Null for service users.
    pub email: Option<String>,
    pub user_status: UserStatus,
    pub default_role_id: RoleId,
    pub roles: Vec<RoleId>,
    /// Always `[]` for service users (tags are groups of people).
    pub tags: Vec<TagId>,
    pub created_by: Option<UserId>,
    pub creation_time: Timestamp,
    pub last_modified_time: Timestamp,
    /// Server-wide, strictly increasing change number of this user's last change.
    #[schema(minimum = 1)]
    pub version: i64,
    /// Present for service users only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<Shares>,
    /// Present for service users only: `"owner"` when the caller has access, else null.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present_nullable"
    )]
    #[schema(value_type = Option<AccessType>, nullable)]
    pub caller_access: Option<Option<AccessType>>,
}

/// Tells a present `null` (`Some(None)`) from an absent key (`None`, via `default`).
fn present_nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl User {
    pub fn is_enabled(&self) -> bool {
        self.user_status == UserStatus::Enabled
    }

    pub fn has_role(&self, role: &RoleId) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// `GET /users` and `GET /users?action=get_service_users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct UserList {
    pub users: Vec<User>,
    pub total_count: u64,
}

/// A deleted service user in the change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Tombstone {
    pub user_id: UserId,
    pub version: i64,
}

/// `GET /users?action=get_service_users&since=V`: changes after `V` in `Version` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ChangeFeed {
    pub users: Vec<User>,
    pub deleted: Vec<Tombstone>,
    pub next_since: i64,
    pub has_more: bool,
}

/// The body of `GET /users`: a page, or the change feed when `since` is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum UsersResponse {
    Feed(ChangeFeed),
    List(UserList),
}

/// `GET /whoami`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct WhoAmI {
    pub user_id: UserId,
    pub is_service_user: bool,
    pub role_id: RoleId,
    /// The assuming user when acting as a service user, else null.
    pub actor_user_id: Option<UserId>,
}
