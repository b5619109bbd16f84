//! The per-profile SQLite cache (WAL, embedded migrations): users, roles, tags, shares,
//! owned-resource previews, token metadata and sync state, each with its `fetched_at`.
//! It stores only what the server confirmed and never a secret.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use amorphic_su_model::{
    ChangeFeed, Role, RoleId, Tag, TagId, Timestamp, User, UserId, UserStatus,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::error::{ClientError, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Sync-state keys.
pub(crate) mod state {
    /// The change feed's `NextSince` of the last committed page.
    pub const FEED_CURSOR: &str = "feed_cursor";
    /// `"1"` when the server has a change feed, `"0"` when it answered a plain list.
    pub const FEED_SUPPORTED: &str = "feed_supported";
    /// When the last sync finished (RFC 3339).
    pub const LAST_SYNC_AT: &str = "last_sync_at";
    /// When the last full pass over `GET /users` finished.
    pub const FULL_SYNC_AT: &str = "full_sync_at";
    /// The generation of the running or last full pass.
    pub const GENERATION: &str = "generation";
    /// `"1"` while a full pass is under way (an interrupted one resumes).
    pub const FULL_PENDING: &str = "full_pending";
    /// The running full pass: how far it got in `GET /users` (the offset after the last
    /// committed page) and the last user id of that page.
    pub const FULL_OFFSET: &str = "full_offset";
    pub const FULL_LAST_ID: &str = "full_last_id";
    /// Users with a `rid` up to this one are in id order (`rid` order is `user_id` order), so
    /// search can take them in `rid` order and stop early.
    pub const ORDERED_UPTO: &str = "ordered_upto";
}

/// Metadata of an assumed identity (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssumedTokenMeta {
    pub service_user_id: UserId,
    pub role_id: RoleId,
    pub minutes: u16,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub jti: String,
    pub assumed_by: UserId,
}

/// One thing this app did to a service user (its local history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub at: Timestamp,
    pub service_user_id: UserId,
    /// A stable verb: `created`, `roles_attached`, `disabled`, `assumed`...
    pub action: String,
    /// What changed, in words.
    pub detail: String,
    /// Who did it (the signed-in user).
    pub actor: Option<UserId>,
}

/// Which users a listing wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    pub service_only: bool,
    /// Regular users only (a transfer-user picker); ignored with `service_only`.
    pub regular_only: bool,
    /// Free text: every word must prefix-match the name, id, description, a role or a tag.
    pub search: Option<String>,
    pub status: Option<UserStatus>,
    /// Users holding this role.
    pub role: Option<RoleId>,
    /// Users carrying this tag (the people a tag share reaches).
    pub tag: Option<TagId>,
    /// Service users the signed-in user has owner access to (so can assume).
    pub assumable: bool,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl UserFilter {
    /// The filter's conditions on `users u`, their parameters numbered after the query's own
    /// `used` ones, with their values in order.
    fn conditions(&self, used: usize) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        if self.service_only {
            sql.push_str(" AND +u.is_service_user = 1");
        } else if self.regular_only {
            sql.push_str(" AND +u.is_service_user = 0");
        }
        if let Some(status) = self.status {
            binds.push(status.as_str().to_owned());
            sql.push_str(&format!(" AND u.user_status = ?{}", used + binds.len()));
        }
        if let Some(role) = &self.role {
            binds.push(role.to_string());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Roles') r WHERE r.value = ?{})",
                used + binds.len()
            ));
        }
        if let Some(tag) = &self.tag {
            binds.push(tag.to_string());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(u.body, '$.Tags') t WHERE t.value = ?{})",
                used + binds.len()
            ));
        }
        if self.assumable {
            sql.push_str(" AND u.body ->> '$.CallerAccess' IS NOT NULL");
        }
        (sql, binds)
    }
}

/// The cache of one profile.
#[derive(Debug, Clone)]
pub struct Cache {
    /// The one writer (SQLite has one anyway); also reads that must see its own writes.
    pool: SqlitePool,
    /// Read-only connections for the lists: in WAL mode they read the last commit while a sync
    /// writes, so a list or a search never waits behind a sync (or behind each other).
    reader: SqlitePool,
    path: PathBuf,
}

fn parse_ts(s: &str) -> Result<Timestamp> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| ClientError::Cache(format!("bad time '{s}' in the cache: {e}")))
}

