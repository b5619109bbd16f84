//! What the client's benches share (`#[path]`-included by each): sizes from the environment,
//! the load average, the reference server on its own runtime over a fresh SQLite file holding
//! the demo seed plus N generated service users, and the `FIGURE` lines `make bench` collects
//! (scripts/bench.py; the convention is in docs/benchmarks.md).
#![allow(dead_code)] // each bench uses part of it

use std::path::Path;
use std::time::{Duration, Instant};

use amorphic_su_client::model::UserStatus;
use amorphic_su_server::{seed, spawn, RunningServer, ServerOptions, Store};

/// A count from the environment (`1_000` and `1,000` read as 1000), or `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace(['_', ','], "").parse().ok())
        .unwrap_or(default)
}

/// The load average when the run starts (other processes share the cores).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "n/a".into())
}

/// The suffix of a size-dependent key: 10000 -> "10k", 1000000 -> "1m", 12345 -> "12345".
pub fn size_tag(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// A SQLite file's bytes on disk with its `-wal` beside it (what a cache takes after a sync).
pub fn sqlite_bytes(path: &Path) -> u64 {
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    len(path) + len(Path::new(&wal))
}

/// One `FIGURE {json}` line on stdout: `key` stable snake_case, `value` in `unit`; optionally
/// the key of the same-run figure it is compared with and the ratio or absolute goal.
pub struct Figure {
    json: serde_json::Map<String, serde_json::Value>,
}

pub fn figure(key: &str, value: f64, unit: &str, label: &str) -> Figure {
    let mut json = serde_json::Map::new();
    json.insert("key".into(), key.into());
    json.insert("value".into(), value.into());
    json.insert("unit".into(), unit.into());
    json.insert("label".into(), label.into());
    Figure { json }
}

impl Figure {
    /// The key of the same-run figure this one is divided by.
    pub fn baseline(mut self, key: &str) -> Self {
        self.json.insert("baseline".into(), key.into());
        self
    }

    /// A goal on the ratio to the baseline: `">= 0.5"`, `"<= 1.5"`.
    pub fn goal(mut self, goal: &str) -> Self {
        self.json.insert("goal".into(), goal.into());
        self
    }

    /// A goal on the value itself, in its unit: `"<= 2"`.
    pub fn goal_abs(mut self, goal: &str) -> Self {
        self.json.insert("goal_abs".into(), goal.into());
        self
    }

    pub fn print(self) {
        println!("FIGURE {}", serde_json::Value::Object(self.json));
    }
}

/// A multi-thread runtime of two workers (the machine's cores, shared by server and client).
pub fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The reference server on its own runtime, over a fresh SQLite file seeded before it listens.
pub struct BenchServer {
    rt: tokio::runtime::Runtime,
    server: RunningServer,
    pub base: String,
    /// Generating and loading the seed.
    pub seed_time: Duration,
    /// Users in the server, demo users included.
    pub total_users: usize,
    /// The generated service users (`svc-000000` ...).
    pub generated: usize,
    /// The generated service users' statuses, in id order.
    pub statuses: Vec<UserStatus>,
}

impl BenchServer {
    /// Seeds `db` (a new file) with the demo seed plus `n` generated service users, then serves.
    pub fn start(db: &Path, n: usize) -> Self {
        let rt = runtime("server");
        let t = Instant::now();
        let seed = seed::demo_with_service_users(n);
        let statuses: Vec<UserStatus> = seed
            .users
            .iter()
            .filter(|u| u.is_service_user && u.user_id.as_str().starts_with("svc-"))
            .map(|u| u.user_status)
            .collect();
        let generated = statuses.len();
        let total_users = seed.users.len();
        let server = rt.block_on(async {
            let store = Store::open(db).await.expect("server database");
            store.load_seed(&seed).await.expect("seed loads");
            store.close().await;
            spawn(ServerOptions::new(db)).await.expect("server starts")
        });
        drop(seed);
        let seed_time = t.elapsed();
        let base = server.base_url();
        eprintln!(
            "server on {base}: {total_users} users ({generated} generated service users) \
             seeded in {:.2} s",
            seed_time.as_secs_f64()
        );
        BenchServer {
            rt,
            server,
            base,
            seed_time,
            total_users,
            generated,
            statuses,
        }
    }

    /// Stops the server and its runtime.
    pub fn shutdown(self) {
        self.rt.block_on(self.server.shutdown());
    }
}
