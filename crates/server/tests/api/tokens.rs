//! `POST /users/{id}/auth-token` and acting as a service user with `X-Amorphic-Service-User`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn issued_token_has_the_contract_claims_and_verifies_with_the_jwks() {
    let s = Srv::start().await;
    let before = now_s();
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(BOB_DEFAULT)
        .json(json!({"RoleId": ENGINEERS, "ExpiryInMinutes": 30}))
        .send()
        .await;
    r.expect(201);
    assert_eq!(r.body["RoleId"], ENGINEERS);
    assert_eq!(r.body["UserId"], "etl-bot");
    let token = r.body["Token"].as_str().unwrap();
    assert!(token.len() < 1200, "{} characters", token.len());
    let (header, claims) = jwt_parts(token);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], json!(s.kid().await));
    assert_eq!(claims["iss"], json!(s.url));
    assert_eq!(claims["aud"], "amorphic");
    assert_eq!(claims["sub"], "etl-bot");
    assert_eq!(claims["act"], json!({"sub": "bob"}));
    assert_eq!(claims["role_id"], ENGINEERS);
    assert_eq!(claims["is_service_user"], true);
    assert!(claims["uid"].as_i64().is_some());
    assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
    let (iat, nbf, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["nbf"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 30 * 60);
    assert!(nbf <= iat && (before..=now_s()).contains(&iat));
    let expires =
        chrono::DateTime::parse_from_rfc3339(r.body["ExpiresAt"].as_str().unwrap()).unwrap();
    assert_eq!(expires.timestamp(), exp, "ExpiresAt equals exp");

    // Verify the signature independently with the published key.
    let jwks = s.get("/.well-known/jwks.json").send().await.body;
    let x = URL_SAFE_NO_PAD
        .decode(jwks["keys"][0]["x"].as_str().unwrap())
        .unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap();
    let (signed, sig) = token.rsplit_once('.').unwrap();
    let sig = ed25519_dalek::Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
    key.verify_strict(signed.as_bytes(), &sig).unwrap();
}

#[tokio::test]
async fn expiry_in_minutes_must_be_an_integer_from_1_to_180() {
    let s = Srv::start().await;
    for bad in [
        json!(0),
        json!(181),
        json!(-1),
        json!(30.5),
        json!("30"),
        json!(null),
        json!(1e10),
    ] {
        let r = s
            .post("/users/etl-bot/auth-token")
            .auth(ALICE_DEFAULT)
            .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": bad}))
            .send()
            .await;
        r.expect_error(400, "INVALID_EXPIRY");
    }
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 180).await;
    let (_, c) = jwt_parts(&jwt);
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        10_800
    );
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 1).await;
    let (_, c) = jwt_parts(&jwt);
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 60);
    // A missing field is a malformed body.
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE}))
        .send()
        .await;
    r.expect_error(400, "INVALID_REQUEST");
}

