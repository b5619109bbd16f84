//! Queries. Reads take any connection; every mutation takes the transaction it runs in and
//! the policy's [`Permit`] for it, so no handler can reach a change without a decision.

use std::collections::HashMap;

use amorphic_su_model::policy::{action, Permit};
use amorphic_su_model::{
    AccessToken, AccessType, CreateServiceUserRequest, Datasource, OwnedResource, ResourceType,
    Role, RoleId, Shares, TagId, TagShare, Timestamp, TokenStatus, User, UserId, UserShare,
    UserStatus,
};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use crate::cache::CredentialRow;
use crate::db::{from_us, next_version, to_us};

/// A user as stored: the wire record plus what only the server knows.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// Internal id, never reused.
    pub uid: i64,
    pub user: User,
    pub disabled_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct UserRow {
    uid: i64,
    user_id: String,
    is_service_user: bool,
    display_name: String,
    description: Option<String>,
    email: Option<String>,
    status: String,
    disabled_us: Option<i64>,
    default_role_id: String,
    created_by: Option<String>,
    creation_us: i64,
    modified_us: i64,
    version: i64,
    /// JSON arrays gathered by subqueries: one query loads a whole user.
    roles_json: String,
    tags_json: String,
    share_users_json: String,
    share_tags_json: String,
}

const USER_SELECT: &str = "SELECT u.uid, u.user_id, u.is_service_user, u.display_name, u.description, u.email, \
       u.status, u.disabled_us, u.default_role_id, u.created_by, u.creation_us, u.modified_us, u.version, \
       (SELECT json_group_array(r.role_id) FROM user_roles r WHERE r.uid = u.uid) AS roles_json, \
       (SELECT json_group_array(t.tag_id) FROM user_tags t WHERE t.uid = u.uid) AS tags_json, \
       (SELECT json_group_array(x.user_id) FROM share_users s JOIN users x ON x.uid = s.user_uid \
          WHERE s.su_uid = u.uid) AS share_users_json, \
       (SELECT json_group_array(st.tag_id) FROM share_tags st WHERE st.su_uid = u.uid) AS share_tags_json \
     FROM users u";

/// Stored ids were validated on the way in; a bad one means a corrupt database.
fn parse<T, E: std::fmt::Display>(
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

fn ts(us: i64) -> Timestamp {
    Timestamp::new(from_us(us))
}

impl UserRow {
    fn into_stored(self) -> Result<StoredUser, sqlx::Error> {
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
            disabled_at: self.disabled_us.map(from_us),
        })
    }
}

fn hydrate(rows: Vec<UserRow>) -> Result<Vec<StoredUser>, sqlx::Error> {
    rows.into_iter().map(UserRow::into_stored).collect()
}

/// How a single user is looked up.
enum UserKey<'a> {
    Id(&'a str),
    Uid(i64),
    Folded(String),
}

async fn one_user(
    conn: &mut SqliteConnection,
    key: UserKey<'_>,
) -> Result<Option<StoredUser>, sqlx::Error> {
    let column = match &key {
        UserKey::Id(_) => "u.user_id",
        UserKey::Uid(_) => "u.uid",
        UserKey::Folded(_) => "u.user_id_folded",
    };
    let sql = format!("{USER_SELECT} WHERE {column} = ?1");
    let query = sqlx::query_as::<_, UserRow>(&sql);
    let query = match key {
        UserKey::Id(id) => query.bind(id.to_owned()),
        UserKey::Uid(uid) => query.bind(uid),
        UserKey::Folded(f) => query.bind(f),
    };
    let row = query.fetch_optional(conn).await?;
    row.map(UserRow::into_stored).transpose()
}

pub async fn user_by_id(
    conn: &mut SqliteConnection,
    user_id: &str,
) -> Result<Option<StoredUser>, sqlx::Error> {
    one_user(conn, UserKey::Id(user_id)).await
}

