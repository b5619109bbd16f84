//! Browsing the cache a window at a time, counting, and what a sync came to.

use amorphic_su_client::model::ClientCode;
use amorphic_su_client::{Client, UserFilter};

use crate::common::*;

async fn window(c: &Client, f: &UserFilter, offset: u32, limit: u32) -> (Vec<String>, bool) {
    let w = c.users_window(f, offset, limit).await.unwrap();
    let ids = w.users.iter().map(|u| u.user_id.to_string()).collect();
    (ids, w.has_more)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windows_of_the_cache_say_whether_more_follow_and_a_sync_says_what_came_of_it() {
    let env = Env::new().await;
    let mut client = env.signed_in("browse", ALICE_DEFAULT_PAT).await;
    let all = UserFilter::default();

    // Before the first sync: an empty window, as of no time.
    let before = client.users_window(&all, 0, 50).await.unwrap();
    assert!(before.users.is_empty() && !before.has_more && before.as_of.is_none());

    let synced = client.sync_outcome().await.unwrap();
    assert!(synced.online && synced.problem.is_none(), "{synced:?}");
    assert_eq!(synced.users_cached, 7);
    assert!(synced.as_of.is_some());

    assert_eq!(
        window(&client, &all, 0, 3).await,
        (vec!["alice".into(), "bob".into(), "carol".into()], true)
    );
    assert_eq!(
        window(&client, &all, 4, 3).await,
        (
            vec!["etl-bot".into(), "finance-bot".into(), "report-bot".into()],
            false
        ),
        "the last row ends the list"
    );
    assert_eq!(
        window(&client, &all, 6, 3).await,
        (vec!["report-bot".into()], false)
    );
    assert_eq!(
        window(&client, &all, 0, 0).await,
        (vec!["alice".into()], true),
        "at least one row"
    );
    let w = client.users_window(&all, 0, 5_000).await.unwrap();
    assert_eq!((w.users.len(), w.has_more), (7, false));
    assert_eq!(w.as_of, synced.as_of);

    // The filter's own window is ignored by both.
    let bots = UserFilter {
        service_only: true,
        limit: Some(1),
        offset: Some(2),
        ..UserFilter::default()
    };
    assert_eq!(
        window(&client, &bots, 0, 2).await,
        (vec!["etl-bot".into(), "finance-bot".into()], true)
    );
    assert_eq!(client.count_matching(&bots).await.unwrap(), 3);
    assert_eq!(client.count_matching(&all).await.unwrap(), 7);

    // Offline is not a problem: the cache answers, as of the last sync.
    env.srv.shutdown().await;
    let offline = client.sync_outcome().await.unwrap();
    assert!(!offline.online && offline.problem.is_none(), "{offline:?}");
    assert_eq!((offline.as_of, offline.users_cached), (synced.as_of, 7));

    // Any other failure is: signed out, the sync cannot start.
    client.logout().await.unwrap();
    let signed_out = client.sync_outcome().await.unwrap();
    assert!(signed_out.online, "{signed_out:?}");
    assert_eq!(
        signed_out.problem.map(|e| e.code()),
        Some(ClientCode::NotSignedIn.into())
    );
    assert_eq!(signed_out.users_cached, 7);
}
