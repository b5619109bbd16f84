//! Signing out ends the session on the server first, best-effort: against the real server the
//! old token is refused at once; offline or against a server without the call, the keychain is
//! wiped all the same and the answer says until when the session stays valid there.

use amorphic_su_client::model::Secret;
use amorphic_su_client::{logout_current, use_profile, Client, SecretKind, ServerSignOut, Vault};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

/// `GET /whoami` with a raw token: the HTTP status.
async fn whoami_status(base_url: &str, token: &Secret) -> u16 {
    reqwest::Client::new()
        .get(format!("{base_url}/whoami"))
        .header("Authorization", token.expose())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn session_token(name: &str) -> Secret {
    Vault::default()
        .get(name, &SecretKind::Session)
        .await
        .unwrap()
        .expect("a session in the keychain")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_on_the_server() {
    let env = Env::new().await;
    let url = env.srv.base_url();
    let mut client = env
        .signed_in_with_password("so-ends", "alice", ALICE_PASSWORD)
        .await;
    let name = client.profile().name.clone();
    let token = session_token(&name).await;
    let other = env
        .signed_in_with_password("so-other", "alice", ALICE_PASSWORD)
        .await;
    let other_token = session_token(&other.profile().name).await;
    assert_eq!(whoami_status(&url, &token).await, 200);

    let out = client.logout().await.unwrap();
    assert_eq!(out.server, ServerSignOut::Ended, "{}", out.message);
    assert_eq!(out.valid_until, None);
    assert_eq!(
        whoami_status(&url, &token).await,
        401,
        "the old token is refused"
    );
    assert_eq!(
        whoami_status(&url, &other_token).await,
        200,
        "another session of the same user lives on"
    );
    assert!(Vault::default()
        .get(&name, &SecretKind::Session)
        .await
        .unwrap()
        .is_none());
    // Signing out again: nothing signed in, nothing asked.
    let again = client.logout().await.unwrap();
    assert_eq!(again.server, ServerSignOut::NotSignedIn);
    sign_out(other).await;

    // A PAT sign-in: the PAT is not ended, and the answer says so.
    let mut pat = env.signed_in("so-pat", ALICE_DEFAULT_PAT).await;
    let out = pat.logout().await.unwrap();
    assert_eq!(out.server, ServerSignOut::AccessTokenKept);
    assert_eq!(
        whoami_status(&url, &Secret::new(ALICE_DEFAULT_PAT)).await,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_the_sign_out_is_local_and_says_until_when_the_session_lives() {
    let env = Env::new().await;
    let client = env
        .signed_in_with_password("so-offline", "alice", ALICE_PASSWORD)
        .await;
    let name = client.profile().name.clone();
    let expires = client
        .profile()
        .session_expires_at
        .expect("a session expiry");
    drop(client);
    use_profile(&env.paths, &name).unwrap();
    env.srv.shutdown().await;

    let out = logout_current(&env.paths).await.unwrap();
    assert_eq!(out.server, ServerSignOut::StillValid);
    assert_eq!(out.valid_until, Some(expires));
    assert!(
        out.message.contains("could not be reached") && out.message.contains(&expires.to_string()),
        "{}",
        out.message
    );
    assert!(Vault::default()
        .get(&name, &SecretKind::Session)
        .await
        .unwrap()
        .is_none());
    let reopened = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert_eq!(reopened.profile().auth, None);
}

/// A server that answers every request 404 `NOT_FOUND` (an older server, without the call).
async fn server_without_the_call() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let _ = sock.read(&mut buf).await;
            let body = r#"{"Message":"Not found.","Code":"NOT_FOUND"}"#;
            let answer = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(answer.as_bytes()).await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_the_call_leaves_the_session_valid_and_says_so() {
    let env = Env::new().await;
    let url = env.srv.base_url();
    let client = env
        .signed_in_with_password("so-old", "alice", ALICE_PASSWORD)
        .await;
    let name = client.profile().name.clone();
    let token = session_token(&name).await;
    drop(client);
    use_profile(&env.paths, &name).unwrap();
    // The profile now points at a server without the call (written as an older server would
    // be configured; editing the URL through the client would sign out first).
    let config = env.paths.config_file();
    let text = std::fs::read_to_string(&config).unwrap();
    let old = server_without_the_call().await;
    std::fs::write(&config, text.replace(&url, &old)).unwrap();

    let out = logout_current(&env.paths).await.unwrap();
    assert_eq!(out.server, ServerSignOut::StillValid, "{}", out.message);
    assert!(out.valid_until.is_some());
    assert!(out.message.contains("no call"), "{}", out.message);
    assert!(Vault::default()
        .get(&name, &SecretKind::Session)
        .await
        .unwrap()
        .is_none());
    // What the answer says is true: the real server still takes the token.
    assert_eq!(whoami_status(&url, &token).await, 200);
}