pub async fn user_by_uid(
    conn: &mut SqliteConnection,
    uid: i64,
) -> Result<Option<StoredUser>, sqlx::Error> {
    one_user(conn, UserKey::Uid(uid)).await
}

/// A live user whose id equals `user_id` ignoring case.
pub async fn user_by_folded_id(
    conn: &mut SqliteConnection,
    user_id: &UserId,
) -> Result<Option<StoredUser>, sqlx::Error> {
    one_user(conn, UserKey::Folded(user_id.folded())).await
}

/// The PAT or session whose secret has this SHA-256 digest.
pub async fn credential(
    conn: &mut SqliteConnection,
    digest: &[u8; 32],
) -> Result<Option<CredentialRow>, sqlx::Error> {
    let row: Option<(i64, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT uid, role_id, creation_us, expires_us FROM access_tokens WHERE digest = ?1 \
         UNION ALL \
         SELECT uid, NULL, creation_us, expires_us FROM sessions WHERE digest = ?1 \
         LIMIT 1",
    )
    .bind(&digest[..])
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map(|(uid, pat_role, created_us, expires_us)| CredentialRow {
            uid,
            pat_role,
            created_us,
            expires_us,
        }),
    )
}

/// A page of users sorted by `UserId`, and the total count.
pub async fn list_users(
    conn: &mut SqliteConnection,
    service_users_only: bool,
    offset: i64,
    limit: i64,
) -> Result<(Vec<StoredUser>, u64), sqlx::Error> {
    let filter = if service_users_only {
        "WHERE u.is_service_user = 1"
    } else {
        ""
    };
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users u {filter}"))
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "{USER_SELECT} {filter} ORDER BY u.user_id LIMIT ?1 OFFSET ?2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((hydrate(rows)?, u64::try_from(total).unwrap_or(0)))
}

/// One entry of the change feed.
pub enum Change {
    Changed(Box<StoredUser>),
    Deleted { user_id: UserId, version: i64 },
}

impl Change {
    pub fn version(&self) -> i64 {
        match self {
            Change::Changed(u) => u.user.version,
            Change::Deleted { version, .. } => *version,
        }
    }
}

