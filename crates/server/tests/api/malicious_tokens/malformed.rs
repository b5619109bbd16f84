//! Tokens that are not JWTs at all, or too long.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::json;

use super::harness::*;

#[tokio::test]
async fn malformed_and_oversized_tokens_are_refused() {
    let s = Srv::start().await;
    let real = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let mib = 1024 * 1024;
    let filler = |len: usize| {
        let third = "A".repeat(len / 3);
        format!("{third}.{third}.{third}")
    };
    let cases = vec![
        case("empty token", "", INVALID),
        case("three dots", "...", INVALID),
        case("two dots (three empty segments)", "..", INVALID),
        case("one dot (2 segments)", "a.b", INVALID),
        case("no dot", "eyJhbGciOiJFZERTQSJ9", INVALID),
        case("garbage base64", "!!!.@@@.###", INVALID),
        case(
            "base64 of garbage",
            format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode([0xffu8; 17]),
                URL_SAFE_NO_PAD.encode([0u8; 40]),
                URL_SAFE_NO_PAD.encode([7u8; 64])
            ),
            INVALID,
        ),
        case(
            "real token plus a fourth segment",
            format!("{real}.AAAA"),
            INVALID,
        ),
        case(
            "real token with a prefix",
            format!("Bearer {real}"),
            INVALID,
        ),
        case(
            "JWS JSON serialization",
            json!({"payload": "e30", "signatures": [{"protected": "e30", "signature": "AA"}]})
                .to_string(),
            INVALID,
        ),
        case(
            "5,000 characters (over the token limit)",
            filler(5_000),
            INVALID,
        ),
        case("64 KiB token", filler(64 * 1024), INVALID),
        case("1 MiB token", filler(mib), Expect::HeaderTooLarge),
        Case::raw(
            "non-ASCII bytes",
            vec![format!("{real}\u{e9}").into_bytes()],
            INVALID,
        ),
        Case::raw(
            "Latin-1 byte inside the token",
            vec![[
                &real.as_bytes()[..20],
                &[0xe9u8][..],
                &real.as_bytes()[20..],
            ]
            .concat()],
            INVALID,
        ),
        Case::raw(
            "header repeated: junk then the real token",
            vec![b"junk".to_vec(), real.clone().into_bytes()],
            INVALID,
        ),
        Case::raw(
            "header repeated: the real token then junk",
            vec![real.clone().into_bytes(), b"junk".to_vec()],
            INVALID,
        ),
    ];
    s.run(cases).await;
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}
