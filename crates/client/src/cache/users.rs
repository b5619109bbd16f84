//! Writing users: full-pass pages, change-feed pages, one user after a mutation, removals,
//! and the generations that tell a full pass which users it did not see. The full-text index
//! is kept in step in the same transaction.

use std::collections::HashMap;

use amorphic_su_model::{ChangeFeed, Timestamp, User, UserId};
use sqlx::SqliteConnection;

use super::sync_state::{remove_in, set_in};
use super::{rids, to_json, Cache, SyncKey};
use crate::error::Result;

/// Rows per multi-row statement: 500 rows of 12 values stay far below SQLite's limit on
/// bound parameters, and full pages use one statement shape (prepared once).
const CHUNK: usize = 500;

/// `(?, ?, ...), (?, ?, ...)`: the VALUES of a multi-row statement.
fn placeholders(rows: usize, columns: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(", "));
    vec![one; rows].join(", ")
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// A user ready for the `users` table: its `rid` and derived columns.
struct Stored<'a> {
    u: &'a User,
    rid: i64,
    roles: String,
    tags: String,
    body: String,
}

impl<'a> Stored<'a> {
    fn new(u: &'a User, rid: i64) -> Result<Self> {
        fn join<T: AsRef<str>>(items: &[T]) -> String {
            items
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(" ")
        }
        Ok(Stored {
            u,
            rid,
            roles: join(&u.roles),
            tags: join(&u.tags),
            body: to_json(u)?,
        })
    }

    /// Binds the 11 columns after `rid`, in the order of `write_users`' column list.
    fn bind_row<'q>(&'q self, q: Query<'q>, fetched_at: &'q str, generation: i64) -> Query<'q> {
        q.bind(self.u.user_id.as_str())
            .bind(self.u.is_service_user)
            .bind(self.u.display_name.as_str())
            .bind(self.u.description.as_deref())
            .bind(self.u.user_status.as_str())
            .bind(self.roles.as_str())
            .bind(self.tags.as_str())
            .bind(self.u.version)
            .bind(self.body.as_str())
            .bind(fetched_at)
            .bind(generation)
    }
}

