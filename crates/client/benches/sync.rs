//! Sync and search benchmark. Prints a markdown table.
//!
//! Run: `cargo bench -p amorphic-su-client --bench sync`
//! (`BENCH_USERS=N` changes the number of generated service users, default 100,000;
//! `BENCH_CHANGES=N` the changes of the incremental phase, default 1,000; `BENCH_KEEP=1` keeps
//! the temporary folder with the server's database and the caches, and prints its path.)
//!
//! The reference server runs in this process on its own multi-thread runtime, on 127.0.0.1:0,
//! with a fresh SQLite file holding the demo seed plus N generated service users
//! (`amorphic_su_server::seed::demo_with_service_users`). The client runs on another runtime
//! with its real SQLite cache in a temporary folder. Phases, in one run:
//! 1. full sync through the client, end to end (first sync of an empty cache);
//! 2. breakdown: the same rows fetched only as the sync fetches them (keyset cursor, requests
//!    in flight, compressed; not stored), and as it did before (offsets, one request at a time,
//!    uncompressed: the same-run baseline; `BENCH_VARIANTS=1` adds each change alone), then written
//!    only into a fresh cache through the sync's own write path (`Cache::bulk_writes`,
//!    `Cache::store_full_page` per page of 1,000, one transaction each), then a raw bulk insert
//!    of the same rows into a fresh SQLite file (the cache's `users` table and indexes, read
//!    from a fresh cache, without the full-text index; one transaction, one prepared statement
//!    run per row, values encoded beforehand) through the same driver (sqlx) with the cache's
//!    pragmas: the goal's baseline; and for context the same loop through SQLite's C API;
//! 3. incremental sync after changing `BENCH_CHANGES` users on the server through its API
//!    (9 in 10 status toggles, 1 in 10 deletions);
//! 4. search over the cached users: a few hundred queries (id prefixes, words of names and
//!    descriptions, role ids, tag ids), first page of 100 (what a list shows), p50/p95/max.
//!
//! With `BENCH_NETNS` (set by `scripts/bench-wan.sh`) it runs only the full sync over a
//! simulated slow link instead (benches/wan/mod.rs).

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use amorphic_su_client::model::{Secret, User, UserStatus};
use amorphic_su_client::{
    fetch_user_pages, ApiClient, ApiConfig, AuthKind, Cache, Client, Credentials, Paths, Profile,
    UserFilter, Vault, SYNC_IN_FLIGHT,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

/// Alice's demo PATs: her default role (sync, a normal user's view) and super-admin (changes).
use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT as ALICE_DEFAULT, ALICE_SUPERADMIN_PAT as ALICE_SUPERADMIN,
};
#[path = "support/mod.rs"]
mod support;
#[path = "wan/mod.rs"]
mod wan;

use support::{env_usize, load_average, BenchServer};

const PAGE: u32 = 1_000;
const SEARCH_LIMIT: u32 = 100;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn rate(rows: usize, d: Duration) -> f64 {
    rows as f64 / d.as_secs_f64().max(1e-9)
}

