//! `/access-tokens` for the principal itself, and service users' PATs (machine to machine).

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn list_own_pats_without_secrets() {
    let s = Srv::start().await;
    let r = s.get("/access-tokens").auth(ALICE_DEFAULT).send().await;
    r.expect(200);
    let tokens = r.body["AccessTokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 4);
    let mut names: Vec<&str> = tokens
        .iter()
        .map(|t| t["TokenName"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "demo-default",
            "demo-engineers",
            "demo-superadmin",
            "demo-sysadmins"
        ]
    );
    let ids: Vec<&str> = tokens
        .iter()
        .map(|t| t["TokenId"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "sorted by TokenId");
    for t in tokens {
        assert_eq!(t["CreatedBy"], "alice");
        assert_eq!(t["Status"], "active");
        assert_eq!(t["ExpiresAt"], "2099-01-01T00:00:00Z");
        assert!(t.get("Token").is_none());
    }
    assert!(!r.body.to_string().contains("amo_pat_"));
}

#[tokio::test]
async fn create_a_pat_shown_once_and_bound_to_its_role() {
    let s = Srv::start().await;
    let expires = in_days(30);
    let r = s
        .post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "ci", "Description": "pipeline", "RoleId": ENGINEERS, "ExpiresAt": expires}))
        .send()
        .await;
    r.expect(201);
    let secret = r.body["Token"].as_str().unwrap();
    let rest = secret.strip_prefix("amo_pat_").unwrap();
    assert_eq!(rest.len(), 43);
    assert!(rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(r.body["TokenName"], "ci");
    assert_eq!(r.body["Description"], "pipeline");
    assert_eq!(r.body["RoleId"], ENGINEERS);
    assert_eq!(r.body["ExpiresAt"], json!(expires));
    assert_eq!(r.body["CreatedBy"], "bob");
    assert_eq!(r.body["Status"], "active");
    let who = s.get("/whoami").auth(secret).send().await;
    assert_eq!(
        who.body,
        json!({"UserId": "bob", "IsServiceUser": false, "RoleId": ENGINEERS, "ActorUserId": null})
    );
    // Listed afterwards, without the secret.
    let list = s.get("/access-tokens").auth(secret).send().await;
    assert_eq!(list.body["AccessTokens"].as_array().unwrap().len(), 3);
    assert!(!list.body.to_string().contains(secret));
}

#[tokio::test]
async fn pat_expiry_must_be_within_365_days() {
    let s = Srv::start().await;
    for at in [in_days(-1), in_days(366), "2020-01-01T00:00:00Z".to_owned()] {
        let r = s
            .post("/access-tokens")
            .auth(BOB_DEFAULT)
            .json(json!({"TokenName": "x", "RoleId": DEFAULT_ROLE, "ExpiresAt": at}))
            .send()
            .await;
        r.expect_error(400, "INVALID_EXPIRY");
    }
    let r = s
        .post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "x", "RoleId": DEFAULT_ROLE, "ExpiresAt": "next week"}))
        .send()
        .await;
    r.expect_error(400, "INVALID_REQUEST");
    s.post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "x", "RoleId": DEFAULT_ROLE, "ExpiresAt": in_days(364)}))
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn pat_role_must_be_attached_to_the_principal() {
    let s = Srv::start().await;
    let r = s
        .post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "x", "RoleId": SUPER_ADMIN, "ExpiresAt": in_days(5)}))
        .send()
        .await;
    r.expect_error(403, "ROLE_NOT_ATTACHED");
    let r = s
        .post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "x", "RoleId": "role-nope", "ExpiresAt": in_days(5)}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn delete_own_pat() {
    let s = Srv::start().await;
    let created = s.create_pat(CAROL_DEFAULT, None, ANALYSTS).await;
    let id = created["TokenId"].as_str().unwrap();
    let secret = created["Token"].as_str().unwrap();
    // Someone else's token id is not found for bob.
    s.delete(&format!("/access-tokens/{id}"))
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.delete(&format!("/access-tokens/{id}"))
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(204);
    s.get("/whoami")
        .auth(secret)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.delete(&format!("/access-tokens/{id}"))
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn a_service_users_pat_acts_with_no_human_involved() {
    let s = Srv::start().await;
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", ENGINEERS, 10).await;
    let created = s.create_pat(ALICE_DEFAULT, Some(&jwt), ENGINEERS).await;
    assert_eq!(created["CreatedBy"], "alice", "the person who made it");
    let pat = created["Token"].as_str().unwrap();
    // The PAT alone authenticates as the service user, under its role.
    let who = s.get("/whoami").auth(pat).send().await;
    assert_eq!(
        who.body,
        json!({"UserId": "etl-bot", "IsServiceUser": true, "RoleId": ENGINEERS, "ActorUserId": null})
    );
    let r = s
        .post("/datasources")
        .auth(pat)
        .json(json!({"DatasourceName": "m2m", "DatasourceType": "s3"}))
        .send()
        .await;
    r.expect(201);
    assert_eq!(r.body["Owner"], "etl-bot");
    // Acting as the service user lists the service user's PATs, not alice's.
    let mine = s
        .get("/access-tokens")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await;
    assert_eq!(mine.body["AccessTokens"].as_array().unwrap().len(), 1);
    let list = s.get("/access-tokens").auth(pat).send().await;
    assert_eq!(list.body, mine.body);
    // Even a service user with a super-admin role cannot use vertical apps or create users.
    s.get("/mdm/home")
        .auth(pat)
        .send()
        .await
        .expect_error(403, "SERVICE_USER_NOT_ALLOWED");
    // The service user's PAT with a role_id header naming another role.
    s.get("/whoami")
        .auth(pat)
        .role(DEFAULT_ROLE)
        .send()
        .await
        .expect_error(403, "ROLE_NOT_ATTACHED");
    // Detaching its role disables the PAT's use at once.
    s.delete(&format!("/users/etl-bot/roles/{ENGINEERS}"))
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect(200);
    s.get("/whoami")
        .auth(pat)
        .send()
        .await
        .expect_error(403, "ROLE_NOT_ATTACHED");
}
