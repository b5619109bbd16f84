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

/// Starts the proxy for an assumed service user (assume it first). When `role` or `minutes`
/// are given, or the stored token is missing or about to expire, it assumes (again) first.
pub async fn start_proxy(client: Arc<Client>, su: &UserId) -> Result<ProxyHandle> {
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

    // Renews the token before it expires: at 80% of its life, or a minute before the end.
    let renew = {
        let shared = shared.clone();
        let mut stop = stop_rx.clone();
        let mut expires = meta.expires_at;
        let mut issued = meta.issued_at;
        tokio::spawn(async move {
            loop {
                let life = (expires.unix() - issued.unix()).max(1);
                let at = issued.unix() + (life * 4 / 5).max(life - 60).min(life - 1).max(0);
                let wait = (at - chrono::Utc::now().timestamp()).max(1) as u64;
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(wait)) => {}
                    _ = stop.changed() => return,
                }
                match shared.client.reassume(&shared.service_user).await {
                    Ok(id) => {
                        if let Ok((c, m)) = shared.client.acting_as(&shared.service_user).await {
                            *shared.creds.write().await = (c, m.role_id);
                        }
                        expires = id.meta.expires_at;
                        issued = id.meta.issued_at;
                    }
                    Err(_) => {
                        // Try again shortly; requests meanwhile use the current token.
                        issued = Timestamp::from_unix(chrono::Utc::now().timestamp() - 1)
                            .unwrap_or(issued);
                        expires = Timestamp::from_unix(chrono::Utc::now().timestamp() + 15)
                            .unwrap_or(expires);
                    }
                }
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
