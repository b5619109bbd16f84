//! The HTTP conventions: 404/405 bodies, malformed bodies, size limits, the Host check.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn unknown_path_is_404_not_found() {
    let s = Srv::start().await;
    s.get("/no/such/path")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.get("/no/such/path")
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
    s.delete("/users/etl-bot/nothing")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn wrong_method_is_405_with_allow_header() {
    let s = Srv::start().await;
    let r = s
        .call(reqwest::Method::PATCH, "/users")
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect_error(405, "METHOD_NOT_ALLOWED");
    let allow = r.header("allow").unwrap();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let r = s.put("/healthz").send().await;
    r.expect_error(405, "METHOD_NOT_ALLOWED");
    assert!(r.header("allow").unwrap().contains("GET"));
    let r = s
        .get("/users/etl-bot/status")
        .auth(ALICE_DEFAULT)
        .send()
        .await;
    r.expect_error(405, "METHOD_NOT_ALLOWED");
    assert_eq!(r.header("allow"), Some("PUT"));
}

#[tokio::test]
async fn malformed_bodies_are_400_invalid_request_never_415_or_422() {
    let s = Srv::start().await;
    let post = || s.post("/users").auth(ALICE_SA);
    // Malformed JSON, wrong type, missing field, unknown field, no or wrong content type.
    post()
        .raw_json("{\"UserId\": ")
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .json(json!({"UserId": 42, "DisplayName": "x"}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .json(json!({"DisplayName": "x"}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .json(json!({"UserId": "new-bot", "DisplayName": "x", "Color": "red"}))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .json(json!(["not", "an", "object"]))
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .body(r#"{"UserId":"new-bot","DisplayName":"x"}"#)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .header("Content-Type", "text/plain")
        .body(r#"{"UserId":"new-bot","DisplayName":"x"}"#)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    post()
        .raw_json("")
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    // Malformed query parameters too.
    s.get("/users?limit=abc")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    s.get("/users?limit=0")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    s.get("/users?action=bogus")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    // Nothing was created along the way.
    s.get("/users/new-bot")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn body_over_64_kib_is_413_and_exactly_64_kib_is_read() {
    let s = Srv::start().await;
    let body = json!({"UserId": "padded-bot", "DisplayName": "Padded"}).to_string();
    // Pad with whitespace (valid JSON) to exactly the limit, then one byte over it.
    let exact = format!("{body}{}", " ".repeat(64 * 1024 - body.len()));
    assert_eq!(exact.len(), 65_536);
    let over = format!("{exact} ");
    let r = s.post("/users").auth(ALICE_SA).raw_json(over).send().await;
    r.expect_error(413, "PAYLOAD_TOO_LARGE");
    s.post("/users")
        .auth(ALICE_SA)
        .raw_json(exact)
        .send()
        .await
        .expect(201);
    // A much larger body is refused the same way, without reading it all.
    let huge = "x".repeat(4 * 1024 * 1024);
    s.post("/auth/sessions")
        .raw_json(huge)
        .send()
        .await
        .expect_error(413, "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn oversized_headers_are_431_and_the_server_keeps_serving() {
    let s = Srv::start().await;
    let big = "a".repeat(1024 * 1024);
    let r = s
        .get("/whoami")
        .auth(ALICE_DEFAULT)
        .header("X-Amorphic-Service-User", &big)
        .send()
        .await;
    assert_eq!(r.status, 431);
    s.get("/healthz").send().await.expect(200);
    // A header under the limit but over any sane token is just an invalid token.
    let r = s
        .get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&"b".repeat(32 * 1024))
        .send()
        .await;
    r.expect_error(401, "TOKEN_INVALID");
}

#[tokio::test]
async fn host_check_refuses_foreign_hosts_on_loopback() {
    let s = Srv::start_with(|o| o.allowed_host("devbox.internal")).await;
    for host in ["evil.example", "evil.example:8787", "127.0.0.1.nip.io"] {
        let r = s.get("/healthz").header("Host", host).send().await;
        r.expect_error(403, "FORBIDDEN");
    }
    for host in [
        "localhost",
        "localhost:8787",
        "127.0.0.1",
        "[::1]:1234",
        "devbox.internal:8787",
        "DEVBOX.internal",
    ] {
        s.get("/healthz")
            .header("Host", host)
            .send()
            .await
            .expect(200);
    }
    // The check comes before everything else, also unknown paths.
    s.get("/nope")
        .header("Host", "evil.example")
        .send()
        .await
        .expect_error(403, "FORBIDDEN");
}

#[tokio::test]
async fn head_requests_get_headers_only() {
    let s = Srv::start().await;
    let r = s.call(reqwest::Method::HEAD, "/healthz").send().await;
    r.expect(200);
}
