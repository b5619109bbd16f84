//! Token benchmark: raw Ed25519 and JWT rates on one core, then the reference server under
//! 32 concurrent keep-alive clients on loopback: `POST /users/{id}/auth-token`, acting-as
//! `GET /users/{id}`, the same read with the PAT only, and `GET /healthz` (the loopback
//! ceiling every figure is compared with); then seeding generated users into a fresh file.
//! Prints a markdown table and one `FIGURE {json}` line per figure (see `make bench`).
//!
//! Run: `cargo bench -p amorphic-su-server --bench tokens`. Environment:
//! - `BENCH_SECONDS` (default 10): measured seconds per HTTP request kind, split in
//!   `BENCH_ROUNDS` (default 5) slices; each round runs every kind once, in a rotated order,
//!   so a load change on a shared machine hits every kind alike and the ratios hold.
//! - `BENCH_SEED_USERS` (default 100000): generated service users seeded (0 skips it).
//!
//! The server runs in this process on its own multi-thread runtime (fresh SQLite file, demo
//! seed); the load generator runs on another runtime and shares the machine's cores with it.
//! Load goes to 127.0.0.1 only.

mod crypto;
mod load;
mod seed;

use std::time::Duration;

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE;
use amorphic_su_server::{spawn, ServerOptions};
use serde_json::json;

use crate::crypto::{crypto_rates, CRYPTO_SECONDS};
use crate::load::{load, sqlite_reads, Load, Req, CLIENTS};
use crate::seed::seed_users;

