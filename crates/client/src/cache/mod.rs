//! The per-profile SQLite cache (WAL, embedded migrations): users, roles, tags, shares,
//! owned-resource previews, token metadata and sync state, each with its `fetched_at`.
//! It stores only what the server confirmed and never a secret, so a file this version cannot
//! migrate is dropped and rebuilt by the next sync.

mod activity;
mod assumed;
mod catalogue;
mod reads;
mod rids;
mod search;
mod sync_state;
mod users;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use amorphic_su_model::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::migrate::MigrateError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::error::{ClientError, Result};

pub use activity::{Activity, ActivityKind};
pub use assumed::{AssumedRecord, AssumedTokenMeta};
pub use reads::ReadKey;
pub use search::{fts_query, UserFilter};
pub use sync_state::{SyncKey, SyncStateUpdate, SyncValue};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

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

/// A stored JSON body and its `fetched_at`, read back.
fn body_and_time<T: DeserializeOwned>(row: &sqlx::sqlite::SqliteRow) -> Result<(T, Timestamp)> {
    Ok((
        from_json(row.get::<&str, _>(0))?,
        parse_ts(row.get::<&str, _>(1))?,
    ))
}

/// Whether a failed migration says the file cannot be brought to this version's schema (a
/// newer version's migrations, an edited or half-applied one, a statement that fails on it),
/// rather than that the file is busy (another process of this app) or the disk failed.
fn schema_incompatible(e: &MigrateError) -> bool {
    match e {
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => match e {
            sqlx::Error::Database(db) => !db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
            sqlx::Error::Io(_) => false,
            _ => true,
        },
        MigrateError::Source(_) => false,
        _ => true,
    }
}

/// Removes a cache file with its write-ahead log and shared-memory index (missing ones are
/// fine).
pub(crate) fn remove_cache_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// The writer, connected and migrated; on failure the error and whether the file is unusable
/// as a cache (not a database, corrupt, a schema the migrations cannot bring to this version),
/// which it is safe to drop since it holds nothing a sync cannot fetch again.
async fn migrated(
    writer: &SqlitePoolOptions,
    opts: &SqliteConnectOptions,
) -> std::result::Result<SqlitePool, (ClientError, bool)> {
    let pool = match writer.clone().connect_with(opts.clone()).await {
        Ok(pool) => pool,
        Err(e) => {
            let unusable = not_a_database(&e);
            return Err((e.into(), unusable));
        }
    };
    if let Err(e) = MIGRATOR.run(&pool).await {
        pool.close().await;
        let unusable = schema_incompatible(&e);
        return Err((e.into(), unusable));
    }
    Ok(pool)
}

/// SQLITE_CORRUPT (11) or SQLITE_NOTADB (26): the bytes on disk are not a sound database.
fn not_a_database(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, 11 | 26)),
        _ => false,
    }
}

impl Cache {
    /// Opens (creating if needed) the cache file and runs the embedded migrations. A file whose
    /// schema they cannot bring to this version, or that is not a sound database at all
    /// (garbage, corruption), is dropped and created anew (the next sync fills it); only that
    /// file and its `-wal`/`-shm` go, never anything beside it.
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
        let writer = SqlitePoolOptions::new().max_connections(1);
        let pool = match migrated(&writer, &opts).await {
            Ok(pool) => pool,
            Err((_, true)) => {
                remove_cache_files(path);
                migrated(&writer, &opts).await.map_err(|(e, _)| e)?
            }
            Err((e, false)) => return Err(e),
        };
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

    pub async fn close(&self) {
        self.reader.close().await;
        self.pool.close().await;
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    pub async fn integrity_check(&self) -> Result<String> {
        Ok(sqlx::query("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?
            .get(0))
    }

    /// Empties every table in one transaction (another person signed in to the profile: their
    /// view must not leak across).
    pub(crate) async fn clear(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        users::clear_users(&mut tx).await?;
        for t in [
            "roles",
            "tags",
            "reads",
            "sync_state",
            "assumed_tokens",
            "activity",
        ] {
            sqlx::query(&format!("DELETE FROM {t}"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The `users` table's and its indexes' SQL as SQLite keeps it (table first), for a raw
    /// copy of the same table.
    pub async fn users_schema(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'users' AND type IN ('table', 'index')
             AND sql IS NOT NULL ORDER BY type DESC",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
