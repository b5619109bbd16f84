//! Cache and search benchmark. Prints a markdown table and one `FIGURE {json}` line per figure.
//!
//! Run: `cargo bench -p amorphic-su-client --bench cache`
//! (`BENCH_USERS=N` generated service users, default 100,000; `BENCH_CHANGES=N` changes of the
//! incremental phase, default 1,000; `BENCH_INCREMENTAL=0|1` skips or forces the incremental
//! phase, which by default runs up to 100,000 users; `BENCH_BASELINES=0|1` the same for the
//! write baselines; `BENCH_SLOW=N` prints the N slowest searches, `BENCH_PLANS=1` the query
//! plans, `BENCH_PREFIX_COMPARE=1` times the searches with other prefix indexes).
//!
//! Phases, in one run:
//! 1. write: the server's generated users (`demo_with_service_users`, as alice receives them)
//!    written into a fresh cache through the sync's own full-pass write path, pages of 1,000
//!    (no server: this also fills the cache the search phase reads, at any size); then the same
//!    rows into a copy of an empty cache (same table, indexes, full-text index) through SQLite's
//!    C API (the goal's baseline), the same without the full-text index (context), and through
//!    sqlx with multi-row statements (the driver's best, context);
//! 2. search: a few hundred searches of every kind, first page of 100, and their counts;
//! 3. incremental: a real server seeded with the same users, a first sync, 1,000 changes made
//!    through its API, then the incremental sync, timed.

#[path = "../support/mod.rs"]
mod support;

mod incremental;
mod search;
mod users;
mod write;

use std::time::{Duration, Instant};

use support::{env_usize, figure, load_average, size_tag};