const DEFAULT_ROLE: &str = "SystemRole-DefaultUsers";

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn yes(met: bool) -> &'static str {
    if met {
        "yes"
    } else {
        "**no**"
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// One `FIGURE {json}` line (the `make bench` convention).
fn figure(key: &str, value: f64, unit: &str, label: &str, extra: serde_json::Value) -> String {
    let mut f =
        json!({"key": key, "value": (value * 10.0).round() / 10.0, "unit": unit, "label": label});
    if let (Some(f), Some(extra)) = (f.as_object_mut(), extra.as_object()) {
        f.extend(extra.clone());
    }
    format!("FIGURE {f}")
}

/// The request kinds of the HTTP phase, in the order of the tables.
const KINDS: [&str; 4] = ["issue", "acting", "plain", "healthz"];

fn main() {
    // `cargo bench` passes `--bench`; anything else (a filter) is ignored.
    let seconds: f64 = env_or("BENCH_SECONDS", 10.0_f64).max(0.2);
    let rounds: usize = env_or("BENCH_ROUNDS", 5_usize).max(1);
    let seed_n: usize = env_or("BENCH_SEED_USERS", 100_000_usize);
    let slice = seconds / rounds as f64;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let loadavg = || {
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    };
    let load_at_start = loadavg();
    eprintln!("raw crypto on one core ({CRYPTO_SECONDS} s each)...");
    let c = crypto_rates();

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("server")
        .build()
        .expect("server runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("server.db");
    let server = server_rt
        .block_on(spawn(ServerOptions::new(&db_path).demo_seed()))
        .expect("the server starts");
    let base = server.base_url();

    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let (mut loads, round_ratios) = client_rt.block_on(async {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(CLIENTS)
            .tcp_nodelay(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        let issue_req = Req {
            post: true,
            url: format!("{base}/users/etl-bot/auth-token"),
            headers: vec![("Authorization", ALICE.into())],
            body: Some(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 60})),
            expect: 201,
        };
        let r = http
            .post(&issue_req.url)
            .header("Authorization", ALICE)
            .json(issue_req.body.as_ref().unwrap())
            .send()
            .await
            .expect("issue");
        assert_eq!(r.status().as_u16(), 201);
        let jwt = r.json::<serde_json::Value>().await.expect("JSON")["Token"]
            .as_str()
            .expect("Token")
            .to_owned();
        let read = |headers| Req {
            post: false,
            url: format!("{base}/users/etl-bot"),
            headers,
            body: None,
            expect: 200,
        };
        let reqs = [
            issue_req,
            read(vec![
                ("Authorization", ALICE.into()),
                ("X-Amorphic-Service-User", jwt),
            ]),
            read(vec![("Authorization", ALICE.into())]),
            Req {
                post: false,
                url: format!("{base}/healthz"),
                headers: vec![],
                body: None,
                expect: 200,
            },
        ];
        eprintln!(
            "HTTP, {CLIENTS} clients: {} x {rounds} rounds of {slice:.1} s each...",
            KINDS.join(", ")
        );
        let mut loads: [Load; 4] = Default::default();
        // Per round: (issue, acting) / healthz of the same round.
        let mut round_ratios = Vec::new();
        for round in 0..rounds {
            let mut this: [f64; 4] = [0.0; 4];
            for k in 0..KINDS.len() {
                let i = (k + round) % KINDS.len();
                let warm = if round == 0 { 1.0 } else { 0.2 };
                let l = load(&http, &reqs[i], warm, slice).await;
                this[i] = l.per_second();
                loads[i].merge(l);
            }
            eprintln!(
                "  round {}: issue {:.0}, acting {:.0}, plain {:.0}, healthz {:.0} req/s (load {})",
                round + 1,
                this[0],
                this[1],
                this[2],
                this[3],
                loadavg()
            );
            round_ratios.push((this[0] / this[3], this[1] / this[3]));
        }
        (loads, round_ratios)
    });
    let sql_seconds = (seconds / 4.0).clamp(0.5, 5.0);
    eprintln!("SQLite point reads through sqlx, {CLIENTS} tasks, {sql_seconds} s each...");
    let (sql_bare, sql_tx) = client_rt.block_on(async {
        (
            sqlite_reads(&db_path, sql_seconds, false).await,
            sqlite_reads(&db_path, sql_seconds, true).await,
        )
    });
    server_rt.block_on(server.shutdown());
    let load_after_http = loadavg();
    let seeding = (seed_n > 0).then(|| {
        eprintln!("seeding the demo seed plus {seed_n} generated service users...");
        server_rt.block_on(seed_users(dir.path(), seed_n))
    });

    let [issue, acting, plain, health] = &mut loads;
    let row = |name: &str, l: &mut Load, goal: &str, met: &str| {
        format!(
            "| {name} | {:.0} req/s | {:.2} ms | {:.2} ms | {:.1} ms | {} | {goal} | {met} |",
            l.per_second(),
            l.pct_ms(0.50),
            l.pct_ms(0.99),
            l.pct_ms(1.0),
            l.requests()
        )
    };
    let ceiling = health.per_second();
    let issue_ratio = issue.per_second() / ceiling;
    let acting_ratio = acting.per_second() / ceiling;
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut out = Vec::new();
    out.push(format!(
        "Machine: {cores} cores (`nproc`), {}; {} UTC; load average at start {load_at_start}, \
         after the HTTP phases {load_after_http}. Server and load generator share the cores; \
         {CLIENTS} keep-alive clients (reqwest) on 127.0.0.1, {seconds} s per request kind in \
         {rounds} interleaved rounds of {slice:.1} s.",
        cpu_model(),
        chrono::Utc::now().format("%Y-%m-%d %H:%M")
    ));
    out.push(String::new());
    out.push("| raw crypto, one core | rate |".into());
    out.push("|---|---|".into());
    out.push(format!(
        "| Ed25519 sign (ed25519-dalek, {}-byte JWT signing input) | {:.0} /s |",
        c.token_chars - 87,
        c.dalek_sign
    ));
    out.push(format!(
        "| Ed25519 verify (ed25519-dalek) | {:.0} /s |",
        c.dalek_verify
    ));
    out.push(format!(
        "| JWT sign (jsonwebtoken `encode`, EdDSA, the server's claims set, {} chars) | {:.0} /s |",
        c.token_chars, c.jwt_encode
    ));
    out.push(format!(
        "| JWT sign by hand (header encoded once, parsed key kept, serde_json + ed25519-dalek) | {:.0} /s |",
        c.manual_encode
    ));
    out.push(format!(
        "| JWT verify (jsonwebtoken `decode`, EdDSA, aud/iss/exp/nbf validation) | {:.0} /s |",
        c.jwt_decode
    ));
    out.push(String::new());
    out.push(
        "| HTTP, 32 concurrent clients | throughput | p50 | p99 | max | requests | goal | met |"
            .into(),
    );
    out.push("|---|---|---|---|---|---|---|---|".into());
    out.push(row(
        "`POST /users/etl-bot/auth-token` (issue)",
        issue,
        ">= 0.45 of /healthz",
        yes(issue_ratio >= 0.45),
    ));
    out.push(row(
        "`GET /users/etl-bot` acting as etl-bot (`X-Amorphic-Service-User`)",
        acting,
        ">= 0.9 of /healthz",
        yes(acting_ratio >= 0.9),
    ));
    out.push(row(
        "`GET /users/etl-bot` with the PAT only",
        plain,
        "-",
        "-",
    ));
    out.push(row("`GET /healthz` (loopback ceiling)", health, "-", "-"));
    out.push(String::new());
    out.push("| SQLite through sqlx, 4-connection pool, 32 tasks (context) | rate |".into());
    out.push("|---|---|".into());
    out.push(format!(
        "| point read (the PAT lookup), pool-direct | {sql_bare:.0} /s |"
    ));
    out.push(format!("| point read in a transaction (`BEGIN`, query, rollback on drop), as the server reads | {sql_tx:.0} /s |"));
    out.push(String::new());
    out.push("| ratio | value |".into());
    out.push("|---|---|".into());
    out.push(format!(
        "| token issue / `/healthz` (all rounds; median of the rounds) | {issue_ratio:.2}; {:.2} |",
        median(round_ratios.iter().map(|r| r.0).collect())
    ));
    out.push(format!(
        "| acting-as read / `/healthz` (all rounds; median of the rounds) | {acting_ratio:.2}; {:.2} |",
        median(round_ratios.iter().map(|r| r.1).collect())
    ));
    out.push(format!(
        "| acting-as read / PAT-only read | {:.2} |",
        acting.per_second() / plain.per_second()
    ));
    out.push(format!(
        "| token issue rate / hand-assembled JWT sign rate (one core) | {:.2} |",
        issue.per_second() / c.manual_encode
    ));
    out.push(format!(
        "| token issue rate / raw Ed25519 sign rate (one core) | {:.2} |",
        issue.per_second() / c.dalek_sign
    ));
    if let Some(s) = &seeding {
        out.push(String::new());
        out.push("| seeding (demo seed + generated service users, fresh file) | value |".into());
        out.push("|---|---|".into());
        out.push(format!("| users | {} |", s.users));
        out.push(format!(
            "| generate in memory | {:.2} s |\n| validate and insert (one transaction) | {:.2} s |",
            s.generate_s, s.load_s
        ));
        out.push(format!(
            "| users/s, the whole seeding (goal >= 50000) | {:.0} ({}) |",
            s.per_second(),
            yes(s.per_second() >= 50_000.0)
        ));
    }
    for (name, l) in KINDS.iter().zip(loads.iter()) {
        if l.errors > 0 {
            out.push(format!(
                "\n{name}: {} unexpected answers, first: {}",
                l.errors,
                l.first_error.as_deref().unwrap_or("")
            ));
        }
    }
    println!("{}", out.join("\n"));
    let [issue, acting, _, health] = &loads;
    let mut figures = vec![
        figure(
            "loopback_rps",
            health.per_second(),
            "req/s",
            "GET /healthz, 32 clients (loopback ceiling)",
            json!({}),
        ),
        figure(
            "token_issue_rps",
            issue.per_second(),
            "req/s",
            "token issue, 32 clients",
            json!({"baseline": "loopback_rps", "goal": ">= 0.45"}),
        ),
        figure(
            "acting_as_rps",
            acting.per_second(),
            "req/s",
            "acting-as read, 32 clients",
            json!({"baseline": "loopback_rps", "goal": ">= 0.9"}),
        ),
    ];
    if let Some(s) = &seeding {
        figures.push(figure(
            "seed_users_per_s",
            s.per_second(),
            "users/s",
            &format!("seeding {} generated users", s.users),
            json!({"goal_abs": ">= 50000"}),
        ));
    }
    println!("{}", figures.join("\n"));
}
