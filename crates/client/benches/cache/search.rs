//! The search phase: a few hundred searches of every kind the search box takes, first page of
//! 100 (what a list shows), over a filled cache; and the same searches' counts.

use std::time::{Duration, Instant};

use amorphic_su_client::{Cache, UserFilter};

pub const LIMIT: u32 = 100;

pub struct Timings {
    pub queries: usize,
    pub rows: usize,
    pub empty: usize,
    /// Sorted.
    pub list: Vec<Duration>,
    /// Sorted.
    pub count: Vec<Duration>,
}

pub async fn run(cache: &Cache, n: usize) -> Timings {
    let queries = queries(n);
    let filter = |q: &str| UserFilter {
        search: Some(q.to_owned()),
        limit: Some(LIMIT),
        ..Default::default()
    };
    // One untimed pass: the first query opens the read connections and pages in the index.
    for q in queries.iter().take(20) {
        cache.users(&filter(q)).await.expect("search");
    }
    let (mut list, mut count) = (Vec::new(), Vec::new());
    let (mut rows, mut empty) = (0, 0);
    let mut each = Vec::new();
    for q in &queries {
        let f = filter(q);
        let t = Instant::now();
        let found = cache.users(&f).await.expect("search");
        list.push(t.elapsed());
        rows += found.len();
        empty += usize::from(found.is_empty());
        let t = Instant::now();
        cache.count_matching(&f).await.expect("count");
        count.push(t.elapsed());
        each.push((list[list.len() - 1], count[count.len() - 1], q));
    }
    // `BENCH_SLOW=N`: the N slowest searches, to see which kinds cost.
    let slow = std::env::var("BENCH_SLOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    each.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (l, c, q) in each.iter().take(slow) {
        eprintln!(
            "slow search {q:?}: list {:.2} ms, count {:.2} ms",
            l.as_secs_f64() * 1e3,
            c.as_secs_f64() * 1e3
        );
    }
    list.sort();
    count.sort();
    Timings {
        queries: queries.len(),
        rows,
        empty,
        list,
        count,
    }
}

/// A few hundred queries of every kind the search covers (the sync bench's set).
fn queries(n: usize) -> Vec<String> {
    let mut q = Vec::new();
    // Id prefixes of every length, spread over the ids.
    for k in 0..120usize {
        let i = (k * 7_919 + 13) % n;
        let id = format!("svc-{i:06}");
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

/// `EXPLAIN QUERY PLAN` of the list's and the count's statements for one search word (the
/// statements as `Cache::users` and `Cache::count_matching` build them with no other filter).
pub async fn plans(path: &std::path::Path) -> Vec<String> {
    use sqlx::{ConnectOptions, Row};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .expect("cache file");
    let list = "SELECT body FROM (
           SELECT * FROM (
             SELECT u.user_id, u.body FROM users_fts CROSS JOIN users u
               ON u.rid = users_fts.rowid
             WHERE users_fts MATCH ?1 AND users_fts.rowid <= ?2
             ORDER BY users_fts.rowid LIMIT ?3)
           UNION ALL
           SELECT u.user_id, u.body FROM users_fts CROSS JOIN users u
             ON u.rid = users_fts.rowid
           WHERE users_fts MATCH ?1 AND users_fts.rowid > ?2)
         ORDER BY user_id LIMIT ?4 OFFSET ?5";
    let counts = [
        "SELECT count(*) FROM users_fts CROSS JOIN users u ON u.rid = users_fts.rowid
         WHERE users_fts MATCH ?1",
        "SELECT count(*) FROM users_fts WHERE users_fts MATCH ?1",
    ];
    let mut out = Vec::new();
    for sql in std::iter::once(list).chain(counts) {
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut q = sqlx::query(&explain).bind("\"bot\"*");
        if sql == list {
            q = q
                .bind(1_000_000_000i64)
                .bind(100i64)
                .bind(100i64)
                .bind(0i64);
        }
        let rows = q.fetch_all(&mut conn).await.expect("plan");
        let first = sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        out.push(format!("plan of `{first} ...`:"));
        for r in rows {
            out.push(format!(
                "  {} {}",
                r.get::<i64, _>(1),
                r.get::<String, _>(3)
            ));
        }
    }
    out
}

/// The count of each plain search both ways, through one read-only connection: joined to the
/// users (how `count_matching` counted before) and from the full-text index alone (now, when
/// the search has no other condition). p95 of each, in ms; the counts must agree.
pub async fn count_variants(path: &std::path::Path, n: usize) -> (f64, f64) {
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .expect("cache file");
    let joined = "SELECT count(*) FROM users_fts CROSS JOIN users u ON u.rid = users_fts.rowid
                  WHERE users_fts MATCH ?1";
    let alone = "SELECT count(*) FROM users_fts WHERE users_fts MATCH ?1";
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for q in queries(n) {
        let Some(m) = amorphic_su_client::cache::fts_query(&q) else {
            continue;
        };
        let t = Instant::now();
        let x: i64 = sqlx::query_scalar(joined)
            .bind(&m)
            .fetch_one(&mut conn)
            .await
            .expect("count");
        a.push(t.elapsed());
        let t = Instant::now();
        let y: i64 = sqlx::query_scalar(alone)
            .bind(&m)
            .fetch_one(&mut conn)
            .await
            .expect("count");
        b.push(t.elapsed());
        assert_eq!(x, y, "both counts of {q:?}");
    }
    a.sort();
    b.sort();
    let p95 =
        |v: &[Duration]| v[((v.len() - 1) as f64 * 0.95).round() as usize].as_secs_f64() * 1e3;
    (p95(&a), p95(&b))
}

/// Rebuilds the cache file's full-text index with other prefix indexes (`"1 3"`: the
/// settings before the 2-character one), to time the same searches both ways in one run.
pub async fn rebuild_index(path: &std::path::Path, prefix: &str) {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .expect("cache file");
    let sql = format!(
        "DROP TABLE users_fts;
         CREATE VIRTUAL TABLE users_fts USING fts5 (
             user_id, display_name, description, roles, tags,
             content = '', contentless_delete = 1, prefix = '{prefix}');
         INSERT INTO users_fts (users_fts, rank) VALUES ('automerge', 0);
         INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
             SELECT rid, user_id, display_name, coalesce(description, ''), roles_text, tags_text
             FROM users;"
    );
    sqlx::raw_sql(&sql)
        .execute(&mut conn)
        .await
        .expect("index rebuilt");
    conn.close().await.expect("close");
}
