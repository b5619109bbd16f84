//! The built-in demo environment against a real Secret Service: run inside
//! `scripts/session.sh -- cargo test -p amorphic-su-demo --test demo_environment`.
//! One test, in steps, because every step shares the keychain entries of the `demo` profile.

use std::time::Instant;

use amorphic_su_client::model::{Secret, Timestamp, UserId, UserStatus};
use amorphic_su_client::{
    ApiClient, AuthKind, Client, Config, Credentials, Paths, SecretKind, Vault,
};
use amorphic_su_demo::{self as demo, DemoSession};
use amorphic_su_server::seed::Seed;

/// The published seed's password, which must never work in an installed demo.
const PUBLISHED_PASSWORD: &str = amorphic_su_server::seed::demo::ALICE_PASSWORD;

fn alice() -> UserId {
    UserId::parse("alice").unwrap()
}

async fn stored_password(vault: &Vault) -> Secret {
    vault
        .get(demo::PROFILE, &SecretKind::SeedPassword(alice()))
        .await
        .expect("the keychain answers")
        .expect("the demo password is in the keychain")
}

async fn whoami(paths: &Paths) -> String {
    let client = Client::open(paths, None).await.unwrap();
    let me = client
        .whoami()
        .await
        .expect("the demo profile is signed in");
    client.cache().close().await;
    me.user_id.to_string()
}

