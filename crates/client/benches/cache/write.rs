//! The write phase: the cache's own full-pass write path, and two baselines inserting the same
//! rows into a copy of a fresh, empty cache file (the same `users` table, indexes, full-text
//! index and its settings): SQLite's C API (one prepared statement per table, bound and stepped
//! per row: what SQLite itself costs) and sqlx, the cache's driver, at its best (multi-row
//! `VALUES` statements of 500 rows). Both baselines get their values encoded before the clock
//! starts and write one transaction; the cache encodes, looks up and writes a page at a time.

use std::ffi::{c_char, c_int, CString};
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use amorphic_su_client::model::User;
use amorphic_su_client::Cache;
use libsqlite3_sys as ffi;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

/// The sync's own write path into a fresh cache: the same calls as a full pass, a transaction
/// a page. Returns the cache (for the search phase) and the time.
pub async fn cache_write(path: &Path, pages: &[Vec<User>]) -> (Cache, Duration) {
    let cache = Cache::open(path).await.expect("fresh cache");
    let t = Instant::now();
    cache.bulk_writes(true).await.expect("bulk mode");
    let mut offset = 0u64;
    for p in pages {
        offset += p.len() as u64;
        let last = p.last().map(|u| u.user_id.as_str());
        cache
            .store_full_page(p, 1, offset, last)
            .await
            .expect("page stored");
    }
    cache.bulk_writes(false).await.expect("bulk mode ends");
    cache.finish_full_pass(1, true).await.expect("pass ends");
    (cache, t.elapsed())
}

/// An empty cache file as this version creates it (schema, full-text settings), to copy.
pub async fn empty_cache(path: &Path) {
    let cache = Cache::open(path).await.expect("fresh cache");
    cache.close().await;
}

/// One row, encoded beforehand as the cache stores it.
pub struct RawRow {
    rid: i64,
    user_id: String,
    service: bool,
    name: String,
    description: Option<String>,
    status: &'static str,
    roles: String,
    tags: String,
    version: i64,
    body: String,
}

pub fn raw_rows(pages: &[Vec<User>]) -> Vec<RawRow> {
    let join = |v: Vec<&str>| v.join(" ");
    pages
        .iter()
        .flatten()
        .zip(1..)
        .map(|(u, rid)| RawRow {
            rid,
            user_id: u.user_id.to_string(),
            service: u.is_service_user,
            name: u.display_name.clone(),
            description: u.description.clone(),
            status: u.user_status.as_str(),
            roles: join(u.roles.iter().map(|r| r.as_str()).collect()),
            tags: join(u.tags.iter().map(|t| t.as_str()).collect()),
            version: u.version,
            body: serde_json::to_string(u).expect("JSON"),
        })
        .collect()
}

const USERS_COLUMNS: &str = "rid, user_id, is_service_user, display_name, description, \
    user_status, roles_text, tags_text, version, body, fetched_at, generation";
const FTS_COLUMNS: &str = "rowid, user_id, display_name, description, roles, tags";

/// A copy of the empty cache `template` at `path`, opened with the cache's pragmas and its
/// full-pass checkpoint interval.
async fn copy_of(template: &Path, path: &Path) -> SqliteConnection {
    std::fs::copy(template, path).expect("copy of the empty cache");
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .expect("options")
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .connect()
        .await
        .expect("raw SQLite file");
    sqlx::raw_sql("PRAGMA wal_autocheckpoint = 16384")
        .execute(&mut conn)
        .await
        .expect("pragma");
    conn
}

