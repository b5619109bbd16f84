//! Search and the list's filters: FTS input quoting, every filter with its count, and the
//! merge of users added outside the id-ordered run of `rid`s.

use super::super::rids::UNORDERED_LIMIT;
use super::*;

#[test]
fn fts_input_is_quoted() {
    assert_eq!(fts_query("etl bot").unwrap(), "\"etl\"* \"bot\"*");
    assert_eq!(
        fts_query("a\" OR x:*").unwrap(),
        "\"a\"\"\"* \"OR\"* \"x:*\"*"
    );
    assert!(fts_query("  \" ").is_none());
    // Control characters separate words (FTS5 stops reading its query at a NUL).
    assert_eq!(fts_query("a\0b\u{1}").unwrap(), "\"a\"* \"b\"*");
    assert!(fts_query("\0\u{7}").is_none());
}

/// A name with a `"` in a word is found by its own text, and a NUL in the search box is a
/// separator (both found by the fuzz target `search`: dropping the quote joined the word's
/// halves into a token the index does not have; a NUL made SQLite refuse the query).
#[tokio::test]
async fn a_quote_inside_a_word_is_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    let mut pat = user("pat", false, 1);
    pat.display_name = "Pat O\"Brien".into();
    c.store_users_page(&[pat, user("obrien-bot", true, 2)], 1)
        .await
        .unwrap();
    assert_eq!(search(&c, "o\"brien", false, 10, 0).await, ["pat"]);
    assert_eq!(search(&c, "O\"Bri pat", false, 10, 0).await, ["pat"]);
    // A NUL from a paste is a separator, not an unterminated FTS5 string.
    assert_eq!(search(&c, "pat\0o\"bri", false, 10, 0).await, ["pat"]);
}

/// The list's filters (kind, status, role, tag, assumable), alone and with a search, and
/// the count that matches each.
#[tokio::test]
async fn filters_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    let mut disabled = user("old-bot", true, 4);
    disabled.user_status = UserStatus::Disabled;
    let mut not_mine = user("hr-bot", true, 5);
    not_mine.caller_access = Some(None);
    not_mine.roles = vec![RoleId::default_users()];
    let mut bob = user("bob", false, 6);
    bob.tags = vec![TagId::parse("team-finance").unwrap()];
    c.store_users_page(
        &[
            user("alice", false, 1),
            user("etl-bot", true, 2),
            disabled,
            not_mine,
            bob,
        ],
        1,
    )
    .await
    .unwrap();
    let role = || Some(RoleId::parse("role-data-engineers").unwrap());
    let cases: Vec<(UserFilter, Vec<&str>)> = vec![
        (
            UserFilter {
                service_only: true,
                ..Default::default()
            },
            vec!["etl-bot", "hr-bot", "old-bot"],
        ),
        (
            UserFilter {
                regular_only: true,
                ..Default::default()
            },
            vec!["alice", "bob"],
        ),
        (
            UserFilter {
                status: Some(UserStatus::Disabled),
                ..Default::default()
            },
            vec!["old-bot"],
        ),
        (
            UserFilter {
                service_only: true,
                status: Some(UserStatus::Enabled),
                ..Default::default()
            },
            vec!["etl-bot", "hr-bot"],
        ),
        (
            UserFilter {
                role: role(),
                service_only: true,
                ..Default::default()
            },
            vec!["etl-bot", "old-bot"],
        ),
        (
            UserFilter {
                tag: Some(TagId::parse("team-data").unwrap()),
                ..Default::default()
            },
            vec!["alice"],
        ),
        (
            UserFilter {
                assumable: true,
                ..Default::default()
            },
            vec!["etl-bot", "old-bot"],
        ),
        (
            UserFilter {
                search: Some("bot".into()),
                assumable: true,
                status: Some(UserStatus::Enabled),
                ..Default::default()
            },
            vec!["etl-bot"],
        ),
        (
            UserFilter {
                search: Some("nightly".into()),
                regular_only: true,
                role: role(),
                ..Default::default()
            },
            vec!["alice", "bob"],
        ),
        (
            UserFilter {
                search: Some("bot".into()),
                service_only: true,
                limit: Some(1),
                offset: Some(1),
                ..Default::default()
            },
            vec!["hr-bot"],
        ),
    ];
    for (f, want) in cases {
        assert_eq!(ids(&c.users(&f).await.unwrap()), want, "{f:?}");
        let unwindowed = UserFilter {
            limit: None,
            offset: None,
            ..f.clone()
        };
        let total = c.users(&unwindowed).await.unwrap().len() as i64;
        assert_eq!(c.count_matching(&f).await.unwrap(), total, "count of {f:?}");
    }
}

