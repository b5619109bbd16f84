//! A server that answers badly after a good sync: 500/502/503, malformed or truncated JSON, an
//! HTML page where JSON belongs, an answer slower than the timeout. The sync fails with a code
//! naming the fault; the cache keeps the last good sync and still answers the list.

use std::time::Duration;

use amorphic_su_client::model::{ClientCode, Code};
use amorphic_su_client::{ApiClient, ApiConfig, Client, ClientError, UserFilter};

use super::peer::{alice, answer, client, responder};
use crate::common::Env;

/// A client synced against the demo server, then pointed at `fault` (short timeout, one retry).
/// Returns the environment (keep it alive), the client and the users the good sync cached.
async fn synced_then(tag: &str, fault: String) -> (Env, Client, usize) {
    let env = Env::new().await;
    let good = client(&env.paths, tag, env.srv.base_url()).await;
    good.sync_as(&alice(), false, &|_| {}).await.unwrap();
    let cached = good
        .list_users(&UserFilter::default(), true)
        .await
        .unwrap()
        .data
        .len();
    assert!(cached > 1);
    let config = ApiConfig {
        request_timeout: Duration::from_millis(400),
        get_retries: 1,
        retry_base: Duration::from_millis(10),
        ..ApiConfig::default()
    };
    let bad = good.with_api(ApiClient::with_config(&fault, config).unwrap());
    (env, bad, cached)
}

/// The sync fails with `code`; the cache still lists what the good sync stored.
async fn fails_and_keeps(tag: &str, fault: String, code: ClientCode) -> ClientError {
    let (_env, c, cached) = synced_then(tag, fault).await;
    let as_of = c.last_sync_at().await.unwrap();
    let e = c.sync_as(&alice(), false, &|_| {}).await.unwrap_err();
    assert_eq!(e.code(), Code::from(code), "{e}");
    let kept = c.list_users(&UserFilter::default(), true).await.unwrap();
    assert_eq!(kept.data.len(), cached, "the last good cache is kept");
    assert!(kept.stale);
    assert_eq!(c.last_sync_at().await.unwrap(), as_of);
    e
}

fn status_of(e: &ClientError) -> u16 {
    match e {
        ClientError::ServerError { status, .. } => *status,
        other => panic!("not a server_error: {other:?}"),
    }
}

#[tokio::test]
async fn a_500_is_a_server_error_with_the_servers_message() {
    let body = r#"{"Message":"database on fire","Code":"INTERNAL"}"#;
    let fault = responder(
        answer("500 Internal Server Error", "application/json", body),
        Duration::ZERO,
    )
    .await;
    let e = fails_and_keeps("f500", fault, ClientCode::ServerError).await;
    assert_eq!(status_of(&e), 500);
    assert!(e.to_string().contains("database on fire"), "{e}");
}

#[tokio::test]
async fn a_502_from_a_gateway_is_a_server_error_after_the_retry() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let fault = responder(answer("502 Bad Gateway", "text/html", page), Duration::ZERO).await;
    let e = fails_and_keeps("f502", fault, ClientCode::ServerError).await;
    assert_eq!(status_of(&e), 502);
    assert!(e.to_string().contains("HTTP 502"), "{e}");
}

#[tokio::test]
async fn a_503_with_no_body_is_a_server_error_saying_so() {
    let fault = responder(
        answer("503 Service Unavailable", "text/plain", ""),
        Duration::ZERO,
    )
    .await;
    let e = fails_and_keeps("f503", fault, ClientCode::ServerError).await;
    assert_eq!(status_of(&e), 503);
    assert!(e.to_string().contains("empty body"), "{e}");
}

#[tokio::test]
async fn malformed_json_is_a_server_error_naming_it() {
    let fault = responder(
        answer("200 OK", "application/json", r#"{"Roles": [oops"#),
        Duration::ZERO,
    )
    .await;
    let e = fails_and_keeps("fbadjson", fault, ClientCode::ServerError).await;
    assert!(e.to_string().contains("malformed JSON"), "{e}");
}

#[tokio::test]
async fn json_cut_short_of_its_length_is_a_server_error_saying_it_broke_off() {
    let mut cut = answer(
        "200 OK",
        "application/json",
        &format!("[{}]", "1,".repeat(200)),
    );
    cut.truncate(cut.len() - 300); // Content-Length promises more than comes
    let fault = responder(cut, Duration::ZERO).await;
    let e = fails_and_keeps("ftrunc", fault, ClientCode::ServerError).await;
    assert!(e.to_string().contains("broke off"), "{e}");
}

#[tokio::test]
async fn an_html_page_where_json_belongs_is_a_server_error() {
    let page = "<!doctype html><html><body>Please sign in to the captive portal</body></html>";
    let fault = responder(answer("200 OK", "text/html", page), Duration::ZERO).await;
    let e = fails_and_keeps("fhtml", fault, ClientCode::ServerError).await;
    assert!(e.to_string().contains("malformed JSON"), "{e}");
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_is_offline_and_says_it_timed_out() {
    let fault = responder(
        answer("200 OK", "application/json", "[]"),
        Duration::from_secs(5),
    )
    .await;
    let started = std::time::Instant::now();
    let e = fails_and_keeps("fslow", fault, ClientCode::Offline).await;
    assert!(e.to_string().contains("timed out"), "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout held"
    );
}
