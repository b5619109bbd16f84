//! `users`: look-ups, the list, and the life of a service user (create, status, delete).

use amorphic_su_model::policy::{action, Owned, Permit};
use amorphic_su_model::{Description, DisplayName, OwnedResource, RoleId, UserId, UserStatus};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::db::{next_version, to_us};
use crate::queries::datasources::owned_resources;
use crate::rows::{SignInRow, StoredUser, UserRow};

/// Every column of [`UserRow`]; add a `WHERE` or `ORDER BY`.
pub const USER_SELECT: &str = "SELECT u.uid, u.user_id, u.is_service_user, u.display_name, u.description, u.email, \
       u.status, u.disable_generation, u.default_role_id, u.created_by, u.creation_us, u.modified_us, u.version, \
       (SELECT json_group_array(r.role_id) FROM user_roles r WHERE r.uid = u.uid) AS roles_json, \
       (SELECT json_group_array(t.tag_id) FROM user_tags t WHERE t.uid = u.uid) AS tags_json, \
       (SELECT json_group_array(x.user_id) FROM share_users s JOIN users x ON x.uid = s.user_uid \
          WHERE s.su_uid = u.uid) AS share_users_json, \
       (SELECT json_group_array(st.tag_id) FROM share_tags st WHERE st.su_uid = u.uid) AS share_tags_json \
     FROM users u";

pub fn hydrate(rows: Vec<UserRow>) -> Result<Vec<StoredUser>, sqlx::Error> {
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

/// What signing in as `user_id` needs to know of the account, if there is one.
pub async fn sign_in_account(
    conn: &mut SqliteConnection,
    user_id: &str,
) -> Result<Option<SignInRow>, sqlx::Error> {
    sqlx::query_as("SELECT password_hash, status, is_service_user FROM users WHERE user_id = ?1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// How many users there are (`service_users_only`: service users).
pub async fn count_users(
    conn: &mut SqliteConnection,
    service_users_only: bool,
) -> Result<u64, sqlx::Error> {
    let filter = if service_users_only {
        "WHERE is_service_user = 1"
    } else {
        ""
    };
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users {filter}"))
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// A page of users sorted by `UserId`: those after `after` (a keyset cursor, the last
/// `UserId` of the previous page, found through the index however deep the page is), then
/// skipping `offset` of them.
pub async fn list_users(
    conn: &mut SqliteConnection,
    service_users_only: bool,
    after: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<StoredUser>, sqlx::Error> {
    let filter = match (service_users_only, after.is_some()) {
        (false, false) => "",
        (false, true) => "WHERE u.user_id > ?3",
        (true, false) => "WHERE u.is_service_user = 1",
        (true, true) => "WHERE u.is_service_user = 1 AND u.user_id > ?3",
    };
    let sql = format!("{USER_SELECT} {filter} ORDER BY u.user_id LIMIT ?1 OFFSET ?2");
    let mut query = sqlx::query_as::<_, UserRow>(&sql).bind(limit).bind(offset);
    if let Some(a) = after {
        query = query.bind(a.to_owned());
    }
    hydrate(query.fetch_all(conn).await?)
}

/// The internal id of the live user `user_id`. A mutation resolves its permit's target here,
/// inside its own transaction, so it changes the user the decision was about and no other.
pub(super) async fn uid_of(
    conn: &mut SqliteConnection,
    user_id: &UserId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT uid FROM users WHERE user_id = ?1")
        .bind(user_id.as_str())
        .fetch_one(conn)
        .await
}

/// Marks `uid` changed: new `Version`, `LastModifiedTime`. Not public: only the mutations
/// of this module call it, each after resolving `uid` from its permit.
pub(super) async fn touch(
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

/// Creates the service user the permit names: enabled, `SystemRole-DefaultUsers` attached and
/// default, the permit's owner (its creator) as its first owner. Returns the new uid.
pub async fn create_service_user(
    conn: &mut SqliteConnection,
    permit: Permit<action::CreateServiceUser>,
    display_name: &DisplayName,
    description: Option<&Description>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let Owned { id, owner: creator } = permit.target();
    let creator_uid = uid_of(conn, creator).await?;
    let v = next_version(conn).await?;
    let uid: i64 = sqlx::query_scalar(
        "INSERT INTO users (user_id, user_id_folded, is_service_user, display_name, description, email, \
           password_hash, status, disabled_us, default_role_id, created_by, creation_us, modified_us, version) \
         VALUES (?1, ?2, 1, ?3, ?4, NULL, NULL, 'enabled', NULL, ?5, ?6, ?7, ?7, ?8) RETURNING uid",
    )
    .bind(id.as_str())
    .bind(id.folded())
    .bind(display_name.as_str())
    .bind(description.map(|d| d.as_str()))
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

/// Sets the status of the permit's service user; disabling records the time (which kills
/// earlier sessions) and moves the disable generation (which kills earlier service-user
/// tokens); enabling keeps the last disable time. Returns whether anything changed.
pub async fn set_status(
    conn: &mut SqliteConnection,
    permit: Permit<action::SetStatus>,
    status: UserStatus,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let disabling = status == UserStatus::Disabled;
    // The generation, not the time, is what kills earlier tokens: it moves in this same
    // transaction, so no token can be signed under the old value after this commits.
    let changed: Option<i64> = sqlx::query_scalar(
        "UPDATE users SET status = ?1, \
           disabled_us = CASE WHEN ?2 THEN ?3 ELSE disabled_us END, \
           disable_generation = disable_generation + ?2 \
         WHERE user_id = ?4 AND status <> ?1 RETURNING uid",
    )
    .bind(status.as_str())
    .bind(i64::from(disabling))
    .bind(to_us(now))
    .bind(permit.target().as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(uid) = changed else {
        return Ok(false);
    };
    touch(conn, uid, now).await?;
    Ok(true)
}

/// Deletes the permit's (disabled) service user in the caller's transaction: moves every owned
/// resource to `transfer_uid`, removes its shares, roles, PATs, and the shares naming it, and
/// leaves a tombstone at a new `Version`. Returns what moved.
pub async fn delete_service_user(
    conn: &mut SqliteConnection,
    permit: Permit<action::DeleteServiceUser>,
    transfer_uid: i64,
    now: DateTime<Utc>,
) -> Result<Vec<OwnedResource>, sqlx::Error> {
    let user_id = permit.target();
    let uid = uid_of(conn, user_id).await?;
    let moved = owned_resources(conn, uid).await?;
    sqlx::query("UPDATE datasources SET owner_uid = ?1 WHERE owner_uid = ?2")
        .bind(transfer_uid)
        .bind(uid)
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
            .bind(uid)
            .execute(&mut *conn)
            .await?;
    }
    // Fails on a foreign key if anything still references the user: nothing is lost.
    sqlx::query("DELETE FROM users WHERE uid = ?1")
        .bind(uid)
        .execute(&mut *conn)
        .await?;
    let v = next_version(conn).await?;
    sqlx::query(
        "INSERT INTO tombstones (version, user_id, uid, deleted_us) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(v)
    .bind(user_id.as_str())
    .bind(uid)
    .bind(to_us(now))
    .execute(conn)
    .await?;
    Ok(moved)
}
