//! The incremental phase, against the real reference server (in this process, its own
//! runtime): `m` generated service users seeded, a first sync of an empty cache, `changes`
//! service users changed through the API (9 in 10 status toggles, 1 in 10 disable-and-delete),
//! then the incremental sync that brings the cache up to date, timed.

use std::path::Path;
use std::time::{Duration, Instant};

use amorphic_su_client::model::{Secret, UserStatus};
use amorphic_su_client::{AuthKind, Client, Credentials, Paths, Profile, SyncKey, Vault};
use amorphic_su_server::seed::demo::{ALICE_DEFAULT_PAT, ALICE_SUPERADMIN_PAT};

use crate::support::{self, BenchServer};

pub struct Outcome {
    pub seed: Duration,
    pub first_sync: Duration,
    pub changes_made: Duration,
    pub incremental: Duration,
    /// The same feed page fetched again, best of 3.
    pub feed_fetch: Duration,
    /// Roles and tags fetched, best of 3.
    pub catalogues: Duration,
    pub changed: u64,
    pub deleted: u64,
}

pub fn run(root: &Path, m: usize, changes: usize) -> Outcome {
    std::fs::create_dir_all(root).expect("folder");
    let server = BenchServer::start(&root.join("server.db"), m);
    let client_rt = support::runtime("client");
    let out = client_rt.block_on(client_side(
        root,
        &server.base,
        m,
        changes,
        &server.statuses,
    ));
    let seed = server.seed_time;
    server.shutdown();
    Outcome { seed, ..out }
}

async fn client_side(
    root: &Path,
    base: &str,
    m: usize,
    changes: usize,
    statuses: &[UserStatus],
) -> Outcome {
    let creds = Credentials::new(Secret::new(ALICE_DEFAULT_PAT));
    let profile = Profile {
        name: "bench".into(),
        base_url: base.into(),
        user_id: None,
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let client = Client::for_profile(
        &Paths::under(&root.join("client")),
        profile,
        Vault::default(),
    )
    .await
    .expect("client opens");
    let t = Instant::now();
    let first = client
        .sync_as(&creds, false, &|_| {})
        .await
        .expect("first sync");
    let first_sync = t.elapsed();
    assert!(first.full, "the first sync is a full one");

    let admin = Credentials::new(Secret::new(ALICE_SUPERADMIN_PAT));
    let http = reqwest::Client::new();
    let step = m / changes;
    let (mut changed, mut deleted) = (0u64, 0u64);
    let t = Instant::now();
    for k in 0..changes {
        let i = k * step;
        let id = format!("svc-{i:06}");
        let enabled = statuses[i] == UserStatus::Enabled;
        let status = |on: bool| {
            if on {
                r#"{"UserStatus":"enabled"}"#
            } else {
                r#"{"UserStatus":"disabled"}"#
            }
        };
        let path = format!("/users/{id}/status");
        if k % 10 == 9 {
            if enabled {
                send(
                    &http,
                    &admin,
                    base,
                    reqwest::Method::PUT,
                    &path,
                    Some(status(false)),
                )
                .await;
            }
            let path = format!("/users/{id}?transfer_user_id=bob");
            send(&http, &admin, base, reqwest::Method::DELETE, &path, None).await;
            deleted += 1;
        } else {
            send(
                &http,
                &admin,
                base,
                reqwest::Method::PUT,
                &path,
                Some(status(!enabled)),
            )
            .await;
            changed += 1;
        }
    }
    let changes_made = t.elapsed();
    let cursor: i64 = client
        .cache()
        .sync_state(SyncKey::FeedCursor)
        .await
        .expect("cursor")
        .unwrap_or(0);
    let t = Instant::now();
    let inc = client
        .sync_as(&creds, false, &|_| {})
        .await
        .expect("incremental sync");
    let incremental = t.elapsed();
    assert!(!inc.full, "incremental through the change feed");
    assert_eq!(inc.users_changed, changed, "every changed user seen");
    assert_eq!(inc.users_deleted, deleted, "every deletion seen");
    // Where the time goes: the same feed page fetched again (the server's part and decoding),
    // and the catalogues, best of 3.
    let mut feed = Duration::MAX;
    let mut catalogues = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        client
            .api()
            .service_users_since(&creds, cursor, 1_000)
            .await
            .expect("feed page");
        feed = feed.min(t.elapsed());
        let t = Instant::now();
        let (r, g) = tokio::join!(client.api().roles(&creds), client.api().tags(&creds));
        r.expect("roles");
        g.expect("tags");
        catalogues = catalogues.min(t.elapsed());
    }
    Outcome {
        feed_fetch: feed,
        catalogues,
        seed: Duration::ZERO,
        first_sync,
        changes_made,
        incremental,
        changed,
        deleted,
    }
}

async fn send(
    http: &reqwest::Client,
    c: &Credentials,
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
) {
    let mut req = http
        .request(method, format!("{base}{path}"))
        .header("Authorization", c.authorization.expose());
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_owned());
    }
    let resp = req.send().await.expect("request sent");
    assert!(
        resp.status().is_success(),
        "{path}: {} {}",
        resp.status(),
        resp.text().await.unwrap_or_default()
    );
}
