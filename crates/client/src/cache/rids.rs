//! The id-ordered run of `rid`s that search relies on: users with a `rid` up to
//! [`SyncKey::OrderedUpto`] are numbered in id order, so search reads the full-text index in
//! `rid` order and stops early; the few added out of order since are merged in, and once too
//! many are, everything is renumbered.

use sqlx::SqliteConnection;

use super::sync_state::{get_in, set_in};
use super::{Cache, SyncKey};
use crate::error::Result;

/// Users outside the id-ordered run of `rid`s that search tolerates before a renumbering.
pub(super) const UNORDERED_LIMIT: i64 = 1_000;

/// The end of the id-ordered run of `rid`s (0 when there is none).
pub(super) async fn ordered_upto_in(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(get_in(conn, SyncKey::OrderedUpto).await?.unwrap_or(0))
}

/// The first of `count` consecutive `rid`s for users not in the cache yet, given in id order
/// from `lowest_id`: right after the id-ordered run when they all sort after every cached id
/// and nothing was added out of order since the run was last renumbered (the run then grows
/// over them), else after every `rid` in use. Run it inside the writing transaction.
pub(super) async fn allocate(
    conn: &mut SqliteConnection,
    lowest_id: &str,
    count: usize,
) -> Result<i64> {
    let (max_rid, max_id): (i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT coalesce(max(rid), 0) FROM users), (SELECT max(user_id) FROM users)",
    )
    .fetch_one(&mut *conn)
    .await?;
    let ordered = ordered_upto_in(conn).await?;
    let extends_run = max_rid <= ordered && max_id.as_deref().is_none_or(|m| lowest_id > m);
    let first = max_rid.max(ordered) + 1;
    if extends_run {
        let last = first + count as i64 - 1;
        set_in(conn, SyncKey::OrderedUpto, &last).await?;
    }
    Ok(first)
}

impl Cache {
    /// Renumbers the `rid`s in id order (and rebuilds the full-text index) once more than
    /// [`UNORDERED_LIMIT`] users sit outside the id-ordered run, so that search keeps its
    /// early stop. Returns whether it did.
    pub(crate) async fn reorder_if_needed(&self) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let ordered = ordered_upto_in(&mut tx).await?;
        let outside: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE rid > ?")
            .bind(ordered)
            .fetch_one(&mut *tx)
            .await?;
        if outside <= UNORDERED_LIMIT {
            return Ok(false);
        }
        for sql in [
            "INSERT INTO users_fts (users_fts) VALUES ('delete-all')",
            "UPDATE users SET rid = -rid",
            "UPDATE users SET rid = o.n
             FROM (SELECT rid AS old, row_number() OVER (ORDER BY user_id) AS n FROM users) AS o
             WHERE users.rid = o.old",
            "INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
             SELECT rid, user_id, display_name, coalesce(description, ''), roles_text, tags_text
             FROM users",
        ] {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(rid), 0) FROM users")
            .fetch_one(&mut *tx)
            .await?;
        set_in(&mut tx, SyncKey::OrderedUpto, &last).await?;
        tx.commit().await?;
        Ok(true)
    }
}
