//! Token benchmark: raw Ed25519 and JWT rates on one core, then the reference
//! server under 32 concurrent keep-alive clients on loopback: `POST /users/{id}/auth-token`
//! and acting-as `GET /users/{id}`. Prints a markdown table.
//!
//! Run: `cargo bench -p amorphic-su-server --bench tokens`
//! (`BENCH_SECONDS=N` changes the measured time per HTTP phase, default 10; each phase has a
//! 1 s warm-up before it.) The server runs in this process on its own multi-thread runtime
//! (fresh SQLite file, demo seed); the load generator runs on another runtime and shares the
//! machine's cores with it. Load goes to 127.0.0.1 only.

mod crypto;
mod load;

use std::time::Duration;

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE;
use amorphic_su_server::{spawn, ServerOptions};
use serde_json::json;

use crate::crypto::{crypto_rates, CRYPTO_SECONDS};
use crate::load::{load, sqlite_reads, Load, Req, CLIENTS};

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

fn main() {
    // `cargo bench` passes `--bench`; anything else (a filter) is ignored.
    let seconds: f64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10.0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let loadavg = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into());
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
    let (issue, acting, plain, health) = client_rt.block_on(async {
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

        eprintln!("POST /users/etl-bot/auth-token, {CLIENTS} clients, {seconds} s...");
        let issue = load(&http, issue_req, seconds).await;
        eprintln!("GET /users/etl-bot acting as etl-bot, {CLIENTS} clients, {seconds} s...");
        let acting_req = Req {
            post: false,
            url: format!("{base}/users/etl-bot"),
            headers: vec![
                ("Authorization", ALICE.into()),
                ("X-Amorphic-Service-User", jwt),
            ],
            body: None,
            expect: 200,
        };
        let acting = load(&http, acting_req, seconds).await;
        eprintln!("GET /users/etl-bot with the PAT only, {CLIENTS} clients, {seconds} s...");
        let plain_req = Req {
            post: false,
            url: format!("{base}/users/etl-bot"),
            headers: vec![("Authorization", ALICE.into())],
            body: None,
            expect: 200,
        };
        let plain = load(&http, plain_req, seconds).await;
        eprintln!("GET /healthz, {CLIENTS} clients, {seconds} s...");
        let health_req = Req {
            post: false,
            url: format!("{base}/healthz"),
            headers: vec![],
            body: None,
            expect: 200,
        };
        let health = load(&http, health_req, seconds).await;
        (issue, acting, plain, health)
    });
    let sql_seconds = (seconds / 2.0).max(1.0);
    eprintln!("SQLite point reads through sqlx, {CLIENTS} tasks, {sql_seconds} s each...");
    let (sql_bare, sql_tx) = client_rt.block_on(async {
        (
            sqlite_reads(&db_path, sql_seconds, false).await,
            sqlite_reads(&db_path, sql_seconds, true).await,
        )
    });
    server_rt.block_on(server.shutdown());

    let row = |name: &str, l: &Load, goal: &str, met: &str| {
        format!(
            "| {name} | {:.0} req/s | {:.2} ms | {:.2} ms | {:.1} ms | {} | {goal} | {met} |",
            l.per_second, l.p50_ms, l.p99_ms, l.max_ms, l.requests
        )
    };
    let mut out = Vec::new();
    out.push(format!(
        "Machine: {cores} cores (`nproc`), {}; {} UTC; load average at start {loadavg}. Server and load \
         generator share the cores; {CLIENTS} keep-alive clients (reqwest) on 127.0.0.1, {seconds} s \
         per phase after 1 s of warm-up.",
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
        &issue,
        ">= 3000 req/s, p99 < 10 ms",
        yes(issue.per_second >= 3000.0 && issue.p99_ms < 10.0),
    ));
    out.push(row(
        "`GET /users/etl-bot` acting as etl-bot (`X-Amorphic-Service-User`)",
        &acting,
        ">= 5000 req/s",
        yes(acting.per_second >= 5000.0),
    ));
    out.push(row(
        "`GET /users/etl-bot` with the PAT only (baseline)",
        &plain,
        "-",
        "-",
    ));
    out.push(row("`GET /healthz` (loopback ceiling)", &health, "-", "-"));
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
        "| token issue rate / raw JWT sign rate (one core) | {:.2} |",
        issue.per_second / c.jwt_encode
    ));
    out.push(format!(
        "| token issue rate / raw Ed25519 sign rate (one core) | {:.2} |",
        issue.per_second / c.dalek_sign
    ));
    out.push(format!(
        "| token issue rate / hand-assembled JWT sign rate (one core) | {:.2} |",
        issue.per_second / c.manual_encode
    ));
    out.push(format!(
        "| acting-as read rate / PAT-only read rate | {:.2} |",
        acting.per_second / plain.per_second
    ));
    for (name, l) in [
        ("issue", &issue),
        ("acting", &acting),
        ("plain", &plain),
        ("healthz", &health),
    ] {
        if l.errors > 0 {
            out.push(format!(
                "\n{name}: {} unexpected answers, first: {}",
                l.errors,
                l.first_error.as_deref().unwrap_or("")
            ));
        }
    }
    println!("{}", out.join("\n"));
}
