//! Authentication: PATs, sessions, the role_id header, disabled principals, the lockout.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn missing_or_unknown_credentials_are_401_unauthenticated() {
    let s = Srv::start().await;
    s.get("/whoami")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami")
        .auth("amo_pat_nope")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami")
        .auth("")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami")
        .auth(&"x".repeat(5000))
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn raw_and_bearer_tokens_both_work() {
    let s = Srv::start().await;
    let r = s.get("/whoami").auth(ALICE_DEFAULT).send().await;
    r.expect(200);
    assert_eq!(
        r.body,
        json!({"UserId": "alice", "IsServiceUser": false, "RoleId": DEFAULT_ROLE, "ActorUserId": null})
    );
    let r = s
        .get("/whoami")
        .auth(&format!("Bearer {ALICE_SA}"))
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["RoleId"], SUPER_ADMIN);
}

#[tokio::test]
async fn a_pat_is_bound_to_its_role() {
    let s = Srv::start().await;
    s.get("/whoami")
        .auth(ALICE_ENGINEERS)
        .role(ENGINEERS)
        .send()
        .await
        .expect(200);
    let r = s
        .get("/whoami")
        .auth(ALICE_ENGINEERS)
        .role(SUPER_ADMIN)
        .send()
        .await;
    r.expect_error(403, "ROLE_NOT_ATTACHED");
}

#[tokio::test]
async fn a_session_picks_any_attached_role_with_the_header() {
    let s = Srv::start().await;
    let token = sign_in(&s, "alice", ALICE_PASSWORD).await;
    let r = s.get("/whoami").auth(&token).send().await;
    assert_eq!(
        r.body["RoleId"], DEFAULT_ROLE,
        "the default role without a header"
    );
    let r = s.get("/whoami").auth(&token).role(SUPER_ADMIN).send().await;
    assert_eq!(r.body["RoleId"], SUPER_ADMIN);
    s.get("/whoami")
        .auth(&token)
        .role(ANALYSTS)
        .send()
        .await
        .expect_error(403, "ROLE_NOT_ATTACHED");
    s.get("/whoami")
        .auth(&token)
        .role("no-such-role")
        .send()
        .await
        .expect_error(403, "ROLE_NOT_ATTACHED");
}

#[tokio::test]
async fn a_disabled_principal_is_401_principal_disabled() {
    let s = Srv::start().await;
    s.get("/whoami")
        .auth(DAVE_DEFAULT)
        .send()
        .await
        .expect_error(401, "PRINCIPAL_DISABLED");
}

#[tokio::test]
async fn an_expired_pat_is_401_token_expired() {
    let mut seed = demo_seed();
    seed["Users"][1]["AccessTokens"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "TokenName": "old", "Token": "amo_pat_bob_expired_0000000000000000000000",
            "RoleId": DEFAULT_ROLE, "ExpiresAt": "2020-01-01T00:00:00Z"
        }));
    let s = Srv::start_with_seed(&seed).await;
    let r = s
        .get("/whoami")
        .auth("amo_pat_bob_expired_0000000000000000000000")
        .send()
        .await;
    r.expect_error(401, "TOKEN_EXPIRED");
    let r = s.get("/access-tokens").auth(BOB_DEFAULT).send().await;
    let old = r.body["AccessTokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["TokenName"] == "old")
        .unwrap()
        .clone();
    assert_eq!(old["Status"], "expired");
}

