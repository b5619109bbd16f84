//! The SQLite database: WAL, foreign keys, embedded migrations, one writer.

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::error::ServerError;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Two pools over one file. Writes go through a single connection, so write transactions
/// never race for SQLite's lock (no `SQLITE_BUSY` on upgrade) and commit in `Version` order;
/// reads use WAL snapshots and never block the writer.
#[derive(Clone)]
pub struct Db {
    writer: SqlitePool,
    reader: SqlitePool,
    /// Bumped after every committed write; read caches are valid for one epoch only.
    epoch: Arc<AtomicU64>,
}

pub type Tx = Transaction<'static, Sqlite>;

/// A write transaction. Committing it through [`WriteTx::commit`] ends the read caches'
/// epoch, so a change (a revoked PAT, a detached role) takes effect on the next request.
pub struct WriteTx {
    tx: Tx,
    epoch: Arc<AtomicU64>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let result = self.tx.commit().await;
        // Also after a failed commit: the state is unknown, so drop every cached read.
        self.epoch.fetch_add(1, Ordering::SeqCst);
        result
    }
}

impl Deref for WriteTx {
    type Target = Tx;
    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

impl Db {
    /// Opens (creating if needed) the database at `path` and applies the migrations.
    pub async fn open(path: &Path) -> Result<Db, ServerError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| ServerError::io(format!("creating {}", dir.display()), e))?;
        }
        create_private_file(path)?;
        let base = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base)
            .await?;
        Ok(Db {
            writer,
            reader,
            epoch: Arc::default(),
        })
    }

    /// Begins a write transaction (serialized with every other writer).
    pub async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        Ok(WriteTx {
            tx: self.writer.begin().await?,
            epoch: self.epoch.clone(),
        })
    }

    /// The current cache epoch. Read it before reading the database for a cache entry.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// A pooled read connection, for single-statement reads outside a transaction.
    pub async fn conn(&self) -> Result<PoolConnection<Sqlite>, sqlx::Error> {
        self.reader.acquire().await
    }

    /// Begins a read transaction: one consistent snapshot across several queries.
    pub async fn read(&self) -> Result<Tx, sqlx::Error> {
        self.reader.begin().await
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// The database holds the token-signing key: create it readable by its owner only. SQLite
/// gives its -wal and -shm files the same permissions.
fn create_private_file(path: &Path) -> Result<(), ServerError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
        .map(drop)
        .map_err(|e| ServerError::io(format!("opening {}", path.display()), e))
}

/// Bumps the server-wide change counter inside the caller's transaction and returns the new
/// `Version`. Call it only when something really changes (no-ops keep the version).
pub async fn next_version(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE change_counter SET version = version + 1 WHERE id = 1 RETURNING version",
    )
    .fetch_one(conn)
    .await
}

pub fn to_us(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub fn from_us(us: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_micros(us).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}
