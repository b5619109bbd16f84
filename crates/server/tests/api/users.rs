//! `GET /users`, `GET /users/{id}`, `GET /whoami`, `POST /users`, `DELETE /users/{id}`.

use serde_json::{json, Value};

use crate::common::*;

fn ids(body: &Value) -> Vec<&str> {
    body["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserId"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn list_users_is_sorted_and_paged() {
    let s = Srv::start().await;
    let r = s.get("/users").auth(CAROL_DEFAULT).send().await;
    r.expect(200);
    assert_eq!(
        ids(&r.body),
        [
            "alice",
            "bob",
            "carol",
            "dave",
            "etl-bot",
            "finance-bot",
            "report-bot"
        ]
    );
    assert_eq!(r.body["TotalCount"], 7);
    let r = s
        .get("/users?offset=2&limit=2")
        .auth(CAROL_DEFAULT)
        .send()
        .await;
    assert_eq!(ids(&r.body), ["carol", "dave"]);
    assert_eq!(r.body["TotalCount"], 7);
    // Larger limits are clamped, not refused.
    s.get("/users?limit=100000")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(200);
    let r = s.get("/users?offset=50").auth(CAROL_DEFAULT).send().await;
    assert_eq!(r.body["Users"], json!([]));
}

#[tokio::test]
async fn list_service_users_only() {
    let s = Srv::start().await;
    let r = s
        .get("/users?action=get_service_users")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(ids(&r.body), ["etl-bot", "finance-bot", "report-bot"]);
    assert_eq!(r.body["TotalCount"], 3);
    // CallerAccess follows the caller: bob has etl-bot through the team-data tag.
    let access: Vec<&Value> = r.body["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["CallerAccess"])
        .collect();
    assert_eq!(access, [&json!("owner"), &Value::Null, &Value::Null]);
}

#[tokio::test]
async fn get_user_shows_regular_and_service_users() {
    let s = Srv::start().await;
    let r = s.get("/users/carol").auth(BOB_DEFAULT).send().await;
    r.expect(200);
    let carol = r.body.as_object().unwrap();
    assert_eq!(carol["Email"], "carol@example.com");
    assert_eq!(carol["Tags"], json!(["team-finance"]));
    assert!(!carol.contains_key("Shares") && !carol.contains_key("CallerAccess"));

    let r = s.get("/users/report-bot").auth(CAROL_DEFAULT).send().await;
    r.expect(200);
    let b = &r.body;
    assert_eq!(b["IsServiceUser"], true);
    assert_eq!(b["Email"], Value::Null);
    assert_eq!(b["Tags"], json!([]));
    assert_eq!(b["UserStatus"], "enabled");
    assert_eq!(b["DefaultRoleId"], DEFAULT_ROLE);
    assert_eq!(b["Roles"], json!([DEFAULT_ROLE, ANALYSTS]));
    assert_eq!(b["CreatedBy"], "alice");
    assert_eq!(b["CallerAccess"], "owner");
    assert_eq!(
        b["Shares"],
        json!({"Users": [{"UserId": "alice", "AccessType": "owner"}, {"UserId": "carol", "AccessType": "owner"}], "Tags": []})
    );
    assert!(b["Version"].as_i64().unwrap() > 0);
    let r = s.get("/users/report-bot").auth(BOB_DEFAULT).send().await;
    assert_eq!(r.body["CallerAccess"], Value::Null);
    assert!(r.body.as_object().unwrap().contains_key("CallerAccess"));
}

#[tokio::test]
async fn get_unknown_user_is_404() {
    let s = Srv::start().await;
    s.get("/users/nobody")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.get("/users/Alice")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn whoami_reports_principal_role_and_actor() {
    let s = Srv::start().await;
    let r = s.get("/whoami").auth(BOB_ENGINEERS).send().await;
    assert_eq!(
        r.body,
        json!({"UserId": "bob", "IsServiceUser": false, "RoleId": ENGINEERS, "ActorUserId": null})
    );
    let jwt = s.assume(BOB_DEFAULT, "etl-bot", ENGINEERS, 10).await;
    let r = s.get("/whoami").auth(BOB_DEFAULT).acting(&jwt).send().await;
    assert_eq!(
        r.body,
        json!({"UserId": "etl-bot", "IsServiceUser": true, "RoleId": ENGINEERS, "ActorUserId": "bob"})
    );
}

#[tokio::test]
async fn super_admin_creates_a_service_user() {
    let s = Srv::start().await;
    let r = s
        .post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "new.bot_1", "DisplayName": "New bot", "Description": "made in a test"}))
        .send()
        .await;
    r.expect(201);
    let u = &r.body;
    assert_eq!(u["UserId"], "new.bot_1");
    assert_eq!(u["IsServiceUser"], true);
    assert_eq!(u["UserStatus"], "enabled");
    assert_eq!(u["Roles"], json!([DEFAULT_ROLE]));
    assert_eq!(u["DefaultRoleId"], DEFAULT_ROLE);
    assert_eq!(u["CreatedBy"], "alice");
    assert_eq!(u["Description"], "made in a test");
    assert_eq!(u["Email"], Value::Null);
    assert_eq!(
        u["Shares"],
        json!({"Users": [{"UserId": "alice", "AccessType": "owner"}], "Tags": []})
    );
    assert_eq!(u["CallerAccess"], "owner");
    assert_eq!(s.user("new.bot_1").await, r.body);
    // Without Description.
    s.post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "plain", "DisplayName": "Plain"}))
        .send()
        .await
        .expect(201);
}

