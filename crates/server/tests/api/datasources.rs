//! `/datasources` and the vertical applications.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn list_and_get_datasources() {
    let s = Srv::start().await;
    let r = s.get("/datasources").auth(BOB_DEFAULT).send().await;
    r.expect(200);
    let ids: Vec<&str> = r.body["Datasources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DatasourceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ds-clicks", "ds-close", "ds-ledger", "ds-orders"]);
    let r = s
        .get("/datasources/ds-ledger")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["DatasourceName"], "ledger");
    assert_eq!(r.body["DatasourceType"], "jdbc");
    assert_eq!(r.body["Owner"], "carol");
    assert!(r.body["CreationTime"].as_str().unwrap().ends_with('Z'));
    s.get("/datasources/ds-nope")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn creating_needs_datasources_create() {
    let s = Srv::start().await;
    let body = json!({"DatasourceName": "new", "DatasourceType": "jdbc"});
    s.post("/datasources")
        .auth(BOB_DEFAULT)
        .json(body.clone())
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    let r = s
        .post("/datasources")
        .auth(BOB_ENGINEERS)
        .json(body)
        .send()
        .await;
    r.expect(201);
    assert_eq!(r.body["Owner"], "bob");
    assert_eq!(r.body["DatasourceName"], "new");
    let id = r.body["DatasourceId"].as_str().unwrap();
    s.get(&format!("/datasources/{id}"))
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(200);
    s.post("/datasources")
        .auth(BOB_ENGINEERS)
        .json(json!({"DatasourceName": ""}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
}

#[tokio::test]
async fn only_the_owner_deletes_a_datasource() {
    let s = Srv::start().await;
    s.delete("/datasources/ds-ledger")
        .auth(ALICE_SYSADMINS)
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    s.delete("/datasources/ds-ledger")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(204);
    s.delete("/datasources/ds-ledger")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn vertical_apps_are_for_regular_users_with_the_permission() {
    let s = Srv::start().await;
    // Allowed: the reference server has no content, so 404.
    s.get("/mdm/home")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.get("/bi/reports/monthly")
        .auth(CAROL_ANALYSTS)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    // role-data-engineers lacks vertical_apps.access.
    s.get("/bi/reports")
        .auth(BOB_ENGINEERS)
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    // A service user is never allowed, whatever its role.
    let jwt = s.assume(CAROL_DEFAULT, "report-bot", ANALYSTS, 5).await;
    s.get("/bi/reports")
        .auth(CAROL_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(403, "SERVICE_USER_NOT_ALLOWED");
    s.get("/mdm/x")
        .auth(CAROL_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(403, "SERVICE_USER_NOT_ALLOWED");
    s.post("/mdm/x")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(405, "METHOD_NOT_ALLOWED");
}
