//! Load on the server: concurrent keep-alive HTTP clients, and SQLite point reads through a
//! pool like the server's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE;

/// Concurrent clients (HTTP) or tasks (SQLite reads).
pub const CLIENTS: usize = 32;

/// An HTTP phase's result: one slice, or several slices of the same request merged.
#[derive(Default)]
pub struct Load {
    /// Latencies of the successful requests, microseconds.
    lat: Vec<u32>,
    /// Measured wall time, summed over the slices.
    seconds: f64,
    pub errors: usize,
    pub first_error: Option<String>,
}

impl Load {
    pub fn merge(&mut self, other: Load) {
        self.lat.extend(other.lat);
        self.seconds += other.seconds;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    pub fn requests(&self) -> usize {
        self.lat.len()
    }

    pub fn per_second(&self) -> f64 {
        self.lat.len() as f64 / self.seconds
    }

    /// The `p` quantile of the latencies, milliseconds (sorts them on first use).
    pub fn pct_ms(&mut self, p: f64) -> f64 {
        if self.lat.is_empty() {
            return f64::NAN;
        }
        self.lat.sort_unstable();
        let n = self.lat.len();
        self.lat[((n as f64 * p).ceil() as usize).clamp(1, n) - 1] as f64 / 1000.0
    }
}

#[derive(Clone)]
pub struct Req {
    pub post: bool,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<serde_json::Value>,
    pub expect: u16,
}

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

/// `CLIENTS` tasks send `req` back to back over keep-alive connections for `warm` (not
/// counted), then `seconds` measured.
pub async fn load(http: &reqwest::Client, req: &Req, warm: f64, seconds: f64) -> Load {
    let req = Arc::new(req.clone());
    let warm_until = Instant::now() + Duration::from_secs_f64(warm);
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
            let mut lat = Vec::with_capacity(16_384);
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
    let mut out = Load::default();
    let (mut first_start, mut last_end) = (None::<Instant>, None::<Instant>);
    for t in tasks {
        let (s, e, lat, err, fe) = t.await.expect("client task");
        first_start = Some(first_start.map_or(s, |f| f.min(s)));
        last_end = Some(last_end.map_or(e, |l| l.max(e)));
        out.lat.extend(lat);
        out.errors += err;
        if out.first_error.is_none() {
            out.first_error = fe;
        }
    }
    out.seconds = last_end
        .unwrap()
        .duration_since(first_start.unwrap())
        .as_secs_f64();
    out
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
