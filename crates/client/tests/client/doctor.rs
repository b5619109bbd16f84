//! `doctor` against the real reference server: the healthy case, and each broken set-up it
//! must name with its fix: a locked keychain and one with no Secret Service (the fault tests'
//! failing credential store), a clock off the server's (the server's `Date` moved by its
//! test aid), a wrong base-URL path, and the server down. Also the error a wrong path gives
//! elsewhere, which names the URL and points to `doctor`.

use std::any::Any;
use std::sync::Arc;

use amorphic_su_client::doctor::{doctor_with, CheckId, CheckStatus, DoctorOptions, DoctorReport};
use amorphic_su_client::model::ErrorCode;
use amorphic_su_client::{add_profile, Client, NewProfile, Paths, SecretKind, Vault};
use amorphic_su_server::{spawn, ServerOptions};
use keyring::credential::{Credential, CredentialBuilderApi};

use crate::common::{sign_out, Env, ALICE_DEFAULT_PAT};

#[derive(Debug)]
struct Failing(fn() -> keyring::Error);

impl CredentialBuilderApi for Failing {
    fn build(&self, _: Option<&str>, _: &str, _: &str) -> keyring::Result<Box<Credential>> {
        Err((self.0)())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn options() -> DoctorOptions {
    DoctorOptions {
        request_timeout: std::time::Duration::from_secs(5),
        ..DoctorOptions::default()
    }
}

async fn run(paths: &Paths, profile: &str, vault: &Vault) -> DoctorReport {
    let r = doctor_with(paths, Some(profile), vault, &options()).await;
    println!("{r}");
    for c in &r.checks {
        assert!(!c.message.contains('\n') && !c.message.is_empty(), "{c:?}");
        assert_eq!(
            c.fix.is_some(),
            matches!(c.status, CheckStatus::Warn | CheckStatus::Fail),
            "a fix exactly when there is something to do: {c:?}"
        );
    }
    r
}

fn status(r: &DoctorReport, id: CheckId) -> CheckStatus {
    r.get(id)
        .unwrap_or_else(|| panic!("no {id:?} check"))
        .status
}

fn says(r: &DoctorReport, id: CheckId, words: &str) {
    let c = r.get(id).unwrap();
    assert!(
        c.message.contains(words) || c.fix.as_deref().unwrap_or("").contains(words),
        "{id:?} should say '{words}': {c:?}"
    );
}

#[tokio::test]
async fn a_healthy_environment_passes_every_check() {
    let env = Env::new().await;
    let c = env.signed_in("doctor-ok", ALICE_DEFAULT_PAT).await;
    c.sync(false, &|_| {}).await.unwrap();
    let r = run(&env.paths, &c.profile().name, &Vault::default()).await;
    for check in &r.checks {
        assert_eq!(check.status, CheckStatus::Ok, "{check:?}");
    }
    says(&r, CheckId::Keychain, "Secret Service: unlocked");
    says(&r, CheckId::Tls, "loopback");
    says(&r, CheckId::BaseUrl, "401 UNAUTHENTICATED");
    says(&r, CheckId::Session, "signed in as alice");
    says(&r, CheckId::Jwks, "token-signing key");
    says(&r, CheckId::Cache, "sound (quick_check)");
    says(&r, CheckId::Versions, "(reference server)");
    assert!(!r.failed());
    sign_out(c).await;
}

async fn keychain_fails(tag: &str, fail: fn() -> keyring::Error, words: &str) {
    let env = Env::new().await;
    let c = env.signed_in(tag, ALICE_DEFAULT_PAT).await;
    let vault = Vault::default().with_backend(Arc::new(Failing(fail)));
    let r = run(&env.paths, &c.profile().name, &vault).await;
    assert_eq!(status(&r, CheckId::Keychain), CheckStatus::Fail);
    says(&r, CheckId::Keychain, words);
    assert_eq!(status(&r, CheckId::Session), CheckStatus::Skipped);
    assert_eq!(
        status(&r, CheckId::Server),
        CheckStatus::Ok,
        "the rest still runs"
    );
    assert_eq!(r.first_failure().unwrap().id, CheckId::Keychain);
    sign_out(c).await;
}

#[tokio::test]
async fn a_locked_keychain_is_named_with_how_to_unlock_it() {
    keychain_fails(
        "doctor-locked",
        || keyring::Error::NoStorageAccess("the collection is locked".into()),
        "unlock",
    )
    .await;
}

#[tokio::test]
async fn no_secret_service_is_named_apart_from_locked() {
    keychain_fails(
        "doctor-no-ss",
        || keyring::Error::PlatformFailure("org.freedesktop.secrets was not provided".into()),
        "org.freedesktop.secrets",
    )
    .await;
}

#[tokio::test]
async fn a_clock_off_the_servers_date_warns_then_fails() {
    for (offset, expected, words) in [
        (3_600, CheckStatus::Fail, "3600 s behind"),
        (-3_600, CheckStatus::Fail, "ahead of"),
        (20, CheckStatus::Warn, "behind"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let srv = spawn(
            ServerOptions::new(dir.path().join("server.db"))
                .demo_seed()
                .date_offset_seconds(offset),
        )
        .await
        .unwrap();
        let paths = Paths::under(&dir.path().join("client"));
        let name = format!("doctor-clock-{}", std::process::id());
        add_profile(
            &paths,
            NewProfile {
                name: name.clone(),
                base_url: srv.base_url(),
                ..Default::default()
            },
        )
        .unwrap();
        let r = run(&paths, &name, &Vault::default()).await;
        assert_eq!(status(&r, CheckId::Clock), expected, "offset {offset}");
        says(&r, CheckId::Clock, words);
        if expected == CheckStatus::Fail {
            says(&r, CheckId::Clock, "NTP");
        }
        assert_eq!(
            status(&r, CheckId::Session),
            CheckStatus::Fail,
            "not signed in"
        );
        says(&r, CheckId::Session, "login");
        srv.shutdown().await;
    }
}

#[tokio::test]
async fn a_wrong_base_url_path_is_named_and_the_right_one_suggested() {
    let env = Env::new().await;
    let c = env.signed_in("doctor-path", ALICE_DEFAULT_PAT).await;
    let name = c.profile().name.clone();
    let wrong = format!("{}/wrong-stage", env.srv.base_url());
    let mut config = amorphic_su_client::Config::load(&env.paths).unwrap();
    config.get_mut(&name).unwrap().base_url = wrong.clone();
    config.save(&env.paths).unwrap();

    let r = run(&env.paths, &name, &Vault::default()).await;
    assert_eq!(status(&r, CheckId::Server), CheckStatus::Ok);
    assert_eq!(status(&r, CheckId::BaseUrl), CheckStatus::Fail);
    says(&r, CheckId::BaseUrl, "HTTP 404");
    says(&r, CheckId::BaseUrl, "stage");
    says(
        &r,
        CheckId::BaseUrl,
        &format!("the API answers at {}", env.srv.base_url()),
    );
    assert_eq!(status(&r, CheckId::Jwks), CheckStatus::Skipped);
    assert_eq!(status(&r, CheckId::Session), CheckStatus::Skipped);
    assert_eq!(r.first_failure().unwrap().id, CheckId::BaseUrl);

    // Elsewhere, the same mistake names the URL and points here, with its code kept.
    let wrong_client = Client::open(&env.paths, Some(&name)).await.unwrap();
    let e = wrong_client.whoami().await.unwrap_err();
    assert_eq!(e.api_code(), Some(ErrorCode::NotFound));
    let m = e.to_string();
    assert!(m.contains(&format!("{wrong}/whoami")), "{m}");
    assert!(m.contains("amorphic-su doctor"), "{m}");
    sign_out(c).await;
}

#[tokio::test]
async fn a_server_that_is_down_is_named_and_the_rest_skipped() {
    let env = Env::new().await;
    let c = env.signed_in("doctor-down", ALICE_DEFAULT_PAT).await;
    let name = c.profile().name.clone();
    // Stop the server: the profile's port now refuses connections.
    let srv = env.srv;
    srv.shutdown().await;
    let r = run(&env.paths, &name, &Vault::default()).await;
    assert_eq!(status(&r, CheckId::Server), CheckStatus::Fail);
    says(&r, CheckId::Server, "nothing accepts connections");
    says(&r, CheckId::Server, "start the server");
    for id in [
        CheckId::Tls,
        CheckId::Clock,
        CheckId::BaseUrl,
        CheckId::Jwks,
        CheckId::Session,
    ] {
        assert_eq!(status(&r, id), CheckStatus::Skipped, "{id:?}");
    }
    assert_eq!(status(&r, CheckId::Keychain), CheckStatus::Ok);
    assert_eq!(r.first_failure().unwrap().id, CheckId::Server);
    // The keychain entry the sign-in left (the server cannot sign it out).
    let vault = Vault::default();
    for kind in [SecretKind::Pat, SecretKind::Session] {
        vault.delete(&name, &kind).await.unwrap();
    }
    drop(c);
}
