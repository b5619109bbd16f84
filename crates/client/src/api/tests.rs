//! Base URLs, error classification, malformed bodies and path segments.

use amorphic_su_model::User;

use super::http::parse_body;
use super::*;

#[test]
fn base_urls_are_checked() {
    assert_eq!(
        normalize_base_url("http://127.0.0.1:8787/").unwrap(),
        "http://127.0.0.1:8787"
    );
    assert_eq!(
        normalize_base_url("https://abc.execute-api.us-east-1.amazonaws.com/stage/").unwrap(),
        "https://abc.execute-api.us-east-1.amazonaws.com/stage"
    );
    for bad in [
        "",
        "localhost:8787",
        "ftp://x",
        "http://",
        "http://x/?a=1",
        "http://u:p@x",
        "not a url",
    ] {
        let e = normalize_base_url(bad).unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{bad}");
    }
}

#[test]
fn errors_are_classified() {
    let e = classify_error(
        409,
        br#"{"Message":"Disable it first.","Code":"MUST_DISABLE_FIRST"}"#,
    );
    assert_eq!(e.code(), "MUST_DISABLE_FIRST");
    assert_eq!(e.to_string(), "Disable it first.");
    let e = classify_error(403, br#"{"message":"User is not authorized"}"#);
    assert_eq!(e.code(), "FORBIDDEN");
    assert_eq!(e.to_string(), "User is not authorized");
    let e = classify_error(401, br#"{"Message":"Unauthorized"}"#);
    assert_eq!(e.code(), "UNAUTHENTICATED");
    let e = classify_error(500, b"<html>oops</html>");
    assert_eq!(e.code(), "server_error");
    let e = classify_error(502, b"");
    assert_eq!(e.code(), "server_error");
    let e = classify_error(431, b"");
    assert_eq!(e.code(), "server_error");
    let e = classify_error(404, b"not json");
    assert_eq!(e.code(), "NOT_FOUND");
    let e = classify_error(500, br#"{"Message":"boom","Code":"INTERNAL"}"#);
    assert_eq!(e.code(), "server_error");
}

#[test]
fn malformed_success_bodies_are_server_errors() {
    let e = parse_body::<User>(200, b"{not json").unwrap_err();
    assert_eq!(e.code(), "server_error");
}

#[test]
fn dot_segments_are_escaped() {
    assert_eq!(seg(".."), "%2E%2E");
    assert_eq!(seg("a.b"), "a.b");
}
