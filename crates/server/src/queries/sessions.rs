//! `sessions`: the session tokens of signed-in users (stored as digests).

use amorphic_su_model::policy::Owned;
use amorphic_su_model::policy::{action, Permit};
use amorphic_su_model::{SessionId, SessionInfo};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::db::to_us;
use crate::queries::users::uid_of;
use crate::rows::{parse, ts};

pub async fn sessions_of(
    conn: &mut SqliteConnection,
    uid: i64,
    now: DateTime<Utc>,
) -> Result<Vec<SessionInfo>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT session_id, creation_us, expires_us FROM sessions WHERE uid = ?1 AND expires_us > ?2 ORDER BY session_id",
    )
    .bind(uid)
    .bind(to_us(now))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, c, e)| {
            Ok(SessionInfo {
                session_id: parse(id, SessionId::parse)?,
                creation_time: ts(c),
                expires_at: ts(e),
            })
        })
        .collect()
}

/// Ends every session of the permit's user; returns how many were still live.
pub async fn end_sessions(
    conn: &mut SqliteConnection,
    permit: Permit<action::ViewSessions>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let uid = uid_of(conn, permit.target()).await?;
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

/// The session whose token has `digest`, if it is one of user `uid`'s (a PAT's digest, or
/// another user's session, is `None`).
pub async fn session_by_digest(
    conn: &mut SqliteConnection,
    uid: i64,
    digest: &[u8],
) -> Result<Option<SessionId>, sqlx::Error> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT session_id FROM sessions WHERE digest = ?1 AND uid = ?2")
            .bind(digest)
            .bind(uid)
            .fetch_optional(conn)
            .await?;
    id.map(|id| parse(id, SessionId::parse)).transpose()
}

/// Ends the one session the permit names, if it is still its owner's; false when it was
/// already gone (ended by a concurrent sign-out).
pub async fn end_session(
    conn: &mut SqliteConnection,
    permit: Permit<action::EndSession>,
) -> Result<bool, sqlx::Error> {
    let Owned { id, owner } = permit.target();
    let uid = uid_of(conn, owner).await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE session_id = ?1 AND uid = ?2")
        .bind(id.as_str())
        .bind(uid)
        .execute(conn)
        .await?;
    Ok(ended.rows_affected() == 1)
}

/// Creates a session for the user the sign-in permit names, if it is still enabled; false
/// (nothing created) otherwise.
pub async fn insert_session(
    conn: &mut SqliteConnection,
    permit: Permit<action::SignIn>,
    session_id: &str,
    digest: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let uid: Option<i64> = sqlx::query_scalar("SELECT uid FROM users WHERE user_id = ?1")
        .bind(permit.target().as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(uid) = uid else {
        return Ok(false); // gone since the password was checked
    };
    // Expired sessions of this user are garbage by now.
    sqlx::query("DELETE FROM sessions WHERE uid = ?1 AND expires_us <= ?2")
        .bind(uid)
        .bind(to_us(now))
        .execute(&mut *conn)
        .await?;
    // The user's state is read again here, in the writer: a disable that committed since the
    // password was checked refuses the session, and one that commits later finds the session
    // carrying the generation it moves.
    let inserted = sqlx::query(
        "INSERT INTO sessions (session_id, uid, digest, creation_us, expires_us, disable_generation) \
         SELECT ?1, uid, ?3, ?4, ?5, disable_generation FROM users WHERE uid = ?2 AND status = 'enabled'",
    )
    .bind(session_id)
    .bind(uid)
    .bind(digest)
    .bind(to_us(now))
    .bind(to_us(expires_at))
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
