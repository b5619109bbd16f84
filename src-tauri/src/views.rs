//! What the UI sees: metadata views of the client's data, never a secret (the one exception,
//! a new access token's secret, is marked where it is returned).
use amorphic_su_client::model::Code;
use amorphic_su_client::model::{
    AccessToken, Datasource, OwnedResource, Role, Tag, TokenStatus, User, UserStatus,
};
use amorphic_su_client::{
    Activity, AssumedIdentity, Fetched, IdentityState, Refusal, RefusalReason, SharesWithMembers,
};
use serde::Serialize;

/// A user as the table and the detail panel show it.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub user_id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub is_service_user: bool,
    pub enabled: bool,
    pub default_role_id: String,
    pub roles: Vec<String>,
    /// Tags of a regular user (service users have none).
    pub tags: Vec<String>,
    /// User ids, and tag ids prefixed with `#`.
    pub shared_with: Vec<String>,
    pub created_by: Option<String>,
    pub creation_time: String,
    pub last_modified: String,
    /// The signed-in user has owner access (service users only), so can assume it.
    pub caller_has_access: bool,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        let shared_with = u
            .shares
            .as_ref()
            .map(|s| {
                let users = s.users.iter().map(|x| x.user_id.to_string());
                let tags = s.tags.iter().map(|x| format!("#{}", x.tag_id));
                users.chain(tags).collect()
            })
            .unwrap_or_default();
        UserView {
            user_id: u.user_id.to_string(),
            display_name: u.display_name,
            description: u.description,
            is_service_user: u.is_service_user,
            enabled: u.user_status == UserStatus::Enabled,
            default_role_id: u.default_role_id.to_string(),
            roles: u.roles.iter().map(|r| r.to_string()).collect(),
            tags: u.tags.iter().map(|t| t.to_string()).collect(),
            shared_with,
            created_by: u.created_by.map(|c| c.to_string()),
            creation_time: u.creation_time.to_rfc3339(),
            last_modified: u.last_modified_time.to_rfc3339(),
            caller_has_access: matches!(u.caller_access, Some(Some(_))),
        }
    }
}

/// Where a read came from: `stale` when the server was unreachable and the cache answered.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Freshness {
    pub stale: bool,
    /// When the data was fetched from the server (RFC 3339).
    pub as_of: Option<String>,
}

