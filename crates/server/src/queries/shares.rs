//! `share_users` and `share_tags`: who owns a service user.

use amorphic_su_model::policy::{action, OnUser, Permit, ShareId};
use amorphic_su_model::TagId;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::queries::users::{touch, uid_of};

/// Adds shares (already validated); all or nothing, a no-op when every one exists.
pub async fn add_shares(
    conn: &mut SqliteConnection,
    permit: Permit<action::AddShares>,
    user_uids: &[i64],
    tags: &[TagId],
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let uid = uid_of(conn, permit.target()).await?;
    let mut changed = 0;
    for u in user_uids {
        changed += sqlx::query("INSERT OR IGNORE INTO share_users (su_uid, user_uid, access_type) VALUES (?1, ?2, 'owner')")
            .bind(uid)
            .bind(u)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    for t in tags {
        changed += sqlx::query("INSERT OR IGNORE INTO share_tags (su_uid, tag_id, access_type) VALUES (?1, ?2, 'owner')")
            .bind(uid)
            .bind(t.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    if changed > 0 {
        touch(conn, uid, now).await?;
    }
    Ok(changed > 0)
}

/// Removes the share the permit names (the one the decision found, and not the last) from its
/// service user.
pub async fn remove_share(
    conn: &mut SqliteConnection,
    permit: Permit<action::RemoveShare>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let OnUser {
        user_id,
        what: share,
    } = permit.target();
    let uid = uid_of(conn, user_id).await?;
    let removed = match share {
        ShareId::User(u) => {
            sqlx::query("DELETE FROM share_users WHERE su_uid = ?1 AND user_uid = (SELECT uid FROM users WHERE user_id = ?2)")
                .bind(uid)
                .bind(u.as_str())
                .execute(&mut *conn)
                .await?
        }
        ShareId::Tag(t) => {
            sqlx::query("DELETE FROM share_tags WHERE su_uid = ?1 AND tag_id = ?2")
                .bind(uid)
                .bind(t.as_str())
                .execute(&mut *conn)
                .await?
        }
    };
    if removed.rows_affected() > 0 {
        touch(conn, uid, now).await?;
    }
    Ok(())
}
