//! A timed HTTP client over one shared keep-alive pool.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

/// One answer: status, JSON body (`Null` when not JSON) and the round trip.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub took: Duration,
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    pub fn new(base: String, clients: usize) -> Http {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .tcp_nodelay(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Http { client, base }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        pat: &str,
        acting: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut rb = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", pat);
        if let Some(t) = acting {
            rb = rb.header("X-Amorphic-Service-User", t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let started = Instant::now();
        // A transport failure is answered as status 0: the audit counts it as a violation.
        let (status, bytes) = match rb.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.bytes().await.unwrap_or_default())
            }
            Err(e) => (0, e.to_string().into_bytes().into()),
        };
        let took = started.elapsed();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Answer { status, body, took }
    }

    pub async fn get(&self, path: &str, pat: &str, acting: Option<&str>) -> Answer {
        self.send(Method::GET, path, pat, acting, None).await
    }

    pub async fn post(&self, path: &str, pat: &str, body: Value) -> Answer {
        self.send(Method::POST, path, pat, None, Some(body)).await
    }

    pub async fn put(&self, path: &str, pat: &str, body: Value) -> Answer {
        self.send(Method::PUT, path, pat, None, Some(body)).await
    }

    pub async fn delete(&self, path: &str, pat: &str) -> Answer {
        self.send(Method::DELETE, path, pat, None, None).await
    }
}
