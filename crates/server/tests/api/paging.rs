//! The list's optional keyset cursor (`after`) and compressed answers.

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
async fn after_pages_by_user_id_and_offset_skips_after_it() {
    let s = Srv::start().await;
    let page = |q: &'static str| {
        let s = &s;
        async move {
            let r = s.get(q).auth(CAROL_DEFAULT).send().await;
            r.expect(200);
            r.body
        }
    };
    let b = page("/users?after=carol&limit=2").await;
    assert_eq!(ids(&b), ["dave", "etl-bot"]);
    assert_eq!(b["TotalCount"], 7, "the total is the whole list's");
    let b = page("/users?after=carol&offset=1&limit=2").await;
    assert_eq!(ids(&b), ["etl-bot", "finance-bot"]);
    // A cursor that is no user's id sorts where it falls.
    let b = page("/users?after=c&limit=2").await;
    assert_eq!(ids(&b), ["carol", "dave"]);
    let b = page("/users?after=report-bot").await;
    assert_eq!(b["Users"], json!([]));
    let b = page("/users?action=get_service_users&after=etl-bot").await;
    assert_eq!(ids(&b), ["finance-bot", "report-bot"]);
    assert_eq!(b["TotalCount"], 3);
    // Escaped like any query value.
    let b = page("/users?after=%2E&limit=1").await;
    assert_eq!(ids(&b), ["alice"]);
}

#[tokio::test]
async fn after_is_refused_empty_too_long_or_with_the_change_feed() {
    let s = Srv::start().await;
    let long = format!("/users?after={}", "a".repeat(257));
    for q in [
        "/users?after=",
        long.as_str(),
        "/users?action=get_service_users&since=0&after=alice",
    ] {
        s.get(q)
            .auth(CAROL_DEFAULT)
            .send()
            .await
            .expect_error(400, "INVALID_REQUEST");
    }
}

#[tokio::test]
async fn answers_are_compressed_only_when_asked() {
    let s = Srv::start().await;
    // Never decoded on arrival, whatever features another crate enables.
    let http = reqwest::Client::builder()
        .no_gzip()
        .no_zstd()
        .build()
        .unwrap();
    let get = |encoding: Option<&'static str>| {
        let (http, url) = (&http, &s.url);
        async move {
            let mut rb = http
                .get(format!("{url}/users"))
                .header("Authorization", CAROL_DEFAULT);
            if let Some(e) = encoding {
                rb = rb.header("Accept-Encoding", e);
            }
            let r = rb.send().await.unwrap();
            assert_eq!(r.status(), 200);
            let enc = r
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            (enc, r.bytes().await.unwrap())
        }
    };
    let (enc, plain) = get(None).await;
    assert_eq!(enc, None);
    assert!(serde_json::from_slice::<Value>(&plain).is_ok());
    for e in ["gzip", "zstd"] {
        let (enc, body) = get(Some(e)).await;
        assert_eq!(enc.as_deref(), Some(e));
        assert!(
            body.len() < plain.len(),
            "{e}: {} >= {}",
            body.len(),
            plain.len()
        );
    }
}
