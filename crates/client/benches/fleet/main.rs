//! Bulk changes and journal benchmark. Prints a markdown table.
//!
//! Run: `cargo bench -p amorphic-su-client --bench fleet`
//! (`BENCH_USERS=N` generated service users and the dry run's selection, default 10,000;
//! `BENCH_DISABLE=N` the bulk disable's items, default 1,000; `BENCH_ENTRIES=N` the journal
//! exported, default 100,000; `BENCH_APPEND=N` the journal appends timed on disk, default 2,000.)
//!
//! The reference server runs in this process on its own runtime (as in the `sync` bench) with
//! the demo seed plus N generated service users; the client, with its real cache and journal
//! in a temporary folder and alice's super-admin PAT in an in-memory keychain, syncs first.
//! 1. the dry run (`Client::bulk_plan`, disable) over N selected ids: the whole call, and
//!    of it the context (who you are and the roles: three requests) and the local decisions;
//!    also over "all matching" (a filter);
//! 2. a bulk disable of `BENCH_DISABLE` enabled service users (`Client::bulk_run`), and the
//!    same number of status changes sent raw, `BULK_CONCURRENCY` in flight (the server's part);
//! 3. the journal: appends on disk (each its own committed transaction), then
//!    `BENCH_ENTRIES` entries read and exported as CSV and JSON.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use amorphic_su_client::model::{Secret, UserId, UserStatus};
use amorphic_su_client::{
    AuthKind, BulkAction, BulkSelection, CancelToken, Client, Credentials, Paths, Profile,
    SecretKind, Vault, BULK_CONCURRENCY,
};
use amorphic_su_server::seed::demo::ALICE_SUPERADMIN_PAT;

mod journal;
mod keychain;
#[path = "../support/mod.rs"]
mod support;

use keychain::MemoryKeychain;
use support::{env_usize, figure, load_average, size_tag, BenchServer};

const RUNS: usize = 5;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn rate(n: usize, d: Duration) -> String {
    let r = (n as f64 / d.as_secs_f64().max(1e-9)).round() as u64;
    let s = r.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn goal(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

/// Median and minimum of a few runs.
fn spread(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0])
}

struct Row(String, String, String, String);

