//! End to end: the real reference server on 127.0.0.1:0, the real client with a real SQLite
//! cache and the real Secret Service (run inside `scripts/session.sh`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::common::*;
use amorphic_su_client::model::{RoleId, UserId};
use amorphic_su_client::{Cache, SecretKind, SyncProgress, UserFilter, Vault};
use reqwest::Method;
use serde_json::json;

fn id(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

fn search(q: &str) -> UserFilter {
    UserFilter {
        search: Some(q.into()),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_browsing_then_incremental_sync_picks_up_changes_and_deletes() {
    let env = Env::new("offline");
    let srv = server(&env.db()).await;
    let client = env.signed_in(&srv.base_url()).await;
    let first = client.sync(false, &|_| {}).await.unwrap();
    assert!(first.full && first.change_feed);
    assert_eq!(first.users_cached, 7);

    // Server gone: reads answer from the cache, marked stale with their time.
    srv.shutdown().await;
    let all = client
        .list_users(&UserFilter::default(), false)
        .await
        .unwrap();
    assert!(all.stale);
    assert_eq!(all.as_of, Some(first.finished_at));
    assert_eq!(all.data.len(), 7);
    let found = client.list_users(&search("nightly"), false).await.unwrap();
    assert!(found.stale);
    assert_eq!(
        found
            .data
            .iter()
            .map(|u| u.user_id.as_str())
            .collect::<Vec<_>>(),
        ["etl-bot"]
    );
    let shown = client.user(&id("report-bot")).await.unwrap();
    assert!(shown.stale);
    // Mutations fail clearly, nothing queued.
    let e = client.disable(&id("etl-bot")).await.unwrap_err();
    assert_eq!(e.code(), "offline");

    // Restart on the same database (new port), change and delete behind the client's back.
    let srv = server(&env.db()).await;
    let base = srv.base_url();
    env.set_base_url(&base);
    let client = env.client().await;
    let r = raw(
        &base,
        Method::PUT,
        "/users/etl-bot/status",
        Some(json!({"UserStatus": "disabled"})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = raw(
        &base,
        Method::PUT,
        "/users/report-bot/status",
        Some(json!({"UserStatus": "disabled"})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = raw(
        &base,
        Method::DELETE,
        "/users/report-bot?transfer_user_id=bob",
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = raw(
        &base,
        Method::POST,
        "/users",
        Some(json!({"UserId": "ingest-bot", "DisplayName": "Ingest robot"})),
    )
    .await;
    assert_eq!(r.status(), 201);

    let inc = client.sync(false, &|_| {}).await.unwrap();
    assert!(!inc.full, "incremental through the change feed");
    assert!(inc.users_changed >= 2 && inc.users_deleted >= 1, "{inc:?}");
    let now = client
        .list_users(
            &UserFilter {
                service_only: true,
                ..Default::default()
            },
            true,
        )
        .await
        .unwrap();
    let ids: Vec<_> = now.data.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["etl-bot", "finance-bot", "ingest-bot"]);
    assert!(!now.data[0].is_enabled());
    assert_eq!(
        client
            .list_users(&search("ingest rob"), true)
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert_eq!(client.cache().integrity_check().await.unwrap(), "ok");
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_half_way_leaves_a_sound_cache_and_resumes() {
    let env = Env::new("resume");
    let srv = server(&env.db()).await;
    let base = srv.base_url();
    for i in 0..6 {
        let r = raw(
            &base,
            Method::POST,
            "/users",
            Some(json!({"UserId": format!("bulk-{i}"), "DisplayName": "Bulk"})),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let client = Arc::new(env.signed_in(&base).await.with_sync_page(2));
    let pages = Arc::new(AtomicU32::new(0));
    let (c2, p2) = (client.clone(), pages.clone());
    let killed = tokio::spawn(async move {
        c2.sync(false, &move |p| {
            // The first sync is a full paged pass: die after its second committed page.
            if let SyncProgress::Users { .. } | SyncProgress::Changes { .. } = p {
                if p2.fetch_add(1, Ordering::SeqCst) == 1 {
                    panic!("killed half way");
                }
            }
        })
        .await
    })
    .await;
    assert!(killed.is_err(), "the sync was killed");
    let offset: i64 = client
        .cache()
        .state("full_offset")
        .await
        .unwrap()
        .expect("the interrupted pass records its position")
        .parse()
        .unwrap();
    assert!(offset > 0, "the committed pages stay");
    assert_eq!(
        client
            .cache()
            .state("full_pending")
            .await
            .unwrap()
            .as_deref(),
        Some("1"),
        "the pass is marked unfinished"
    );
    let fresh = Cache::open(client.cache().path()).await.unwrap();
    assert_eq!(fresh.integrity_check().await.unwrap(), "ok");
    fresh.close().await;

    let done = client.sync(false, &|_| {}).await.unwrap();
    assert!(done.full, "the interrupted full pass resumes");
    assert_eq!(done.users_cached, 13);
    assert_eq!(client.cache().integrity_check().await.unwrap(), "ok");
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assumed_token_lives_only_in_the_keychain_and_dies_with_a_disable() {
    let env = Env::new("assume");
    let srv = server(&env.db()).await;
    let client = env.signed_in(&srv.base_url()).await;
    client.sync(false, &|_| {}).await.unwrap();

    let engineers = RoleId::parse("role-data-engineers").unwrap();
    let a = client
        .assume(&id("etl-bot"), Some(&engineers), Some(30))
        .await
        .unwrap();
    assert_eq!(a.meta.role_id, engineers);
    assert!(a.seconds_left > 29 * 60 && a.seconds_left <= 30 * 60);
    let token = Vault::default()
        .get(&env.profile, &SecretKind::Assumed(id("etl-bot")))
        .await
        .unwrap()
        .expect("token in the keychain");
    // Acting works: list its PATs as the service user.
    client.access_tokens_as(&id("etl-bot")).await.unwrap();

    // No file the client wrote holds the token, the PAT, or the token's signature.
    let sig = token.expose().rsplit('.').next().unwrap().to_owned();
    let files = env.client_files();
    assert!(files.iter().any(|f| f.ends_with("config.toml")));
    assert!(files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "sqlite")));
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for needle in [token.expose(), sig.as_str(), ALICE_SUPERADMIN_PAT] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} contains a secret",
                f.display()
            );
        }
    }

    let list = client.assumed_identities().await.unwrap();
    assert_eq!(list.len(), 1);
    let again = client.reassume(&id("etl-bot")).await.unwrap();
    assert_eq!(again.meta.minutes, 30);
    assert_ne!(again.meta.jti, a.meta.jti);

    // Bad expiries and an unattached role are refused with their codes.
    assert_eq!(
        client
            .assume(&id("etl-bot"), None, Some(0))
            .await
            .unwrap_err()
            .code(),
        "INVALID_EXPIRY"
    );
    assert_eq!(
        client
            .assume(&id("etl-bot"), None, Some(181))
            .await
            .unwrap_err()
            .code(),
        "INVALID_EXPIRY"
    );
    let analysts = RoleId::parse("role-analysts").unwrap();
    let e = client
        .assume(&id("etl-bot"), Some(&analysts), None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ROLE_NOT_ATTACHED");

    // Disabled: the assumed token is refused and the client says why.
    client.disable(&id("etl-bot")).await.unwrap();
    let e = client.access_tokens_as(&id("etl-bot")).await.unwrap_err();
    assert_eq!(e.code(), "PRINCIPAL_DISABLED", "{e}");
    assert!(e.to_string().to_lowercase().contains("disabled"), "{e}");

    // Forget wipes the keychain entry.
    client.forget(&id("etl-bot")).await.unwrap();
    assert!(Vault::default()
        .get(&env.profile, &SecretKind::Assumed(id("etl-bot")))
        .await
        .unwrap()
        .is_none());
    assert!(client.assumed_identities().await.unwrap().is_empty());
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_operations_and_policy_refusals() {
    let env = Env::new("ops");
    let srv = server(&env.db()).await;
    let client = env.signed_in(&srv.base_url()).await;
    let bot = id("ops-bot");
    let u = client
        .create_service_user(amorphic_su_client::NewServiceUser {
            user_id: "ops-bot".into(),
            display_name: "Ops bot".into(),
            description: Some("test".into()),
        })
        .await
        .unwrap();
    assert!(u.is_service_user);
    let engineers = RoleId::parse("role-data-engineers").unwrap();
    let u = client
        .attach_roles(&bot, std::slice::from_ref(&engineers))
        .await
        .unwrap();
    assert!(u.has_role(&engineers));
    let u = client.detach_role(&bot, &engineers).await.unwrap();
    assert!(!u.has_role(&engineers));

    // Sharing with a service user is refused before the request.
    let e = client.share(&bot, &[id("etl-bot")], &[]).await.unwrap_err();
    assert_eq!(e.code(), "CANNOT_SHARE_WITH_SERVICE_USER");
    assert!(matches!(e, amorphic_su_client::ClientError::Refused { .. }));
    let s = client.share(&bot, &[id("bob")], &[]).await.unwrap();
    assert!(s.has_user(&id("bob")));
    client.unshare_user(&bot, &id("bob")).await.unwrap();

    // PATs of the service user: create (secret once), list as owner, revoke without assuming.
    client.assume(&bot, None, Some(5)).await.unwrap();
    let created = client
        .create_access_token_as(
            &bot,
            amorphic_su_client::NewAccessToken {
                name: "ci".into(),
                description: None,
                role_id: RoleId::default_users(),
                expires_at: amorphic_su_client::model::Timestamp::new(
                    chrono::Utc::now() + chrono::Duration::days(30),
                ),
            },
        )
        .await
        .unwrap();
    assert!(created.token.expose().starts_with("amo_pat_"));
    let of = client.access_tokens_of(&bot).await.unwrap();
    assert_eq!(of.data.len(), 1);
    client
        .revoke_access_token_of(&bot, &created.record.token_id)
        .await
        .unwrap();
    assert!(client.access_tokens_of(&bot).await.unwrap().data.is_empty());

    // Delete: refused while enabled, then with a bad transfer user, then done.
    assert_eq!(
        client
            .delete_service_user(&bot, &id("bob"))
            .await
            .unwrap_err()
            .code(),
        "MUST_DISABLE_FIRST"
    );
    client.disable(&bot).await.unwrap();
    assert_eq!(
        client
            .delete_service_user(&bot, &id("etl-bot"))
            .await
            .unwrap_err()
            .code(),
        "INVALID_TRANSFER_USER"
    );
    assert!(client.owned_resources(&bot).await.unwrap().data.is_empty());
    let d = client.delete_service_user(&bot, &id("bob")).await.unwrap();
    assert_eq!(d.transferred_to, id("bob"));
    assert_eq!(client.user(&bot).await.unwrap_err().code(), "NOT_FOUND");
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_change_feed_every_sync_is_a_full_pass_that_drops_deleted_users() {
    let env = Env::new("nofeed");
    let srv = amorphic_su_server::spawn(
        amorphic_su_server::ServerOptions::new(env.db())
            .demo_seed()
            .without_change_feed(),
    )
    .await
    .unwrap();
    let base = srv.base_url();
    // The change-feed request gets what the platform answers: `since` is ignored, the plain
    // list of service users comes back, paged.
    let r = raw(
        &base,
        Method::GET,
        "/users?action=get_service_users&since=0&limit=1",
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["TotalCount"], 3, "{body}");
    assert_eq!(body["Users"].as_array().unwrap().len(), 1, "{body}");
    assert!(body.get("NextSince").is_none() && body.get("Deleted").is_none());

    let client = env.signed_in(&base).await;
    let first = client.sync(false, &|_| {}).await.unwrap();
    assert!(first.full && !first.change_feed, "{first:?}");
    assert_eq!(
        (first.users_changed, first.users_deleted, first.users_cached),
        (7, 0, 7)
    );
    assert_eq!(
        client
            .cache()
            .state("feed_supported")
            .await
            .unwrap()
            .as_deref(),
        Some("0")
    );

    // Behind the client's back: disable one, delete one, create one.
    for (method, path, body, status) in [
        (
            Method::PUT,
            "/users/etl-bot/status",
            Some(json!({"UserStatus": "disabled"})),
            200,
        ),
        (
            Method::PUT,
            "/users/report-bot/status",
            Some(json!({"UserStatus": "disabled"})),
            200,
        ),
        (
            Method::DELETE,
            "/users/report-bot?transfer_user_id=bob",
            None,
            200,
        ),
        (
            Method::POST,
            "/users",
            Some(json!({"UserId": "ingest-bot", "DisplayName": "Ingest robot"})),
            201,
        ),
    ] {
        let r = raw(&base, method, path, body).await;
        assert_eq!(r.status(), status, "{path}");
    }

    // Again a full pass; the deleted user goes because the pass did not see it (no tombstone).
    let second = client.sync(false, &|_| {}).await.unwrap();
    assert!(second.full && !second.change_feed, "{second:?}");
    assert_eq!(
        (
            second.users_changed,
            second.users_deleted,
            second.users_cached
        ),
        (7, 1, 7),
        "every user read again, report-bot dropped"
    );
    assert!(second.finished_at >= first.finished_at); // whole seconds
    let cached = client
        .list_users(
            &UserFilter {
                service_only: true,
                ..Default::default()
            },
            true,
        )
        .await
        .unwrap();
    let ids: Vec<_> = cached.data.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["etl-bot", "finance-bot", "ingest-bot"]);
    assert!(!cached.data[0].is_enabled(), "the disable is in the cache");
    assert!(cached.data[1].is_enabled());
    assert_eq!(
        client
            .list_users(&search("ingest rob"), true)
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert!(client
        .list_users(&search("report"), true)
        .await
        .unwrap()
        .data
        .is_empty());
    assert_eq!(client.cache().integrity_check().await.unwrap(), "ok");
    srv.shutdown().await;
}

/// Acting as a service user creates a datasource the service user owns (the feature
/// document's example); the local history records what this app did; the list's filters
/// answer from a real sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acting_as_creates_a_datasource_and_the_history_records_each_step() {
    use amorphic_su_client::model::UserStatus;
    let env = Env::new("act");
    let srv = server(&env.db()).await;
    let client = env.signed_in(&srv.base_url()).await;
    client.sync(false, &|_| {}).await.unwrap();
    let etl = id("etl-bot");

    // Not assumed yet: acting is refused before any request.
    let e = client
        .create_datasource_as(&etl, "sales-raw", "s3")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_assumed");

    let engineers = RoleId::parse("role-data-engineers").unwrap();
    client
        .assume(&etl, Some(&engineers), Some(15))
        .await
        .unwrap();
    let bad = client.create_datasource_as(&etl, "  ", "s3").await;
    assert_eq!(bad.unwrap_err().code(), "invalid_input");
    let ds = client
        .create_datasource_as(&etl, "sales-raw", "s3")
        .await
        .unwrap();
    assert_eq!(ds.owner, etl, "the service user owns what it creates");
    let listed = client.datasources_as(&etl).await.unwrap();
    assert!(listed
        .data
        .iter()
        .any(|d| d.datasource_id == ds.datasource_id));
    // The server agrees: the datasource is among the service user's owned resources.
    let owned = client.owned_resources(&etl).await.unwrap();
    assert!(owned
        .data
        .iter()
        .any(|r| r.resource_id == ds.datasource_id.to_string()));

    client.disable(&etl).await.unwrap();
    let history = client.activity(&etl).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "disabled",
            "datasource_created",
            "assumed",
            "datasource_created"
        ],
        "newest first; the refused attempt before assuming is there too"
    );
    assert!(history[3].detail.contains("refused (not_assumed)"));
    assert!(history
        .iter()
        .all(|a| a.actor.as_ref() == Some(&id("alice"))));
    assert!(history[1].detail.contains("sales-raw"));

    // Filters over the synced cache.
    client.sync(false, &|_| {}).await.unwrap();
    let disabled = client
        .cache()
        .users(&UserFilter {
            service_only: true,
            status: Some(UserStatus::Disabled),
            ..Default::default()
        })
        .await
        .unwrap();
    let ids: Vec<_> = disabled.iter().map(|u| u.user_id.as_str()).collect();
    assert!(ids.contains(&"etl-bot"), "{ids:?}");
    let regular = UserFilter {
        regular_only: true,
        ..Default::default()
    };
    let people = client.cache().users(&regular).await.unwrap();
    assert!(!people.is_empty() && people.iter().all(|u| !u.is_service_user));
    assert_eq!(
        client.cache().count_matching(&regular).await.unwrap(),
        people.len() as i64
    );
    srv.shutdown().await;
}
