//! Races against a delete: two owners deleting the same service user, changes (share, role,
//! enable) landing while it is deleted, and writes made as the service user queued behind its
//! disable and delete. Each race runs for many rounds; every outcome must be one the contract
//! allows (one winner, a clear 404/409/401 for the others, never a 5xx) and no delete is ever
//! half done: nothing of the user is left but its tombstone.

mod acting;
mod delete;

use serde_json::{json, Value};

use crate::common::*;

/// Rounds per race: enough to see both orders many times, a few seconds in all.
pub const ROUNDS: usize = 50;

/// A fresh service user made by alice (super-admin), shared with bob, and its internal id
/// (read from a token's `uid` claim).
pub async fn fresh_service_user(s: &Srv, id: &str) -> i64 {
    s.post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": id, "DisplayName": "race target"}))
        .send()
        .await
        .expect(201);
    s.put(&format!("/users/{id}/shares"))
        .auth(ALICE_DEFAULT)
        .json(json!({"Users": [{"UserId": "bob", "AccessType": "owner"}]}))
        .send()
        .await
        .expect(200);
    let token = s.assume(ALICE_DEFAULT, id, DEFAULT_ROLE, 10).await;
    jwt_parts(&token).1["uid"].as_i64().unwrap()
}

/// Rows anywhere in the database that still name `uid`, as `table: count` (none once a
/// delete committed; a datasource it owned moves to the transfer user).
pub async fn leftovers(s: &Srv, uid: i64) -> Vec<String> {
    let url = format!("sqlite:{}?mode=ro", s.db_path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut left = Vec::new();
    for (table, column) in [
        ("users", "uid"),
        ("share_users", "su_uid"),
        ("share_users", "user_uid"),
        ("share_tags", "su_uid"),
        ("user_roles", "uid"),
        ("user_tags", "uid"),
        ("access_tokens", "uid"),
        ("sessions", "uid"),
        ("datasources", "owner_uid"),
    ] {
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = ?1"))
                .bind(uid)
                .fetch_one(&pool)
                .await
                .unwrap();
        if n > 0 {
            left.push(format!("{table}.{column}: {n}"));
        }
    }
    pool.close().await;
    left
}

/// The server-wide `Version` now (the highest one the change feed has handed out so far).
pub async fn current_version(s: &Srv) -> i64 {
    let mut since = 0;
    loop {
        let r = s
            .get(&format!(
                "/users?action=get_service_users&since={since}&limit=1000"
            ))
            .auth(ALICE_DEFAULT)
            .send()
            .await;
        r.expect(200);
        since = r.body["NextSince"].as_i64().unwrap();
        if r.body["HasMore"] != json!(true) {
            return since;
        }
    }
}

/// Every feed entry after `since` for `user_id`: `("changed" | "deleted", Version)`.
pub async fn feed_entries(s: &Srv, since: i64, user_id: &str) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    let mut since = since;
    loop {
        let r = s
            .get(&format!(
                "/users?action=get_service_users&since={since}&limit=1000"
            ))
            .auth(ALICE_DEFAULT)
            .send()
            .await;
        r.expect(200);
        let mine = |list: &Value, kind: &'static str, out: &mut Vec<(&'static str, i64)>| {
            for e in list.as_array().unwrap() {
                if e["UserId"] == json!(user_id) {
                    out.push((kind, e["Version"].as_i64().unwrap()));
                }
            }
        };
        mine(&r.body["Users"], "changed", &mut out);
        mine(&r.body["Deleted"], "deleted", &mut out);
        since = r.body["NextSince"].as_i64().unwrap();
        if r.body["HasMore"] != json!(true) {
            return out;
        }
    }
}

/// Asserts that `user_id` (internal id `uid`) is wholly gone: 404, no row naming it, and the
/// feed after `since` lists only its tombstone, once.
pub async fn assert_wholly_deleted(s: &Srv, user_id: &str, uid: i64, since: i64) {
    s.get(&format!("/users/{user_id}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    let left = leftovers(s, uid).await;
    assert!(
        left.is_empty(),
        "{user_id} half deleted, rows left: {left:?}"
    );
    let entries = feed_entries(s, since, user_id).await;
    assert!(
        entries.len() == 1 && entries[0].0 == "deleted",
        "{user_id}: the feed should list its tombstone once, lists {entries:?}"
    );
}

/// A short, round-dependent delay, so that the racers' order varies from round to round.
pub async fn jitter(round: usize, lane: usize) {
    let micros = ((round * 7 + lane * 13) % 5) as u64 * 300;
    tokio::time::sleep(std::time::Duration::from_micros(micros)).await;
}
