//! Shares with the people each tag share reaches, read and changed.

use amorphic_su_client::model::{ErrorCode, TagId};
use amorphic_su_client::{Client, ShareChange, SharesWithMembers};

use crate::common::*;

/// `(users, [(tag, members)])` of the shares, as ids.
type Flat = (Vec<String>, Vec<(String, Vec<String>)>);

fn flat(s: &SharesWithMembers) -> Flat {
    let users = s.users.iter().map(|u| u.user_id.to_string()).collect();
    let tags = s
        .tags
        .iter()
        .map(|t| {
            let members = t.members.iter().map(|m| m.to_string()).collect();
            (t.share.tag_id.to_string(), members)
        })
        .collect();
    (users, tags)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

async fn change(c: &Client, change: ShareChange) -> Flat {
    let f = c
        .change_shares_with_members(&id("etl-bot"), &change)
        .await
        .unwrap();
    assert!(!f.stale && f.as_of.is_some());
    flat(&f.data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_share_lists_the_cached_regular_users_carrying_the_tag() {
    let env = Env::new().await;
    let client = env.signed_in("sharing", ALICE_SUPERADMIN_PAT).await;
    let etl = id("etl-bot");
    let team_data = TagId::parse("team-data").unwrap();

    // Members come from the cache: none before the first sync.
    let before = client.shares_with_members(&etl).await.unwrap();
    assert_eq!(
        flat(&before.data),
        (strings(&["alice"]), vec![("team-data".into(), vec![])])
    );
    client.sync(false, &|_| {}).await.unwrap();
    let shared = client.shares_with_members(&etl).await.unwrap();
    assert!(!shared.stale);
    let alice_and_bob = strings(&["alice", "bob"]);
    assert_eq!(
        flat(&shared.data),
        (
            strings(&["alice"]),
            vec![("team-data".into(), alice_and_bob.clone())]
        )
    );

    let added = ShareChange::Add {
        users: vec![id("carol")],
        tags: vec![],
    };
    assert_eq!(
        change(&client, added).await,
        (
            strings(&["alice", "carol"]),
            vec![("team-data".into(), alice_and_bob)]
        )
    );
    assert_eq!(
        change(&client, ShareChange::RemoveTag(team_data)).await,
        (strings(&["alice", "carol"]), vec![])
    );
    assert_eq!(
        change(&client, ShareChange::RemoveUser(id("carol"))).await,
        (strings(&["alice"]), vec![])
    );

    // The policy's refusal, before any request.
    let to_a_bot = ShareChange::Add {
        users: vec![id("report-bot")],
        tags: vec![],
    };
    let e = client
        .change_shares_with_members(&etl, &to_a_bot)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::CannotShareWithServiceUser);

    // Offline: the shares as last read, marked stale, with the tag's members from the cache.
    env.srv.shutdown().await;
    let offline = client.shares_with_members(&etl).await.unwrap();
    assert!(offline.stale);
    assert_eq!(offline.as_of, shared.as_of);
    assert_eq!(flat(&offline.data), flat(&shared.data));
    sign_out(client).await;
}
