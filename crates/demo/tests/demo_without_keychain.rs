//! The built-in demo environment with no usable keychain: the server starts, no secret is
//! written anywhere, and the `demo` environment reports the keychain problem (what the UI's
//! `session_status` shows). Its own test binary: it points this process at a bus that does not
//! exist.
//!
//! Linux only: "no keychain" is a session without a Secret Service, which only a D-Bus address
//! can fake; Windows' Credential Manager and macOS' Keychain are always there.
#![cfg(target_os = "linux")]

use std::time::Duration;

use amorphic_su_client::{Client, Paths, Vault};
use amorphic_su_demo::{self as demo, DemoSession};

#[tokio::test]
async fn without_a_keychain_the_demo_starts_and_reports_the_keychain_problem() {
    // SAFETY of the environment change: this binary has only this test, and it changes the
    // variable before any thread reads it.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/amorphic-su-bus",
    );
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let vault = Vault::with_timeout(Duration::from_secs(10));

    let env = demo::bootstrap(&paths, &vault)
        .await
        .expect("the demo environment starts without a keychain")
        .expect("it is wanted: nothing is configured");
    match &env.session {
        DemoSession::Problem(e) => assert_eq!(e.code(), "keychain_unavailable", "{e}"),
        other => panic!("expected the keychain problem, got {other:?}"),
    }
    assert!(!env.first_start, "nothing was seeded without a keychain");
    let client = Client::for_profile(
        &paths,
        amorphic_su_client::Config::load(&paths)
            .unwrap()
            .resolve(None)
            .unwrap()
            .clone(),
        vault.clone(),
    )
    .await
    .unwrap();
    let e = client.whoami().await.expect_err("not signed in");
    assert_eq!(e.code(), "keychain_unavailable", "{e}");
    client.cache().close().await;
    env.server.shutdown().await;

    // The next start tries again from scratch (still no keychain here): same answer.
    let again = demo::bootstrap(&paths, &vault).await.unwrap().unwrap();
    assert!(matches!(again.session, DemoSession::Problem(_)));
    again.server.shutdown().await;
}
