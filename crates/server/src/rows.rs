//! What queries read from the database, and how a stored row becomes a record of the
//! contract. Stored ids were validated on the way in; one that no longer parses means a
//! corrupt database and fails the read as a decode error.

use amorphic_su_model::{
    AccessToken, AccessType, Datasource, DatasourceId, Role, RoleId, Shares, TagId, TagShare,
    Timestamp, TokenId, TokenStatus, User, UserId, UserShare, UserStatus,
};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::from_us;

/// A user as stored: the wire record plus what only the server knows.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// Internal id, never reused.
    pub uid: i64,
    pub user: User,
    /// How many times it has been disabled; service-user tokens carry it as `dgen`.
    pub disable_generation: i64,
}

/// A credential row: a PAT or a session, by the digest of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRow {
    pub uid: i64,
    /// The PAT's bound role; `None` for a session.
    pub pat_role: Option<String>,
    pub created_us: i64,
    pub expires_us: i64,
    /// A session's user's disable generation when it was created; 0 for a PAT (unused).
    pub disable_generation: i64,
}

/// What signing in reads of an account.
#[derive(FromRow)]
pub struct SignInRow {
    pub password_hash: Option<String>,
    pub status: String,
    pub is_service_user: bool,
}

/// A stored value parsed back into its type.
pub fn parse<T, E: std::fmt::Display>(
    s: String,
    f: impl FnOnce(String) -> Result<T, E>,
) -> Result<T, sqlx::Error> {
    f(s).map_err(|e| sqlx::Error::Decode(format!("stored value: {e}").into()))
}

/// A JSON array of ids, sorted (lists are sorted by id on the wire).
fn id_list<T: Ord, E: std::fmt::Display>(
    json: &str,
    f: impl Fn(String) -> Result<T, E>,
) -> Result<Vec<T>, sqlx::Error> {
    let raw: Vec<String> = serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(e.into()))?;
    let mut out = raw
        .into_iter()
        .map(|s| parse(s, &f))
        .collect::<Result<Vec<T>, _>>()?;
    out.sort();
    Ok(out)
}

/// A stored time (microseconds since the epoch) as a wire timestamp.
pub fn ts(us: i64) -> Timestamp {
    Timestamp::new(from_us(us))
}

/// One row of `users`, with its roles, tags and shares gathered by subqueries as JSON arrays
/// so that one query loads a whole user.
#[derive(FromRow)]
pub struct UserRow {
    uid: i64,
    user_id: String,
    is_service_user: bool,
    display_name: String,
    description: Option<String>,
    email: Option<String>,
    status: String,
    disable_generation: i64,
    default_role_id: String,
    created_by: Option<String>,
    creation_us: i64,
    modified_us: i64,
    version: i64,
    roles_json: String,
    tags_json: String,
    share_users_json: String,
    share_tags_json: String,
}

impl UserRow {
    pub fn into_stored(self) -> Result<StoredUser, sqlx::Error> {
        let status = UserStatus::parse(&self.status).ok_or_else(|| {
            sqlx::Error::Decode(format!("stored status {:?}", self.status).into())
        })?;
        let service = self.is_service_user;
        let shares = if service {
            let users = id_list(&self.share_users_json, UserId::parse)?;
            let tags = id_list(&self.share_tags_json, TagId::parse)?;
            Some(Shares {
                users: users
                    .into_iter()
                    .map(|user_id| UserShare {
                        user_id,
                        access_type: AccessType::Owner,
                    })
                    .collect(),
                tags: tags
                    .into_iter()
                    .map(|tag_id| TagShare {
                        tag_id,
                        access_type: AccessType::Owner,
                    })
                    .collect(),
            })
        } else {
            None
        };
        let user = User {
            user_id: parse(self.user_id, UserId::parse)?,
            is_service_user: service,
            display_name: self.display_name,
            description: self.description,
            email: if service { None } else { self.email },
            user_status: status,
            default_role_id: parse(self.default_role_id, RoleId::parse)?,
            roles: id_list(&self.roles_json, RoleId::parse)?,
            tags: if service {
                Vec::new()
            } else {
                id_list(&self.tags_json, TagId::parse)?
            },
            created_by: self
                .created_by
                .map(|c| parse(c, UserId::parse))
                .transpose()?,
            creation_time: ts(self.creation_us),
            last_modified_time: ts(self.modified_us),
            version: self.version,
            shares,
            caller_access: None,
        };
        Ok(StoredUser {
            uid: self.uid,
            user,
            disable_generation: self.disable_generation,
        })
    }
}

/// One row of `roles`; the permissions are a JSON array.
#[derive(FromRow)]
pub struct RoleRow {
    role_id: String,
    role_name: String,
    description: Option<String>,
    is_system_role: bool,
    is_super_admin: bool,
    permissions: String,
}

impl RoleRow {
    pub fn into_role(self) -> Result<Role, sqlx::Error> {
        let permissions: Vec<String> =
            serde_json::from_str(&self.permissions).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(Role {
            role_id: parse(self.role_id, RoleId::parse)?,
            role_name: self.role_name,
            description: self.description,
            is_system_role: self.is_system_role,
            is_super_admin: self.is_super_admin,
            permissions,
        })
    }
}

/// One row of `access_tokens`, without the digest of its secret.
#[derive(FromRow)]
pub struct TokenRow {
    token_id: String,
    token_name: String,
    description: Option<String>,
    role_id: String,
    expires_us: i64,
    creation_us: i64,
    created_by: String,
}

impl TokenRow {
    /// The record as of `now` (its status says whether it has expired).
    pub fn into_token(self, now: DateTime<Utc>) -> Result<AccessToken, sqlx::Error> {
        Ok(AccessToken {
            token_id: parse(self.token_id, TokenId::parse)?,
            token_name: self.token_name,
            description: self.description,
            role_id: parse(self.role_id, RoleId::parse)?,
            expires_at: ts(self.expires_us),
            creation_time: ts(self.creation_us),
            created_by: parse(self.created_by, UserId::parse)?,
            status: if from_us(self.expires_us) > now {
                TokenStatus::Active
            } else {
                TokenStatus::Expired
            },
        })
    }
}

/// One row of `datasources`, with its owner's `UserId`.
#[derive(FromRow)]
pub struct DatasourceRow {
    datasource_id: String,
    datasource_name: String,
    datasource_type: String,
    owner: String,
    creation_us: i64,
}

impl DatasourceRow {
    pub fn into_datasource(self) -> Result<Datasource, sqlx::Error> {
        Ok(Datasource {
            datasource_id: parse(self.datasource_id, DatasourceId::parse)?,
            datasource_name: self.datasource_name,
            datasource_type: self.datasource_type,
            owner: parse(self.owner, UserId::parse)?,
            creation_time: ts(self.creation_us),
        })
    }
}
