//! `GET /fleet/access-tokens`: every PAT of every service user the caller has access to.

use serde_json::Value;

use crate::common::*;

/// (service user, token name) of a fleet listing, in its order.
async fn fleet(s: &Srv, pat: &str, acting: Option<&str>) -> Vec<(String, String)> {
    let call = s.get("/fleet/access-tokens").auth(pat);
    let call = match acting {
        Some(jwt) => call.acting(jwt),
        None => call,
    };
    let r = call.send().await;
    r.expect(200);
    assert!(!r.body.to_string().contains("amo_pat_"), "never a secret");
    r.body["AccessTokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert!(t.get("Token").is_none());
            (
                t["UserId"].as_str().unwrap().to_owned(),
                t["TokenName"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A PAT for `su`, made by `owner` acting as it.
async fn pat_of(s: &Srv, owner: &str, su: &str, role: &str) -> Value {
    let jwt = s.assume(owner, su, role, 10).await;
    s.create_pat(owner, Some(&jwt), role).await
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn each_caller_sees_the_pats_of_the_service_users_it_has_access_to() {
    let s = Srv::start().await;
    let etl = pat_of(&s, ALICE_DEFAULT, "etl-bot", ENGINEERS).await;
    pat_of(&s, ALICE_DEFAULT, "report-bot", ANALYSTS).await;
    pat_of(&s, CAROL_DEFAULT, "finance-bot", ANALYSTS).await;
    let name = |v: &Value| v["TokenName"].as_str().unwrap().to_owned();
    let etl_name = name(&etl);
    let all: Vec<(String, String)> = {
        let r = s
            .get("/fleet/access-tokens")
            .auth(ALICE_DEFAULT)
            .send()
            .await;
        r.body["AccessTokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["UserId"].as_str().unwrap().to_owned(), name(t)))
            .collect()
    };
    // alice: owner of etl-bot (user share) and report-bot; not finance-bot.
    let etl_pair = ("etl-bot".to_owned(), etl_name.clone());
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], etl_pair);
    assert_eq!(all[1].0, "report-bot");
    // bob: etl-bot through its tag share (team-data) only; a stranger to the others.
    assert_eq!(fleet(&s, BOB_DEFAULT, None).await, vec![etl_pair.clone()]);
    // carol: report-bot (shared with her) and finance-bot, never etl-bot.
    let carol = fleet(&s, CAROL_DEFAULT, None).await;
    let users: Vec<&str> = carol.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(users, ["finance-bot", "report-bot"]);
    // The record is the PAT's metadata with its service user.
    let r = s.get("/fleet/access-tokens").auth(BOB_DEFAULT).send().await;
    let t = &r.body["AccessTokens"][0];
    assert_eq!(t["TokenId"], etl["TokenId"]);
    assert_eq!(t["RoleId"], ENGINEERS);
    assert_eq!(t["CreatedBy"], "alice");
    assert_eq!(t["Status"], "active");
    assert_eq!(t["ExpiresAt"], etl["ExpiresAt"]);
    assert_eq!(t["CreationTime"], etl["CreationTime"]);
}

#[tokio::test]
async fn a_service_user_or_a_person_acting_as_one_sees_none() {
    let s = Srv::start().await;
    let etl = pat_of(&s, ALICE_DEFAULT, "etl-bot", ENGINEERS).await;
    let su_pat = etl["Token"].as_str().unwrap();
    assert_eq!(fleet(&s, su_pat, None).await, pairs(&[]));
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", ENGINEERS, 10).await;
    assert_eq!(fleet(&s, ALICE_DEFAULT, Some(&jwt)).await, pairs(&[]));
    // A stranger to every service user holding a PAT.
    assert_eq!(
        fleet(&s, CAROL_DEFAULT, None).await,
        pairs(&[]),
        "carol has no access to etl-bot"
    );
}

#[tokio::test]
async fn losing_access_or_revoking_removes_them() {
    let s = Srv::start().await;
    let etl = pat_of(&s, ALICE_DEFAULT, "etl-bot", ENGINEERS).await;
    let id = etl["TokenId"].as_str().unwrap();
    assert_eq!(fleet(&s, BOB_DEFAULT, None).await.len(), 1);
    // The tag share gone, bob is a stranger to etl-bot.
    s.delete("/users/etl-bot/shares/tags/team-data")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect(200);
    assert_eq!(fleet(&s, BOB_DEFAULT, None).await, pairs(&[]));
    // Revoked through the single revoke, it leaves the listing.
    s.delete(&format!("/users/etl-bot/access-tokens/{id}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect(204);
    assert_eq!(fleet(&s, ALICE_DEFAULT, None).await, pairs(&[]));
}

#[tokio::test]
async fn without_credentials_it_is_401() {
    let s = Srv::start().await;
    s.get("/fleet/access-tokens")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
}
