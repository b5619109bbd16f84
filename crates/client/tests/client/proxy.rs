//! The `exec` proxy renews its service-user token before it expires: a 1-minute token with a
//! 45-second margin is re-assumed after about 15 s. The real reference server sits behind a
//! small recording relay, so the test sees which token the proxy really sends upstream.
//! Runs inside `scripts/session.sh` (real Secret Service).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use amorphic_su_client::model::{Secret, UserId, SERVICE_USER_HEADER};
use amorphic_su_client::proxy::{start_proxy_with, ProxyOptions};
use amorphic_su_client::{remove_profile, Client, Config, NewProfile, Paths, SecretKind, Vault};
use amorphic_su_server::{spawn, ServerOptions};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use amorphic_su_server::seed::demo::ALICE_SUPERADMIN_PAT as ALICE_SUPERADMIN;

/// The service-user token of every `/whoami` acting as a service user that passed through
/// the relay, in order.
type Seen = Arc<Mutex<Vec<String>>>;

/// Forwards everything to `upstream` unchanged and records the service-user token of each
/// `/whoami` request that carries one.
async fn relay(upstream: String, seen: Seen) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let http = reqwest::Client::new();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (upstream, seen, http) = (upstream.clone(), seen.clone(), http.clone());
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let (upstream, seen, http) = (upstream.clone(), seen.clone(), http.clone());
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let path = parts.uri.path_and_query().unwrap().as_str().to_owned();
                        if let Some(token) = parts.headers.get(SERVICE_USER_HEADER) {
                            if path == "/whoami" {
                                seen.lock()
                                    .unwrap()
                                    .push(token.to_str().unwrap().to_owned());
                            }
                        }
                        let method =
                            reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).unwrap();
                        let mut out = http.request(method, format!("{upstream}{path}"));
                        for (name, value) in &parts.headers {
                            if !["host", "content-length", "connection"].contains(&name.as_str()) {
                                out = out.header(name.as_str(), value.as_bytes());
                            }
                        }
                        let resp = out.body(body).send().await.unwrap();
                        let mut back = Response::builder().status(resp.status().as_u16());
                        for (name, value) in resp.headers() {
                            if !["content-length", "connection", "transfer-encoding"]
                                .contains(&name.as_str())
                            {
                                back = back.header(name.as_str(), value.as_bytes());
                            }
                        }
                        let bytes = resp.bytes().await.unwrap();
                        Ok::<_, Infallible>(back.body(Full::new(bytes)).unwrap())
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    addr
}

/// `GET /whoami` through the proxy with `authorization` (if any): status and body.
async fn whoami(proxy: &str, authorization: Option<&str>) -> (u16, serde_json::Value) {
    let mut req = reqwest::Client::new().get(format!("{proxy}/whoami"));
    if let Some(a) = authorization {
        req = req.header("Authorization", a);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let body: Bytes = resp.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

/// The assumed token of `su` in the keychain.
async fn keychain(profile: &str, su: &UserId) -> String {
    Vault::default()
        .get(profile, &SecretKind::Assumed(su.clone()))
        .await
        .unwrap()
        .expect("the assumed token is in the keychain")
        .expose()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_proxy_re_assumes_before_the_token_expires_and_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let srv = spawn(ServerOptions::new(dir.path().join("server.db")).demo_seed())
        .await
        .unwrap();
    let seen: Seen = Arc::default();
    let relay = relay(srv.base_url(), seen.clone()).await;

    // A profile on the relay, signed in as alice (super-admin), keychain shared by the run.
    let paths = Paths::under(&dir.path().join("client"));
    let profile = format!("proxy-{}-{:08x}", std::process::id(), rand::random::<u32>());
    let mut config = Config::load(&paths).unwrap();
    config
        .add(NewProfile {
            name: profile.clone(),
            base_url: format!("http://{relay}"),
            ..Default::default()
        })
        .unwrap();
    config.save(&paths).unwrap();
    let mut client = Client::open(&paths, Some(&profile)).await.unwrap();
    client
        .login_with_pat(Secret::new(ALICE_SUPERADMIN))
        .await
        .unwrap();
    let etl = UserId::parse("etl-bot").unwrap();
    let first = client.assume(&etl, None, Some(1)).await.unwrap();
    assert_eq!(first.meta.minutes, 1);
    let token1 = keychain(&profile, &etl).await;

    // Renew 45 s before the end of a 60 s token: about 15 s after it was issued.
    let client = Arc::new(client);
    let started = Instant::now();
    let proxy = start_proxy_with(
        client.clone(),
        &etl,
        ProxyOptions::default().refresh_margin(Duration::from_secs(45)),
    )
    .await
    .unwrap();
    let base = proxy.env.base_url.clone();
    let one_time = proxy.env.one_time_token.expose().to_owned();
    assert_ne!(one_time, token1);

    let refused = |(status, body): (u16, serde_json::Value)| {
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["Code"], "UNAUTHENTICATED", "{body}");
    };
    let acting = |(status, body): (u16, serde_json::Value)| {
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["UserId"], "etl-bot", "{body}");
        assert_eq!(body["ActorUserId"], "alice", "{body}");
    };

    // Before the renewal: the first token goes upstream; the one-time credential is required.
    acting(whoami(&base, Some(&one_time)).await);
    refused(whoami(&base, None).await);
    refused(whoami(&base, Some(&token1)).await);

    // A request every half second until the relay sees another token; each one succeeds.
    let deadline = started + Duration::from_secs(30);
    let renewed_after = loop {
        acting(whoami(&base, Some(&one_time)).await);
        let last = seen.lock().unwrap().last().cloned().unwrap();
        if last != token1 {
            break started.elapsed();
        }
        assert!(
            Instant::now() < deadline,
            "the proxy did not renew its token"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    // iat is in whole seconds, so the renewal comes 14-16 s after the proxy started.
    assert!(
        renewed_after >= Duration::from_secs(12) && renewed_after <= Duration::from_secs(20),
        "renewed after {renewed_after:?}"
    );

    // The new token: re-assumed with the same role and minutes, a new jti in the cache, the
    // one in the keychain, and the one the proxy sends from now on.
    let now = client.assumed_identities().await.unwrap();
    assert_eq!(now.len(), 1);
    let meta = &now[0].meta;
    assert_ne!(meta.jti, first.meta.jti);
    assert_eq!(
        (&meta.role_id, meta.minutes),
        (&first.meta.role_id, first.meta.minutes)
    );
    assert!(meta.expires_at > first.meta.expires_at);
    let token2 = keychain(&profile, &etl).await;
    assert_ne!(token2, token1);
    for _ in 0..3 {
        acting(whoami(&base, Some(&one_time)).await);
    }
    // Still the one-time credential only: not the new token, nor the signed-in user's PAT.
    refused(whoami(&base, None).await);
    refused(whoami(&base, Some(&token2)).await);
    refused(whoami(&base, Some(ALICE_SUPERADMIN)).await);
    refused(whoami(&base, Some("amo_exec_0000")).await);

    let seen = seen.lock().unwrap().clone();
    let i = seen.iter().position(|t| *t != token1).unwrap();
    assert!(i >= 2, "several requests went out with the first token");
    assert!(
        seen[i..].iter().all(|t| *t == token2),
        "after the renewal every request carries the new token"
    );

    proxy.stop().await;
    drop(client);
    remove_profile(&paths, &profile).await.unwrap();
    srv.shutdown().await;
}