fn thousands(x: f64) -> String {
    let n = x.round() as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn goal(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

struct Row(String, String, String, String);

fn main() {
    let load = load_average();
    let n = env_usize("BENCH_USERS", 100_000).max(10);
    // Over the simulated link (scripts/bench-wan.sh): the server's role, then the client's.
    if let Ok(listen) = std::env::var("BENCH_WAN_SERVE") {
        return wan::serve(&listen, n);
    }
    if let Ok(ns) = std::env::var("BENCH_NETNS") {
        let ip =
            std::env::var("BENCH_WAN_SERVER_IP").expect("BENCH_WAN_SERVER_IP with BENCH_NETNS");
        return wan::run(&ns, &ip, n);
    }
    let changes = env_usize("BENCH_CHANGES", 1_000).clamp(10, n);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.db");

    // ---- server: its own multi-thread runtime, seeded before it listens -----------------
    let server = BenchServer::start(&db, n);
    let (seed_time, total_users) = (server.seed_time, server.total_users);
    let base = server.base.clone();

    let client_rt = support::runtime("client");
    let rows = client_rt.block_on(run(
        dir.path(),
        &base,
        n,
        total_users,
        changes,
        &server.statuses,
    ));
    server.shutdown();
    if std::env::var_os("BENCH_KEEP").is_some() {
        eprintln!("kept {}", dir.keep().display());
    }

    println!();
    println!(
        "Sync and search, {} service users ({} users in all), {} cores, page {PAGE}, \
         load average at start {load}",
        thousands(n as f64),
        thousands(total_users as f64),
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    println!();
    println!("| measure | result | rate | goal |");
    println!("|---|---|---|---|");
    println!(
        "| server seeded (setup, not a goal) | {} | {} users/s | |",
        secs(seed_time),
        thousands(rate(total_users, seed_time))
    );
    for Row(a, b, c, d) in rows {
        println!("| {a} | {b} | {c} | {d} |");
    }
}

async fn run(
    root: &Path,
    base: &str,
    n: usize,
    total_users: usize,
    changes: usize,
    statuses: &[UserStatus],
) -> Vec<Row> {
    let mut out = Vec::new();
    let creds = Credentials::new(Secret::new(ALICE_DEFAULT));
    let paths = Paths::under(&root.join("client"));
    let profile = Profile {
        name: "bench".into(),
        base_url: base.into(),
        user_id: None,
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let client = Client::for_profile(&paths, profile, Vault::default())
        .await
        .expect("client opens");

    // ---- 1. full sync, end to end --------------------------------------------------------
    let tag = support::size_tag(n);
    let t = Instant::now();
    let report = client
        .sync_as(&creds, false, &|_| {})
        .await
        .expect("full sync");
    let full = t.elapsed();
    assert!(report.full, "the first sync is a full one");
    assert_eq!(
        report.users_cached as usize, total_users,
        "every user cached"
    );
    eprintln!("full sync: {} ({report:?})", secs(full));
    out.push(Row(
        format!(
            "full sync, end to end ({} users)",
            thousands(total_users as f64)
        ),
        secs(full),
        format!("{} rows/s", thousands(rate(total_users, full))),
        format!("<= 1 s at 100k: {}", goal(full <= Duration::from_secs(1))),
    ));
    let label = format!(
        "full sync of {} users, loopback",
        thousands(total_users as f64)
    );
    if n == 100_000 {
        support::figure("full_sync_100k_s", full.as_secs_f64(), "s", &label)
            .goal_abs("<= 1")
            .print();
    }
    support::figure(
        &format!("full_sync_s_{tag}"),
        full.as_secs_f64(),
        "s",
        &label,
    )
    .print();
    support::figure(
        &format!("cache_bytes_{tag}"),
        support::sqlite_bytes(&paths.cache_file("bench")) as f64,
        "bytes",
        "the cache file after the full sync",
    )
    .print();

    // ---- 2. breakdown: fetch only, cache write only, raw insert ---------------------------
    // The fetching as the sync does it (keyset cursor, requests in flight, compressed), then
    // as it did before (offsets, one request at a time, uncompressed) in the same run.
    let api = ApiClient::new(base).expect("API client");
    let plain = ApiClient::with_config(
        base,
        ApiConfig {
            compressed: false,
            ..ApiConfig::default()
        },
    )
    .expect("API client");
    let t = Instant::now();
    let pages = fetch_user_pages(&api, &creds, PAGE, SYNC_IN_FLIGHT)
        .await
        .expect("every page");
    let fetch = t.elapsed();
    let fetched: usize = pages.iter().map(Vec::len).sum();
    assert_eq!(fetched, total_users);
    out.push(Row(
        format!(
            "of which: fetch only (`GET /users` by keyset cursor, {SYNC_IN_FLIGHT} in flight, \
             compressed, decoded, not stored)"
        ),
        secs(fetch),
        format!("{} rows/s", thousands(rate(fetched, fetch))),
        String::new(),
    ));
    let t = Instant::now();
    let offset_pages = fetch_by_offsets(&plain, &creds, total_users).await;
    let by_offsets = t.elapsed();
    assert_eq!(offset_pages, total_users);
    out.push(Row(
        "before: fetch only by offsets, one request at a time, uncompressed".into(),
        secs(by_offsets),
        format!("{} rows/s", thousands(rate(fetched, by_offsets))),
        format!(
            "now {:.2}x faster",
            by_offsets.as_secs_f64() / fetch.as_secs_f64()
        ),
    ));
    let fetch_key = if n == 100_000 {
        "full_sync_100k_fetch_only_s".to_owned()
    } else {
        format!("full_sync_fetch_only_s_{tag}")
    };
    let offsets_key = if n == 100_000 {
        "full_sync_100k_fetch_offsets_s".to_owned()
    } else {
        format!("full_sync_fetch_offsets_s_{tag}")
    };
    support::figure(
        &offsets_key,
        by_offsets.as_secs_f64(),
        "s",
        "fetch only, the old way: offsets, one at a time, uncompressed",
    )
    .print();
    support::figure(
        &fetch_key,
        fetch.as_secs_f64(),
        "s",
        "fetch only: keyset cursor, requests in flight, compressed",
    )
    .baseline(&offsets_key)
    .print();
    if std::env::var_os("BENCH_VARIANTS").is_some() {
        // What each change is worth alone (to choose the defaults; not run by `make bench`).
        for (name, client, in_flight) in [
            ("keyset, 1 in flight, uncompressed", &plain, 1),
            ("keyset, 1 in flight, compressed", &api, 1),
            ("keyset, 2 in flight, uncompressed", &plain, 2),
            ("keyset, 2 in flight, compressed", &api, 2),
            ("keyset, 4 in flight, uncompressed", &plain, 4),
            ("keyset, 8 in flight, compressed", &api, 8),
        ] {
            let t = Instant::now();
            let p = fetch_user_pages(client, &creds, PAGE, in_flight)
                .await
                .expect("every page");
            let d = t.elapsed();
            assert_eq!(p.iter().map(Vec::len).sum::<usize>(), total_users);
            out.push(Row(
                format!("variant: fetch only, {name}"),
                secs(d),
                format!("{} rows/s", thousands(rate(total_users, d))),
                String::new(),
            ));
        }
    }

    let cache = Cache::open(&root.join("write-only").join("cache.sqlite"))
        .await
        .expect("fresh cache");
    // The sync's own write path, without the fetching: the same calls as a full pass.
    let t = Instant::now();
    cache.bulk_writes(true).await.expect("bulk mode");
    let mut offset = 0u64;
    for p in &pages {
        offset += p.len() as u64;
        let last = p.last().map(|u| u.user_id.as_str());
        cache
            .store_full_page(p, 1, offset, last)
            .await
            .expect("page stored");
    }
    cache.bulk_writes(false).await.expect("bulk mode ends");
    cache.finish_full_pass(1, true).await.expect("pass ends");
    let write = t.elapsed();
    cache.close().await;
    let cache_rate = rate(fetched, write);

    let schema = users_schema(root).await;
    let rows = raw_rows(&pages);
    let raw = raw_insert(&root.join("raw.sqlite"), &schema, &rows).await;
    let raw_rate = rate(fetched, raw);
    let raw_c = raw_insert_c(&root.join("raw-c.sqlite"), &schema, &rows).await;
    drop(rows);
    out.push(Row(
        "of which: cache write only (the sync's write path into a fresh cache, a transaction a page)".into(),
        secs(write),
        format!("{} rows/s", thousands(cache_rate)),
        format!(
            ">= 1/2 raw: {:.2} of raw, {}",
            cache_rate / raw_rate,
            goal(cache_rate >= raw_rate / 2.0)
        ),
    ));
    out.push(Row(
        "raw SQLite bulk insert, same rows, sqlx (one transaction, one prepared statement)".into(),
        secs(raw),
        format!("{} rows/s", thousands(raw_rate)),
        String::new(),
    ));
    out.push(Row(
        "the same raw insert through SQLite's C API (no driver; context only)".into(),
        secs(raw_c),
        format!("{} rows/s", thousands(rate(fetched, raw_c))),
        format!(
            "cache write: {:.2} of it",
            cache_rate / rate(fetched, raw_c)
        ),
    ));
    drop(pages);

    // ---- 3. incremental sync of `changes` changes -----------------------------------------
    let admin = Credentials::new(Secret::new(ALICE_SUPERADMIN));
    let http = reqwest::Client::new();
    let step = n / changes;
    let t = Instant::now();
    let (mut toggled, mut deleted) = (0u64, 0u64);
    for k in 0..changes {
        let i = k * step;
        let id = format!("svc-{i:06}");
        let enabled = statuses[i] == UserStatus::Enabled;
        if k % 10 == 9 {
            if enabled {
                send(
                    &http,
                    &admin,
                    base,
                    reqwest::Method::PUT,
                    &format!("/users/{id}/status"),
                    Some(r#"{"UserStatus":"disabled"}"#),
                )
                .await;
            }
            send(
                &http,
                &admin,
                base,
                reqwest::Method::DELETE,
                &format!("/users/{id}?transfer_user_id=bob"),
                None,
            )
            .await;
            deleted += 1;
        } else {
            let body = if enabled {
                r#"{"UserStatus":"disabled"}"#
            } else {
                r#"{"UserStatus":"enabled"}"#
            };
            send(
                &http,
                &admin,
                base,
                reqwest::Method::PUT,
                &format!("/users/{id}/status"),
                Some(body),
            )
            .await;
            toggled += 1;
        }
    }
    eprintln!(
        "{changes} changes made on the server in {}",
        secs(t.elapsed())
    );
    let t = Instant::now();
    let inc = client
        .sync_as(&creds, false, &|_| {})
        .await
        .expect("incremental sync");
    let incremental = t.elapsed();
    eprintln!("incremental sync: {} ({inc:?})", secs(incremental));
    assert!(!inc.full, "incremental through the change feed");
    assert_eq!(inc.users_changed, toggled, "every changed user seen");
    assert_eq!(inc.users_deleted, deleted, "every deletion seen");
    assert_eq!(inc.users_cached as usize, total_users - deleted as usize);
    out.push(Row(
        format!("incremental sync, {changes} changes ({toggled} changed, {deleted} deleted)"),
        ms(incremental),
        format!("{} changes/s", thousands(rate(changes, incremental))),
        format!("< 1 s: {}", goal(incremental < Duration::from_secs(1))),
    ));

    // ---- 4. search -------------------------------------------------------------------------
    let queries = search_queries(n);
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    let mut empty = 0usize;
    for q in &queries {
        let f = UserFilter {
            search: Some(q.clone()),
            limit: Some(SEARCH_LIMIT),
            ..Default::default()
        };
        let t = Instant::now();
        let found = client.cache().users(&f).await.expect("search");
        times.push(t.elapsed());
        hits += found.len();
        if found.is_empty() {
            empty += 1;
        }
    }
    times.sort();
    let (p50, p95, max) = (
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 1.0),
    );
    eprintln!(
        "search: {} queries, {} rows returned, {empty} with no match",
        queries.len(),
        hits
    );
    out.push(Row(
        format!(
            "search, {} queries over {} cached users, first {SEARCH_LIMIT} matches",
            queries.len(),
            thousands((total_users - deleted as usize) as f64)
        ),
        format!("p50 {} / p95 {}", ms(p50), ms(p95)),
        format!("max {}", ms(max)),
        format!("p95 < 20 ms: {}", goal(p95 < Duration::from_millis(20))),
    ));
    out
}

/// Every page by offsets, one request at a time (how the sync read the list before the
/// keyset cursor); returns the users read.
async fn fetch_by_offsets(api: &ApiClient, creds: &Credentials, total_users: usize) -> usize {
    let mut offset = 0u64;
    for _ in 0..total_users / PAGE as usize + 10 {
        let page = api
            .list_users(creds, false, offset, PAGE)
            .await
            .expect("a page");
        if page.users.is_empty() {
            break;
        }
        offset += page.users.len() as u64;
        if offset >= page.total_count {
            break;
        }
    }
    offset as usize
}

async fn send(
    http: &reqwest::Client,
    c: &Credentials,
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
) {
    let mut req = http
        .request(method, format!("{base}{path}"))
        .header("Authorization", c.authorization.expose());
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_owned());
    }
    let resp = req.send().await.expect("request sent");
    assert!(
        resp.status().is_success(),
        "{path}: {} {}",
        resp.status(),
        resp.text().await.unwrap_or_default()
    );
}

/// The cache's `users` table and its indexes, as a fresh cache creates them (no full-text
/// index).
async fn users_schema(root: &Path) -> Vec<String> {
    let cache = Cache::open(&root.join("schema").join("cache.sqlite"))
        .await
        .expect("fresh cache");
    let ddl = cache.users_schema().await.expect("schema");
    cache.close().await;
    ddl
}

/// One row of the raw comparison, encoded beforehand.
struct RawRow {
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

fn raw_rows(pages: &[Vec<User>]) -> Vec<RawRow> {
    pages
        .iter()
        .flatten()
        .map(|u| RawRow {
            user_id: u.user_id.to_string(),
            service: u.is_service_user,
            name: u.display_name.clone(),
            description: u.description.clone(),
            status: u.user_status.as_str(),
            roles: u
                .roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            tags: u
                .tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            version: u.version,
            body: serde_json::to_string(u).expect("JSON"),
        })
        .collect()
}

const RAW_INSERT: &str = "INSERT INTO users (user_id, is_service_user, display_name, description, \
    user_status, roles_text, tags_text, version, body, fetched_at, generation) \
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

async fn raw_file(path: &Path, schema: &[String]) -> sqlx::SqliteConnection {
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .expect("options")
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .connect()
        .await
        .expect("raw SQLite file");
    for ddl in schema {
        sqlx::raw_sql(ddl).execute(&mut conn).await.expect("schema");
    }
    conn
}

/// The raw comparison: the same rows into the cache's `users` table without the full-text
/// index, one transaction, one prepared statement run per row, through sqlx (the cache's
/// driver) with the cache's pragmas; values encoded before the clock starts.
async fn raw_insert(path: &Path, schema: &[String], rows: &[RawRow]) -> Duration {
    let fetched_at = chrono::Utc::now().to_rfc3339();
    let mut conn = raw_file(path, schema).await;
    let t = Instant::now();
    let mut tx = conn.begin().await.expect("begin");
    for r in rows {
        sqlx::query(RAW_INSERT)
            .bind(&r.user_id)
            .bind(r.service)
            .bind(&r.name)
            .bind(r.description.as_deref())
            .bind(r.status)
            .bind(&r.roles)
            .bind(&r.tags)
            .bind(r.version)
            .bind(&r.body)
            .bind(&fetched_at)
            .bind(1i64)
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    let d = t.elapsed();
    conn.close().await.expect("close");
    d
}

/// The same insert loop through SQLite's C API on the same library (bind, step, reset): what
/// SQLite itself costs, without any driver.
async fn raw_insert_c(path: &Path, schema: &[String], rows: &[RawRow]) -> Duration {
    use libsqlite3_sys as ffi;
    use std::ffi::{c_char, c_int, CString};

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

    let fetched_at = chrono::Utc::now().to_rfc3339();
    let mut conn = raw_file(path, schema).await;
    let mut handle = conn.lock_handle().await.expect("raw handle");
    let db = handle.as_raw_handle().as_ptr();
    let sql = CString::new(RAW_INSERT).expect("SQL");
    let t = Instant::now();
    // SAFETY: `db` is the open connection sqlx holds locked for us; every pointer bound stays
    // alive until the statement is reset, and the statement is finalized before unlocking.
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
        let mut st = std::ptr::null_mut();
        check(
            db,
            ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut st, std::ptr::null_mut()),
            "prepare",
        );
        for r in rows {
            text(db, st, 1, &r.user_id);
            check(
                db,
                ffi::sqlite3_bind_int64(st, 2, i64::from(r.service)),
                "bind",
            );
            text(db, st, 3, &r.name);
            match &r.description {
                Some(d) => text(db, st, 4, d),
                None => check(db, ffi::sqlite3_bind_null(st, 4), "bind"),
            }
            text(db, st, 5, r.status);
            text(db, st, 6, &r.roles);
            text(db, st, 7, &r.tags);
            check(db, ffi::sqlite3_bind_int64(st, 8, r.version), "bind");
            text(db, st, 9, &r.body);
            text(db, st, 10, &fetched_at);
            check(db, ffi::sqlite3_bind_int64(st, 11, 1), "bind");
            check(db, ffi::sqlite3_step(st), "step");
            check(db, ffi::sqlite3_reset(st), "reset");
        }
        check(db, ffi::sqlite3_finalize(st), "finalize");
        exec("COMMIT");
    }
    let d = t.elapsed();
    drop(handle);
    conn.close().await.expect("close");
    d
}

/// A few hundred queries of every kind the search covers.
fn search_queries(n: usize) -> Vec<String> {
    let mut q = Vec::new();
    // Id prefixes of every length, spread over the ids.
    let digits = 6;
    for k in 0..120usize {
        let i = (k * 7_919 + 13) % n;
        let id = format!("svc-{i:0digits$}");
        let keep = 5 + k % 6; // "svc-0" .. "svc-012345"
        q.push(id[..keep.min(id.len())].to_owned());
    }
    for (k, i) in (0..20usize).map(|k| (k, (k * 4_999 + 7) % n)) {
        // Whole ids, and one missing id.
        q.push(format!("svc-{i:06}"));
        if k == 0 {
            q.push("svc-999999x".into());
        }
    }
    let names = [
        "finance",
        "marketing",
        "data",
        "sales",
        "risk",
        "ops",
        "billing",
        "search",
        "ingest",
        "export",
        "report",
        "sync",
        "backup",
        "scoring",
        "cleanup",
        "alerts",
        "bot",
        "fin",
        "mark",
        "ing",
    ];
    let descriptions = [
        "nightly",
        "hourly",
        "weekly",
        "minutes",
        "orders",
        "clickstream",
        "ledger",
        "invoices",
        "telemetry",
        "crm",
        "lake",
        "warehouse",
        "dashboards",
        "s3",
        "night",
        "tele",
    ];
    let roles = [
        "role-analysts",
        "role-data-engineers",
        "SystemRole-SystemAdministrators",
        "SystemRole-SuperAdmin",
        "role-ana",
        "SystemRole-Sys",
    ];
    let tags = ["team-data", "team-finance", "team-", "team-fin"];
    for w in names.iter().chain(&descriptions).chain(&roles).chain(&tags) {
        q.push((*w).to_owned());
    }
    // Two and three words together, as people narrow a search.
    for (k, a) in names.iter().enumerate() {
        let b = descriptions[k % descriptions.len()];
        q.push(format!("{a} {b}"));
        q.push(format!("{a} {}", roles[k % roles.len()]));
        q.push(format!("{b} {} {a}", names[(k + 3) % names.len()]));
    }
    for k in 0..20usize {
        q.push(format!("bot {}", (k * 3_331) % n));
        q.push(format!("{} {}", names[k % 8], (k * 613) % n));
    }
    q
}