#[tokio::test]
async fn the_role_must_be_attached_to_the_service_user() {
    let s = Srv::start().await;
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleId": ANALYSTS, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(403, "ROLE_NOT_ATTACHED");
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleId": "role-nope", "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn a_disabled_service_user_cannot_be_assumed() {
    let s = Srv::start().await;
    s.set_status(ALICE_DEFAULT, "etl-bot", "disabled")
        .await
        .expect(200);
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(409, "SERVICE_USER_DISABLED");
}

#[tokio::test]
async fn no_chains_service_users_never_assume() {
    let s = Srv::start().await;
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 5).await;
    let r = s
        .post("/users/report-bot/auth-token")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(403, "SERVICE_USER_NOT_ALLOWED");
    let pat = s.create_pat(ALICE_DEFAULT, Some(&jwt), DEFAULT_ROLE).await["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(&pat)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(403, "SERVICE_USER_NOT_ALLOWED");
}

#[tokio::test]
async fn assuming_needs_access() {
    let s = Srv::start().await;
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(CAROL_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    // A super-admin role does not grant access to a service user.
    let r = s
        .post("/users/finance-bot/auth-token")
        .auth(ALICE_SA)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(403, "NO_ACCESS_TO_SERVICE_USER");
    let r = s
        .post("/users/bob/auth-token")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await;
    r.expect_error(400, "NOT_A_SERVICE_USER");
}

#[tokio::test]
async fn acting_under_a_role_and_switching_it() {
    let s = Srv::start().await;
    let jwt = s.assume(BOB_DEFAULT, "etl-bot", DEFAULT_ROLE, 10).await;
    // The default role cannot create datasources; role-data-engineers can.
    let body = json!({"DatasourceName": "bot-made", "DatasourceType": "jdbc"});
    s.post("/datasources")
        .auth(BOB_DEFAULT)
        .acting(&jwt)
        .json(body.clone())
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
    let r = s
        .post("/datasources")
        .auth(BOB_DEFAULT)
        .acting(&jwt)
        .role(ENGINEERS)
        .json(body)
        .send()
        .await;
    r.expect(201);
    assert_eq!(r.body["Owner"], "etl-bot");
    let r = s
        .get("/whoami")
        .auth(BOB_DEFAULT)
        .acting(&jwt)
        .role(ANALYSTS)
        .send()
        .await;
    r.expect_error(403, "ROLE_NOT_ATTACHED");
}

#[tokio::test]
async fn a_token_needs_the_user_who_assumed_it() {
    let s = Srv::start().await;
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 10).await;
    // A stolen token alone is useless, and useless with someone else's credentials.
    s.get("/whoami")
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.get("/whoami")
        .auth(BOB_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
    s.get("/whoami")
        .auth(ALICE_SA)
        .acting(&jwt)
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn a_detached_role_takes_effect_at_once() {
    let s = Srv::start().await;
    let jwt = s.assume(ALICE_DEFAULT, "etl-bot", ENGINEERS, 10).await;
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect(200);
    s.delete(&format!("/users/etl-bot/roles/{ENGINEERS}"))
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect(200);
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(403, "ROLE_NOT_ATTACHED");
    // Picking a still-attached role with the header works.
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .role(DEFAULT_ROLE)
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn a_deleted_and_re_created_service_user_does_not_revive_old_tokens() {
    let s = Srv::start().await;
    let jwt = s
        .assume(CAROL_DEFAULT, "finance-bot", DEFAULT_ROLE, 10)
        .await;
    s.set_status(CAROL_DEFAULT, "finance-bot", "disabled")
        .await
        .expect(200);
    s.delete("/users/finance-bot?transfer_user_id=carol")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(200);
    s.get("/whoami")
        .auth(CAROL_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
    s.post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "finance-bot", "DisplayName": "Again"}))
        .send()
        .await
        .expect(201);
    s.put("/users/finance-bot/shares")
        .auth(ALICE_DEFAULT)
        .json(json!({"Users": [{"UserId": "carol", "AccessType": "owner"}]}))
        .send()
        .await
        .expect(200);
    s.get("/whoami")
        .auth(CAROL_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
    let fresh = s
        .assume(CAROL_DEFAULT, "finance-bot", DEFAULT_ROLE, 10)
        .await;
    s.get("/whoami")
        .auth(CAROL_DEFAULT)
        .acting(&fresh)
        .send()
        .await
        .expect(200);
}

fn claims_now(s: &Srv, iat: i64, exp: i64, uid: i64) -> Value {
    json!({
        "iss": s.url, "aud": "amorphic", "sub": "etl-bot", "uid": uid, "act": {"sub": "alice"},
        "role_id": DEFAULT_ROLE, "is_service_user": true, "iat": iat, "nbf": iat, "exp": exp, "jti": "t",
        // etl-bot was never disabled: disable generation 0.
        "dgen": 0
    })
}

#[tokio::test]
async fn token_verification_refuses_expired_overlong_and_foreign_headers() {
    let s = Srv::start().await;
    let real = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 10).await;
    let uid = jwt_parts(&real).1["uid"].as_i64().unwrap();
    let kid = s.kid().await;
    let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": kid});
    let n = now_s();
    let act = |jwt: String| s.get("/whoami").auth(ALICE_DEFAULT).acting(&jwt).send();
    // Sanity: a forged-but-correct token passes, so the refusals below are about one field.
    act(s.forge(&header, &claims_now(&s, n - 5, n + 600, uid)).await)
        .await
        .expect(200);
    // The disable generation is required and must be the current one.
    for dgen in [None, Some(json!(1)), Some(json!(-1)), Some(json!("0"))] {
        let mut c = claims_now(&s, n - 5, n + 600, uid);
        match dgen {
            Some(v) => c["dgen"] = v,
            None => {
                c.as_object_mut().unwrap().remove("dgen");
            }
        }
        act(s.forge(&header, &c).await)
            .await
            .expect_error(401, "TOKEN_INVALID");
    }
    act(s
        .forge(&header, &claims_now(&s, n - 700, n - 100, uid))
        .await)
    .await
    .expect_error(401, "TOKEN_EXPIRED");
    act(s
        .forge(&header, &claims_now(&s, n - 5, n - 5 + 10_801, uid))
        .await)
    .await
    .expect_error(401, "TOKEN_INVALID");
    act(s
        .forge(&header, &claims_now(&s, n + 300, n + 600, uid))
        .await)
    .await
    .expect_error(401, "TOKEN_INVALID");
    for extra in [
        json!({"jku": "http://evil/jwks"}),
        json!({"x5u": "http://evil/x5u"}),
        json!({"jwk": {"kty": "OKP"}}),
        json!({"crit": ["exp"]}),
    ] {
        let mut h = header.clone();
        h.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        act(s.forge(&h, &claims_now(&s, n - 5, n + 600, uid)).await)
            .await
            .expect_error(401, "TOKEN_INVALID");
    }
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": kid})),
        b64(&claims_now(&s, n - 5, n + 600, uid))
    );
    act(none).await.expect_error(401, "TOKEN_INVALID");
    let mut wrong_kid = header.clone();
    wrong_kid["kid"] = json!("../../etc/passwd' OR 1=1 --");
    act(s
        .forge(&wrong_kid, &claims_now(&s, n - 5, n + 600, uid))
        .await)
    .await
    .expect_error(401, "TOKEN_INVALID");
    let mut c = claims_now(&s, n - 5, n + 600, uid);
    c["exp"] = json!((n + 600).to_string());
    act(s.forge(&header, &c).await)
        .await
        .expect_error(401, "TOKEN_INVALID");
    act("not.a.jwt".into())
        .await
        .expect_error(401, "TOKEN_INVALID");
    act(real).await.expect(200);
}
