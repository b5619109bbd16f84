//! Load with an audit: concurrent clients on loopback against the real reference server
//! (fresh SQLite file, demo seed) mixing reads, token issue, acting-as reads, share toggles,
//! enable/disable and role attach/detach as alice (super-admin and plain), bob and carol.
//! Afterwards: zero 5xx, every answer one the contract allows, and the audit (see `audit`).
//! Prints p50/p99 per operation and the throughput; fails on any violation.
//!
//! `AMORPHIC_SU_LOAD_SECONDS` (default 10) and `AMORPHIC_SU_LOAD_CLIENTS` (default 64);
//! `make soak` runs 60 s. Print the table with `-- --nocapture`.

mod audit;
mod http;
mod ops;

use std::time::{Duration, Instant};

use amorphic_su_server::seed::demo::{ALICE_DEFAULT_PAT, ALICE_SUPERADMIN_PAT};
use amorphic_su_server::{spawn, ServerOptions};
use rand::SeedableRng;
use serde_json::json;

use crate::http::Http;
use crate::ops::{Client, Op, Record, Slot, SLOT_TAGS};

/// Service users the load works on: few enough that clients collide on each.
const SERVICE_USERS: usize = 8;

fn env_or(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

/// Creates the service users (alice, super-admin), shared with bob and carol.
async fn service_users(http: &Http) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..SERVICE_USERS {
        let id = format!("load-su-{i}");
        let body = json!({"UserId": id, "DisplayName": format!("Load target {i}")});
        let r = http.post("/users", ALICE_SUPERADMIN_PAT, body).await;
        assert_eq!(r.status, 201, "creating {id}: {}", r.body);
        let body = json!({"Users": [{"UserId": "bob", "AccessType": "owner"},
                                    {"UserId": "carol", "AccessType": "owner"}]});
        let r = http
            .put(&format!("/users/{id}/shares"), ALICE_DEFAULT_PAT, body)
            .await;
        assert_eq!(r.status, 200, "sharing {id}: {}", r.body);
        ids.push(id);
    }
    ids
}

/// The highest `Version` handed out so far (the change feed's end).
async fn feed_end(http: &Http) -> i64 {
    let mut since = 0;
    loop {
        let path = format!("/users?action=get_service_users&since={since}&limit=1000");
        let r = http.get(&path, ALICE_DEFAULT_PAT, None).await;
        assert_eq!(r.status, 200, "feed: {}", r.body);
        since = r.body["NextSince"].as_i64().expect("NextSince");
        if r.body["HasMore"] != json!(true) {
            return since;
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    f64::from(sorted[i]) / 1000.0
}

/// The per-operation table (markdown) and the total request count.
fn table(records: &[Record], elapsed: Duration) -> (String, usize) {
    let mut out = String::from(
        "| operation | requests | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n",
    );
    let mut total = 0;
    for op in Op::ALL {
        let mut lat: Vec<u32> = records
            .iter()
            .flat_map(|r| &r.latencies)
            .filter(|(o, _)| *o == op)
            .map(|(_, us)| *us)
            .collect();
        if lat.is_empty() {
            continue;
        }
        lat.sort_unstable();
        total += lat.len();
        out += &format!(
            "| `{}` | {} | {:.1} | {:.1} | {:.1} |\n",
            op.name(),
            lat.len(),
            percentile(&lat, 0.50),
            percentile(&lat, 0.99),
            f64::from(*lat.last().unwrap()) / 1000.0
        );
    }
    let mut all: Vec<u32> = records
        .iter()
        .flat_map(|r| &r.latencies)
        .map(|l| l.1)
        .collect();
    all.sort_unstable();
    if !all.is_empty() {
        out += &format!(
            "| **all** | {total} | {:.1} | {:.1} | {:.1} |\n",
            percentile(&all, 0.50),
            percentile(&all, 0.99),
            f64::from(*all.last().unwrap()) / 1000.0
        );
    }
    out += &format!(
        "\n{total} requests in {:.1} s: {:.0} requests/s\n",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    (out, total)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_leave_no_lost_or_phantom_write() {
    let seconds = env_or("AMORPHIC_SU_LOAD_SECONDS", 10);
    let clients = usize::try_from(env_or("AMORPHIC_SU_LOAD_CLIENTS", 64)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(ServerOptions::new(dir.path().join("server.db")).demo_seed())
        .await
        .expect("the server starts");
    let http = Http::new(server.base_url(), clients);
    let users = service_users(&http).await;
    let since = feed_end(&http).await;

    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        // The first clients each own one (service user, tag) share slot.
        let slot = (c < SERVICE_USERS * SLOT_TAGS.len()).then(|| Slot {
            user: users[c % SERVICE_USERS].clone(),
            tag: SLOT_TAGS[c / SERVICE_USERS],
            shared: false,
        });
        let rng = rand::rngs::StdRng::seed_from_u64(c as u64);
        let mut client = Client::new(http.clone(), users.clone(), rng, slot);
        tasks.push(tokio::spawn(async move {
            client.run(until).await;
            client.record
        }));
    }
    let mut records = Vec::new();
    for t in tasks {
        records.push(t.await.expect("a load client"));
    }
    let elapsed = started.elapsed();

    let (table, total) = table(&records, elapsed);
    let server_errors: usize = records.iter().map(|r| r.server_errors).sum();
    let mut violations: Vec<String> = records.iter().flat_map(|r| r.violations.clone()).collect();
    let findings = audit::audit(&http, &users, &records, since).await;
    violations.extend(findings.violations.iter().cloned());
    println!(
        "load: {clients} clients, {seconds} s, {SERVICE_USERS} service users\n\n{table}\n\
         audit: {} change answers at {} distinct Versions, {} User bodies checked against \
         their Version, {server_errors} server errors, {} violations",
        findings.changes,
        findings.change_versions,
        findings.bodies_checked,
        violations.len()
    );
    server.shutdown().await;
    assert!(total > 0, "no request completed");
    assert_eq!(server_errors, 0, "5xx answers");
    assert!(
        violations.is_empty(),
        "{} violations, the first: {:#?}",
        violations.len(),
        &violations[..violations.len().min(20)]
    );
}