/// Service users changed or deleted after `since`, in `Version` order, at most `limit`.
/// Run it in a read transaction so that the page is one snapshot.
pub async fn changes_since(
    conn: &mut SqliteConnection,
    since: i64,
    limit: i64,
) -> Result<Vec<Change>, sqlx::Error> {
    let entries: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT kind, version, user_id FROM ( \
           SELECT 'u' AS kind, version, user_id FROM users WHERE is_service_user = 1 AND version > ?1 \
           UNION ALL \
           SELECT 't' AS kind, version, user_id FROM tombstones WHERE version > ?1 \
         ) ORDER BY version LIMIT ?2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let changed_versions: Vec<i64> = entries.iter().filter(|e| e.0 == "u").map(|e| e.1).collect();
    let mut users: HashMap<i64, StoredUser> = HashMap::new();
    if !changed_versions.is_empty() {
        let json =
            serde_json::to_string(&changed_versions).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "{USER_SELECT} WHERE u.version IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json)
        .fetch_all(&mut *conn)
        .await?;
        for u in hydrate(rows)? {
            users.insert(u.user.version, u);
        }
    }
    let mut out = Vec::with_capacity(entries.len());
    for (kind, version, user_id) in entries {
        if kind == "u" {
            let u = users.remove(&version).ok_or_else(|| {
                sqlx::Error::Decode("change feed row vanished inside its snapshot".into())
            })?;
            out.push(Change::Changed(Box::new(u)));
        } else {
            out.push(Change::Deleted {
                user_id: parse(user_id, UserId::parse)?,
                version,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Roles and tags

#[derive(FromRow)]
struct RoleRow {
    role_id: String,
    role_name: String,
    description: Option<String>,
    is_system_role: bool,
    is_super_admin: bool,
    permissions: String,
}

impl RoleRow {
    fn into_role(self) -> Result<Role, sqlx::Error> {
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

pub async fn roles(conn: &mut SqliteConnection) -> Result<Vec<Role>, sqlx::Error> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT role_id, role_name, description, is_system_role, is_super_admin, permissions FROM roles ORDER BY role_id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(RoleRow::into_role).collect()
}

pub async fn tags(conn: &mut SqliteConnection) -> Result<Vec<amorphic_su_model::Tag>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT tag_id, tag_key, tag_value, description FROM tags ORDER BY tag_id")
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, key, value, description)| {
            Ok(amorphic_su_model::Tag {
                tag_id: parse(id, TagId::parse)?,
                tag_key: key,
                tag_value: value,
                description,
            })
        })
        .collect()
}

pub async fn tag_exists(conn: &mut SqliteConnection, tag_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags WHERE tag_id = ?1")
        .bind(tag_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

// ---------------------------------------------------------------------------------------
// Service-user mutations

/// Marks `uid` changed: new `Version`, `LastModifiedTime`.
async fn touch(
    conn: &mut SqliteConnection,
    uid: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let v = next_version(conn).await?;
    sqlx::query("UPDATE users SET version = ?1, modified_us = ?2 WHERE uid = ?3")
        .bind(v)
        .bind(to_us(now))
        .bind(uid)
        .execute(conn)
        .await?;
    Ok(v)
}

/// Creates a service user: enabled, `SystemRole-DefaultUsers` attached and default, the
/// creator as its first owner. Returns the new uid.
pub async fn create_service_user(
    conn: &mut SqliteConnection,
    _permit: Permit<action::CreateServiceUser>,
    req: &CreateServiceUserRequest,
    creator: &UserId,
    creator_uid: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let v = next_version(conn).await?;
    let uid: i64 = sqlx::query_scalar(
        "INSERT INTO users (user_id, user_id_folded, is_service_user, display_name, description, email, \
           password_hash, status, disabled_us, default_role_id, created_by, creation_us, modified_us, version) \
         VALUES (?1, ?2, 1, ?3, ?4, NULL, NULL, 'enabled', NULL, ?5, ?6, ?7, ?7, ?8) RETURNING uid",
    )
    .bind(req.user_id.as_str())
    .bind(req.user_id.folded())
    .bind(req.display_name.as_str())
    .bind(req.description.as_ref().map(|d| d.as_str()))
    .bind(RoleId::DEFAULT_USERS)
    .bind(creator.as_str())
    .bind(to_us(now))
    .bind(v)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO user_roles (uid, role_id) VALUES (?1, ?2)")
        .bind(uid)
        .bind(RoleId::DEFAULT_USERS)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO share_users (su_uid, user_uid, access_type) VALUES (?1, ?2, 'owner')")
        .bind(uid)
        .bind(creator_uid)
        .execute(&mut *conn)
        .await?;
    Ok(uid)
}

/// Sets the status; disabling records the time, which kills earlier sessions and tokens.
/// Returns whether anything changed.
pub async fn set_status(
    conn: &mut SqliteConnection,
    _permit: Permit<action::SetStatus>,
    target: &StoredUser,
    status: UserStatus,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    if target.user.user_status == status {
        return Ok(false);
    }
    let disabled_us = match status {
        UserStatus::Disabled => Some(to_us(now)),
        UserStatus::Enabled => target.disabled_at.map(to_us),
    };
    sqlx::query("UPDATE users SET status = ?1, disabled_us = ?2 WHERE uid = ?3")
        .bind(status.as_str())
        .bind(disabled_us)
        .bind(target.uid)
        .execute(&mut *conn)
        .await?;
    touch(conn, target.uid, now).await?;
    Ok(true)
}

/// Adds shares (already validated); all or nothing, a no-op when every one exists.
pub async fn add_shares(
    conn: &mut SqliteConnection,
    _permit: Permit<action::AddShares>,
    target: &StoredUser,
    user_uids: &[i64],
    tags: &[TagId],
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut changed = 0;
    for u in user_uids {
        changed += sqlx::query("INSERT OR IGNORE INTO share_users (su_uid, user_uid, access_type) VALUES (?1, ?2, 'owner')")
            .bind(target.uid)
            .bind(u)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    for t in tags {
        changed += sqlx::query("INSERT OR IGNORE INTO share_tags (su_uid, tag_id, access_type) VALUES (?1, ?2, 'owner')")
            .bind(target.uid)
            .bind(t.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    if changed > 0 {
        touch(conn, target.uid, now).await?;
    }
    Ok(changed > 0)
}

pub enum ShareRef<'a> {
    User(&'a str),
    Tag(&'a str),
}

pub async fn remove_share(
    conn: &mut SqliteConnection,
    _permit: Permit<action::RemoveShare>,
    target: &StoredUser,
    share: ShareRef<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let removed = match share {
        ShareRef::User(u) => {
            sqlx::query("DELETE FROM share_users WHERE su_uid = ?1 AND user_uid = (SELECT uid FROM users WHERE user_id = ?2)")
                .bind(target.uid)
                .bind(u)
                .execute(&mut *conn)
                .await?
        }
        ShareRef::Tag(t) => {
            sqlx::query("DELETE FROM share_tags WHERE su_uid = ?1 AND tag_id = ?2")
                .bind(target.uid)
                .bind(t)
                .execute(&mut *conn)
                .await?
        }
    };
    if removed.rows_affected() > 0 {
        touch(conn, target.uid, now).await?;
    }
    Ok(())
}

pub async fn attach_roles(
    conn: &mut SqliteConnection,
    _permit: Permit<action::AttachRoles>,
    target: &StoredUser,
    roles: &[RoleId],
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut changed = 0;
    for r in roles {
        changed += sqlx::query("INSERT OR IGNORE INTO user_roles (uid, role_id) VALUES (?1, ?2)")
            .bind(target.uid)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    if changed > 0 {
        touch(conn, target.uid, now).await?;
    }
    Ok(changed > 0)
}

pub async fn detach_role(
    conn: &mut SqliteConnection,
    _permit: Permit<action::DetachRole>,
    target: &StoredUser,
    role: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let removed = sqlx::query("DELETE FROM user_roles WHERE uid = ?1 AND role_id = ?2")
        .bind(target.uid)
        .bind(role)
        .execute(&mut *conn)
        .await?;
    if removed.rows_affected() > 0 {
        touch(conn, target.uid, now).await?;
    }
    Ok(())
}

/// What `uid` owns, sorted by resource id.
pub async fn owned_resources(
    conn: &mut SqliteConnection,
    uid: i64,
) -> Result<Vec<OwnedResource>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT datasource_id, datasource_name FROM datasources WHERE owner_uid = ?1 ORDER BY datasource_id",
    )
    .bind(uid)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| OwnedResource {
            resource_type: ResourceType::Datasource,
            resource_id: id,
            name,
        })
        .collect())
}

/// Deletes a (disabled) service user in the caller's transaction: moves every owned resource
/// to `transfer_uid`, removes its shares, roles, PATs, and the shares naming it, and leaves a
/// tombstone at a new `Version`. Returns what moved.
pub async fn delete_service_user(
    conn: &mut SqliteConnection,
    _permit: Permit<action::DeleteServiceUser>,
    target: &StoredUser,
    transfer_uid: i64,
    now: DateTime<Utc>,
) -> Result<Vec<OwnedResource>, sqlx::Error> {
    let moved = owned_resources(conn, target.uid).await?;
    sqlx::query("UPDATE datasources SET owner_uid = ?1 WHERE owner_uid = ?2")
        .bind(transfer_uid)
        .bind(target.uid)
        .execute(&mut *conn)
        .await?;
    for table in [
        "share_users WHERE su_uid",
        "share_users WHERE user_uid",
        "share_tags WHERE su_uid",
        "user_roles WHERE uid",
        "user_tags WHERE uid",
        "access_tokens WHERE uid",
        "sessions WHERE uid",
    ] {
        sqlx::query(&format!("DELETE FROM {table} = ?1"))
            .bind(target.uid)
            .execute(&mut *conn)
            .await?;
    }
    // Fails on a foreign key if anything still references the user: nothing is lost.
    sqlx::query("DELETE FROM users WHERE uid = ?1")
        .bind(target.uid)
        .execute(&mut *conn)
        .await?;
    let v = next_version(conn).await?;
    sqlx::query(
        "INSERT INTO tombstones (version, user_id, uid, deleted_us) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(v)
    .bind(target.user.user_id.as_str())
    .bind(target.uid)
    .bind(to_us(now))
    .execute(conn)
    .await?;
    Ok(moved)
}

// ---------------------------------------------------------------------------------------
// Personal access tokens

#[derive(FromRow)]
struct TokenRow {
    token_id: String,
    token_name: String,
    description: Option<String>,
    role_id: String,
    expires_us: i64,
    creation_us: i64,
    created_by: String,
}

impl TokenRow {
    fn into_token(self, now: DateTime<Utc>) -> Result<AccessToken, sqlx::Error> {
        Ok(AccessToken {
            token_id: parse(self.token_id, amorphic_su_model::TokenId::parse)?,
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

pub async fn access_tokens_of(
    conn: &mut SqliteConnection,
    uid: i64,
    now: DateTime<Utc>,
) -> Result<Vec<AccessToken>, sqlx::Error> {
    let rows: Vec<TokenRow> = sqlx::query_as(
        "SELECT token_id, token_name, description, role_id, expires_us, creation_us, created_by \
         FROM access_tokens WHERE uid = ?1 ORDER BY token_id",
    )
    .bind(uid)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|r| r.into_token(now)).collect()
}

pub async fn access_token(
    conn: &mut SqliteConnection,
    token_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<AccessToken>, sqlx::Error> {
    let row: Option<TokenRow> = sqlx::query_as(
        "SELECT token_id, token_name, description, role_id, expires_us, creation_us, created_by \
         FROM access_tokens WHERE token_id = ?1",
    )
    .bind(token_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.into_token(now)).transpose()
}

/// A new PAT's row; the secret itself is never stored, only its digest.
pub struct NewAccessToken<'a> {
    pub token_id: &'a str,
    pub uid: i64,
    pub digest: &'a [u8],
    pub token_name: &'a str,
    pub description: Option<&'a str>,
    pub role_id: &'a str,
    pub expires_at: DateTime<Utc>,
    pub created_by: &'a str,
}

pub async fn insert_access_token(
    conn: &mut SqliteConnection,
    t: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO access_tokens (token_id, uid, digest, token_name, description, role_id, expires_us, creation_us, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(t.token_id)
    .bind(t.uid)
    .bind(t.digest)
    .bind(t.token_name)
    .bind(t.description)
    .bind(t.role_id)
    .bind(to_us(t.expires_at))
    .bind(to_us(now))
    .bind(t.created_by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn create_access_token(
    conn: &mut SqliteConnection,
    _permit: Permit<action::CreateAccessToken>,
    t: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    insert_access_token(conn, t, now).await
}

/// Revokes one PAT of `owner_uid`; false when it has no such token.
pub async fn delete_access_token(
    conn: &mut SqliteConnection,
    owner_uid: i64,
    token_id: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM access_tokens WHERE token_id = ?1 AND uid = ?2")
        .bind(token_id)
        .bind(owner_uid)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Revokes a service user's PAT on behalf of one of its owners.
pub async fn revoke_service_user_token(
    conn: &mut SqliteConnection,
    _permit: Permit<action::ManageServiceUser>,
    target: &StoredUser,
    token_id: &str,
) -> Result<bool, sqlx::Error> {
    delete_access_token(conn, target.uid, token_id).await
}

// ---------------------------------------------------------------------------------------
// Sessions

pub async fn sessions_of(
    conn: &mut SqliteConnection,
    uid: i64,
    now: DateTime<Utc>,
) -> Result<Vec<amorphic_su_model::SessionInfo>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT session_id, creation_us, expires_us FROM sessions WHERE uid = ?1 AND expires_us > ?2 ORDER BY session_id",
    )
    .bind(uid)
    .bind(to_us(now))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, c, e)| {
            Ok(amorphic_su_model::SessionInfo {
                session_id: parse(id, amorphic_su_model::SessionId::parse)?,
                creation_time: ts(c),
                expires_at: ts(e),
            })
        })
        .collect()
}

/// Ends every session of `uid`; returns how many were still live.
pub async fn end_sessions(
    conn: &mut SqliteConnection,
    _permit: Permit<action::ViewSessions>,
    uid: i64,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let live: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE uid = ?1 AND expires_us > ?2")
            .bind(uid)
            .bind(to_us(now))
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM sessions WHERE uid = ?1")
        .bind(uid)
        .execute(conn)
        .await?;
    Ok(u64::try_from(live).unwrap_or(0))
}

pub async fn insert_session(
    conn: &mut SqliteConnection,
    session_id: &str,
    uid: i64,
    digest: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    // Expired sessions of this user are garbage by now.
    sqlx::query("DELETE FROM sessions WHERE uid = ?1 AND expires_us <= ?2")
        .bind(uid)
        .bind(to_us(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO sessions (session_id, uid, digest, creation_us, expires_us) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(session_id)
        .bind(uid)
        .bind(digest)
        .bind(to_us(now))
        .bind(to_us(expires_at))
        .execute(conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Datasources

#[derive(FromRow)]
struct DatasourceRow {
    datasource_id: String,
    datasource_name: String,
    datasource_type: String,
    owner: String,
    creation_us: i64,
}

impl DatasourceRow {
    fn into_datasource(self) -> Result<Datasource, sqlx::Error> {
        Ok(Datasource {
            datasource_id: parse(self.datasource_id, amorphic_su_model::DatasourceId::parse)?,
            datasource_name: self.datasource_name,
            datasource_type: self.datasource_type,
            owner: parse(self.owner, UserId::parse)?,
            creation_time: ts(self.creation_us),
        })
    }
}

const DATASOURCE_SELECT: &str = "SELECT d.datasource_id, d.datasource_name, d.datasource_type, u.user_id AS owner, d.creation_us \
     FROM datasources d JOIN users u ON u.uid = d.owner_uid";

pub async fn datasources(conn: &mut SqliteConnection) -> Result<Vec<Datasource>, sqlx::Error> {
    let rows: Vec<DatasourceRow> =
        sqlx::query_as(&format!("{DATASOURCE_SELECT} ORDER BY d.datasource_id"))
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(DatasourceRow::into_datasource)
        .collect()
}

pub async fn datasource(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<Datasource>, sqlx::Error> {
    let row: Option<DatasourceRow> =
        sqlx::query_as(&format!("{DATASOURCE_SELECT} WHERE d.datasource_id = ?1"))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(DatasourceRow::into_datasource).transpose()
}

pub async fn insert_datasource(
    conn: &mut SqliteConnection,
    id: &str,
    name: &str,
    kind: &str,
    owner_uid: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO datasources (datasource_id, datasource_name, datasource_type, owner_uid, creation_us) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(id)
    .bind(name)
    .bind(kind)
    .bind(owner_uid)
    .bind(to_us(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn create_datasource(
    conn: &mut SqliteConnection,
    _permit: Permit<action::CreateDatasource>,
    id: &str,
    name: &str,
    kind: &str,
    owner_uid: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    insert_datasource(conn, id, name, kind, owner_uid, now).await
}

pub async fn delete_datasource(
    conn: &mut SqliteConnection,
    _permit: Permit<action::DeleteDatasource>,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM datasources WHERE datasource_id = ?1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
