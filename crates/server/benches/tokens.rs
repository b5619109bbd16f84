//! Token benchmark (issue 3): raw Ed25519 and JWT rates on one core, then the reference
//! server under 32 concurrent keep-alive clients on loopback: `POST /users/{id}/auth-token`
//! and acting-as `GET /users/{id}`. Prints a markdown table.
//!
//! Run: `cargo bench -p amorphic-su-server --bench tokens`
//! (`BENCH_SECONDS=N` changes the measured time per HTTP phase, default 10; each phase has a
//! 1 s warm-up before it.) The server runs in this process on its own multi-thread runtime
//! (fresh SQLite file, demo seed); the load generator runs on another runtime and shares the
//! machine's cores with it. Load goes to 127.0.0.1 only.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use amorphic_su_server::{spawn, ServerOptions};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::{Signer, SigningKey, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::json;

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE;
const DEFAULT_ROLE: &str = "SystemRole-DefaultUsers";
const CLIENTS: usize = 32;
const CRYPTO_SECONDS: f64 = 2.0;

/// The claims the server signs (same fields and types as its own `Claims`).
#[derive(Serialize, Deserialize)]
struct Act {
    sub: String,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    uid: i64,
    act: Act,
    role_id: String,
    is_service_user: bool,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: String,
}

/// Runs `f` on this thread for about `seconds`; returns operations per second.
fn rate(seconds: f64, mut f: impl FnMut()) -> f64 {
    for _ in 0..50 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

struct Crypto {
    dalek_sign: f64,
    dalek_verify: f64,
    jwt_encode: f64,
    manual_encode: f64,
    jwt_decode: f64,
    token_chars: usize,
}

fn crypto_rates() -> Crypto {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let der = key.to_pkcs8_der().expect("PKCS#8");
    let encoding = EncodingKey::from_ed_der(der.as_bytes());
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let decoding = DecodingKey::from_ed_components(&x).expect("decoding key");
    let now = chrono::Utc::now().timestamp();
    let issuer = "http://127.0.0.1:8787";
    let claims = Claims {
        iss: issuer.into(),
        aud: "amorphic".into(),
        sub: "etl-bot".into(),
        uid: 5,
        act: Act {
            sub: "alice".into(),
        },
        role_id: "role-data-engineers".into(),
        is_service_user: true,
        iat: now,
        nbf: now,
        exp: now + 3600,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some("JWT".into());
    header.kid = Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k".into());
    let token = jsonwebtoken::encode(&header, &claims, &encoding).expect("encode");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.leeway = 0;
    validation.set_audience(&["amorphic"]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Claims>(&token, &decoding, &validation).expect("decode");

    let (signing_input, _) = token.rsplit_once('.').expect("JWT");
    let header_b64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("header"));
    let msg = signing_input.as_bytes();
    let sig = key.sign(msg);
    let vk = key.verifying_key();

    Crypto {
        dalek_sign: rate(CRYPTO_SECONDS, || {
            black_box(key.sign(black_box(msg)));
        }),
        dalek_verify: rate(CRYPTO_SECONDS, || {
            vk.verify(black_box(msg), black_box(&sig))
                .expect("verifies");
        }),
        jwt_encode: rate(CRYPTO_SECONDS, || {
            black_box(
                jsonwebtoken::encode(&header, black_box(&claims), &encoding).expect("encode"),
            );
        }),
        jwt_decode: rate(CRYPTO_SECONDS, || {
            black_box(
                jsonwebtoken::decode::<Claims>(black_box(&token), &decoding, &validation)
                    .expect("decode"),
            );
        }),
        // The same token assembled by hand: header encoded once, the parsed key kept (what
        // jsonwebtoken re-derives from PKCS#8 on every `encode`).
        manual_encode: rate(CRYPTO_SECONDS, || {
            let mut jwt = header_b64.clone();
            jwt.push('.');
            URL_SAFE_NO_PAD.encode_string(
                serde_json::to_vec(black_box(&claims)).expect("claims"),
                &mut jwt,
            );
            let sig = key.sign(jwt.as_bytes());
            jwt.push('.');
            URL_SAFE_NO_PAD.encode_string(sig.to_bytes(), &mut jwt);
            black_box(jwt);
        }),
        token_chars: token.len(),
    }
}

/// One HTTP phase's result.
struct Load {
    requests: usize,
    errors: usize,
    first_error: Option<String>,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Clone)]
struct Req {
    post: bool,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Option<serde_json::Value>,
    expect: u16,
}

/// `CLIENTS` tasks send `req` back to back over keep-alive connections: 1 s of warm-up,
/// then `seconds` measured.
async fn load(http: &reqwest::Client, req: Req, seconds: f64) -> Load {
    async fn once(http: &reqwest::Client, req: &Req) -> Result<(), String> {
        let mut rb = if req.post {
            http.post(&req.url)
        } else {
            http.get(&req.url)
        };
        for (k, v) in &req.headers {
            rb = rb.header(*k, v);
        }
        if let Some(b) = &req.body {
            rb = rb.json(b);
        }
        let r = rb.send().await.map_err(|e| format!("{e:#}"))?;
        let status = r.status().as_u16();
        let body = r.bytes().await.map_err(|e| format!("{e:#}"))?;
        if status != req.expect {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&body)));
        }
        Ok(())
    }

    let req = Arc::new(req);
    let warm_until = Instant::now() + Duration::from_secs(1);
    let measure = Duration::from_secs_f64(seconds);
    let start_gate = Arc::new(tokio::sync::Barrier::new(CLIENTS));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (http, req, gate) = (http.clone(), req.clone(), start_gate.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < warm_until {
                let _ = once(&http, &req).await;
            }
            gate.wait().await;
            let started = Instant::now();
            let mut lat = Vec::with_capacity(65_536);
            let (mut errors, mut first_error) = (0usize, None);
            while started.elapsed() < measure {
                let t = Instant::now();
                match once(&http, &req).await {
                    Ok(()) => lat.push(t.elapsed().as_micros() as u32),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (started, Instant::now(), lat, errors, first_error)
        }));
    }
    let mut all = Vec::new();
    let (mut errors, mut first_error) = (0, None);
    let (mut first_start, mut last_end) = (None::<Instant>, None::<Instant>);
    for t in tasks {
        let (s, e, lat, err, fe) = t.await.expect("client task");
        first_start = Some(first_start.map_or(s, |f| f.min(s)));
        last_end = Some(last_end.map_or(e, |l| l.max(e)));
        all.extend(lat);
        errors += err;
        if first_error.is_none() {
            first_error = fe;
        }
    }
    all.sort_unstable();
    let elapsed = last_end
        .unwrap()
        .duration_since(first_start.unwrap())
        .as_secs_f64();
    let pct = |p: f64| {
        if all.is_empty() {
            f64::NAN
        } else {
            all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1] as f64 / 1000.0
        }
    };
    Load {
        requests: all.len(),
        errors,
        first_error,
        per_second: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: all.last().map_or(f64::NAN, |m| *m as f64 / 1000.0),
    }
}

