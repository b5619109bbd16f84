//! Roles, status, owned resources and PATs of a service user.

use serde_json::{json, Value};

use crate::common::*;

fn version(u: &Value) -> i64 {
    u["Version"].as_i64().unwrap()
}

#[tokio::test]
async fn attach_roles_all_or_nothing_and_idempotent() {
    let s = Srv::start().await;
    let before = s.user("report-bot").await;
    let r = s
        .post("/users/report-bot/roles")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleIds": [ENGINEERS, SUPER_ADMIN]}))
        .send()
        .await;
    r.expect(200);
    assert_eq!(
        r.body["Roles"],
        json!([DEFAULT_ROLE, SUPER_ADMIN, ANALYSTS, ENGINEERS])
    );
    assert!(version(&r.body) > version(&before));
    assert_ne!(r.body["LastModifiedTime"], Value::Null);
    // Re-attaching is a no-op: same Version.
    let again = s
        .post("/users/report-bot/roles")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleIds": [ENGINEERS]}))
        .send()
        .await;
    again.expect(200);
    assert_eq!(version(&again.body), version(&r.body));
    // An unknown role in the list: 404 and nothing attached.
    let r = s
        .post("/users/finance-bot/roles")
        .auth(CAROL_DEFAULT)
        .json(json!({"RoleIds": [ANALYSTS, "role-nope"]}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
    assert_eq!(
        s.user("finance-bot").await["Roles"],
        json!([DEFAULT_ROLE, ANALYSTS])
    );
}

#[tokio::test]
async fn attaching_a_role_the_caller_lacks_is_403_no_access_to_role() {
    let s = Srv::start().await;
    // carol owns report-bot but has no role-data-engineers.
    let r = s
        .post("/users/report-bot/roles")
        .auth(CAROL_DEFAULT)
        .json(json!({"RoleIds": [ANALYSTS, ENGINEERS]}))
        .send()
        .await;
    r.expect_error(403, "NO_ACCESS_TO_ROLE");
    assert_eq!(
        s.user("report-bot").await["Roles"],
        json!([DEFAULT_ROLE, ANALYSTS])
    );
}

#[tokio::test]
async fn role_changes_need_access_to_a_service_user() {
    let s = Srv::start().await;
    let body = json!({"RoleIds": [DEFAULT_ROLE]});
    s.post("/users/finance-bot/roles")
        .auth(ALICE_SA)
        .json(body.clone())
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.post("/users/carol/roles")
        .auth(ALICE_SA)
        .json(body.clone())
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
    s.post("/users/ghost/roles")
        .auth(ALICE_SA)
        .json(body)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.delete(&format!("/users/finance-bot/roles/{ANALYSTS}"))
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
}

#[tokio::test]
async fn detach_role() {
    let s = Srv::start().await;
    let r = s
        .delete(&format!("/users/etl-bot/roles/{ENGINEERS}"))
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["Roles"], json!([DEFAULT_ROLE]));
    s.delete(&format!("/users/etl-bot/roles/{ENGINEERS}"))
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.delete("/users/etl-bot/roles/role-nope")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    // carol may not detach a role she does not have.
    let r = s
        .delete(&format!("/users/report-bot/roles/{ANALYSTS}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect_error(403, "NO_ACCESS_TO_ROLE");
}

#[tokio::test]
async fn the_default_role_cannot_be_detached() {
    let s = Srv::start().await;
    let r = s
        .delete(&format!("/users/etl-bot/roles/{DEFAULT_ROLE}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect_error(409, "DEFAULT_ROLE_REQUIRED");
}

#[tokio::test]
async fn status_is_set_by_owners_and_no_op_keeps_the_version() {
    let s = Srv::start().await;
    let r = s.set_status(CAROL_DEFAULT, "report-bot", "disabled").await;
    r.expect(200);
    assert_eq!(r.body["UserStatus"], "disabled");
    let v = version(&r.body);
    let again = s.set_status(CAROL_DEFAULT, "report-bot", "disabled").await;
    assert_eq!(
        version(&again.body),
        v,
        "setting the current status is a no-op"
    );
    let r = s.set_status(CAROL_DEFAULT, "report-bot", "enabled").await;
    assert_eq!(r.body["UserStatus"], "enabled");
    assert!(version(&r.body) > v);
    s.set_status(BOB_DEFAULT, "report-bot", "disabled")
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.set_status(ALICE_DEFAULT, "report-bot", "paused")
        .await
        .expect_error(400, "INVALID_REQUEST");
    s.set_status(ALICE_DEFAULT, "bob", "disabled")
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
}

#[tokio::test]
async fn disabling_kills_credentials_at_once_and_enabling_revives_pats() {
    let s = Srv::start().await;
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", ENGINEERS, 30).await;
    let pat = s.create_pat(ALICE_DEFAULT, Some(&jwt), ENGINEERS).await["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    s.get("/whoami").auth(&pat).send().await.expect(200);
    s.set_status(BOB_DEFAULT, "etl-bot", "disabled")
        .await
        .expect(200);
    s.get("/whoami")
        .auth(&pat)
        .send()
        .await
        .expect_error(401, "PRINCIPAL_DISABLED");
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "PRINCIPAL_DISABLED");
    s.set_status(BOB_DEFAULT, "etl-bot", "enabled")
        .await
        .expect(200);
    // PATs work again; the token from before the disable stays dead; a new one works.
    s.get("/whoami").auth(&pat).send().await.expect(200);
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
    let fresh = s.assume(ALICE_DEFAULT, "etl-bot", ENGINEERS, 30).await;
    let r = s
        .get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&fresh)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["UserId"], "etl-bot");
}

#[tokio::test]
async fn owned_resources_of_a_service_user() {
    let s = Srv::start().await;
    let r = s
        .get("/users/etl-bot/owned-resources")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(
        r.body,
        json!({"Resources": [
            {"ResourceType": "datasource", "ResourceId": "ds-clicks", "Name": "clickstream-s3"},
            {"ResourceType": "datasource", "ResourceId": "ds-orders", "Name": "orders-jdbc"}
        ]})
    );
    s.get("/users/etl-bot/owned-resources")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.get("/users/carol/owned-resources")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
}

#[tokio::test]
async fn owners_list_and_revoke_a_service_users_pats() {
    let s = Srv::start().await;
    let jwt = s.assume(CAROL_DEFAULT, "report-bot", ANALYSTS, 30).await;
    let created = s.create_pat(CAROL_DEFAULT, Some(&jwt), ANALYSTS).await;
    let token_id = created["TokenId"].as_str().unwrap().to_owned();
    let secret = created["Token"].as_str().unwrap().to_owned();
    // alice (another owner) sees it, never the secret, with carol as its maker.
    let r = s
        .get("/users/report-bot/access-tokens")
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect(200);
    let tokens = r.body["AccessTokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0]["TokenId"], json!(token_id));
    assert_eq!(tokens[0]["CreatedBy"], "carol");
    assert_eq!(tokens[0]["RoleId"], ANALYSTS);
    assert_eq!(tokens[0]["Status"], "active");
    assert!(!r.body.to_string().contains(&secret));
    s.get("/users/report-bot/access-tokens")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.get("/users/bob/access-tokens")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
    // Revoked without assuming.
    s.delete(&format!("/users/report-bot/access-tokens/{token_id}"))
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.delete(&format!("/users/report-bot/access-tokens/{token_id}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect(204);
    s.delete(&format!("/users/report-bot/access-tokens/{token_id}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.get("/whoami")
        .auth(&secret)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    // Another principal's PAT cannot be revoked through a service user's path.
    let bobs = s.get("/access-tokens").auth(BOB_DEFAULT).send().await;
    let bob_token = bobs.body["AccessTokens"][0]["TokenId"]
        .as_str()
        .unwrap()
        .to_owned();
    s.delete(&format!("/users/report-bot/access-tokens/{bob_token}"))
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}
