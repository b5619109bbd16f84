//! Load on the server: concurrent keep-alive HTTP clients, and SQLite point reads through a
//! pool like the server's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE;

/// Concurrent clients (HTTP) or tasks (SQLite reads).
pub const CLIENTS: usize = 32;

/// One HTTP phase's result.
pub struct Load {
    pub requests: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Clone)]
pub struct Req {
    pub post: bool,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<serde_json::Value>,
    pub expect: u16,
}

/// `CLIENTS` tasks send `req` back to back over keep-alive connections: 1 s of warm-up,
/// then `seconds` measured.
pub async fn load(http: &reqwest::Client, req: Req, seconds: f64) -> Load {
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
pub async fn sqlite_reads(db: &std::path::Path, seconds: f64, in_tx: bool) -> f64 {
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