/// The same rows into the same tables through SQLite's C API: one transaction, one prepared
/// statement per table, bound (no copy) and stepped per row. `fts` false leaves the full-text
/// index out (the old baseline, for context).
pub async fn c_insert(template: &Path, path: &Path, rows: &[RawRow], fts: bool) -> Duration {
    fn check(db: *mut ffi::sqlite3, rc: c_int, what: &str) {
        if rc != ffi::SQLITE_OK && rc != ffi::SQLITE_DONE {
            // SAFETY: `db` is an open connection; the message is a NUL-terminated string.
            let msg = unsafe { std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(db)) };
            panic!("{what}: {rc} {}", msg.to_string_lossy());
        }
    }
    /// Binds text that outlives the statement's step (SQLITE_STATIC: no copy).
    unsafe fn text(db: *mut ffi::sqlite3, st: *mut ffi::sqlite3_stmt, i: c_int, s: &str) {
        let rc = ffi::sqlite3_bind_text(
            st,
            i,
            s.as_ptr() as *const c_char,
            s.len() as c_int,
            ffi::SQLITE_STATIC(),
        );
        check(db, rc, "bind");
    }
    unsafe fn prepare(db: *mut ffi::sqlite3, sql: &str) -> *mut ffi::sqlite3_stmt {
        let sql = CString::new(sql).expect("SQL");
        let mut st = std::ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut st, std::ptr::null_mut());
        check(db, rc, "prepare");
        st
    }

    let fetched_at = chrono::Utc::now().to_rfc3339();
    let mut conn = copy_of(template, path).await;
    if !fts {
        sqlx::raw_sql("DROP TABLE users_fts")
            .execute(&mut conn)
            .await
            .expect("drop the index");
    }
    let mut handle = conn.lock_handle().await.expect("raw handle");
    let db = handle.as_raw_handle().as_ptr();
    let t = Instant::now();
    // SAFETY: `db` is the open connection sqlx holds locked for us; every pointer bound stays
    // alive until the statement is reset, and the statements are finalized before unlocking.
    unsafe {
        let exec = |s: &str| {
            let s = CString::new(s).expect("SQL");
            let rc = ffi::sqlite3_exec(
                db,
                s.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            check(db, rc, "exec");
        };
        exec("BEGIN");
        let users = prepare(
            db,
            &format!("INSERT INTO users ({USERS_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"),
        );
        // No statement for a table the variant dropped (finalizing NULL is a no-op).
        let index = if fts {
            prepare(
                db,
                &format!("INSERT INTO users_fts ({FTS_COLUMNS}) VALUES (?,?,?,?,?,?)"),
            )
        } else {
            std::ptr::null_mut()
        };
        for r in rows {
            check(db, ffi::sqlite3_bind_int64(users, 1, r.rid), "bind");
            text(db, users, 2, &r.user_id);
            check(
                db,
                ffi::sqlite3_bind_int64(users, 3, i64::from(r.service)),
                "bind",
            );
            text(db, users, 4, &r.name);
            match &r.description {
                Some(d) => text(db, users, 5, d),
                None => check(db, ffi::sqlite3_bind_null(users, 5), "bind"),
            }
            text(db, users, 6, r.status);
            text(db, users, 7, &r.roles);
            text(db, users, 8, &r.tags);
            check(db, ffi::sqlite3_bind_int64(users, 9, r.version), "bind");
            text(db, users, 10, &r.body);
            text(db, users, 11, &fetched_at);
            check(db, ffi::sqlite3_bind_int64(users, 12, 1), "bind");
            check(db, ffi::sqlite3_step(users), "step");
            check(db, ffi::sqlite3_reset(users), "reset");
            if fts {
                check(db, ffi::sqlite3_bind_int64(index, 1, r.rid), "bind");
                text(db, index, 2, &r.user_id);
                text(db, index, 3, &r.name);
                text(db, index, 4, r.description.as_deref().unwrap_or(""));
                text(db, index, 5, &r.roles);
                text(db, index, 6, &r.tags);
                check(db, ffi::sqlite3_step(index), "step");
                check(db, ffi::sqlite3_reset(index), "reset");
            }
        }
        check(db, ffi::sqlite3_finalize(users), "finalize");
        check(db, ffi::sqlite3_finalize(index), "finalize");
        exec("COMMIT");
    }
    let d = t.elapsed();
    drop(handle);
    conn.close().await.expect("close");
    d
}

/// The same rows and index rows through sqlx at its best: multi-row `VALUES` statements of 500
/// rows (one shape, prepared once and cached by the driver), one transaction.
pub async fn sqlx_insert(template: &Path, path: &Path, rows: &[RawRow]) -> Duration {
    const CHUNK: usize = 500;
    let fetched_at = chrono::Utc::now().to_rfc3339();
    let mut conn = copy_of(template, path).await;
    let values = |n: usize, cols: usize| {
        let one = format!("({})", vec!["?"; cols].join(","));
        vec![one; n].join(",")
    };
    let t = Instant::now();
    let mut tx = conn.begin().await.expect("begin");
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO users ({USERS_COLUMNS}) VALUES {}",
            values(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.rid)
                .bind(r.user_id.as_str())
                .bind(r.service)
                .bind(r.name.as_str())
                .bind(r.description.as_deref())
                .bind(r.status)
                .bind(r.roles.as_str())
                .bind(r.tags.as_str())
                .bind(r.version)
                .bind(r.body.as_str())
                .bind(fetched_at.as_str())
                .bind(1i64);
        }
        q.execute(&mut *tx).await.expect("insert");
        let sql = format!(
            "INSERT INTO users_fts ({FTS_COLUMNS}) VALUES {}",
            values(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.rid)
                .bind(r.user_id.as_str())
                .bind(r.name.as_str())
                .bind(r.description.as_deref().unwrap_or(""))
                .bind(r.roles.as_str())
                .bind(r.tags.as_str());
        }
        q.execute(&mut *tx).await.expect("index rows");
    }
    tx.commit().await.expect("commit");
    let d = t.elapsed();
    conn.close().await.expect("close");
    d
}
