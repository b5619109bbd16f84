//! The real sizes of what the app keeps in the keychain, issued by the reference server with
//! the longest ids its contract allows (64-character user ids, a 128-character role id, a
//! 256-character issuer): the session token, a PAT and a service-user token. Printed (run with
//! `--nocapture`) and checked against one Windows credential; a non-ASCII issuer makes the JWT
//! longer than one, which the vault then keeps in parts.

use std::sync::Arc;

use amorphic_su_model::{Secret, UserId};
use amorphic_su_server::{spawn, ServerOptions};
use serde_json::{json, Value};

use super::memory_store::MemoryStore;
use super::split::{utf16_len, MAX_ENTRY_UTF16};
use super::{SecretKind, Vault};

const PASSWORD: &str = "a-password-for-the-size-test";

fn seed(admin: &str, bot: &str, role: &str) -> Value {
    let path = amorphic_su_server::demo_seed_path();
    let mut seed: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    seed["Roles"].as_array_mut().unwrap().push(json!({
        "RoleId": role, "RoleName": "Longest role", "Description": "", "IsSystemRole": false,
        "IsSuperAdmin": false, "Permissions": ["datasources.read"]
    }));
    let users = seed["Users"].as_array_mut().unwrap();
    users.push(json!({
        "UserId": admin, "DisplayName": "Longest admin", "Email": "longest@example.com",
        "Password": PASSWORD, "DefaultRoleId": "SystemRole-DefaultUsers", "Tags": [],
        "Roles": ["SystemRole-DefaultUsers", "SystemRole-SuperAdmin", role]
    }));
    users.push(json!({
        "UserId": bot, "IsServiceUser": true, "DisplayName": "Longest bot", "Description": "",
        "CreatedBy": admin, "Roles": ["SystemRole-DefaultUsers", role],
        "DefaultRoleId": "SystemRole-DefaultUsers", "Tags": [],
        "Shares": {"Users": [{"UserId": admin, "AccessType": "owner"}], "Tags": []}
    }));
    seed
}

/// (session token, PAT, service-user token) issued by a server with `issuer`.
async fn issued(issuer: &str) -> (String, String, String) {
    let (admin, bot, role) = ("A".repeat(64), "b".repeat(64), "r".repeat(128));
    let dir = tempfile::tempdir().unwrap();
    let seed_path = dir.path().join("seed.json");
    std::fs::write(&seed_path, seed(&admin, &bot, &role).to_string()).unwrap();
    let srv = spawn(
        ServerOptions::new(dir.path().join("server.db"))
            .seed(&seed_path)
            .issuer(issuer),
    )
    .await
    .expect("server starts");
    let http = reqwest::Client::new();
    let url = srv.base_url();
    let post = |path: String, auth: Option<String>, body: Value| {
        let mut r = http.post(format!("{url}{path}")).json(&body);
        if let Some(a) = auth {
            r = r.header("Authorization", a);
        }
        async move {
            let r = r.send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json::<Value>().await.unwrap()
        }
    };
    let session = post(
        "/auth/sessions".into(),
        None,
        json!({"UserId": admin, "Password": PASSWORD}),
    )
    .await["SessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let expires = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let pat = post(
        "/access-tokens".into(),
        Some(session.clone()),
        json!({"TokenName": "t".repeat(128), "RoleId": role, "ExpiresAt": expires}),
    )
    .await["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwt = post(
        format!("/users/{bot}/auth-token"),
        Some(session.clone()),
        json!({"RoleId": role, "ExpiryInMinutes": 180}),
    )
    .await["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    srv.shutdown().await;
    (session, pat, jwt)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_secret_the_reference_server_issues_fits_one_windows_credential() {
    let issuer = format!("https://{}.example.com/amorphic", "i".repeat(256 - 29));
    assert_eq!(issuer.chars().count(), 256);
    let (session, pat, jwt) = issued(&issuer).await;
    for (what, s) in [
        ("session token", &session),
        ("PAT", &pat),
        ("service-user token", &jwt),
    ] {
        println!(
            "SECRET_SIZE {what}: {} UTF-16 units, {} bytes",
            utf16_len(s),
            s.len()
        );
        assert!(
            utf16_len(s) <= MAX_ENTRY_UTF16,
            "the longest {what} ({} units) fits one Windows credential",
            utf16_len(s)
        );
    }
    assert!(
        jwt.len() <= amorphic_su_server::TOKEN_CHAR_BUDGET,
        "{}",
        jwt.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_longer_than_one_windows_credential_is_kept_in_parts() {
    // 256 characters of three UTF-8 bytes each: the claims grow to 4/3 of 768 bytes.
    let issuer = "\u{53d1}".repeat(256);
    let (_, _, jwt) = issued(&issuer).await;
    println!(
        "SECRET_SIZE service-user token, non-ASCII issuer: {} UTF-16 units",
        utf16_len(&jwt)
    );
    assert!(utf16_len(&jwt) > MAX_ENTRY_UTF16, "{}", utf16_len(&jwt));
    let store = MemoryStore::default();
    let vault = Vault::default().with_backend(Arc::new(store.clone()));
    let kind = SecretKind::Assumed(UserId::parse("b".repeat(64)).unwrap());
    vault
        .set("p", &kind, &Secret::new(jwt.clone()))
        .await
        .unwrap();
    assert_eq!(store.accounts().len(), 3, "{:?}", store.accounts());
    assert_eq!(vault.get("p", &kind).await.unwrap(), Some(Secret::new(jwt)));
}