fn profile_url(paths: &Paths) -> String {
    Config::load(paths)
        .unwrap()
        .get(demo::PROFILE)
        .unwrap()
        .base_url
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_environment_has_random_credentials_kept_in_the_keychain_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let vault = Vault::default();
    let published = Seed::demo();
    let alice_seed = published
        .users
        .iter()
        .find(|u| u.user_id == alice())
        .unwrap();
    assert_eq!(
        alice_seed.password.as_ref().unwrap().expose(),
        PUBLISHED_PASSWORD
    );

    // First start: random credentials, a new database, a signed-in `demo` profile.
    let started = Instant::now();
    let first = demo::bootstrap(&paths, &vault)
        .await
        .expect("the demo environment starts")
        .expect("no environment is configured, so the demo one is wanted");
    println!("first start: {:?}", started.elapsed());
    assert!(first.first_start);
    assert!(
        matches!(first.session, DemoSession::SignedIn(_)),
        "{:?}",
        first.session
    );
    let url = first.server.base_url();
    assert_eq!(profile_url(&paths), url);
    assert_eq!(
        Config::load(&paths).unwrap().current.as_deref(),
        Some("demo")
    );
    assert!(demo::demo_dir(&paths).join("server.db").exists());
    assert_eq!(whoami(&paths).await, "alice");

    let password = stored_password(&vault).await;
    assert_ne!(password.expose(), PUBLISHED_PASSWORD);
    assert!(password.expose().len() >= 32);
    let api = ApiClient::new(&url).unwrap();
    let refused = api
        .create_session("alice", Secret::new(PUBLISHED_PASSWORD))
        .await
        .expect_err("the published password must not sign in");
    assert_eq!(
        refused.api_code().map(|c| c.as_str()),
        Some("UNAUTHENTICATED")
    );
    api.create_session("alice", password.clone())
        .await
        .expect("the keychain's password signs in");
    // Every published PAT is refused; the keychain holds working random ones.
    let mut secrets = vec![password.expose().to_string()];
    for u in &published.users {
        for t in &u.access_tokens {
            let e = api
                .whoami(&Credentials::new(t.token.clone()))
                .await
                .expect_err("a published PAT must not work");
            assert_eq!(e.api_code().map(|c| c.as_str()), Some("UNAUTHENTICATED"));
            let kind = SecretKind::SeedPat {
                user: u.user_id.clone(),
                token_name: t.token_name.clone(),
            };
            let pat = vault.get(demo::PROFILE, &kind).await.unwrap().unwrap();
            assert_ne!(pat.expose(), t.token.expose());
            secrets.push(pat.expose().to_string());
            match api.whoami(&Credentials::new(pat)).await {
                Ok(me) => assert_eq!(me.user_id, u.user_id),
                // The seed's disabled user (dave): his PAT is known, and refused as disabled.
                Err(e) if u.user_status == UserStatus::Disabled => {
                    assert_eq!(e.api_code().map(|c| c.as_str()), Some("PRINCIPAL_DISABLED"))
                }
                Err(e) => panic!("{}'s stored PAT {}: {e}", u.user_id, t.token_name),
            }
        }
    }
    // No secret (every seeded password and PAT, the session token) in any file the app wrote,
    // the server's database and its -wal searched as bytes.
    for u in &published.users {
        let kind = SecretKind::SeedPassword(u.user_id.clone());
        if let Some(p) = vault.get(demo::PROFILE, &kind).await.unwrap() {
            secrets.push(p.expose().to_string());
        }
    }
    let session = vault
        .get(demo::PROFILE, &SecretKind::Session)
        .await
        .unwrap();
    secrets.push(
        session
            .expect("the session token is in the keychain")
            .expose()
            .to_string(),
    );
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        for s in &secrets {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{} holds a secret of the demo environment",
                entry.display()
            );
        }
    }
    let port = first.server.addr().port();
    first.server.shutdown().await;

    // Second start: the same database, credentials and port; the session is reused.
    let started = Instant::now();
    let second = demo::bootstrap(&paths, &vault).await.unwrap().unwrap();
    println!("second start: {:?}", started.elapsed());
    assert!(!second.first_start);
    assert!(
        matches!(second.session, DemoSession::Reused),
        "{:?}",
        second.session
    );
    assert_eq!(second.server.addr().port(), port);
    assert_eq!(stored_password(&vault).await.expose(), password.expose());
    assert_eq!(whoami(&paths).await, "alice");
    second.server.shutdown().await;

    // Third start: the session has ended and the port is taken: the app follows the server to
    // a new port and signs in again with the keychain's password.
    let mut config = Config::load(&paths).unwrap();
    let p = config.get_mut(demo::PROFILE).unwrap();
    assert_eq!(p.auth, Some(AuthKind::Session));
    p.session_expires_at = Timestamp::from_unix(1_000_000_000);
    config.save(&paths).unwrap();
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let started = Instant::now();
    let third = demo::bootstrap(&paths, &vault).await.unwrap().unwrap();
    println!(
        "third start (new port, new sign-in): {:?}",
        started.elapsed()
    );
    assert!(!third.first_start);
    assert!(
        matches!(third.session, DemoSession::SignedIn(_)),
        "{:?}",
        third.session
    );
    assert_ne!(third.server.addr().port(), port);
    assert_eq!(profile_url(&paths), third.server.base_url());
    assert_eq!(whoami(&paths).await, "alice");
    assert_eq!(stored_password(&vault).await.expose(), password.expose());
    drop(squatter);
    third.server.shutdown().await;

    // A configured environment that is not the demo's: the app leaves it alone.
    let mut config = Config::load(&paths).unwrap();
    config.get_mut(demo::PROFILE).unwrap().base_url = "http://127.0.0.1:9".into();
    config.save(&paths).unwrap();
    assert!(demo::bootstrap(&paths, &vault).await.unwrap().is_none());

    forget_demo_secrets(&vault, &published).await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

async fn forget_demo_secrets(vault: &Vault, seed: &Seed) {
    for u in &seed.users {
        let _ = vault
            .delete(demo::PROFILE, &SecretKind::SeedPassword(u.user_id.clone()))
            .await;
        for t in &u.access_tokens {
            let kind = SecretKind::SeedPat {
                user: u.user_id.clone(),
                token_name: t.token_name.clone(),
            };
            let _ = vault.delete(demo::PROFILE, &kind).await;
        }
    }
    let _ = vault.delete(demo::PROFILE, &SecretKind::Session).await;
}
