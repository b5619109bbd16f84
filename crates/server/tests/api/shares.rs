//! `GET/PUT /users/{id}/shares`, `DELETE /users/{id}/shares/{users|tags}/{x}`.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn anyone_authenticated_reads_shares() {
    let s = Srv::start().await;
    let r = s
        .get("/users/etl-bot/shares")
        .auth(CAROL_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(
        r.body,
        json!({"Users": [{"UserId": "alice", "AccessType": "owner"}], "Tags": [{"TagId": "team-data", "AccessType": "owner"}]})
    );
    s.get("/users/bob/shares")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
    s.get("/users/ghost/shares")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn put_shares_merges_and_re_adding_is_a_no_op() {
    let s = Srv::start().await;
    let v0 = s.user("finance-bot").await["Version"].as_i64().unwrap();
    let body = json!({"Users": [{"UserId": "bob", "AccessType": "owner"}], "Tags": [{"TagId": "team-finance", "AccessType": "owner"}]});
    let r = s
        .put("/users/finance-bot/shares")
        .auth(CAROL_DEFAULT)
        .json(body.clone())
        .send()
        .await;
    r.expect(200);
    assert_eq!(
        r.body,
        json!({
            "Users": [{"UserId": "bob", "AccessType": "owner"}, {"UserId": "carol", "AccessType": "owner"}],
            "Tags": [{"TagId": "team-finance", "AccessType": "owner"}]
        })
    );
    let v1 = s.user("finance-bot").await["Version"].as_i64().unwrap();
    assert!(v1 > v0);
    let again = s
        .put("/users/finance-bot/shares")
        .auth(CAROL_DEFAULT)
        .json(body)
        .send()
        .await;
    again.expect(200);
    assert_eq!(again.body, r.body);
    assert_eq!(
        s.user("finance-bot").await["Version"].as_i64().unwrap(),
        v1,
        "no new Version"
    );
    // Either list may be absent.
    s.put("/users/finance-bot/shares")
        .auth(CAROL_DEFAULT)
        .json(json!({}))
        .send()
        .await
        .expect(200);
    // bob now has access and may assume it.
    s.assume(BOB_DEFAULT, "finance-bot", DEFAULT_ROLE, 5).await;
}

#[tokio::test]
async fn only_owner_access_is_allowed() {
    let s = Srv::start().await;
    for t in ["editor", "read-only", "Owner", ""] {
        let r = s
            .put("/users/etl-bot/shares")
            .auth(ALICE_DEFAULT)
            .json(json!({"Users": [{"UserId": "carol", "AccessType": t}]}))
            .send()
            .await;
        r.expect_error(400, "ACCESS_TYPE_NOT_ALLOWED");
    }
    let r = s
        .put("/users/etl-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Tags": [{"TagId": "team-finance", "AccessType": "editor"}]}))
        .send()
        .await;
    r.expect_error(400, "ACCESS_TYPE_NOT_ALLOWED");
    // All or nothing: a good share next to a bad one is not added.
    let r = s
        .put("/users/etl-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Users": [{"UserId": "carol", "AccessType": "owner"}], "Tags": [{"TagId": "team-finance", "AccessType": "editor"}]}))
        .send()
        .await;
    r.expect_error(400, "ACCESS_TYPE_NOT_ALLOWED");
    assert_eq!(
        s.user("etl-bot").await["Shares"]["Users"],
        json!([{"UserId": "alice", "AccessType": "owner"}])
    );
}

#[tokio::test]
async fn a_service_user_is_never_shared_with_a_service_user() {
    let s = Srv::start().await;
    let r = s
        .put("/users/etl-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Users": [{"UserId": "report-bot", "AccessType": "owner"}]}))
        .send()
        .await;
    r.expect_error(400, "CANNOT_SHARE_WITH_SERVICE_USER");
    let r = s
        .put("/users/etl-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Users": [{"UserId": "etl-bot", "AccessType": "owner"}]}))
        .send()
        .await;
    r.expect_error(400, "CANNOT_SHARE_WITH_SERVICE_USER");
}

#[tokio::test]
async fn sharing_with_unknown_users_or_tags_is_404() {
    let s = Srv::start().await;
    let r = s
        .put("/users/etl-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Users": [{"UserId": "ghost", "AccessType": "owner"}]}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
    let r = s
        .put("/users/etl-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Tags": [{"TagId": "team-ghost", "AccessType": "owner"}]}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
    let r = s
        .put("/users/etl-bot/shares")
        .auth(CAROL_DEFAULT)
        .json(json!({"Users": [{"UserId": "carol", "AccessType": "owner"}]}))
        .send()
        .await;
    r.expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
}

#[tokio::test]
async fn removing_shares_and_the_last_owner() {
    let s = Srv::start().await;
    let r = s
        .delete("/users/etl-bot/shares/users/alice")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(
        r.body,
        json!({"Users": [], "Tags": [{"TagId": "team-data", "AccessType": "owner"}]})
    );
    // alice (team-data) still has access through the tag; the tag is the last share.
    s.delete("/users/etl-bot/shares/users/alice")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.delete("/users/etl-bot/shares/tags/team-finance")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    let r = s
        .delete("/users/etl-bot/shares/tags/team-data")
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect_error(409, "LAST_OWNER");
    let r = s
        .delete("/users/finance-bot/shares/users/carol")
        .auth(CAROL_DEFAULT)
        .send()
        .await;
    r.expect_error(409, "LAST_OWNER");
    // Removing a tag share with another owner left.
    s.put("/users/finance-bot/shares")
        .auth(CAROL_DEFAULT)
        .json(json!({"Tags": [{"TagId": "team-finance", "AccessType": "owner"}]}))
        .send()
        .await
        .expect(200);
    let r = s
        .delete("/users/finance-bot/shares/tags/team-finance")
        .auth(CAROL_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["Tags"], json!([]));
    s.delete("/users/finance-bot/shares/users/carol")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.delete("/users/bob/shares/users/carol")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
}

#[tokio::test]
async fn losing_access_ends_the_assumed_session() {
    let s = Srv::start().await;
    let jwt = s.assume(CAROL_DEFAULT, "report-bot", ANALYSTS, 30).await;
    s.get("/whoami")
        .auth(CAROL_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect(200);
    s.delete("/users/report-bot/shares/users/carol")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect(200);
    s.get("/whoami")
        .auth(CAROL_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
}