fn main() {
    let load = load_average();
    let n = env_usize("BENCH_USERS", 10_000).max(10);
    let d = env_usize("BENCH_DISABLE", 1_000).clamp(1, n / 3);
    let entries = env_usize("BENCH_ENTRIES", 100_000).max(1);
    let appends = env_usize("BENCH_APPEND", 2_000).max(1);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.db");

    let server = BenchServer::start(&db, n);
    let base = server.base.clone();

    let client_rt = support::runtime("client");
    let mut rows = client_rt.block_on(bulk(dir.path(), &base, n, d, &server.statuses));
    rows.extend(client_rt.block_on(journal::journal(dir.path(), entries, appends)));
    server.shutdown();

    println!();
    println!(
        "Bulk changes and journal, {n} generated service users, {} cores, \
         load average at start {load}",
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    println!();
    println!("| measure | result | rate | goal |");
    println!("|---|---|---|---|");
    for Row(a, b, c, d) in rows {
        println!("| {a} | {b} | {c} | {d} |");
    }
}

async fn bulk(root: &Path, base: &str, n: usize, d: usize, statuses: &[UserStatus]) -> Vec<Row> {
    let mut out = Vec::new();
    let paths = Paths::under(&root.join("client"));
    let profile = Profile {
        name: "bench".into(),
        base_url: base.into(),
        user_id: Some(UserId::parse("alice").expect("an id")),
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let vault = Vault::default().with_backend(Arc::new(MemoryKeychain::default()));
    let pat = Secret::new(ALICE_SUPERADMIN_PAT);
    vault
        .set("bench", &SecretKind::Pat, &pat)
        .await
        .expect("PAT kept");
    let client = Client::for_profile(&paths, profile, vault)
        .await
        .expect("client opens");
    let t = Instant::now();
    client
        .sync_as(&Credentials::new(pat.clone()), false, &|_| {})
        .await
        .expect("sync");
    eprintln!("synced in {}", secs(t.elapsed()));

    // ---- 1. the dry run ---------------------------------------------------------------------
    let ids: Vec<UserId> = (0..n)
        .map(|i| UserId::parse(format!("svc-{i:06}")).expect("an id"))
        .collect();
    let selection = BulkSelection::Ids(ids);
    let action = BulkAction::Disable;
    let (mut whole, mut context, mut local, mut filtered) = (vec![], vec![], vec![], vec![]);
    let mut allowed = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let plan = client.bulk_plan(&action, &selection).await.expect("plan");
        whole.push(t.elapsed());
        assert_eq!(plan.items.len(), n);
        allowed = plan.allowed;
        let t = Instant::now();
        let ctx = client.plan_context(&action).await.expect("context");
        context.push(t.elapsed());
        let t = Instant::now();
        client
            .plan_with(&ctx, &action, &selection)
            .await
            .expect("plan");
        local.push(t.elapsed());
        let t = Instant::now();
        let all = BulkSelection::Filter(Default::default());
        let plan = client.plan_with(&ctx, &action, &all).await.expect("plan");
        filtered.push(t.elapsed());
        assert!(plan.items.len() >= n);
    }
    let (w, wmin) = spread(whole);
    let tag = size_tag(n);
    figure(
        &format!("bulk_dry_run_ms_{tag}"),
        w.as_secs_f64() * 1e3,
        "ms",
        &format!("bulk dry run, disable, {n} selected ids, median of {RUNS}"),
    )
    .goal_abs("< 300")
    .print();
    out.push(Row(
        format!(
            "dry run, disable, {n} selected ids (`bulk_plan`, {allowed} allowed), median of {RUNS}"
        ),
        ms(w),
        format!("min {}; {} items/s", ms(wmin), rate(n, w)),
        format!("< 300 ms: {}", goal(w < Duration::from_millis(300))),
    ));
    let (c, _) = spread(context);
    out.push(Row(
        "of which: who you are and the roles (3 requests)".into(),
        ms(c),
        String::new(),
        String::new(),
    ));
    let (l, _) = spread(local);
    figure(
        &format!("bulk_dry_run_local_ms_{tag}"),
        l.as_secs_f64() * 1e3,
        "ms",
        &format!("of the bulk dry run over {n} ids: the cache read and the decisions"),
    )
    .print();
    out.push(Row(
        "of which: the items read from the cache and decided".into(),
        ms(l),
        format!("{} items/s", rate(n, l)),
        String::new(),
    ));
    let (f, _) = spread(filtered);
    out.push(Row(
        "the same decisions over \"all matching\" (a filter, every service user)".into(),
        ms(f),
        String::new(),
        String::new(),
    ));

    // ---- 2. bulk disable -----------------------------------------------------------------
    let enabled: Vec<usize> = (0..n)
        .filter(|&i| statuses[i] == UserStatus::Enabled)
        .collect();
    assert!(enabled.len() >= 2 * d, "enough enabled service users");
    let pick = |from: usize| -> Vec<UserId> {
        enabled[from..from + d]
            .iter()
            .map(|i| UserId::parse(format!("svc-{i:06}")).expect("an id"))
            .collect()
    };
    let chosen = pick(0);
    let plan = client
        .bulk_plan(&action, &BulkSelection::Ids(chosen))
        .await
        .expect("plan");
    assert_eq!(plan.allowed, d, "every chosen user can be disabled");
    let t = Instant::now();
    let report = client.bulk_run(&plan, &CancelToken::new(), &|_| {}).await;
    let run = t.elapsed();
    figure(
        "bulk_disable_rps",
        d as f64 / run.as_secs_f64(),
        "req/s",
        &format!(
            "bulk disable of {d} service users through the client, {BULK_CONCURRENCY} in flight"
        ),
    )
    .baseline("bulk_status_raw_rps")
    .print();
    assert_eq!(
        report.done,
        d,
        "every item done: {:?}",
        report.results.first()
    );
    out.push(Row(
        format!("bulk disable, {d} service users (`bulk_run`, {BULK_CONCURRENCY} in flight)"),
        secs(run),
        format!("{} req/s", rate(d, run)),
        String::new(),
    ));

    // The client's two local writes of each item, one after the other as they serialise:
    // the cache's upsert of the answer (the journal's append is timed below).
    let users = client
        .cache()
        .users_by_ids(&pick(0))
        .await
        .expect("cached users");
    let t = Instant::now();
    for u in users.values() {
        client.cache().upsert_user(u).await.expect("upsert");
    }
    let upserts = t.elapsed();
    out.push(Row(
        format!("of which the cache upserts of the {d} answers, one at a time"),
        secs(upserts),
        format!("{} rows/s", rate(users.len(), upserts)),
        String::new(),
    ));

    // The same number of status changes without the client: the server's own part.
    let raw_ids = pick(d);
    let http = reqwest::Client::new();
    let queue = Arc::new(Mutex::new(raw_ids.into_iter()));
    let t = Instant::now();
    let workers: Vec<_> = (0..BULK_CONCURRENCY)
        .map(|_| {
            let (http, queue, base) = (http.clone(), queue.clone(), base.to_owned());
            tokio::spawn(async move {
                loop {
                    let Some(id) = queue.lock().unwrap().next() else {
                        return;
                    };
                    let r = http
                        .put(format!("{base}/users/{id}/status"))
                        .header("Authorization", ALICE_SUPERADMIN_PAT)
                        .header("Content-Type", "application/json")
                        .body(r#"{"UserStatus":"disabled"}"#)
                        .send()
                        .await
                        .expect("request");
                    assert!(r.status().is_success(), "{}", r.status());
                }
            })
        })
        .collect();
    for w in workers {
        w.await.expect("worker");
    }
    let raw = t.elapsed();
    figure(
        "bulk_status_raw_rps",
        d as f64 / raw.as_secs_f64(),
        "req/s",
        &format!("the same {d} status changes sent raw, {BULK_CONCURRENCY} in flight, no client"),
    )
    .print();
    out.push(Row(
        format!("the same {d} status changes sent raw ({BULK_CONCURRENCY} in flight, no client)"),
        secs(raw),
        format!("{} req/s", rate(d, raw)),
        String::new(),
    ));
    out
}