fn from_json<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s)
        .map_err(|e| ClientError::Cache(format!("unreadable row in the cache: {e}")))
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| ClientError::Cache(e.to_string()))
}

async fn set_state_in(conn: &mut sqlx::SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rows per multi-row statement: 500 rows of 12 values stay far below SQLite's limit on
/// bound parameters, and full pages use one statement shape (prepared once).
const CHUNK: usize = 500;

/// Users outside the id-ordered run of `rid`s that search tolerates before a renumbering.
const UNORDERED_LIMIT: i64 = 1_000;

/// `(?, ?, ...), (?, ?, ...)`: the VALUES of a multi-row statement.
fn placeholders(rows: usize, columns: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(", "));
    vec![one; rows].join(", ")
}

async fn ordered_upto_in(conn: &mut sqlx::SqliteConnection) -> Result<i64> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM sync_state WHERE key = ?")
        .bind(state::ORDERED_UPTO)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
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

/// Builds an FTS5 query from user input: every word is quoted (so no FTS syntax gets through)
/// and prefix-matched; all words must match.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Cache {
    /// Opens (creating if needed) the cache file and runs the embedded migrations.
    pub async fn open(path: &Path) -> Result<Cache> {
        if let Some(dir) = path.parent() {
            crate::profiles::create_private_dir(dir)?;
        }
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(|e| ClientError::Cache(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // One writing connection: SQLite has one writer anyway, and FTS5's integrity check can
        // report a stale index on another connection. Never hold it while calling another
        // method of the cache.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await?;
        MIGRATOR.run(&pool).await?;
        // Two readers: a list's window and its count run side by side. Opened lazily.
        let reader = SqlitePoolOptions::new()
            .max_connections(2)
            .min_connections(0)
            .connect_lazy_with(opts.read_only(true).create_if_missing(false));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(Cache {
            pool,
            reader,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.pool.close().await;
    }

    // ---- sync state -----------------------------------------------------------------------

    /// A sync-state value, as last committed (never waits behind a sync in progress).
    pub async fn state(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM sync_state WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    pub async fn set_state(&self, key: &str, value: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        set_state_in(&mut conn, key, value).await
    }

    /// When the last sync finished, if any.
    pub async fn last_sync_at(&self) -> Result<Option<Timestamp>> {
        self.state(state::LAST_SYNC_AT)
            .await?
            .map(|s| parse_ts(&s))
            .transpose()
    }

    // ---- users ----------------------------------------------------------------------------

    /// Writes users the server returned, keeping the full-text index in step: a lookup of
    /// the cached versions, then multi-row statements ([`CHUNK`] rows each) for new users,
    /// changed users and their index rows. A user whose cached version is newer is left alone
    /// (only marked as seen by this `generation`); one with the same version only gets the new
    /// `fetched_at` and `generation`. New users get the next `rid`s in id order, extending the
    /// id-ordered run that search relies on when they sort after every cached id (a first
    /// sync, page after page). Run it inside a transaction.
    async fn write_users(
        conn: &mut sqlx::SqliteConnection,
        users: &[User],
        fetched_at: &str,
        generation: i64,
    ) -> Result<()> {
        if users.is_empty() {
            return Ok(());
        }
        // One row per id (a page never repeats one, but a duplicate would break the index):
        // the highest version wins.
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
        let new = Self::new_rids(conn, new).await?;

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

    /// `rid`s for users not in the cache yet, in id order: right after the id-ordered run
    /// when they all sort after every cached id and nothing was added out of order since the
    /// run was last renumbered (the run then grows), else after every `rid` in use.
    async fn new_rids<'a>(
        conn: &mut sqlx::SqliteConnection,
        mut new: Vec<&'a User>,
    ) -> Result<Vec<Stored<'a>>> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        new.sort_by(|a, b| a.user_id.as_str().cmp(b.user_id.as_str()));
        let (max_rid, max_id): (i64, Option<String>) = sqlx::query_as(
            "SELECT (SELECT coalesce(max(rid), 0) FROM users), (SELECT max(user_id) FROM users)",
        )
        .fetch_one(&mut *conn)
        .await?;
        let ordered = ordered_upto_in(conn).await?;
        let extends_run = max_rid <= ordered
            && max_id
                .as_deref()
                .is_none_or(|m| new[0].user_id.as_str() > m);
        let first = max_rid.max(ordered) + 1;
        let rows = new
            .into_iter()
            .zip(first..)
            .map(|(u, rid)| Stored::new(u, rid))
            .collect::<Result<Vec<_>>>()?;
        if extends_run {
            let last = first + rows.len() as i64 - 1;
            set_state_in(conn, state::ORDERED_UPTO, &last.to_string()).await?;
        }
        Ok(rows)
    }

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
        set_state_in(&mut tx, state::ORDERED_UPTO, &last.to_string()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes users (and their full-text rows) by id, each only up to a version when one is
    /// given (a tombstone does not remove a newer re-creation). Run it inside a transaction.
    async fn delete_users(
        conn: &mut sqlx::SqliteConnection,
        gone: &[(&str, Option<i64>)],
    ) -> Result<u64> {
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

    /// The generation of the running or last full pass (0 before the first).
    pub(crate) async fn generation(&self) -> Result<i64> {
        Ok(self
            .state(state::GENERATION)
            .await?
            .and_then(|g| g.parse().ok())
            .unwrap_or(0))
    }

    /// Stores one user the server just returned.
    pub async fn upsert_user(&self, u: &User) -> Result<()> {
        let generation = self.generation().await?;
        let mut tx = self.pool.begin().await?;
        Self::write_users(
            &mut tx,
            std::slice::from_ref(u),
            &Timestamp::now().to_rfc3339(),
            generation,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_user(&self, id: &UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        Self::delete_users(&mut tx, &[(id.as_str(), None)]).await?;
        sqlx::query("DELETE FROM assumed_tokens WHERE service_user_id = ?")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Empties the users (and their full-text index).
    pub(crate) async fn clear_users(conn: &mut sqlx::SqliteConnection) -> Result<()> {
        sqlx::query("INSERT INTO users_fts (users_fts) VALUES ('delete-all')")
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM users").execute(&mut *conn).await?;
        sqlx::query("DELETE FROM sync_state WHERE key = ?")
            .bind(state::ORDERED_UPTO)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// One page of a full pass, in one transaction, marked with the pass's generation.
    pub async fn store_users_page(&self, users: &[User], generation: i64) -> Result<()> {
        let fetched_at = Timestamp::now().to_rfc3339();
        let mut tx = self.pool.begin().await?;
        Self::write_users(&mut tx, users, &fetched_at, generation).await?;
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
        Self::write_users(&mut tx, users, &fetched_at, generation).await?;
        set_state_in(&mut tx, state::FULL_OFFSET, &next_offset.to_string()).await?;
        if let Some(id) = last_id {
            set_state_in(&mut tx, state::FULL_LAST_ID, id).await?;
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
        sqlx::query("DELETE FROM sync_state WHERE key IN (?, ?, ?)")
            .bind(state::FULL_PENDING)
            .bind(state::FULL_OFFSET)
            .bind(state::FULL_LAST_ID)
            .execute(&mut *tx)
            .await?;
        set_state_in(&mut tx, state::FULL_SYNC_AT, &Timestamp::now().to_rfc3339()).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// One change-feed page and its cursor, in one transaction: an interrupted sync leaves
    /// the last good state and resumes after the last committed page.
    pub async fn apply_feed_page(&self, page: &ChangeFeed) -> Result<()> {
        let fetched_at = Timestamp::now().to_rfc3339();
        let generation = self.generation().await?;
        let mut tx = self.pool.begin().await?;
        Self::write_users(&mut tx, &page.users, &fetched_at, generation).await?;
        let gone: Vec<(&str, Option<i64>)> = page
            .deleted
            .iter()
            .map(|t| (t.user_id.as_str(), Some(t.version)))
            .collect();
        Self::delete_users(&mut tx, &gone).await?;
        set_state_in(&mut tx, state::FEED_CURSOR, &page.next_since.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or with `None` removes) several sync-state keys in one transaction.
    pub(crate) async fn set_states(&self, pairs: &[(&str, Option<&str>)]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for (k, v) in pairs {
            match v {
                Some(v) => set_state_in(&mut tx, k, v).await?,
                None => {
                    sqlx::query("DELETE FROM sync_state WHERE key = ?")
                        .bind(k)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A cached user and when it was fetched.
    pub async fn user(&self, id: &UserId) -> Result<Option<(User, Timestamp)>> {
        let row = sqlx::query("SELECT body, fetched_at FROM users WHERE user_id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok((
                from_json(r.get::<&str, _>(0))?,
                parse_ts(r.get::<&str, _>(1))?,
            ))
        })
        .transpose()
    }

    /// Cached users, sorted by id.
    ///
    /// A search reads the full-text index in `rid` order, which is id order for users up to
    /// [`state::ORDERED_UPTO`]: it stops there after `offset + limit` matches, and only the
    /// few users added out of order since (kept under [`UNORDERED_LIMIT`]) are matched in full
    /// and merged in. A broad word ("svc", a role every user has) costs as little as a rare one.
    pub async fn users(&self, f: &UserFilter) -> Result<Vec<User>> {
        let limit = i64::from(f.limit.unwrap_or(u32::MAX).min(1_000_000));
        let offset = i64::from(f.offset.unwrap_or(0));
        // One read transaction: the id-order mark and the rows come from the same snapshot.
        let mut tx = self.reader.begin().await?;
        let rows = match f.search.as_deref().and_then(fts_query) {
            Some(q) => {
                let ordered = ordered_upto_in(&mut tx).await?;
                // `+` keeps the planner from driving the join by the kind index: the
                // full-text index must be the outer loop, in rowid order.
                let (conds, values) = f.conditions(5);
                let sql = format!(
                    "SELECT body FROM (
                       SELECT * FROM (
                         SELECT u.user_id, u.body FROM users_fts CROSS JOIN users u
                           ON u.rid = users_fts.rowid
                         WHERE users_fts MATCH ?1 AND users_fts.rowid <= ?2 {conds}
                         ORDER BY users_fts.rowid LIMIT ?3)
                       UNION ALL
                       SELECT u.user_id, u.body FROM users_fts CROSS JOIN users u
                         ON u.rid = users_fts.rowid
                       WHERE users_fts MATCH ?1 AND users_fts.rowid > ?2 {conds})
                     ORDER BY user_id LIMIT ?4 OFFSET ?5"
                );
                let mut query = sqlx::query(&sql)
                    .bind(q)
                    .bind(ordered)
                    .bind(limit.saturating_add(offset))
                    .bind(limit)
                    .bind(offset);
                for v in &values {
                    query = query.bind(v);
                }
                query.fetch_all(&mut *tx).await?
            }
            None => {
                let (conds, values) = f.conditions(2);
                let sql = format!(
                    "SELECT u.body FROM users u WHERE 1 = 1 {} ORDER BY u.user_id LIMIT ?1 OFFSET ?2",
                    conds.replace("+u.", "u.")
                );
                let mut query = sqlx::query(&sql).bind(limit).bind(offset);
                for v in &values {
                    query = query.bind(v);
                }
                query.fetch_all(&mut *tx).await?
            }
        };
        rows.iter()
            .map(|r| from_json(r.get::<&str, _>(0)))
            .collect()
    }

    /// How many users match a filter (its limit and offset ignored).
    pub async fn count_matching(&self, f: &UserFilter) -> Result<i64> {
        let search = f.search.as_deref().and_then(fts_query);
        let (conds, values) = f.conditions(usize::from(search.is_some()));
        let (sql, search) = match search {
            Some(q) => (
                format!(
                    "SELECT count(*) FROM users_fts CROSS JOIN users u ON u.rid = users_fts.rowid
                     WHERE users_fts MATCH ?1 {conds}"
                ),
                Some(q),
            ),
            None => (
                format!(
                    "SELECT count(*) FROM users u WHERE 1 = 1 {}",
                    conds.replace("+u.", "u.")
                ),
                None,
            ),
        };
        let mut query = sqlx::query(&sql);
        if let Some(q) = search {
            query = query.bind(q);
        }
        for v in &values {
            query = query.bind(v);
        }
        Ok(query.fetch_one(&self.reader).await?.get(0))
    }

    pub async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT count(*) FROM users")
            .fetch_one(&self.reader)
            .await?
            .get(0))
    }

    // ---- roles and tags -------------------------------------------------------------------

    pub async fn replace_roles(&self, roles: &[Role]) -> Result<()> {
        let at = Timestamp::now().to_rfc3339();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM roles").execute(&mut *tx).await?;
        for r in roles {
            sqlx::query(
                "INSERT OR REPLACE INTO roles (role_id, body, fetched_at) VALUES (?, ?, ?)",
            )
            .bind(r.role_id.as_str())
            .bind(to_json(r)?)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn roles(&self) -> Result<Vec<Role>> {
        let rows = sqlx::query("SELECT body FROM roles ORDER BY role_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| from_json(r.get::<&str, _>(0)))
            .collect()
    }

    pub async fn replace_tags(&self, tags: &[Tag]) -> Result<()> {
        let at = Timestamp::now().to_rfc3339();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM tags").execute(&mut *tx).await?;
        for t in tags {
            sqlx::query("INSERT OR REPLACE INTO tags (tag_id, body, fetched_at) VALUES (?, ?, ?)")
                .bind(t.tag_id.as_str())
                .bind(to_json(t)?)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn tags(&self) -> Result<Vec<Tag>> {
        let rows = sqlx::query("SELECT body FROM tags ORDER BY tag_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| from_json(r.get::<&str, _>(0)))
            .collect()
    }

    // ---- other reads ----------------------------------------------------------------------

    pub async fn put_read<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        sqlx::query(
            "INSERT INTO reads (key, body, fetched_at) VALUES (?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
        )
        .bind(key)
        .bind(to_json(value)?)
        .bind(Timestamp::now().to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn get_read<T: DeserializeOwned>(&self, key: &str) -> Result<Option<(T, Timestamp)>> {
        let row = sqlx::query("SELECT body, fetched_at FROM reads WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok((
                from_json(r.get::<&str, _>(0))?,
                parse_ts(r.get::<&str, _>(1))?,
            ))
        })
        .transpose()
    }

    // ---- what this app did ------------------------------------------------------------------

    pub async fn record_activity(&self, entry: &Activity) -> Result<()> {
        sqlx::query(
            "INSERT INTO activity (at, service_user_id, action, detail, actor) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(entry.at.to_rfc3339())
        .bind(entry.service_user_id.as_str())
        .bind(&entry.action)
        .bind(&entry.detail)
        .bind(entry.actor.as_ref().map(|a| a.as_str()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest `limit` entries about a service user, newest first.
    pub async fn activity(&self, su: &UserId, limit: u32) -> Result<Vec<Activity>> {
        let rows = sqlx::query(
            "SELECT at, service_user_id, action, detail, actor FROM activity
             WHERE service_user_id = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(su.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Activity {
                    at: parse_ts(r.get::<&str, _>(0))?,
                    service_user_id: UserId::parse(r.get::<String, _>(1))?,
                    action: r.get(2),
                    detail: r.get(3),
                    actor: r
                        .get::<Option<String>, _>(4)
                        .map(UserId::parse)
                        .transpose()?,
                })
            })
            .collect()
    }

    // ---- assumed tokens (metadata) --------------------------------------------------------

    pub async fn put_assumed(&self, m: &AssumedTokenMeta) -> Result<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO assumed_tokens (service_user_id, role_id, minutes, issued_at, expires_at, jti, assumed_by)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.service_user_id.as_str())
        .bind(m.role_id.as_str())
        .bind(i64::from(m.minutes))
        .bind(m.issued_at.to_rfc3339())
        .bind(m.expires_at.to_rfc3339())
        .bind(&m.jti)
        .bind(m.assumed_by.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn assumed(&self) -> Result<Vec<AssumedTokenMeta>> {
        let rows = sqlx::query(
            "SELECT service_user_id, role_id, minutes, issued_at, expires_at, jti, assumed_by FROM assumed_tokens ORDER BY service_user_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AssumedTokenMeta {
                    service_user_id: UserId::parse(r.get::<String, _>(0))?,
                    role_id: RoleId::parse(r.get::<String, _>(1))?,
                    minutes: r.get::<i64, _>(2).clamp(0, i64::from(u16::MAX)) as u16,
                    issued_at: parse_ts(r.get::<&str, _>(3))?,
                    expires_at: parse_ts(r.get::<&str, _>(4))?,
                    jti: r.get(5),
                    assumed_by: UserId::parse(r.get::<String, _>(6))?,
                })
            })
            .collect()
    }

    pub async fn assumed_one(&self, id: &UserId) -> Result<Option<AssumedTokenMeta>> {
        Ok(self
            .assumed()
            .await?
            .into_iter()
            .find(|m| &m.service_user_id == id))
    }

    pub async fn remove_assumed(&self, id: &UserId) -> Result<()> {
        sqlx::query("DELETE FROM assumed_tokens WHERE service_user_id = ?")
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    pub async fn integrity_check(&self) -> Result<String> {
        Ok(sqlx::query("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?
            .get(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorphic_su_model::{AccessType, Shares, TagId, Tombstone, UserShare, UserStatus};

    fn user(id: &str, service: bool, version: i64) -> User {
        User {
            user_id: UserId::parse(id).unwrap(),
            is_service_user: service,
            display_name: format!("{id} display"),
            description: Some("Nightly ingestion jobs".into()),
            email: None,
            user_status: UserStatus::Enabled,
            default_role_id: RoleId::default_users(),
            roles: vec![
                RoleId::default_users(),
                RoleId::parse("role-data-engineers").unwrap(),
            ],
            tags: if service {
                vec![]
            } else {
                vec![TagId::parse("team-data").unwrap()]
            },
            created_by: None,
            creation_time: Timestamp::from_unix(0).unwrap(),
            last_modified_time: Timestamp::from_unix(0).unwrap(),
            version,
            shares: service.then(|| Shares {
                users: vec![UserShare {
                    user_id: UserId::parse("alice").unwrap(),
                    access_type: AccessType::Owner,
                }],
                tags: vec![],
            }),
            caller_access: service.then_some(Some(AccessType::Owner)),
        }
    }

    #[test]
    fn fts_input_is_quoted() {
        assert_eq!(fts_query("etl bot").unwrap(), "\"etl\"* \"bot\"*");
        assert_eq!(fts_query("a\" OR x:*").unwrap(), "\"a\"* \"OR\"* \"x:*\"*");
        assert!(fts_query("  \" ").is_none());
    }

    #[tokio::test]
    async fn pages_feed_and_search() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
        c.store_users_page(
            &[
                user("alice", false, 1),
                user("etl-bot", true, 2),
                user("report-bot", true, 3),
            ],
            1,
        )
        .await
        .unwrap();
        assert_eq!(c.users(&UserFilter::default()).await.unwrap().len(), 3);
        let s = UserFilter {
            service_only: true,
            ..Default::default()
        };
        assert_eq!(c.users(&s).await.unwrap().len(), 2);
        for q in [
            "etl",
            "ETL-b",
            "nightly",
            "data-eng",
            "report bot",
            "team-data",
        ] {
            let f = UserFilter {
                search: Some(q.into()),
                ..Default::default()
            };
            assert!(!c.users(&f).await.unwrap().is_empty(), "{q}");
        }
        let f = UserFilter {
            search: Some("\"unbalanced OR (".into()),
            ..Default::default()
        };
        assert!(c.users(&f).await.unwrap().is_empty());
        // A changed and a deleted user through the feed.
        let mut changed = user("etl-bot", true, 5);
        changed.display_name = "Extract bot".into();
        let page = ChangeFeed {
            users: vec![changed],
            deleted: vec![Tombstone {
                user_id: UserId::parse("report-bot").unwrap(),
                version: 6,
            }],
            next_since: 6,
            has_more: false,
        };
        c.apply_feed_page(&page).await.unwrap();
        assert_eq!(c.integrity_check().await.unwrap(), "ok");
        assert_eq!(
            c.state(state::FEED_CURSOR).await.unwrap().as_deref(),
            Some("6")
        );
        let f = UserFilter {
            search: Some("extract".into()),
            ..Default::default()
        };
        assert_eq!(c.users(&f).await.unwrap().len(), 1);
        assert!(c
            .user(&UserId::parse("report-bot").unwrap())
            .await
            .unwrap()
            .is_none());
        let n: i64 = sqlx::query("SELECT count(*) FROM shares")
            .fetch_one(c.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1);
        // A full pass that no longer sees alice removes her.
        c.store_users_page(&[user("etl-bot", true, 5)], 2)
            .await
            .unwrap();
        assert_eq!(c.finish_full_pass(2, true).await.unwrap(), 1);
        assert_eq!(c.count_users().await.unwrap(), 1);
        assert_eq!(c.integrity_check().await.unwrap(), "ok");
    }

    /// The list's filters (kind, status, role, tag, assumable), alone and with a search, and
    /// the count that matches each.
    #[tokio::test]
    async fn lists_read_the_last_commit_without_waiting_for_a_write_in_progress() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
        c.store_users_page(&[user("etl-bot", true, 1)], 1)
            .await
            .unwrap();
        // A sync's write transaction holds the only writing connection, uncommitted.
        let mut writing = c.pool().begin().await.unwrap();
        sqlx::query("DELETE FROM users")
            .execute(&mut *writing)
            .await
            .unwrap();
        let search = UserFilter {
            search: Some("etl".into()),
            ..UserFilter::default()
        };
        let read = async {
            let all = c.users(&UserFilter::default()).await.unwrap();
            let found = c.users(&search).await.unwrap();
            let counted = c.count_matching(&search).await.unwrap();
            (
                all.len(),
                found.len(),
                counted,
                c.count_users().await.unwrap(),
            )
        };
        let answered = tokio::time::timeout(Duration::from_secs(2), read)
            .await
            .expect("a list waited behind the write transaction");
        assert_eq!(answered, (1, 1, 1, 1), "the reads see the last commit");
        writing.commit().await.unwrap();
        assert_eq!(
            c.count_users().await.unwrap(),
            0,
            "then the committed write"
        );
        assert!(c.users(&search).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn filters_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
        let mut disabled = user("old-bot", true, 4);
        disabled.user_status = UserStatus::Disabled;
        let mut not_mine = user("hr-bot", true, 5);
        not_mine.caller_access = Some(None);
        not_mine.roles = vec![RoleId::default_users()];
        let mut bob = user("bob", false, 6);
        bob.tags = vec![TagId::parse("team-finance").unwrap()];
        c.store_users_page(
            &[
                user("alice", false, 1),
                user("etl-bot", true, 2),
                disabled,
                not_mine,
                bob,
            ],
            1,
        )
        .await
        .unwrap();
        let role = || Some(RoleId::parse("role-data-engineers").unwrap());
        let cases: Vec<(UserFilter, Vec<&str>)> = vec![
            (
                UserFilter {
                    service_only: true,
                    ..Default::default()
                },
                vec!["etl-bot", "hr-bot", "old-bot"],
            ),
            (
                UserFilter {
                    regular_only: true,
                    ..Default::default()
                },
                vec!["alice", "bob"],
            ),
            (
                UserFilter {
                    status: Some(UserStatus::Disabled),
                    ..Default::default()
                },
                vec!["old-bot"],
            ),
            (
                UserFilter {
                    service_only: true,
                    status: Some(UserStatus::Enabled),
                    ..Default::default()
                },
                vec!["etl-bot", "hr-bot"],
            ),
            (
                UserFilter {
                    role: role(),
                    service_only: true,
                    ..Default::default()
                },
                vec!["etl-bot", "old-bot"],
            ),
            (
                UserFilter {
                    tag: Some(TagId::parse("team-data").unwrap()),
                    ..Default::default()
                },
                vec!["alice"],
            ),
            (
                UserFilter {
                    assumable: true,
                    ..Default::default()
                },
                vec!["etl-bot", "old-bot"],
            ),
            (
                UserFilter {
                    search: Some("bot".into()),
                    assumable: true,
                    status: Some(UserStatus::Enabled),
                    ..Default::default()
                },
                vec!["etl-bot"],
            ),
            (
                UserFilter {
                    search: Some("nightly".into()),
                    regular_only: true,
                    role: role(),
                    ..Default::default()
                },
                vec!["alice", "bob"],
            ),
            (
                UserFilter {
                    search: Some("bot".into()),
                    service_only: true,
                    limit: Some(1),
                    offset: Some(1),
                    ..Default::default()
                },
                vec!["hr-bot"],
            ),
        ];
        for (f, want) in cases {
            assert_eq!(ids(&c.users(&f).await.unwrap()), want, "{f:?}");
            let unwindowed = UserFilter {
                limit: None,
                offset: None,
                ..f.clone()
            };
            let total = c.users(&unwindowed).await.unwrap().len() as i64;
            assert_eq!(c.count_matching(&f).await.unwrap(), total, "count of {f:?}");
        }
    }

    fn ids(users: &[User]) -> Vec<String> {
        users.iter().map(|u| u.user_id.to_string()).collect()
    }

    async fn search(
        c: &Cache,
        q: &str,
        service_only: bool,
        limit: u32,
        offset: u32,
    ) -> Vec<String> {
        ids(&c
            .users(&UserFilter {
                service_only,
                search: Some(q.into()),
                limit: Some(limit),
                offset: Some(offset),
                ..Default::default()
            })
            .await
            .unwrap())
    }

    /// What search must answer: every cached user matching `word` (a prefix of its id here),
    /// in id order.
    async fn expected(c: &Cache, prefix: &str, service_only: bool) -> Vec<String> {
        let all = UserFilter {
            service_only,
            ..Default::default()
        };
        ids(&c.users(&all).await.unwrap())
            .into_iter()
            .filter(|id| id.starts_with(prefix))
            .collect()
    }

    #[tokio::test]
    async fn search_merges_users_added_out_of_order_and_renumbers_them() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
        // A first sync: pages in id order extend the id-ordered run of rids.
        let page: Vec<User> = (0..40)
            .map(|i| user(&format!("u-{i:03}"), i % 3 != 0, i + 1))
            .collect();
        for p in page.chunks(15) {
            c.store_users_page(p, 1).await.unwrap();
        }
        let ordered = c.state(state::ORDERED_UPTO).await.unwrap();
        assert_eq!(ordered.as_deref(), Some("40"));
        // Added later, sorting between cached ids: outside the run.
        for (k, id) in ["u-0045", "u-000a", "a-first", "u-039z", "p-person"]
            .iter()
            .enumerate()
        {
            let service = !id.starts_with("p-");
            c.upsert_user(&user(id, service, 100 + k as i64))
                .await
                .unwrap();
        }
        assert_eq!(
            c.state(state::ORDERED_UPTO).await.unwrap(),
            ordered,
            "the run stays as it was"
        );
        // A changed user keeps its place; a deleted one leaves a gap.
        let mut changed = user("u-010", true, 200);
        changed.display_name = "Renamed".into();
        c.upsert_user(&changed).await.unwrap();
        c.remove_user(&UserId::parse("u-020").unwrap())
            .await
            .unwrap();
        for service_only in [false, true] {
            let all = expected(&c, "u", service_only).await;
            assert_eq!(all.len(), if service_only { 28 } else { 42 });
            for (limit, offset) in [(1, 0), (3, 0), (3, 4), (10, 35), (100, 0), (5, 41)] {
                let want: Vec<String> = all
                    .iter()
                    .skip(offset as usize)
                    .take(limit as usize)
                    .cloned()
                    .collect();
                assert_eq!(
                    search(&c, "u", service_only, limit, offset).await,
                    want,
                    "limit {limit} offset {offset} service_only {service_only}"
                );
            }
        }
        assert_eq!(search(&c, "renamed", false, 10, 0).await, ["u-010"]);
        assert!(
            !c.reorder_if_needed().await.unwrap(),
            "few are out of order"
        );

        // Past the limit, the rids are renumbered in id order and the index rebuilt.
        let late: Vec<User> = (0..=UNORDERED_LIMIT)
            .map(|i| user(&format!("b-{i:05}"), true, 1_000 + i))
            .collect();
        c.store_users_page(&late, 1).await.unwrap();
        assert!(c.reorder_if_needed().await.unwrap());
        let n = c.count_users().await.unwrap();
        assert_eq!(
            c.state(state::ORDERED_UPTO).await.unwrap(),
            Some(n.to_string())
        );
        let rids: Vec<(i64, String)> =
            sqlx::query_as("SELECT rid, user_id FROM users ORDER BY rid")
                .fetch_all(c.pool())
                .await
                .unwrap();
        assert!(
            rids.windows(2).all(|w| w[0].1 < w[1].1),
            "rid order is id order"
        );
        assert_eq!(search(&c, "b", true, 3, 999).await, ["b-00999", "b-01000"]);
        assert_eq!(
            search(&c, "u", false, 100, 0).await,
            expected(&c, "u", false).await
        );
        assert_eq!(search(&c, "renamed", false, 10, 0).await, ["u-010"]);
        assert_eq!(c.integrity_check().await.unwrap(), "ok");
        sqlx::query("INSERT INTO users_fts (users_fts, rank) VALUES ('integrity-check', 0)")
            .execute(c.pool())
            .await
            .unwrap();
    }
}
