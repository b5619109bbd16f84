//! The local cache: SQLite's `PRAGMA quick_check` on a read-only connection, and its size on
//! disk. The file is only read: the app itself drops and rebuilds a cache that is not sound.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::{Check, CheckId};

pub(super) async fn check(path: &Path) -> Check {
    let id = CheckId::Cache;
    if !path.exists() {
        return Check::ok(
            id,
            format!(
                "no cache yet at {} (the first sync creates it)",
                path.display()
            ),
        );
    }
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    let rebuild = format!(
        "nothing is lost (the server has everything): quit the app, delete {} and sync again",
        path.display()
    );
    match quick_check(path).await {
        Ok((rows, users)) if rows.len() == 1 && rows[0] == "ok" => Check::ok(
            id,
            format!(
                "sound (quick_check), {}, {users} users, at {}",
                bytes(size),
                path.display()
            ),
        ),
        Ok((rows, _)) => Check::fail(
            id,
            format!(
                "quick_check found {} problem(s), first: {}",
                rows.len(),
                rows.first().map(String::as_str).unwrap_or("?")
            ),
            rebuild,
        ),
        Err(e) => Check::fail(
            id,
            format!("cannot read the cache at {}: {e}", path.display()),
            rebuild,
        ),
    }
}

async fn quick_check(path: &Path) -> Result<(Vec<String>, i64), sqlx::Error> {
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .read_only(true)
        .create_if_missing(false)
        .connect()
        .await?;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_all(&mut conn)
        .await?;
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut conn)
        .await
        .unwrap_or(0);
    let _ = conn.close().await;
    Ok((rows, users))
}

/// `812 KiB`, `3.4 MiB`.
pub(crate) fn bytes(n: u64) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if f < KIB {
        format!("{n} B")
    } else if f < KIB * KIB {
        format!("{:.0} KiB", f / KIB)
    } else if f < KIB * KIB * KIB {
        format!("{:.1} MiB", f / KIB / KIB)
    } else {
        format!("{:.2} GiB", f / KIB / KIB / KIB)
    }
}
