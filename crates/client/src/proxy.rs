//! The `exec` proxy: a local HTTP server on 127.0.0.1 (random port) that a child process
//! talks to instead of the platform. The child holds only a random one-time credential; the
//! proxy checks it and forwards the request with the real `Authorization`, `role_id` and
//! `X-Amorphic-Service-User` headers from the keychain, re-assuming before the token expires.
//! Stop it (drop or [`ProxyHandle::stop`]) when the child exits: the credential dies with it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use amorphic_su_model::{RoleId, Secret, Timestamp, UserId, ROLE_HEADER, SERVICE_USER_HEADER};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rand::RngCore;
use tokio::sync::{watch, RwLock};

use crate::api::Credentials;
use crate::client::Client;
use crate::error::{ClientError, Result};

/// Seconds before the proxy tries again when re-assuming failed.
const RENEW_RETRY_SECS: u64 = 10;

/// Largest request body the proxy forwards.
pub const MAX_PROXY_BODY: usize = 16 * 1024 * 1024;

const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
];

/// What the child's environment gets.
#[derive(Debug, Clone)]
pub struct ProxyEnv {
    /// `AMORPHIC_BASE_URL`: the proxy.
    pub base_url: String,
    /// `AMORPHIC_AUTHORIZATION_TOKEN`: the one-time credential (not a platform secret).
    pub one_time_token: Secret,
    /// `AMORPHIC_ROLE_ID`.
    pub role_id: RoleId,
    /// `AMORPHIC_SERVICE_USER_EXPIRES_AT`: expiry of the current token (the proxy renews it).
    pub expires_at: Timestamp,
}

impl ProxyEnv {
    /// The variables to set in the child, as name and value.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AMORPHIC_BASE_URL", self.base_url.clone()),
            (
                "AMORPHIC_AUTHORIZATION_TOKEN",
                self.one_time_token.expose().to_owned(),
            ),
            ("AMORPHIC_ROLE_ID", self.role_id.to_string()),
            (
                "AMORPHIC_SERVICE_USER_EXPIRES_AT",
                self.expires_at.to_string(),
            ),
        ]
    }
}

/// A running proxy. Dropping it stops it.
#[derive(Debug)]
pub struct ProxyHandle {
    pub addr: SocketAddr,
    pub env: ProxyEnv,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl ProxyHandle {
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            t.abort();
            let _ = t.await;
        }
    }
}

impl Drop for ProxyHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}

struct Shared {
    client: Arc<Client>,
    service_user: UserId,
    one_time: Secret,
    creds: RwLock<(Credentials, RoleId)>,
    upstream: String,
}

