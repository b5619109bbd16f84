//! The journal's own SQLite file (one per environment, beside the cache but never cleared with
//! it): append-only (triggers refuse an update or a delete), each entry chained to the one
//! before by its hash, written in an immediate transaction so that the app and the CLI
//! appending at once still make one chain.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use amorphic_su_model::Timestamp;
use serde::Serialize;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
};
use sqlx::{Connection, Row, SqlitePool};

use super::entry::{Draft, JournalEntry, StoredEntry};
use super::query::JournalQuery;
use crate::error::{ClientError, Result};

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS journal (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        environment TEXT NOT NULL,
        user_id TEXT,
        role_id TEXT,
        action TEXT NOT NULL,
        target_id TEXT,
        target_name TEXT,
        minutes_asked INTEGER,
        ends_at TEXT,
        result TEXT NOT NULL,
        error_code TEXT,
        message TEXT,
        detail TEXT NOT NULL,
        hash TEXT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS journal_target ON journal (target_id, seq)",
    "CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END",
];

const COLUMNS: &str = "seq, at, environment, user_id, role_id, action, target_id, target_name, \
     minutes_asked, ends_at, result, error_code, message, detail, hash";

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// How many entries were checked.
    pub entries: i64,
    /// The first entry that breaks the chain, if one does.
    pub broken: Option<BrokenEntry>,
}

/// The first entry whose stored text no longer matches its hash (or its place in the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrokenEntry {
    pub seq: i64,
    pub reason: String,
}

/// An environment's journal file.
#[derive(Debug, Clone)]
pub struct JournalStore {
    pool: SqlitePool,
    /// How to open the file again: `verify` reads it on a connection of its own.
    opts: SqliteConnectOptions,
    path: PathBuf,
}

fn stored(r: &SqliteRow) -> StoredEntry {
    StoredEntry {
        seq: r.get(0),
        at: r.get(1),
        environment: r.get(2),
        user: r.get(3),
        role: r.get(4),
        action: r.get(5),
        target_id: r.get(6),
        target_name: r.get(7),
        minutes_asked: r.get(8),
        ends_at: r.get(9),
        result: r.get(10),
        error_code: r.get(11),
        message: r.get(12),
        detail: r.get(13),
        hash: r.get(14),
    }
}

impl JournalStore {
    /// Opens (creating if needed) the journal file. Rollback-journal mode, not WAL: every
    /// committed entry is in the file itself, which is what `verify` and a reader of the
    /// file see.
    pub async fn open(path: &Path) -> Result<JournalStore> {
        if let Some(dir) = path.parent() {
            crate::profiles::create_private_dir(dir)?;
        }
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(|e| ClientError::Cache(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Delete)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await
            .map_err(|e| journal_error(path, e))?;
        for sql in SCHEMA {
            sqlx::query(sql)
                .execute(&pool)
                .await
                .map_err(|e| journal_error(path, e))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(JournalStore {
            pool,
            opts,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Appends an entry after the last one, chained to its hash.
    pub async fn append(&self, draft: &Draft) -> Result<JournalEntry> {
        let err = |e| journal_error(&self.path, e);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(err)?;
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await
                .map_err(err)?;
        let (seq, prev) = last.map_or((1, String::new()), |(s, h)| (s + 1, h));
        let e = StoredEntry::from_draft(draft, seq, Timestamp::now(), &prev);
        sqlx::query(&format!(
            "INSERT INTO journal ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(e.seq)
        .bind(&e.at)
        .bind(&e.environment)
        .bind(&e.user)
        .bind(&e.role)
        .bind(&e.action)
        .bind(&e.target_id)
        .bind(&e.target_name)
        .bind(e.minutes_asked)
        .bind(&e.ends_at)
        .bind(&e.result)
        .bind(&e.error_code)
        .bind(&e.message)
        .bind(&e.detail)
        .bind(&e.hash)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        tx.commit().await.map_err(err)?;
        e.typed().map_err(ClientError::Cache)
    }

    /// The entries `q` selects, newest first.
    pub async fn entries(&self, q: &JournalQuery) -> Result<Vec<JournalEntry>> {
        let (clause, binds) = q.where_clause();
        let sql = format!("SELECT {COLUMNS} FROM journal {clause} ORDER BY seq DESC LIMIT ?");
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query
            .bind(q.limit.map_or(-1, i64::from))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| journal_error(&self.path, e))?;
        rows.iter()
            .map(|r| {
                let s = stored(r);
                s.typed().map_err(|why| {
                    ClientError::Cache(format!(
                        "journal entry {} is unreadable ({why}); `history verify` checks the chain",
                        s.seq
                    ))
                })
            })
            .collect()
    }

    /// Walks the chain from the first entry: each must be numbered one after the one before,
    /// read as an entry, and hash to its stored hash chained after the one before. Read on a
    /// new connection: a long-lived one keeps pages in its cache, and a program that edits the
    /// file's bytes does not tell it (SQLite's change counter only moves through SQLite).
    pub async fn verify(&self) -> Result<Verification> {
        let err = |e| journal_error(&self.path, e);
        let mut conn = SqliteConnection::connect_with(&self.opts.clone().read_only(true))
            .await
            .map_err(err)?;
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM journal ORDER BY seq"))
            .fetch_all(&mut conn)
            .await;
        let _ = conn.close().await;
        let rows = rows.map_err(err)?;
        let mut prev = String::new();
        let mut checked = 0;
        for (i, r) in rows.iter().enumerate() {
            let s = stored(r);
            let want_seq = i as i64 + 1;
            let broken = |reason: String| Verification {
                entries: checked,
                broken: Some(BrokenEntry { seq: s.seq, reason }),
            };
            if s.seq != want_seq {
                return Ok(broken(format!(
                    "numbered {} where {want_seq} was expected (an entry is missing)",
                    s.seq
                )));
            }
            if s.chained_hash(&prev) != s.hash {
                return Ok(broken(
                    "its content no longer matches its hash (edited after it was written)".into(),
                ));
            }
            if let Err(why) = s.typed() {
                return Ok(broken(why));
            }
            prev = s.hash;
            checked += 1;
        }
        Ok(Verification {
            entries: checked,
            broken: None,
        })
    }
}

/// A journal file that cannot be read or written, naming it.
fn journal_error(path: &Path, e: sqlx::Error) -> ClientError {
    ClientError::Cache(format!("journal {}: {e}", path.display()))
}

#[cfg(test)]
impl JournalStore {
    /// The connection, for tests that tamper with the file as another program would.
    pub(crate) fn pool_for_tests(&self) -> SqlitePool {
        self.pool.clone()
    }
}
