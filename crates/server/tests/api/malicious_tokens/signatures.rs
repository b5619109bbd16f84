//! Attacks on the signature and tampered payloads: flipped bits, malleated `S`, a payload
//! changed after signing.

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};

use super::forge::*;
use super::harness::*;

#[tokio::test]
async fn signature_attacks_and_tampered_payloads_are_refused() {
    let s = Srv::start().await;
    let real = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let other = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 20).await;
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    let (h, c, sig) = split(&real);
    let (hb, cb) = (b64(&h), b64(&c));
    let signed = format!("{hb}.{cb}");
    let zeros = URL_SAFE_NO_PAD.encode([0u8; 64]);
    let (_, _, other_sig) = split(&other);

    let mut cases = vec![
        case(
            "signature stripped (trailing dot)",
            format!("{signed}."),
            INVALID,
        ),
        case("signature stripped (2 segments)", signed.clone(), INVALID),
        case(
            "signature bit-flipped (first byte)",
            format!("{signed}.{}", flip_bit(&sig, 0, 0)),
            INVALID,
        ),
        case(
            "signature bit-flipped (in S)",
            format!("{signed}.{}", flip_bit(&sig, 40, 3)),
            INVALID,
        ),
        case(
            "signature bit-flipped (last byte, high bit)",
            format!("{signed}.{}", flip_bit(&sig, 63, 7)),
            INVALID,
        ),
        case(
            "signature malleated (S + L)",
            format!("{signed}.{}", malleate(&sig)),
            INVALID,
        ),
        case(
            "signature truncated to 63 bytes",
            format!(
                "{signed}.{}",
                URL_SAFE_NO_PAD.encode(&URL_SAFE_NO_PAD.decode(&sig).unwrap()[..63])
            ),
            INVALID,
        ),
        case(
            "signature extended by a byte",
            format!(
                "{signed}.{}",
                URL_SAFE_NO_PAD.encode([URL_SAFE_NO_PAD.decode(&sig).unwrap(), vec![0]].concat())
            ),
            INVALID,
        ),
        case("signature all zeros", format!("{signed}.{zeros}"), INVALID),
        case(
            "signature of another real token",
            format!("{signed}.{other_sig}"),
            INVALID,
        ),
        case(
            "signature base64 with padding",
            format!(
                "{signed}.{}",
                URL_SAFE.encode(URL_SAFE_NO_PAD.decode(&sig).unwrap())
            ),
            INVALID,
        ),
        case(
            "signature standard (not URL-safe) base64",
            format!(
                "{signed}.{}",
                STANDARD.encode(URL_SAFE_NO_PAD.decode(&sig).unwrap())
            ),
            INVALID,
        ),
        case(
            "header base64 with padding",
            format!(
                "{}.{cb}.{sig}",
                URL_SAFE.encode(serde_json::to_vec(&h).unwrap())
            ),
            INVALID,
        ),
    ];
    // Payload tampering, original signature kept.
    let tampered: Vec<(&str, Value)> = vec![
        ("role_id", json!(SUPER_ADMIN)),
        ("role_id", json!(ENGINEERS)),
        ("sub", json!("finance-bot")),
        ("sub", json!("report-bot")),
        ("uid", json!(c["uid"].as_i64().unwrap() + 1)),
        ("exp", json!(c["exp"].as_i64().unwrap() + 86_400)),
        ("exp", json!(now() - 60)),
        ("iat", json!(now())),
        ("act", json!({"sub": "bob"})),
        ("aud", json!("amorphic-admin")),
        ("is_service_user", json!(false)),
    ];
    for (claim, value) in tampered {
        let ct = with(&c, |m| {
            m.insert(claim.into(), value.clone());
        });
        // An expired-looking payload with a bad signature is still TOKEN_INVALID: claims are
        // not believed before the signature is checked.
        cases.push(case(
            format!("payload tampered: {claim} = {value}"),
            format!("{hb}.{}.{sig}", b64(&ct)),
            INVALID,
        ));
    }
    let ct = with(&c, |m| {
        m.insert("jti".into(), json!("replayed"));
    });
    cases.push(case(
        "payload tampered: jti",
        format!("{hb}.{}.{sig}", b64(&ct)),
        INVALID,
    ));
    // The same claims, re-serialized with other whitespace: a different signing input.
    let spaced = URL_SAFE_NO_PAD.encode(serde_json::to_string_pretty(&c).unwrap());
    cases.push(case(
        "payload re-serialized (same claims, other bytes)",
        format!("{hb}.{spaced}.{sig}"),
        INVALID,
    ));

    s.run(cases).await;
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}