#[tokio::test]
async fn creating_needs_an_active_super_admin_role() {
    let s = Srv::start().await;
    let body = json!({"UserId": "x-bot", "DisplayName": "X"});
    for pat in [ALICE_DEFAULT, ALICE_SYSADMINS, BOB_DEFAULT] {
        s.post("/users")
            .auth(pat)
            .json(body.clone())
            .send()
            .await
            .expect_error(403, "SUPER_ADMIN_REQUIRED");
    }
    // A service user never creates one, even with the super-admin role attached and active.
    s.post("/users/etl-bot/roles")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleIds": [SUPER_ADMIN]}))
        .send()
        .await
        .expect(200);
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", SUPER_ADMIN, 5).await;
    let r = s
        .post("/users")
        .auth(ALICE_SA)
        .acting(&jwt)
        .json(body.clone())
        .send()
        .await;
    r.expect_error(403, "SUPER_ADMIN_REQUIRED");
    let who = s
        .get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await;
    assert_eq!(who.body["RoleId"], SUPER_ADMIN);
}

#[tokio::test]
async fn an_id_equal_ignoring_case_already_exists() {
    let s = Srv::start().await;
    for id in ["etl-bot", "ETL-Bot", "ALICE"] {
        let r = s
            .post("/users")
            .auth(ALICE_SA)
            .json(json!({"UserId": id, "DisplayName": "dup"}))
            .send()
            .await;
        r.expect_error(409, "ALREADY_EXISTS");
    }
}

#[tokio::test]
async fn a_bad_user_id_email_or_password_is_400() {
    let s = Srv::start().await;
    for id in ["ab", "has space", "ünï", &"x".repeat(65), "a/b"] {
        let r = s
            .post("/users")
            .auth(ALICE_SA)
            .json(json!({"UserId": id, "DisplayName": "bad"}))
            .send()
            .await;
        r.expect_error(400, "INVALID_REQUEST");
    }
    let r = s
        .post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "mail-bot", "DisplayName": "m", "Email": "m@x.y"}))
        .send()
        .await;
    r.expect_error(400, "INVALID_REQUEST");
    let r = s
        .post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "pw-bot", "DisplayName": "p", "Password": "secret"}))
        .send()
        .await;
    r.expect_error(400, "INVALID_REQUEST");
    let r = s
        .post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "empty-bot", "DisplayName": ""}))
        .send()
        .await;
    r.expect_error(400, "INVALID_REQUEST");
}

