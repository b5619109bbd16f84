//! Full sync benchmark. Prints a markdown table and the FIGURE lines `make bench` collects.
//!
//! Run: `cargo bench -p amorphic-su-client --bench sync`
//! (`BENCH_USERS=N` changes the number of generated service users, default 100,000;
//! `BENCH_KEEP=1` keeps the temporary folder with the server's database and the cache, and
//! prints its path.) The cache's own costs (write against SQLite's C API, incremental sync,
//! search) are the `cache` bench's.
//!
//! The reference server runs in this process on its own multi-thread runtime, on 127.0.0.1:0,
//! with a fresh SQLite file holding the demo seed plus N generated service users
//! (`amorphic_su_server::seed::demo_with_service_users`). The client runs on another runtime
//! with its real SQLite cache in a temporary folder. Phases, in one run:
//! 1. full sync through the client, end to end (first sync of an empty cache);
//! 2. breakdown: the same rows fetched only as the sync fetches them (keyset cursor, requests
//!    in flight, compressed; not stored), and as it did before (offsets, one request at a time,
//!    uncompressed: the same-run baseline; `BENCH_VARIANTS=1` adds each change alone).
//!
//! With `BENCH_NETNS` (set by `scripts/bench-wan.sh`) it runs only the full sync over a
//! simulated slow link instead (benches/wan/mod.rs).

use std::path::Path;
use std::time::{Duration, Instant};

use amorphic_su_client::model::Secret;
use amorphic_su_client::{
    fetch_user_pages, ApiClient, ApiConfig, AuthKind, Client, Credentials, Paths, Profile, Vault,
    SYNC_IN_FLIGHT,
};

/// Alice's demo PAT of her default role (a normal user's view).
use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE_DEFAULT;
#[path = "support/mod.rs"]
mod support;
#[path = "wan/mod.rs"]
mod wan;

use support::{env_usize, load_average, BenchServer};

const PAGE: u32 = 1_000;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
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
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.db");

    // ---- server: its own multi-thread runtime, seeded before it listens -----------------
    let server = BenchServer::start(&db, n);
    let (seed_time, total_users) = (server.seed_time, server.total_users);
    let base = server.base.clone();

    let client_rt = support::runtime("client");
    let rows = client_rt.block_on(run(dir.path(), &base, n, total_users));
    server.shutdown();
    if std::env::var_os("BENCH_KEEP").is_some() {
        eprintln!("kept {}", dir.keep().display());
    }

    println!();
    println!(
        "Full sync, {} service users ({} users in all), {} cores, page {PAGE}, \
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

async fn run(root: &Path, base: &str, n: usize, total_users: usize) -> Vec<Row> {
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

    // ---- 2. breakdown: fetch only, the new way and the old ----------------------------------
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

    drop(pages);
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
