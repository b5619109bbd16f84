//! The client's own tests; its use cases against a real server are in `tests/` and in the
//! workspace's end-to-end tests. These need a Secret Service (`scripts/session.sh`).

use amorphic_su_model::{Secret, UserId};
use sqlx::{ConnectOptions, Connection};

use super::Client;
use crate::profiles::{AuthKind, Paths, Profile};
use crate::vault::{SecretKind, Vault};

/// A cache file this version cannot migrate (here: a newer version's) is dropped and rebuilt
/// when the profile opens; the profile's keychain entries, its credential and an assumed
/// token, stay as they were and the credential still signs requests.
#[tokio::test]
async fn a_rebuilt_cache_leaves_the_keychain_alone() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        config_dir: dir.path().join("config"),
        data_dir: dir.path().join("data"),
    };
    let name = format!("cache-rebuild-{}", std::process::id());
    let profile = Profile {
        name: name.clone(),
        base_url: "http://127.0.0.1:9".into(),
        user_id: Some(UserId::parse("alice").unwrap()),
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let vault = Vault::default();
    let etl = SecretKind::Assumed(UserId::parse("etl-bot").unwrap());
    let pat = "amo_pat_kept_through_a_cache_rebuild";
    vault
        .set(&name, &SecretKind::Pat, &Secret::new(pat))
        .await
        .unwrap();
    vault
        .set(&name, &etl, &Secret::new("assumed-token-kept"))
        .await
        .unwrap();

    let client = Client::for_profile(&paths, profile.clone(), vault.clone())
        .await
        .unwrap();
    client.cache().close().await;
    let file = paths.cache_file(&name);
    let mut raw = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .connect()
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (9999, 'from a newer version', CURRENT_TIMESTAMP, 1, X'00', 0)",
    )
    .execute(&mut raw)
    .await
    .unwrap();
    raw.close().await.unwrap();

    let client = Client::for_profile(&paths, profile, vault.clone())
        .await
        .expect("the cache is rebuilt, not refused");
    assert_eq!(client.cache().integrity_check().await.unwrap(), "ok");
    assert_eq!(
        client.principal().await.unwrap().authorization.expose(),
        pat
    );
    let kept = vault.get(&name, &etl).await.unwrap();
    assert_eq!(
        kept.as_ref().map(Secret::expose),
        Some("assumed-token-kept")
    );
    client.cache().close().await;
    vault.delete(&name, &SecretKind::Pat).await.unwrap();
    vault.delete(&name, &etl).await.unwrap();
}
