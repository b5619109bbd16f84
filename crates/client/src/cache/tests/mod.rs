//! The cache's tests: writing pages and the feed, and reads that never wait behind a write;
//! search and its filters in `search.rs`; stored keys, catalogues and the rebuild of a file
//! this version cannot migrate in `stored.rs`; assumed identities and their refusals in
//! `assumed.rs`.

use std::time::Duration;

use amorphic_su_model::{
    AccessType, ChangeFeed, Role, RoleId, Shares, TagId, Timestamp, Tombstone, User, UserId,
    UserShare, UserStatus,
};
use sqlx::Row;

use super::*;

mod assumed;
mod search;
mod stored;

fn user(id: &str, service: bool, version: i64) -> User {
    User {
        user_id: UserId::parse(id).unwrap(),
        is_service_user: service,
        display_name: format!("{id} display"),
        description: Some("Nightly ingestion jobs".into()),
        email: None,
        user_status: UserStatus::Enabled,
        default_role_id: RoleId::default_users(),
        roles: vec![
            RoleId::default_users(),
            RoleId::parse("role-data-engineers").unwrap(),
        ],
        tags: if service {
            vec![]
        } else {
            vec![TagId::parse("team-data").unwrap()]
        },
        created_by: None,
        creation_time: Timestamp::from_unix(0).unwrap(),
        last_modified_time: Timestamp::from_unix(0).unwrap(),
        version,
        shares: service.then(|| Shares {
            users: vec![UserShare {
                user_id: UserId::parse("alice").unwrap(),
                access_type: AccessType::Owner,
            }],
            tags: vec![],
        }),
        caller_access: service.then_some(Some(AccessType::Owner)),
    }
}

#[tokio::test]
async fn pages_feed_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    c.store_users_page(
        &[
            user("alice", false, 1),
            user("etl-bot", true, 2),
            user("report-bot", true, 3),
        ],
        1,
    )
    .await
    .unwrap();
    assert_eq!(c.users(&UserFilter::default()).await.unwrap().len(), 3);
    let s = UserFilter {
        service_only: true,
        ..Default::default()
    };
    assert_eq!(c.users(&s).await.unwrap().len(), 2);
    for q in [
        "etl",
        "ETL-b",
        "nightly",
        "data-eng",
        "report bot",
        "team-data",
    ] {
        let f = UserFilter {
            search: Some(q.into()),
            ..Default::default()
        };
        assert!(!c.users(&f).await.unwrap().is_empty(), "{q}");
    }
    let f = UserFilter {
        search: Some("\"unbalanced OR (".into()),
        ..Default::default()
    };
    assert!(c.users(&f).await.unwrap().is_empty());
    // A changed and a deleted user through the feed.
    let mut changed = user("etl-bot", true, 5);
    changed.display_name = "Extract bot".into();
    let page = ChangeFeed {
        users: vec![changed],
        deleted: vec![Tombstone {
            user_id: UserId::parse("report-bot").unwrap(),
            version: 6,
        }],
        next_since: 6,
        has_more: false,
    };
    c.apply_feed_page(&page).await.unwrap();
    assert_eq!(c.integrity_check().await.unwrap(), "ok");
    assert_eq!(
        c.stored_state(SyncKey::FeedCursor)
            .await
            .unwrap()
            .as_deref(),
        Some("6")
    );
    let f = UserFilter {
        search: Some("extract".into()),
        ..Default::default()
    };
    assert_eq!(c.users(&f).await.unwrap().len(), 1);
    assert!(c
        .user(&UserId::parse("report-bot").unwrap())
        .await
        .unwrap()
        .is_none());
    let n: i64 = sqlx::query("SELECT count(*) FROM shares")
        .fetch_one(&c.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    // A full pass that no longer sees alice removes her.
    c.store_users_page(&[user("etl-bot", true, 5)], 2)
        .await
        .unwrap();
    assert_eq!(c.finish_full_pass(2, true).await.unwrap(), 1);
    assert_eq!(c.count_users().await.unwrap(), 1);
    assert_eq!(c.integrity_check().await.unwrap(), "ok");
}

#[tokio::test]
async fn lists_read_the_last_commit_without_waiting_for_a_write_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    c.store_users_page(&[user("etl-bot", true, 1)], 1)
        .await
        .unwrap();
    // A sync's write transaction holds the only writing connection, uncommitted.
    let mut writing = c.pool.begin().await.unwrap();
    sqlx::query("DELETE FROM users")
        .execute(&mut *writing)
        .await
        .unwrap();
    let search = UserFilter {
        search: Some("etl".into()),
        ..UserFilter::default()
    };
    let read = async {
        let all = c.users(&UserFilter::default()).await.unwrap();
        let found = c.users(&search).await.unwrap();
        let counted = c.count_matching(&search).await.unwrap();
        (
            all.len(),
            found.len(),
            counted,
            c.count_users().await.unwrap(),
        )
    };
    let answered = tokio::time::timeout(Duration::from_secs(2), read)
        .await
        .expect("a list waited behind the write transaction");
    assert_eq!(answered, (1, 1, 1, 1), "the reads see the last commit");
    writing.commit().await.unwrap();
    assert_eq!(
        c.count_users().await.unwrap(),
        0,
        "then the committed write"
    );
    assert!(c.users(&search).await.unwrap().is_empty());
}