fn ids(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.user_id.to_string()).collect()
}

async fn search(c: &Cache, q: &str, service_only: bool, limit: u32, offset: u32) -> Vec<String> {
    ids(&c
        .users(&UserFilter {
            service_only,
            search: Some(q.into()),
            limit: Some(limit),
            offset: Some(offset),
            ..Default::default()
        })
        .await
        .unwrap())
}

/// What search must answer: every cached user matching `word` (a prefix of its id here),
/// in id order.
async fn expected(c: &Cache, prefix: &str, service_only: bool) -> Vec<String> {
    let all = UserFilter {
        service_only,
        ..Default::default()
    };
    ids(&c.users(&all).await.unwrap())
        .into_iter()
        .filter(|id| id.starts_with(prefix))
        .collect()
}

#[tokio::test]
async fn search_merges_users_added_out_of_order_and_renumbers_them() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    // A first sync: pages in id order extend the id-ordered run of rids.
    let page: Vec<User> = (0..40)
        .map(|i| user(&format!("u-{i:03}"), i % 3 != 0, i + 1))
        .collect();
    for p in page.chunks(15) {
        c.store_users_page(p, 1).await.unwrap();
    }
    let ordered = c.stored_state(SyncKey::OrderedUpto).await.unwrap();
    assert_eq!(ordered.as_deref(), Some("40"));
    // Added later, sorting between cached ids: outside the run.
    for (k, id) in ["u-0045", "u-000a", "a-first", "u-039z", "p-person"]
        .iter()
        .enumerate()
    {
        let service = !id.starts_with("p-");
        c.upsert_user(&user(id, service, 100 + k as i64))
            .await
            .unwrap();
    }
    assert_eq!(
        c.stored_state(SyncKey::OrderedUpto).await.unwrap(),
        ordered,
        "the run stays as it was"
    );
    // A changed user keeps its place; a deleted one leaves a gap.
    let mut changed = user("u-010", true, 200);
    changed.display_name = "Renamed".into();
    c.upsert_user(&changed).await.unwrap();
    c.remove_user(&UserId::parse("u-020").unwrap())
        .await
        .unwrap();
    for service_only in [false, true] {
        let all = expected(&c, "u", service_only).await;
        assert_eq!(all.len(), if service_only { 28 } else { 42 });
        for (limit, offset) in [(1, 0), (3, 0), (3, 4), (10, 35), (100, 0), (5, 41)] {
            let want: Vec<String> = all
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .cloned()
                .collect();
            assert_eq!(
                search(&c, "u", service_only, limit, offset).await,
                want,
                "limit {limit} offset {offset} service_only {service_only}"
            );
        }
    }
    assert_eq!(search(&c, "renamed", false, 10, 0).await, ["u-010"]);
    assert!(
        !c.reorder_if_needed().await.unwrap(),
        "few are out of order"
    );

    // Past the limit, the rids are renumbered in id order and the index rebuilt.
    let late: Vec<User> = (0..=UNORDERED_LIMIT)
        .map(|i| user(&format!("b-{i:05}"), true, 1_000 + i))
        .collect();
    c.store_users_page(&late, 1).await.unwrap();
    assert!(c.reorder_if_needed().await.unwrap());
    let n = c.count_users().await.unwrap();
    assert_eq!(
        c.stored_state(SyncKey::OrderedUpto).await.unwrap(),
        Some(n.to_string())
    );
    let rids: Vec<(i64, String)> = sqlx::query_as("SELECT rid, user_id FROM users ORDER BY rid")
        .fetch_all(&c.pool)
        .await
        .unwrap();
    assert!(
        rids.windows(2).all(|w| w[0].1 < w[1].1),
        "rid order is id order"
    );
    assert_eq!(search(&c, "b", true, 3, 999).await, ["b-00999", "b-01000"]);
    assert_eq!(
        search(&c, "u", false, 100, 0).await,
        expected(&c, "u", false).await
    );
    assert_eq!(search(&c, "renamed", false, 10, 0).await, ["u-010"]);
    assert_eq!(c.integrity_check().await.unwrap(), "ok");
    sqlx::query("INSERT INTO users_fts (users_fts, rank) VALUES ('integrity-check', 0)")
        .execute(&c.pool)
        .await
        .unwrap();
}