#[tokio::test]
async fn delete_moves_every_owned_resource_to_the_transfer_user() {
    let s = Srv::start().await;
    // etl-bot owns ds-orders and ds-clicks, and gets a PAT of its own.
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", ENGINEERS, 10).await;
    let pat = s.create_pat(ALICE_DEFAULT, Some(&jwt), ENGINEERS).await;
    let pat = pat["Token"].as_str().unwrap().to_owned();
    let r = s
        .post("/datasources")
        .auth(&pat)
        .json(json!({"DatasourceName": "late", "DatasourceType": "s3"}))
        .send()
        .await;
    r.expect(201);
    let late = r.body["DatasourceId"].as_str().unwrap().to_owned();
    let owned = s
        .get("/users/etl-bot/owned-resources")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    assert_eq!(owned.body["Resources"].as_array().unwrap().len(), 3);

    s.set_status(BOB_DEFAULT, "etl-bot", "disabled")
        .await
        .expect(200);
    let r = s
        .delete("/users/etl-bot?transfer_user_id=carol")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["TransferredTo"], "carol");
    let moved: Vec<&str> = r.body["TransferredResources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["ResourceId"].as_str().unwrap())
        .collect();
    let mut expected = vec!["ds-clicks", "ds-orders", late.as_str()];
    expected.sort();
    assert_eq!(moved, expected);
    let clicks = r.body["TransferredResources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ResourceId"] == "ds-clicks")
        .unwrap();
    assert_eq!(
        clicks,
        &json!({"ResourceType": "datasource", "ResourceId": "ds-clicks", "Name": "clickstream-s3"})
    );
    // The resources really moved; the user, its shares and its PATs are gone.
    for id in ["ds-orders", "ds-clicks", &late] {
        let ds = s
            .get(&format!("/datasources/{id}"))
            .auth(CAROL_DEFAULT)
            .send()
            .await;
        assert_eq!(ds.body["Owner"], "carol", "{id}");
    }
    s.get("/users/etl-bot")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.get("/whoami")
        .auth(&pat)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
    let r = s
        .get("/users?action=get_service_users")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    assert_eq!(r.body["TotalCount"], 2);
    // The carol datasource set now includes the moved ones; delete works for her.
    s.delete(&format!("/datasources/{late}"))
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(204);
}

#[tokio::test]
async fn delete_needs_a_disabled_service_user_and_a_valid_transfer_user() {
    let s = Srv::start().await;
    s.delete("/users/etl-bot?transfer_user_id=bob")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(409, "MUST_DISABLE_FIRST");
    s.set_status(ALICE_DEFAULT, "etl-bot", "disabled")
        .await
        .expect(200);
    s.delete("/users/etl-bot")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(400, "TRANSFER_USER_REQUIRED");
    s.delete("/users/etl-bot?transfer_user_id=")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(400, "TRANSFER_USER_REQUIRED");
    for bad in ["nobody", "report-bot", "dave", "etl-bot", "no%20such"] {
        let r = s
            .delete(&format!("/users/etl-bot?transfer_user_id={bad}"))
            .auth(ALICE_DEFAULT)
            .send()
            .await;
        r.expect_error(400, "INVALID_TRANSFER_USER");
    }
    s.delete("/users/etl-bot?transfer_user_id=bob")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.delete("/users/bob?transfer_user_id=carol")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
    s.delete("/users/nobody?transfer_user_id=carol")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    // Nothing changed on the way.
    let u = s.user("etl-bot").await;
    assert_eq!(u["UserStatus"], "disabled");
}

#[tokio::test]
async fn a_deleted_id_can_be_created_again_as_a_new_user() {
    let s = Srv::start().await;
    s.set_status(CAROL_DEFAULT, "finance-bot", "disabled")
        .await
        .expect(200);
    s.delete("/users/finance-bot?transfer_user_id=carol")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(200);
    let r = s
        .post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "finance-bot", "DisplayName": "Again"}))
        .send()
        .await;
    r.expect(201);
    assert_eq!(
        r.body["Shares"]["Users"],
        json!([{"UserId": "alice", "AccessType": "owner"}])
    );
    assert_eq!(r.body["Roles"], json!([DEFAULT_ROLE]));
}
