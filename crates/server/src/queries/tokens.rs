//! `access_tokens`: personal access tokens (the secret is never stored, only its digest).

use amorphic_su_model::policy::{action, Permit};
use amorphic_su_model::AccessToken;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::db::to_us;
use crate::rows::{StoredUser, TokenRow};

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
