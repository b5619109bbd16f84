//! The first sync's full pass against the real reference server while users change under it:
//! users deleted before its position (offsets shift), created and changed behind and ahead of
//! it. The cache must end up equal to the server, and the change feed must continue from where
//! the pass began, so the next sync finds nothing left to do.

use std::sync::atomic::{AtomicU32, Ordering};

use amorphic_su_client::model::{Secret, UserList};
use amorphic_su_client::{
    AuthKind, Client, Credentials, Paths, Profile, SyncProgress, UserFilter, Vault,
};
use amorphic_su_server::{seed, spawn, ServerOptions, Store};

use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT as ALICE_DEFAULT, ALICE_SUPERADMIN_PAT as ALICE_SUPERADMIN,
};

async fn call(base: &str, method: reqwest::Method, path: &str, body: Option<&str>) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .header("Authorization", ALICE_SUPERADMIN);
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_owned());
    }
    let resp = req.send().await.unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
}

async fn delete(base: &str, id: &str) {
    let disabled = Some(r#"{"UserStatus":"disabled"}"#);
    call(
        base,
        reqwest::Method::PUT,
        &format!("/users/{id}/status"),
        disabled,
    )
    .await;
    let path = format!("/users/{id}?transfer_user_id=bob");
    call(base, reqwest::Method::DELETE, &path, None).await;
}

/// Every user on the server: (id, version), in id order.
async fn server_users(base: &str) -> Vec<(String, i64)> {
    let list: UserList = reqwest::Client::new()
        .get(format!("{base}/users?limit=1000"))
        .header("Authorization", ALICE_DEFAULT)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list.users
        .into_iter()
        .map(|u| (u.user_id.to_string(), u.version))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_first_sync_reads_everyone_once_and_loses_nothing_that_changes_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let store = Store::open(&db).await.unwrap();
    store
        .load_seed(&seed::demo_with_service_users(40))
        .await
        .unwrap();
    store.close().await;
    let srv = spawn(ServerOptions::new(&db)).await.unwrap();
    let base = srv.base_url();

    let profile = Profile {
        name: "sync-test".into(),
        base_url: base.clone(),
        user_id: None,
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let paths = Paths::under(&dir.path().join("client"));
    let client = Client::for_profile(&paths, profile, Vault::default())
        .await
        .unwrap()
        .with_sync_page(7);
    let creds = Credentials::new(Secret::new(ALICE_DEFAULT));

    // Pages of 7 in id order: alice..report-bot, then svc-000000..svc-000006, ...
    let pages = AtomicU32::new(0);
    let handle = tokio::runtime::Handle::current();
    let first = client
        .sync_as(&creds, false, &|p| {
            if let SyncProgress::Users { .. } = p {
                if pages.fetch_add(1, Ordering::SeqCst) == 1 {
                    // Two pages stored. Change the server before the third is read.
                    tokio::task::block_in_place(|| {
                        handle.block_on(async {
                            for id in ["svc-000001", "svc-000002", "svc-000003"] {
                                delete(&base, id).await; // the list shifts left by 3
                            }
                            let created = r#"{"UserId":"svc-000010x","DisplayName":"Late bot"}"#;
                            call(&base, reqwest::Method::POST, "/users", Some(created)).await;
                            let enabled = Some(r#"{"UserStatus":"enabled"}"#);
                            let disabled = Some(r#"{"UserStatus":"disabled"}"#);
                            for (id, body) in [("svc-000005", disabled), ("svc-000030", disabled)] {
                                // Whatever the seed made them, change them.
                                call(
                                    &base,
                                    reqwest::Method::PUT,
                                    &format!("/users/{id}/status"),
                                    enabled,
                                )
                                .await;
                                call(
                                    &base,
                                    reqwest::Method::PUT,
                                    &format!("/users/{id}/status"),
                                    body,
                                )
                                .await;
                            }
                        })
                    });
                }
            }
        })
        .await
        .unwrap();
    assert!(first.full && first.change_feed, "{first:?}");

    let cached: Vec<(String, i64)> = client
        .cache()
        .users(&UserFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.user_id.to_string(), u.version))
        .collect();
    let on_server = server_users(&base).await;
    assert_eq!(on_server.len(), 7 + 40 - 3 + 1);
    assert_eq!(cached, on_server, "the cache is the server's list");

    // The feed continued from where the pass began: nothing is left for the next sync.
    let next = client.sync_as(&creds, false, &|_| {}).await.unwrap();
    assert!(!next.full, "{next:?}");
    assert_eq!((next.users_changed, next.users_deleted), (0, 0), "{next:?}");

    // And a search finds the late user among the id-ordered ones.
    let found = client
        .cache()
        .users(&UserFilter {
            search: Some("svc-00001".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let ids: Vec<_> = found.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "svc-000010",
            "svc-000010x",
            "svc-000011",
            "svc-000012",
            "svc-000013",
            "svc-000014",
            "svc-000015",
            "svc-000016",
            "svc-000017",
            "svc-000018",
            "svc-000019"
        ]
    );
    assert_eq!(client.cache().integrity_check().await.unwrap(), "ok");
    srv.shutdown().await;
}