fn random_token() -> Secret {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    Secret::new(format!(
        "amo_exec_{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    ))
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn json_error(status: StatusCode, message: &str, code: Option<&str>) -> Response<Full<Bytes>> {
    let body = match code {
        Some(c) => serde_json::json!({"Message": message, "Code": c}),
        None => serde_json::json!({"Message": message}),
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("static response")
}

/// How the proxy behaves; [`ProxyOptions::default`] is what `exec` uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProxyOptions {
    refresh_margin: Option<Duration>,
}

impl ProxyOptions {
    /// Re-assume this long before the token expires. The default is a minute before the end,
    /// or at 80% of the token's life when that is later (short tokens).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// Seconds after `iat` at which a token living `life` seconds is renewed: never before
    /// its start, and at the latest a second before it ends.
    fn renew_after(&self, life: i64) -> i64 {
        let at = match self.refresh_margin {
            None => (life * 4 / 5).max(life - 60),
            Some(m) => life.saturating_sub(i64::try_from(m.as_secs()).unwrap_or(i64::MAX)),
        };
        at.min(life - 1).max(0)
    }
}

/// Starts the proxy for an assumed service user (assume it first) with the default options.
pub async fn start_proxy(client: Arc<Client>, su: &UserId) -> Result<ProxyHandle> {
    start_proxy_with(client, su, ProxyOptions::default()).await
}

/// [`start_proxy`] with the given options.
pub async fn start_proxy_with(
    client: Arc<Client>,
    su: &UserId,
    options: ProxyOptions,
) -> Result<ProxyHandle> {
    let (creds, meta) = client.acting_as(su).await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| ClientError::Io(format!("cannot start the local proxy: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ClientError::Io(e.to_string()))?;
    let one_time = random_token();
    let shared = Arc::new(Shared {
        upstream: client.api().base_url().to_owned(),
        client: client.clone(),
        service_user: su.clone(),
        one_time: one_time.clone(),
        creds: RwLock::new((creds, meta.role_id.clone())),
    });
    let (stop_tx, stop_rx) = watch::channel(false);

    // Renews the token before it expires (see `ProxyOptions::refresh_margin`).
    let renew = {
        let shared = shared.clone();
        let mut stop = stop_rx.clone();
        let mut expires = meta.expires_at;
        let mut issued = meta.issued_at;
        let mut failed = false;
        tokio::spawn(async move {
            loop {
                let wait = if failed {
                    // Try again shortly; requests meanwhile use the current token.
                    RENEW_RETRY_SECS
                } else {
                    let life = (expires.unix() - issued.unix()).max(1);
                    let at = issued.unix() + options.renew_after(life);
                    (at - chrono::Utc::now().timestamp()).max(1) as u64
                };
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(wait)) => {}
                    _ = stop.changed() => return,
                }
                let su = &shared.service_user;
                let renewed = match shared.client.reassume(su).await {
                    Ok(_) => shared.client.acting_as(su).await,
                    Err(e) => Err(e),
                };
                failed = match renewed {
                    Ok((c, m)) => {
                        expires = m.expires_at;
                        issued = m.issued_at;
                        *shared.creds.write().await = (c, m.role_id);
                        false
                    }
                    Err(_) => true,
                };
            }
        })
    };

    let serve = {
        let shared = shared.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    _ = stop.changed() => return,
                };
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                let mut stop = stop.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(shared, req).await) }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = stop.changed() => {}
                    }
                });
            }
        })
    };

    Ok(ProxyHandle {
        addr,
        env: ProxyEnv {
            base_url: format!("http://{addr}"),
            one_time_token: one_time,
            role_id: meta.role_id,
            expires_at: meta.expires_at,
        },
        stop: stop_tx,
        tasks: vec![serve, renew],
    })
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let presented = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_owned())
        .unwrap_or_default();
    if !ct_eq(presented.as_bytes(), shared.one_time.expose().as_bytes()) {
        return json_error(
            StatusCode::UNAUTHORIZED,
            "Send AMORPHIC_AUTHORIZATION_TOKEN from your environment as the Authorization header.",
            Some("UNAUTHENTICATED"),
        );
    }
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_PROXY_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is too large for the proxy.",
                Some("PAYLOAD_TOO_LARGE"),
            )
        }
    };
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let url = format!("{}{}", shared.upstream, path);
    let (creds, role) = shared.creds.read().await.clone();
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes())
        .unwrap_or(reqwest::Method::GET);
    let mut out = shared.client.api().http().request(method, url);
    for (name, value) in &parts.headers {
        let n = name.as_str();
        if HOP_BY_HOP.contains(&n)
            || n == "authorization"
            || n == "content-length"
            || n.eq_ignore_ascii_case(ROLE_HEADER)
            || n.eq_ignore_ascii_case(SERVICE_USER_HEADER)
        {
            continue;
        }
        out = out.header(name.as_str(), value.as_bytes());
    }
    out = out
        .header("Authorization", creds.authorization.expose())
        .header(ROLE_HEADER, role.as_str());
    if let Some(t) = &creds.service_user {
        out = out.header(SERVICE_USER_HEADER, t.expose());
    }
    let resp = match out.body(body).send().await {
        Ok(r) => r,
        Err(e) => {
            let msg = format!("The proxy cannot reach {}: {e}", shared.upstream);
            return json_error(StatusCode::BAD_GATEWAY, &msg.replace('\n', " "), None);
        }
    };
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return json_error(
                StatusCode::BAD_GATEWAY,
                &format!("The upstream answer broke off: {e}"),
                None,
            )
        }
    };
    let mut builder = Response::builder().status(status);
    for (name, value) in &headers {
        if HOP_BY_HOP.contains(&name.as_str()) || name.as_str() == "content-length" {
            continue;
        }
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    builder.body(Full::new(bytes)).unwrap_or_else(|_| {
        json_error(
            StatusCode::BAD_GATEWAY,
            "The upstream answer could not be relayed.",
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_time_default_and_with_a_margin() {
        let default = ProxyOptions::default();
        // A minute before the end, or at 80% of a short token's life.
        assert_eq!(default.renew_after(3600), 3540);
        assert_eq!(default.renew_after(10_800), 10_740);
        assert_eq!(default.renew_after(60), 48);
        assert_eq!(default.renew_after(1), 0);
        let m = ProxyOptions::default().refresh_margin(Duration::from_secs(45));
        assert_eq!(m.renew_after(60), 15);
        assert_eq!(m.renew_after(30), 0, "never before the token starts");
        let late = ProxyOptions::default().refresh_margin(Duration::ZERO);
        assert_eq!(
            late.renew_after(60),
            59,
            "at the latest a second before the end"
        );
        let huge = ProxyOptions::default().refresh_margin(Duration::MAX);
        assert_eq!(huge.renew_after(60), 0);
    }
}