fn env_flag(name: &str) -> Option<bool> {
    std::env::var(name).ok().map(|v| v != "0")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn rate(rows: usize, d: Duration) -> f64 {
    rows as f64 / d.as_secs_f64().max(1e-9)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

/// Two decimals are plenty in a FIGURE line.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

struct Report {
    rows: Vec<[String; 3]>,
}

impl Report {
    fn row(&mut self, what: impl Into<String>, result: impl Into<String>, note: impl Into<String>) {
        self.rows.push([what.into(), result.into(), note.into()]);
    }
}

fn main() {
    let load = load_average();
    let started = Instant::now();
    let n = env_usize("BENCH_USERS", 100_000).max(10);
    let changes = env_usize("BENCH_CHANGES", 1_000).clamp(10, n);
    let size = size_tag(n);
    // The default size's figures carry the plain keys; other sizes are suffixed.
    let key = |k: &str| {
        if n == 100_000 {
            k.to_owned()
        } else {
            format!("{k}_{size}")
        }
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let mut report = Report { rows: Vec::new() };
    let rt = support::runtime("client");

    // ---- 1. write --------------------------------------------------------------------------
    let pages = users::pages(users::generated(n), 1_000);
    let total: usize = pages.iter().map(Vec::len).sum();
    let cache_path = root.join("cache").join("cache.sqlite");
    let (cache, write) = rt.block_on(write::cache_write(&cache_path, &pages));
    let cache_rate = rate(total, write);
    let bytes = support::sqlite_bytes(&cache_path);
    report.row(
        format!(
            "cache write, {total} users (the sync's write path, a transaction a page of 1,000)"
        ),
        format!("{:.2} s", write.as_secs_f64()),
        format!(
            "{cache_rate:.0} rows/s; file {:.1} MiB",
            bytes as f64 / 1048576.0
        ),
    );
    let baselines = env_flag("BENCH_BASELINES").unwrap_or(n <= 100_000);
    if baselines {
        let template = root.join("empty.sqlite");
        rt.block_on(write::empty_cache(&template));
        let rows = write::raw_rows(&pages);
        let raw = |name: &str| root.join(name);
        let c = rt.block_on(write::c_insert(&template, &raw("c.sqlite"), &rows, true));
        let _ = std::fs::remove_file(raw("c.sqlite"));
        let c_plain = rt.block_on(write::c_insert(&template, &raw("c0.sqlite"), &rows, false));
        let _ = std::fs::remove_file(raw("c0.sqlite"));
        let sx = rt.block_on(write::sqlx_insert(&template, &raw("x.sqlite"), &rows));
        let _ = std::fs::remove_file(raw("x.sqlite"));
        let c_rate = rate(total, c);
        report.row(
            "SQLite C API, same rows, table, indexes and full-text index (one transaction)",
            format!("{:.2} s", c.as_secs_f64()),
            format!(
                "{c_rate:.0} rows/s; cache write {:.2} of it",
                cache_rate / c_rate
            ),
        );
        report.row(
            "SQLite C API, the same without the full-text index (context)",
            format!("{:.2} s", c_plain.as_secs_f64()),
            format!("{:.0} rows/s", rate(total, c_plain)),
        );
        report.row(
            "sqlx, same rows and index rows, multi-row statements of 500 (context)",
            format!("{:.2} s", sx.as_secs_f64()),
            format!("{:.0} rows/s", rate(total, sx)),
        );
        figure(
            &key("sqlite_c_insert_rows_per_s"),
            c_rate.round(),
            "rows/s",
            "SQLite C API bulk insert, the cache's tables and full-text index",
        )
        .print();
        figure(
            &key("sqlite_c_insert_no_fts_rows_per_s"),
            rate(total, c_plain).round(),
            "rows/s",
            "SQLite C API bulk insert without the full-text index (context)",
        )
        .print();
        figure(
            &key("sqlx_insert_rows_per_s"),
            rate(total, sx).round(),
            "rows/s",
            "sqlx bulk insert, multi-row statements, with the full-text rows (context)",
        )
        .print();
    }
    let f = figure(
        &key("cache_write_rows_per_s"),
        cache_rate.round(),
        "rows/s",
        "cache write, the sync's write path",
    );
    if baselines {
        f.baseline(&key("sqlite_c_insert_rows_per_s"))
            .goal(">= 0.5")
            .print();
    } else {
        f.print();
    }
    // cache_bytes_<size> is the sync bench's figure (the cache after a real sync).
    drop(pages);

    // ---- 2. search -------------------------------------------------------------------------
    let s = rt.block_on(search::run(&cache, n));
    if env_flag("BENCH_PLANS").unwrap_or(false) {
        for line in rt.block_on(search::plans(&cache_path)) {
            eprintln!("{line}");
        }
    }

    let p = |v: &[Duration], q: f64| ms(percentile(v, q));
    report.row(
        format!(
            "search, {} queries over {total} cached users, first {} ({} rows, {} empty)",
            s.queries,
            search::LIMIT,
            s.rows,
            s.empty
        ),
        format!(
            "p50 {:.2} / p95 {:.2} ms",
            p(&s.list, 0.5),
            p(&s.list, 0.95)
        ),
        format!("max {:.2} ms", p(&s.list, 1.0)),
    );
    let (joined, alone) = rt.block_on(search::count_variants(&cache_path, n));
    report.row(
        "count of the plain searches, joined to the users / from the index alone",
        format!("p95 {joined:.2} / {alone:.2} ms"),
        "raw statements, one read-only connection",
    );
    report.row(
        "count of the same searches",
        format!(
            "p50 {:.2} / p95 {:.2} ms",
            p(&s.count, 0.5),
            p(&s.count, 0.95)
        ),
        format!("max {:.2} ms", p(&s.count, 1.0)),
    );
    // `BENCH_PREFIX_COMPARE=1`: the same searches over the index rebuilt with a 2-character
    // prefix index and without it (a trial: it did not pay, so the cache keeps "1 3").
    if env_flag("BENCH_PREFIX_COMPARE").unwrap_or(false) {
        // Both indexes rebuilt the same way (one statement), so only the prefixes differ.
        for prefix in ["1 2 3", "1 3"] {
            rt.block_on(search::rebuild_index(&cache_path, prefix));
            let r = rt.block_on(search::run(&cache, n));
            report.row(
                format!(
                    "the same searches, index rebuilt in one statement, prefix indexes {prefix}"
                ),
                format!(
                    "p50 {:.2} / p95 {:.2} ms",
                    p(&r.list, 0.5),
                    p(&r.list, 0.95)
                ),
                format!(
                    "max {:.2} ms; count p95 {:.2} ms",
                    p(&r.list, 1.0),
                    p(&r.count, 0.95)
                ),
            );
        }
    }
    rt.block_on(cache.close());
    let goal = match size.as_str() {
        "100k" => Some("<= 2"),
        "1m" => Some("<= 10"),
        _ => None,
    };
    let mut f = figure(
        &format!("search_p95_ms_{size}"),
        round2(p(&s.list, 0.95)),
        "ms",
        &format!("search p95, first {}, {size} cached", search::LIMIT),
    );
    if let Some(g) = goal {
        f = f.goal_abs(g);
    }
    f.print();
    figure(
        &format!("search_count_p95_ms_{size}"),
        round2(p(&s.count, 0.95)),
        "ms",
        &format!("search count p95, {size} cached"),
    )
    .print();
    drop(rt);

    // ---- 3. incremental --------------------------------------------------------------------
    if env_flag("BENCH_INCREMENTAL").unwrap_or(n <= 100_000) {
        let o = incremental::run(&root.join("incremental"), n, changes);
        report.row(
            format!("server seeded with {n} service users (setup)"),
            format!("{:.2} s", o.seed.as_secs_f64()),
            format!(
                "first sync {:.2} s; changes made in {:.2} s",
                o.first_sync.as_secs_f64(),
                o.changes_made.as_secs_f64()
            ),
        );
        report.row(
            format!(
                "incremental sync, {changes} changes ({} changed, {} deleted)",
                o.changed, o.deleted
            ),
            format!("{:.1} ms", ms(o.incremental)),
            format!(
                "the feed page alone {:.1} ms, roles and tags {:.1} ms (fetched again, best of 3)",
                ms(o.feed_fetch),
                ms(o.catalogues)
            ),
        );
        let k = if changes == 1_000 {
            key("incremental_sync_1k_ms")
        } else {
            key(&format!("incremental_sync_{changes}_ms"))
        };
        figure(
            &k,
            round2(ms(o.incremental)),
            "ms",
            "incremental sync, 1,000 changes",
        )
        .goal_abs("<= 50")
        .print();
    }

    if std::env::var_os("BENCH_KEEP").is_some() {
        eprintln!("kept {}", dir.keep().display());
    }
    println!();
    println!(
        "Cache and search, {size} generated service users, {} cores, load average at start {load}, \
         {:.0} s in all",
        std::thread::available_parallelism().map_or(0, |p| p.get()),
        started.elapsed().as_secs_f64()
    );
    println!();
    println!("| measure | result | note |");
    println!("|---|---|---|");
    for [a, b, c] in report.rows {
        println!("| {a} | {b} | {c} |");
    }
}