/// Point reads of the PAT table through a sqlx pool like the server's reader (4
/// connections), from `CLIENTS` tasks: what one SQLite round trip costs here. With
/// `in_tx`, each read is wrapped the way the server reads (`BEGIN`, query, rollback on drop).
async fn sqlite_reads(db: &std::path::Path, seconds: f64, in_tx: bool) -> f64 {
    use sha2::Digest;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .expect("pool");
    let digest: Vec<u8> = sha2::Sha256::digest(ALICE.as_bytes()).to_vec();
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (pool, digest) = (pool.clone(), digest.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            let sql =
                "SELECT uid, role_id, creation_us, expires_us FROM access_tokens WHERE digest = ?1";
            while Instant::now() < until {
                let row: Option<(i64, String, i64, i64)> = if in_tx {
                    let mut tx = pool.begin().await.expect("begin");
                    sqlx::query_as(sql)
                        .bind(&digest)
                        .fetch_optional(&mut *tx)
                        .await
                        .expect("query")
                } else {
                    sqlx::query_as(sql)
                        .bind(&digest)
                        .fetch_optional(&pool)
                        .await
                        .expect("query")
                };
                assert!(row.is_some(), "alice's PAT is in the seed");
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("task");
    }
    let rate = total as f64 / start.elapsed().as_secs_f64();
    pool.close().await;
    rate
}

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
