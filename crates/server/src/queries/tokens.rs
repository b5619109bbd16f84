//! `access_tokens`: personal access tokens (the secret is never stored, only its digest).

use amorphic_su_model::policy::{action, Owned, Permit};
use amorphic_su_model::AccessToken;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::db::to_us;
use crate::queries::users::{hydrate, uid_of, USER_SELECT};
use crate::rows::{StoredUser, TokenRow, UserRow};
use crate::seed::Seeding;

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

/// Every service user holding at least one PAT, sorted by `UserId`; the caller keeps those
/// the access rule lets it see.
pub async fn service_users_with_tokens(
    conn: &mut SqliteConnection,
) -> Result<Vec<StoredUser>, sqlx::Error> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "{USER_SELECT} WHERE u.is_service_user = 1 \
         AND EXISTS (SELECT 1 FROM access_tokens a WHERE a.uid = u.uid) ORDER BY u.user_id"
    ))
    .fetch_all(conn)
    .await?;
    hydrate(rows)
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

/// A new PAT's row, but for its id and owner, which come from the permit or the seed. The
/// secret itself is never stored, only its digest.
pub struct NewAccessToken<'a> {
    pub digest: &'a [u8],
    pub token_name: &'a str,
    pub description: Option<&'a str>,
    pub role_id: &'a str,
    pub expires_at: DateTime<Utc>,
    pub created_by: &'a str,
}

/// Not public: [`create_access_token`] (a permit) and [`seed_access_token`] (the seed) are the
/// two ways in.
async fn insert_access_token(
    conn: &mut SqliteConnection,
    token_id: &str,
    uid: i64,
    t: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO access_tokens (token_id, uid, digest, token_name, description, role_id, expires_us, creation_us, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(token_id)
    .bind(uid)
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

/// Creates the PAT the permit names, for the principal it names.
pub async fn create_access_token(
    conn: &mut SqliteConnection,
    permit: Permit<action::CreateAccessToken>,
    t: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Owned { id, owner } = permit.target();
    let uid = uid_of(conn, owner).await?;
    insert_access_token(conn, id.as_str(), uid, t, now).await
}

/// A PAT of the seed file, for the seed user `uid`.
pub async fn seed_access_token(
    conn: &mut SqliteConnection,
    _seeding: &Seeding,
    token_id: &str,
    uid: i64,
    t: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    insert_access_token(conn, token_id, uid, t, now).await
}

/// Revokes the PAT the permit names, if its owner (the caller, or a service user the caller
/// has access to) has it; false when it has no such token.
pub async fn delete_access_token(
    conn: &mut SqliteConnection,
    permit: Permit<action::RevokeAccessToken>,
) -> Result<bool, sqlx::Error> {
    let Owned { id, owner } = permit.target();
    let r = sqlx::query(
        "DELETE FROM access_tokens WHERE token_id = ?1 \
         AND uid = (SELECT uid FROM users WHERE user_id = ?2)",
    )
    .bind(id.as_str())
    .bind(owner.as_str())
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}