/// Writes users the server returned, keeping the full-text index in step: a lookup of the
/// cached versions, then multi-row statements ([`CHUNK`] rows each) for new users, changed
/// users and their index rows. A user whose cached version is newer is left alone (only
/// marked as seen by this `generation`); one with the same version only gets the new
/// `fetched_at` and `generation`. New users get the next `rid`s in id order, extending the
/// id-ordered run that search relies on when they sort after every cached id (a first sync,
/// page after page; see [`rids::allocate`]). Run it inside a transaction.
async fn write_users(
    conn: &mut SqliteConnection,
    users: &[User],
    fetched_at: &str,
    generation: i64,
) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    // One row per id (a page never repeats one, but a duplicate would break the index): the
    // highest version wins.
    let mut latest: HashMap<&str, &User> = HashMap::with_capacity(users.len());
    for u in users {
        let e = latest.entry(u.user_id.as_str()).or_insert(u);
        if u.version > e.version {
            *e = u;
        }
    }
    let users: Vec<&User> = users
        .iter()
        .filter(|u| std::ptr::eq(*u, latest[u.user_id.as_str()]))
        .collect();
    let ids: Vec<&str> = users.iter().map(|u| u.user_id.as_str()).collect();
    let cached: HashMap<String, (i64, i64)> = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT user_id, version, rid FROM users
         WHERE user_id IN (SELECT value FROM json_each(?))",
    )
    .bind(to_json(&ids)?)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, v, rid)| (id, (v, rid)))
    .collect();
    let (mut new, mut changed, mut same, mut older) = (vec![], vec![], vec![], vec![]);
    for u in users {
        match cached.get(u.user_id.as_str()) {
            None => new.push(u),
            Some(&(v, rid)) if u.version > v => changed.push(Stored::new(u, rid)?),
            Some(&(v, _)) if u.version == v => same.push(u.user_id.as_str()),
            Some(_) => older.push(u.user_id.as_str()),
        }
    }
    new.sort_by(|a, b| a.user_id.as_str().cmp(b.user_id.as_str()));
    let first = match new.first() {
        Some(lowest) => rids::allocate(conn, lowest.user_id.as_str(), new.len()).await?,
        None => 0,
    };
    let new = new
        .into_iter()
        .zip(first..)
        .map(|(u, rid)| Stored::new(u, rid))
        .collect::<Result<Vec<_>>>()?;

    if !changed.is_empty() {
        let rids: Vec<i64> = changed.iter().map(|r| r.rid).collect();
        sqlx::query("DELETE FROM users_fts WHERE rowid IN (SELECT value FROM json_each(?))")
            .bind(to_json(&rids)?)
            .execute(&mut *conn)
            .await?;
    }
    const COLUMNS: &str = "user_id, is_service_user, display_name, description, \
        user_status, roles_text, tags_text, version, body, fetched_at, generation";
    for chunk in new.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO users (rid, {COLUMNS}) VALUES {}",
            placeholders(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = r.bind_row(q.bind(r.rid), fetched_at, generation);
        }
        q.execute(&mut *conn).await?;
    }
    for chunk in changed.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO users ({COLUMNS}) VALUES {}
             ON CONFLICT (user_id) DO UPDATE SET is_service_user = excluded.is_service_user,
               display_name = excluded.display_name, description = excluded.description,
               user_status = excluded.user_status, roles_text = excluded.roles_text,
               tags_text = excluded.tags_text, version = excluded.version, body = excluded.body,
               fetched_at = excluded.fetched_at, generation = excluded.generation",
            placeholders(chunk.len(), 11)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = r.bind_row(q, fetched_at, generation);
        }
        q.execute(&mut *conn).await?;
    }
    let written: Vec<&Stored<'_>> = new.iter().chain(&changed).collect();
    for chunk in written.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
             VALUES {}",
            placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.rid)
                .bind(r.u.user_id.as_str())
                .bind(r.u.display_name.as_str())
                .bind(r.u.description.as_deref().unwrap_or(""))
                .bind(r.roles.as_str())
                .bind(r.tags.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    for (ids, sql) in [
        (
            same,
            "UPDATE users SET fetched_at = ?2, generation = ?3
             WHERE user_id IN (SELECT value FROM json_each(?1))",
        ),
        (
            older,
            "UPDATE users SET generation = ?3
             WHERE user_id IN (SELECT value FROM json_each(?1))",
        ),
    ] {
        if !ids.is_empty() {
            sqlx::query(sql)
                .bind(to_json(&ids)?)
                .bind(fetched_at)
                .bind(generation)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Deletes users (and their full-text rows) by id, each only up to a version when one is
/// given (a tombstone does not remove a newer re-creation). Run it inside a transaction.
async fn delete_users(conn: &mut SqliteConnection, gone: &[(&str, Option<i64>)]) -> Result<u64> {
    if gone.is_empty() {
        return Ok(0);
    }
    let list: Vec<(&str, i64)> = gone
        .iter()
        .map(|(id, v)| (*id, v.unwrap_or(i64::MAX)))
        .collect();
    let list = to_json(&list)?;
    let matching = "SELECT u.rid FROM json_each(?1) j
                    JOIN users u ON u.user_id = j.value ->> '$[0]'
                    WHERE u.version <= j.value ->> '$[1]'";
    sqlx::query(&format!(
        "DELETE FROM users_fts WHERE rowid IN ({matching})"
    ))
    .bind(&list)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query(&format!("DELETE FROM users WHERE rid IN ({matching})"))
            .bind(&list)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

/// Empties the users (and their full-text index).
pub(super) async fn clear_users(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("INSERT INTO users_fts (users_fts) VALUES ('delete-all')")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM users").execute(&mut *conn).await?;
    remove_in(conn, &[SyncKey::OrderedUpto]).await
}

impl Cache {
    /// Stores one user the server just returned.
    pub async fn upsert_user(&self, u: &User) -> Result<()> {
        let generation = self.generation().await?;
        let mut tx = self.pool.begin().await?;
        write_users(
            &mut tx,
            std::slice::from_ref(u),
            &Timestamp::now().to_rfc3339(),
            generation,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a user. Its assumed identity, if any, stays until it is forgotten: it shows as
    /// refused (deleted), and forgetting it wipes its token from the keychain.
    pub async fn remove_user(&self, id: &UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        delete_users(&mut tx, &[(id.as_str(), None)]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of a full pass, in one transaction, marked with the pass's generation.
    pub async fn store_users_page(&self, users: &[User], generation: i64) -> Result<()> {
        let fetched_at = Timestamp::now().to_rfc3339();
        let mut tx = self.pool.begin().await?;
        write_users(&mut tx, users, &fetched_at, generation).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of a full pass with the pass's position (the offset after the page and its
    /// last user id), in one transaction: an interrupted pass resumes after it.
    pub async fn store_full_page(
        &self,
        users: &[User],
        generation: i64,
        next_offset: u64,
        last_id: Option<&str>,
    ) -> Result<()> {
        let fetched_at = Timestamp::now().to_rfc3339();
        let mut tx = self.pool.begin().await?;
        write_users(&mut tx, users, &fetched_at, generation).await?;
        set_in(&mut tx, SyncKey::FullOffset, &next_offset).await?;
        if let Some(id) = last_id {
            set_in(&mut tx, SyncKey::FullLastId, &id.to_owned()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// During a full pass, lets the write-ahead log grow to 64 MiB between checkpoints
    /// (instead of 4 MiB): page after page rewrites the same index pages, and copying them
    /// back at every 4 MiB was a sixth of a first sync's write time. `false` restores the
    /// default and checkpoints, truncating the log.
    pub async fn bulk_writes(&self, on: bool) -> Result<()> {
        let pages = if on { 16_384 } else { 1_000 };
        sqlx::query(&format!("PRAGMA wal_autocheckpoint = {pages}"))
            .execute(&self.pool)
            .await?;
        if !on {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Ends a full pass: users of the kinds it covered that it did not see are gone.
    pub async fn finish_full_pass(
        &self,
        generation: i64,
        include_service_users: bool,
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let filter = if include_service_users {
            "generation <> ?"
        } else {
            "generation <> ? AND is_service_user = 0"
        };
        sqlx::query(&format!(
            "DELETE FROM users_fts WHERE rowid IN (SELECT rid FROM users WHERE {filter})"
        ))
        .bind(generation)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query(&format!("DELETE FROM users WHERE {filter}"))
            .bind(generation)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        remove_in(
            &mut tx,
            &[
                SyncKey::FullPending,
                SyncKey::FullOffset,
                SyncKey::FullLastId,
            ],
        )
        .await?;
        set_in(&mut tx, SyncKey::FullSyncAt, &Timestamp::now()).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// One change-feed page and its cursor, in one transaction: an interrupted sync leaves
    /// the last good state and resumes after the last committed page.
    pub async fn apply_feed_page(&self, page: &ChangeFeed) -> Result<()> {
        let fetched_at = Timestamp::now().to_rfc3339();
        let generation = self.generation().await?;
        let mut tx = self.pool.begin().await?;
        write_users(&mut tx, &page.users, &fetched_at, generation).await?;
        let gone: Vec<(&str, Option<i64>)> = page
            .deleted
            .iter()
            .map(|t| (t.user_id.as_str(), Some(t.version)))
            .collect();
        delete_users(&mut tx, &gone).await?;
        set_in(&mut tx, SyncKey::FeedCursor, &page.next_since).await?;
        tx.commit().await?;
        Ok(())
    }
}