pub async fn sign_in(s: &Srv, user: &str, password: &str) -> String {
    let r = s
        .post("/auth/sessions")
        .json(json!({"UserId": user, "Password": password}))
        .send()
        .await;
    r.expect(201);
    r.body["SessionToken"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn sign_in_creates_a_60_minute_session() {
    let s = Srv::start().await;
    let r = s
        .post("/auth/sessions")
        .json(json!({"UserId": "bob", "Password": BOB_PASSWORD}))
        .send()
        .await;
    r.expect(201);
    let token = r.body["SessionToken"].as_str().unwrap();
    let expires =
        chrono::DateTime::parse_from_rfc3339(r.body["ExpiresAt"].as_str().unwrap()).unwrap();
    let lifetime = expires.timestamp() - now_s();
    assert!((3590..=3600).contains(&lifetime), "{lifetime}");
    assert!(r.body["SessionId"].as_str().is_some());
    let me = s.get("/whoami").auth(token).send().await;
    assert_eq!(me.body["UserId"], "bob");
    // The session is listed for its user.
    let r = s.get("/users/bob/sessions").auth(token).send().await;
    r.expect(200);
    let sessions = r.body["Sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0]["ExpiresAt"],
        json!(expires
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    );
}

#[tokio::test]
async fn every_sign_in_failure_is_the_same_401() {
    let s = Srv::start().await;
    let attempts = [
        json!({"UserId": "nobody", "Password": "x"}),
        json!({"UserId": "carol", "Password": "wrong"}),
        json!({"UserId": "etl-bot", "Password": "anything"}),
        json!({"UserId": "dave", "Password": DAVE_PASSWORD}),
    ];
    let mut bodies = Vec::new();
    for a in attempts {
        let r = s.post("/auth/sessions").json(a).send().await;
        r.expect_error(401, "UNAUTHENTICATED");
        bodies.push(r.body);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "identical answers: {bodies:?}"
    );
    s.post("/auth/sessions")
        .json(json!({"UserId": "carol"}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
}

#[tokio::test]
async fn five_failures_in_15_minutes_lock_the_user_id_with_429() {
    let s = Srv::start().await;
    // Five wrong passwords at once: the throttle counts attempts in flight too.
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..5 {
        attempts.spawn(
            s.post("/auth/sessions")
                .json(json!({"UserId": "carol", "Password": "wrong"}))
                .send(),
        );
    }
    while let Some(r) = attempts.join_next().await {
        r.unwrap().expect_error(401, "UNAUTHENTICATED");
    }
    // Now even the right password is refused, for this UserId only.
    let r = s
        .post("/auth/sessions")
        .json(json!({"UserId": "carol", "Password": CAROL_PASSWORD}))
        .send()
        .await;
    r.expect_error(429, "TOO_MANY_ATTEMPTS");
    sign_in(&s, "bob", BOB_PASSWORD).await;
}

#[tokio::test]
async fn global_sign_out_ends_sessions_not_pats() {
    let s = Srv::start().await;
    let t1 = sign_in(&s, "bob", BOB_PASSWORD).await;
    let t2 = sign_in(&s, "bob", BOB_PASSWORD).await;
    let r = s
        .post("/users/bob/global-signout")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body, json!({"EndedSessions": 2}));
    s.get("/whoami")
        .auth(&t1)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami")
        .auth(&t2)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami").auth(BOB_DEFAULT).send().await.expect(200);
    let r = s.get("/users/bob/sessions").auth(BOB_DEFAULT).send().await;
    assert_eq!(r.body, json!({"Sessions": []}));
}

#[tokio::test]
async fn sessions_are_for_the_user_itself_or_a_super_admin() {
    let s = Srv::start().await;
    s.get("/users/bob/sessions")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect(200);
    s.get("/users/bob/sessions")
        .auth(ALICE_SA)
        .send()
        .await
        .expect(200);
    s.get("/users/bob/sessions")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    s.get("/users/bob/sessions")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    s.post("/users/bob/global-signout")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    s.post("/users/bob/global-signout")
        .auth(ALICE_SA)
        .send()
        .await
        .expect(200);
    s.get("/users/nobody/sessions")
        .auth(ALICE_SA)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn service_users_have_no_sessions() {
    let s = Srv::start().await;
    let r = s.get("/users/etl-bot/sessions").auth(ALICE_SA).send().await;
    r.expect_error(400, "NO_SESSIONS_FOR_SERVICE_USERS");
    let r = s
        .post("/users/etl-bot/global-signout")
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect_error(400, "NO_SESSIONS_FOR_SERVICE_USERS");
    // Even for the service user itself, acting.
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 5).await;
    let r = s
        .get("/users/etl-bot/sessions")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await;
    r.expect_error(400, "NO_SESSIONS_FOR_SERVICE_USERS");
}
