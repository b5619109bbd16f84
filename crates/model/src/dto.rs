//! Wire DTOs, exactly as the contract spells them: PascalCase keys, requests refuse unknown
//! fields.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::{
    DatasourceId, DatasourceName, DatasourceType, Description, DisplayName, ExpiryMinutes, RoleId,
    Secret, SessionId, TagId, Timestamp, TokenId, TokenName, UserId,
};

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

/// `POST /auth/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Free text here: an id that cannot exist is just another failed sign-in.
    #[schema(max_length = 256)]
    pub user_id: String,
    #[schema(value_type = String, max_length = 1024)]
    pub password: Secret,
}

/// `201` of `POST /auth/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionCreated {
    pub session_token: Secret,
    pub expires_at: Timestamp,
    pub session_id: SessionId,
}

/// One signed-in session (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionInfo {
    pub session_id: SessionId,
    pub creation_time: Timestamp,
    pub expires_at: Timestamp,
}

/// `GET /users/{id}/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionList {
    pub sessions: Vec<SessionInfo>,
}

/// `POST /users/{id}/global-signout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GlobalSignOut {
    pub ended_sessions: u64,
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub role_id: RoleId,
    pub role_name: String,
    pub description: Option<String>,
    pub is_system_role: bool,
    pub is_super_admin: bool,
    pub permissions: Vec<String>,
}

/// `GET /roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RoleList {
    pub roles: Vec<Role>,
}

/// A tag: a group of people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub tag_id: TagId,
    pub tag_key: String,
    pub tag_value: String,
    pub description: Option<String>,
}

/// `GET /tags`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct TagList {
    pub tags: Vec<Tag>,
}

/// A datasource, owned by one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Datasource {
    pub datasource_id: DatasourceId,
    pub datasource_name: String,
    pub datasource_type: String,
    pub owner: UserId,
    pub creation_time: Timestamp,
}

/// `GET /datasources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DatasourceList {
    pub datasources: Vec<Datasource>,
}

/// `POST /datasources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateDatasourceRequest {
    pub datasource_name: DatasourceName,
    pub datasource_type: DatasourceType,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// The permissions the reference server knows.
pub mod permission {
    pub const DATASOURCES_READ: &str = "datasources.read";
    pub const DATASOURCES_CREATE: &str = "datasources.create";
    pub const DATASOURCES_DELETE: &str = "datasources.delete";
    pub const VERTICAL_APPS_ACCESS: &str = "vertical_apps.access";
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service_user() -> User {
        User {
            user_id: UserId::parse("etl-bot").unwrap(),
            is_service_user: true,
            display_name: "ETL bot".into(),
            description: None,
            email: None,
            user_status: UserStatus::Enabled,
            default_role_id: RoleId::default_users(),
            roles: vec![RoleId::default_users()],
            tags: vec![],
            created_by: Some(UserId::parse("alice").unwrap()),
            creation_time: Timestamp::from_unix(0).unwrap(),
            last_modified_time: Timestamp::from_unix(0).unwrap(),
            version: 3,
            shares: Some(Shares::default()),
            caller_access: Some(None),
        }
    }

    #[test]
    fn service_user_serializes_caller_access_null() {
        let v = serde_json::to_value(service_user()).unwrap();
        assert_eq!(v["CallerAccess"], json!(null));
        assert!(v.as_object().unwrap().contains_key("CallerAccess"));
        assert_eq!(v["Shares"], json!({"Users": [], "Tags": []}));
        assert_eq!(v["UserStatus"], json!("enabled"));
        let back: User = serde_json::from_value(v).unwrap();
        assert_eq!(back, service_user());
    }

    #[test]
    fn regular_user_has_no_shares_keys() {
        let mut u = service_user();
        u.is_service_user = false;
        u.shares = None;
        u.caller_access = None;
        let v = serde_json::to_value(&u).unwrap();
        assert!(!v.as_object().unwrap().contains_key("Shares"));
        assert!(!v.as_object().unwrap().contains_key("CallerAccess"));
        assert_eq!(serde_json::from_value::<User>(v).unwrap(), u);
    }

    #[test]
    fn requests_refuse_unknown_fields_and_bad_ids() {
        let ok = json!({"UserId": "new-bot", "DisplayName": "New"});
        assert!(serde_json::from_value::<CreateServiceUserRequest>(ok).is_ok());
        let extra = json!({"UserId": "new-bot", "DisplayName": "New", "Email": "x@y"});
        assert!(serde_json::from_value::<CreateServiceUserRequest>(extra).is_err());
        let bad_id = json!({"UserId": "no", "DisplayName": "New"});
        assert!(serde_json::from_value::<CreateServiceUserRequest>(bad_id).is_err());
    }

    #[test]
    fn created_access_token_flattens_the_record() {
        let t = CreatedAccessToken {
            record: AccessToken {
                token_id: TokenId::parse("pat-1").unwrap(),
                token_name: "ci".into(),
                description: None,
                role_id: RoleId::default_users(),
                expires_at: Timestamp::from_unix(100).unwrap(),
                creation_time: Timestamp::from_unix(0).unwrap(),
                created_by: UserId::parse("alice").unwrap(),
                status: TokenStatus::Active,
            },
            token: Secret::new("amo_pat_x"),
        };
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["TokenId"], json!("pat-1"));
        assert_eq!(v["Token"], json!("amo_pat_x"));
        assert_eq!(v["Status"], json!("active"));
    }

    #[test]
    fn users_response_tells_feed_from_list() {
        let feed = json!({"Users": [], "Deleted": [], "NextSince": 4, "HasMore": false});
        assert!(matches!(
            serde_json::from_value::<UsersResponse>(feed).unwrap(),
            UsersResponse::Feed(_)
        ));
        let list = json!({"Users": [], "TotalCount": 0});
        assert!(matches!(
            serde_json::from_value::<UsersResponse>(list).unwrap(),
            UsersResponse::List(_)
        ));
    }
}