impl<T> From<&Fetched<T>> for Freshness {
    fn from(f: &Fetched<T>) -> Self {
        Freshness {
            stale: f.stale,
            as_of: f.as_of.map(|t| t.to_rfc3339()),
        }
    }
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserFetched {
    pub user: UserView,
    pub freshness: Freshness,
}

/// A tag share, with the people it reaches (from the cache).
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagShareView {
    pub tag_id: String,
    pub access_type: String,
    /// Regular users carrying the tag: they can act as the service user through it.
    pub members: Vec<String>,
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserShareView {
    pub user_id: String,
    pub access_type: String,
}

/// Who the service user is shared with.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SharesView {
    pub users: Vec<UserShareView>,
    pub tags: Vec<TagShareView>,
    pub freshness: Freshness,
}

impl From<Fetched<SharesWithMembers>> for SharesView {
    fn from(f: Fetched<SharesWithMembers>) -> Self {
        let freshness = Freshness::from(&f);
        SharesView {
            users: f
                .data
                .users
                .into_iter()
                .map(|u| UserShareView {
                    user_id: u.user_id.to_string(),
                    access_type: u.access_type.as_str().to_owned(),
                })
                .collect(),
            tags: f
                .data
                .tags
                .into_iter()
                .map(|t| TagShareView {
                    tag_id: t.share.tag_id.to_string(),
                    access_type: t.share.access_type.as_str().to_owned(),
                    members: t.members.iter().map(|m| m.to_string()).collect(),
                })
                .collect(),
            freshness,
        }
    }
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleView {
    pub role_id: String,
    pub role_name: String,
    pub description: Option<String>,
    pub is_system_role: bool,
    pub is_super_admin: bool,
    pub permissions: Vec<String>,
}

impl From<Role> for RoleView {
    fn from(r: Role) -> Self {
        RoleView {
            role_id: r.role_id.to_string(),
            role_name: r.role_name,
            description: r.description,
            is_system_role: r.is_system_role,
            is_super_admin: r.is_super_admin,
            permissions: r.permissions,
        }
    }
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagView {
    pub tag_id: String,
    pub tag_key: String,
    pub tag_value: String,
    pub description: Option<String>,
}

impl From<Tag> for TagView {
    fn from(t: Tag) -> Self {
        TagView {
            tag_id: t.tag_id.to_string(),
            tag_key: t.tag_key,
            tag_value: t.tag_value,
            description: t.description,
        }
    }
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OwnedResourceView {
    pub resource_type: String,
    pub resource_id: String,
    pub name: String,
}

impl From<OwnedResource> for OwnedResourceView {
    fn from(r: OwnedResource) -> Self {
        OwnedResourceView {
            resource_type: serde_json::to_value(r.resource_type)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            resource_id: r.resource_id,
            name: r.name,
        }
    }
}

/// A personal access token's metadata (never the secret).
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenView {
    pub token_id: String,
    pub token_name: String,
    pub description: Option<String>,
    pub role_id: String,
    pub expires_at: String,
    pub creation_time: String,
    pub created_by: String,
    pub active: bool,
}

impl From<AccessToken> for AccessTokenView {
    fn from(t: AccessToken) -> Self {
        AccessTokenView {
            token_id: t.token_id.to_string(),
            token_name: t.token_name,
            description: t.description,
            role_id: t.role_id.to_string(),
            expires_at: t.expires_at.to_rfc3339(),
            creation_time: t.creation_time.to_rfc3339(),
            created_by: t.created_by.to_string(),
            active: t.status == TokenStatus::Active,
        }
    }
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DatasourceView {
    pub datasource_id: String,
    pub datasource_name: String,
    pub datasource_type: String,
    pub owner: String,
    pub creation_time: String,
}

impl From<Datasource> for DatasourceView {
    fn from(d: Datasource) -> Self {
        DatasourceView {
            datasource_id: d.datasource_id.to_string(),
            datasource_name: d.datasource_name,
            datasource_type: d.datasource_type,
            owner: d.owner.to_string(),
            creation_time: d.creation_time.to_rfc3339(),
        }
    }
}

/// One line of a service user's local history.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityView {
    pub at: String,
    pub action: String,
    pub detail: String,
    pub actor: Option<String>,
}

impl From<Activity> for ActivityView {
    fn from(a: Activity) -> Self {
        ActivityView {
            at: a.at.to_rfc3339(),
            action: a.action,
            detail: a.detail,
            actor: a.actor.map(|u| u.to_string()),
        }
    }
}

/// Why the server refused an assumed identity, as found when it was checked.
#[derive(Serialize, specta::Type, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RefusalView {
    pub reason: RefusalReason,
    /// The server's code for the refused request.
    pub code: Code,
    /// The server's message for the refused request.
    pub message: String,
    /// What a person reads, naming the service user and what can be done.
    pub sentence: String,
    /// When the refusal was seen (RFC 3339).
    pub at: String,
}

impl RefusalView {
    pub fn new(r: &Refusal, service_user: &str) -> Self {
        RefusalView {
            reason: r.reason,
            code: r.code.into(),
            message: r.message.clone(),
            sentence: r.reason.sentence(service_user),
            at: r.at.to_rfc3339(),
        }
    }
}

/// An assumed identity: who, which role, until when, and whether the server still accepts it
/// (never the token).
#[derive(Serialize, specta::Type, Clone)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    pub service_user_id: String,
    pub role_id: String,
    /// The role's name from the cached catalogue (none before the first sync).
    pub role_name: Option<String>,
    pub minutes: u16,
    pub issued_at: String,
    pub expires_at: String,
    /// Seconds left when this view was made; the UI counts down from `expiresAt`.
    pub seconds_left: i32,
    pub expired: bool,
    /// The window acts as this identity.
    pub active: bool,
    /// Live, expiring, expired, or refused by the server at the last check.
    pub state: IdentityState,
    /// Why the server refused it, when `state` is refused.
    pub refusal: Option<RefusalView>,
    /// Assuming it again can succeed: expired, or refused for a reason that allows it.
    pub can_assume_again: bool,
    /// When the server was last asked about it (RFC 3339).
    pub checked_at: Option<String>,
    /// The password session ends before the token: acting as it stops with the session.
    pub session_ends_first: bool,
}

impl IdentityView {
    pub fn new(i: AssumedIdentity, active: bool, role_name: Option<String>) -> Self {
        let service_user_id = i.meta.service_user_id.to_string();
        IdentityView {
            refusal: i
                .refusal
                .as_ref()
                .map(|r| RefusalView::new(r, &service_user_id)),
            service_user_id,
            role_id: i.meta.role_id.to_string(),
            role_name,
            minutes: i.meta.minutes,
            issued_at: i.meta.issued_at.to_rfc3339(),
            expires_at: i.meta.expires_at.to_rfc3339(),
            seconds_left: i32::try_from(i.seconds_left).unwrap_or(i32::MAX),
            expired: i.expired,
            active,
            state: i.state,
            can_assume_again: i.can_assume_again,
            checked_at: i.checked_at.map(|t| t.to_rfc3339()),
            session_ends_first: i.session_ends_first,
        }
    }

    /// The role as a person reads it: its name, else its id.
    pub fn role(&self) -> &str {
        self.role_name.as_deref().unwrap_or(&self.role_id)
    }
}
