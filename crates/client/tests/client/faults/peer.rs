//! The misbehaving peers: a responder that answers every request with the same canned bytes
//! (optionally after a pause), and a proxy to the real server that can cut every connection.

use std::time::Duration;

use amorphic_su_client::model::Secret;
use amorphic_su_client::{AuthKind, Client, Credentials, Paths, Profile, Vault};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT;

/// Answers every request with `answer` after `pause`, then closes the connection.
pub async fn responder(answer: Vec<u8>, pause: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                tokio::time::sleep(pause).await;
                let _ = sock.write_all(&answer).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

/// An HTTP answer with this status line, content type and body.
pub fn answer(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A TCP proxy to `target`; sending `true` on the returned channel closes every connection and
/// refuses new ones, as a server killed mid-answer would.
pub async fn proxy(target: std::net::SocketAddr) -> (String, watch::Sender<bool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (cut, cut_rx) = watch::channel(false);
    let mut accept_cut = cut_rx.clone();
    tokio::spawn(async move {
        loop {
            let (mut inbound, _) = tokio::select! {
                a = listener.accept() => match a { Ok(a) => a, Err(_) => return },
                _ = accept_cut.wait_for(|c| *c) => return, // the listener goes: refused
            };
            let mut conn_cut = cut_rx.clone();
            tokio::spawn(async move {
                let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else {
                    return;
                };
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                    _ = conn_cut.wait_for(|c| *c) => {}
                }
            });
        }
    });
    (format!("http://{addr}"), cut)
}

/// A PAT profile on `base_url` (no keychain: the tests pass the credentials themselves).
pub async fn client(paths: &Paths, name: &str, base_url: String) -> Client {
    let profile = Profile {
        name: name.into(),
        base_url,
        user_id: None,
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    Client::for_profile(paths, profile, Vault::default())
        .await
        .unwrap()
}

pub fn alice() -> Credentials {
    Credentials::new(Secret::new(ALICE_DEFAULT_PAT))
}
