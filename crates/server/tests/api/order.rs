//! The contract's order of checks: when several rules fail, the first in order answers.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn authentication_comes_first() {
    let s = Srv::start().await;
    let huge = "x".repeat(100 * 1024);
    // 401 before 413 and before a malformed body, a missing path or a role header.
    s.post("/users")
        .raw_json(huge.clone())
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.post("/users/ghost/roles")
        .raw_json("{")
        .role("nope")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/users/ghost")
        .auth(DAVE_DEFAULT)
        .send()
        .await
        .expect_error(401, "PRINCIPAL_DISABLED");
}

#[tokio::test]
async fn then_the_role_header_then_the_body() {
    let s = Srv::start().await;
    let huge = "x".repeat(100 * 1024);
    s.post("/users")
        .auth(BOB_DEFAULT)
        .role(SUPER_ADMIN)
        .raw_json(huge.clone())
        .send()
        .await
        .expect_error(403, "ROLE_NOT_ATTACHED");
    s.post("/users")
        .auth(BOB_DEFAULT)
        .raw_json(huge)
        .send()
        .await
        .expect_error(413, "PAYLOAD_TOO_LARGE");
    // 400 (form) before 404 (path), 403 (permission) and 409 (state).
    s.put("/users/ghost/status")
        .auth(BOB_DEFAULT)
        .json(json!({"UserStatus": "off"}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    s.post("/users")
        .auth(BOB_DEFAULT)
        .json(json!({"UserId": "etl-bot"}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
}

#[tokio::test]
async fn then_the_path_user_its_kind_and_permission() {
    let s = Srv::start().await;
    let body = json!({"RoleId": "role-nope", "ExpiryInMinutes": 999});
    // 404 before NOT_A_SERVICE_USER before any permission or body-id check.
    s.post("/users/ghost/auth-token")
        .auth(CAROL_DEFAULT)
        .json(body.clone())
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.post("/users/bob/auth-token")
        .auth(CAROL_DEFAULT)
        .json(body.clone())
        .send()
        .await
        .expect_error(400, "NOT_A_SERVICE_USER");
    // No access (403) before an unknown role named in the body (404) and the expiry (400).
    s.post("/users/etl-bot/auth-token")
        .auth(CAROL_DEFAULT)
        .json(body.clone())
        .send()
        .await
        .expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    s.post("/users/etl-bot/auth-token")
        .auth(BOB_DEFAULT)
        .json(body)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn then_body_ids_their_permission_state_and_value_rules() {
    let s = Srv::start().await;
    s.set_status(BOB_DEFAULT, "etl-bot", "disabled")
        .await
        .expect(200);
    // Role not attached (403) before the disabled state (409) before the expiry (400).
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(BOB_DEFAULT)
        .json(json!({"RoleId": ANALYSTS, "ExpiryInMinutes": 999}))
        .send()
        .await;
    r.expect_error(403, "ROLE_NOT_ATTACHED");
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(BOB_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 999}))
        .send()
        .await;
    r.expect_error(409, "SERVICE_USER_DISABLED");
    s.set_status(BOB_DEFAULT, "etl-bot", "enabled")
        .await
        .expect(200);
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(BOB_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 999}))
        .send()
        .await;
    r.expect_error(400, "INVALID_EXPIRY");
    // Delete: state (409) before the transfer user (400).
    s.delete("/users/etl-bot?transfer_user_id=ghost")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(409, "MUST_DISABLE_FIRST");
    // Shares: unknown user (404) before the access type (400).
    let r = s
        .put("/users/etl-bot/shares")
        .auth(BOB_DEFAULT)
        .json(json!({"Users": [{"UserId": "ghost", "AccessType": "editor"}]}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
    // PATs: unknown role (404) before the role check (403) before the expiry (400).
    let r = s
        .post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "t", "RoleId": "role-nope", "ExpiresAt": in_days(-1)}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
    let r = s
        .post("/access-tokens")
        .auth(BOB_DEFAULT)
        .json(json!({"TokenName": "t", "RoleId": SUPER_ADMIN, "ExpiresAt": in_days(-1)}))
        .send()
        .await;
    r.expect_error(403, "ROLE_NOT_ATTACHED");
    // Create: permission (403) before state (409).
    s.post("/users")
        .auth(BOB_DEFAULT)
        .json(json!({"UserId": "etl-bot", "DisplayName": "x"}))
        .send()
        .await
        .expect_error(403, "SUPER_ADMIN_REQUIRED");
}
