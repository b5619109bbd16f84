//! Attacks on the token header and the algorithm: `none` and other algorithms, HS256 keyed
//! with the public key, foreign and unknown keys, header members that point at a key.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::EncodePublicKey;
use serde_json::{json, Value};

use super::forge::*;
use super::harness::*;

#[tokio::test]
async fn header_and_algorithm_attacks_are_refused() {
    let s = Srv::start().await;
    let real = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let (real_h, real_c, real_sig) = split(&real);
    let (h, c) = s.valid_parts().await;
    // Controls: the real token and a forged one with correct contents are accepted, so every
    // refusal below is about its one deviation.
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.assert_accepted(&s.forge(&h, &c), ALICE, "etl-bot", "alice")
        .await;

    let mut cases = Vec::new();
    // alg none, in the spellings libraries have been fooled by.
    for alg in ["none", "None", "NONE", "nOnE"] {
        let hn = with(&real_h, |m| {
            m.insert("alg".into(), json!(alg));
        });
        cases.push(case(
            format!("alg {alg}, empty signature"),
            format!("{}.{}.", b64(&hn), b64(&real_c)),
            INVALID,
        ));
    }
    let hn = with(&real_h, |m| {
        m.insert("alg".into(), json!("none"));
    });
    cases.push(case(
        "alg none, original signature kept",
        format!("{}.{}.{real_sig}", b64(&hn), b64(&real_c)),
        INVALID,
    ));
    let hn = with(&real_h, |m| {
        m.remove("alg");
    });
    cases.push(case(
        "alg missing (validly signed)",
        s.forge(&hn, &c),
        INVALID,
    ));
    // Other algorithms, validly signed with the server's key where they name its key type.
    for alg in ["eddsa", "Ed25519", "ES256", "RS256", "EdDSA "] {
        let ha = with(&h, |m| {
            m.insert("alg".into(), json!(alg));
        });
        cases.push(case(
            format!("alg {alg:?} (validly Ed25519-signed)"),
            s.forge(&ha, &c),
            INVALID,
        ));
    }
    // HS256 with the public key as the HMAC secret (key confusion), in every form it is published.
    let hs = with(&h, |m| {
        m.insert("alg".into(), json!("HS256"));
    });
    let x = URL_SAFE_NO_PAD.encode(s.public);
    let pem = s
        .key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("PEM");
    let der = s.key.verifying_key().to_public_key_der().expect("DER");
    cases.push(case(
        "HS256, secret = raw public key bytes",
        sign_hs256(&s.public, &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = JWK x (base64url text)",
        sign_hs256(x.as_bytes(), &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = public key PEM",
        sign_hs256(pem.as_bytes(), &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = public key SPKI DER",
        sign_hs256(der.as_bytes(), &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = the JWKS document",
        sign_hs256(s.jwks_text.as_bytes(), &hs, &c),
        INVALID,
    ));
    let hs_nokid = with(&hs, |m| {
        m.remove("kid");
    });
    cases.push(case(
        "HS256 without kid, secret = raw public key",
        sign_hs256(&s.public, &hs_nokid, &c),
        INVALID,
    ));

    // kid: unknown, missing, wrong type, and injections (validly signed with the real key).
    let kids: Vec<(&str, Value)> = vec![
        ("unknown kid", json!("0f9a6c1e-unknown-key")),
        ("kid path traversal", json!("../../../../../../etc/passwd")),
        (
            "kid path traversal to /dev/null",
            json!("../../../../../../../dev/null"),
        ),
        (
            "kid absolute path to the database",
            json!("/proc/self/cwd/server.db"),
        ),
        ("kid SQL injection OR 1=1", json!("' OR '1'='1' --")),
        (
            "kid SQL injection UNION",
            json!("x' UNION SELECT kid FROM signing_keys --"),
        ),
        (
            "kid with a NUL byte appended",
            json!(format!("{}\u{0}", s.kid)),
        ),
        ("kid in another case", json!(s.kid.to_ascii_uppercase())),
        ("kid empty", json!("")),
        ("kid as a number", json!(1)),
        ("kid as an array holding the real kid", json!([s.kid])),
    ];
    for (name, kid) in kids {
        let hk = with(&h, |m| {
            m.insert("kid".into(), kid);
        });
        cases.push(case(name, s.forge(&hk, &c), INVALID));
    }
    let hk = with(&h, |m| {
        m.remove("kid");
    });
    cases.push(case("kid missing", s.forge(&hk, &c), INVALID));

    // A foreign Ed25519 key: with the server's kid, with its own kid, and announced in `jwk`.
    let evil = foreign_key();
    let evil_kid = foreign_kid(&evil);
    cases.push(case(
        "foreign Ed25519 key, server's kid (jsonwebtoken)",
        jsonwebtoken_ed(&evil, &s.kid, &c),
        INVALID,
    ));
    cases.push(case(
        "foreign Ed25519 key, its own kid",
        jsonwebtoken_ed(&evil, &evil_kid, &c),
        INVALID,
    ));
    let evil_jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(evil.verifying_key().to_bytes()), "kid": evil_kid});
    let hj = with(&h, |m| {
        m.insert("jwk".into(), evil_jwk.clone());
        m.insert("kid".into(), json!(evil_kid));
    });
    cases.push(case(
        "jwk header with the foreign key, signed by it",
        sign_ed(&evil, &hj, &c),
        INVALID,
    ));

    // Key-pointing and critical headers, validly signed with the server's own key: refused
    // whatever they say.
    let server_jwk = serde_json::from_str::<Value>(&s.jwks_text).expect("jwks")["keys"][0].clone();
    let extras: Vec<(&str, &str, Value)> = vec![
        (
            "jku to an attacker's JWKS",
            "jku",
            json!("http://127.0.0.1:1/evil-jwks.json"),
        ),
        (
            "jku to the server's own JWKS",
            "jku",
            json!(format!("{}/.well-known/jwks.json", s.url)),
        ),
        ("x5u", "x5u", json!("http://127.0.0.1:1/evil-cert.pem")),
        ("jwk with the server's own key", "jwk", server_jwk),
        ("jwk with the foreign key", "jwk", evil_jwk.clone()),
        ("x5c", "x5c", json!([STANDARD.encode(der.as_bytes())])),
        ("crit [exp]", "crit", json!(["exp"])),
        ("crit [] (empty)", "crit", json!([])),
        ("crit [b64] with b64 false", "crit", json!(["b64"])),
    ];
    for (name, key, value) in extras {
        let hx = with(&h, |m| {
            m.insert(key.into(), value);
            if name.contains("b64") {
                m.insert("b64".into(), json!(false));
            }
        });
        cases.push(case(
            format!("{name} (validly signed)"),
            s.forge(&hx, &c),
            INVALID,
        ));
    }
    // Unsigned variants of the same headers on the real token (re-encoded header, the real
    // signature no longer matches).
    for key in ["jku", "x5u", "jwk", "crit"] {
        let hx = with(&real_h, |m| {
            m.insert(
                key.into(),
                if key == "crit" {
                    json!(["exp"])
                } else {
                    json!("http://127.0.0.1:1/x")
                },
            );
        });
        cases.push(case(
            format!("{key} added to a real token (unsigned)"),
            format!("{}.{}.{real_sig}", b64(&hx), b64(&real_c)),
            INVALID,
        ));
    }
    // Duplicate `alg` keys: a parser differential between the server's header check and the
    // JWT library must not let `none` through either way round.
    let k = &s.kid;
    cases.push(case(
        "duplicate alg keys: none then EdDSA (validly signed)",
        sign_raw_ed(
            &s.key,
            &format!(r#"{{"alg":"none","typ":"JWT","kid":"{k}","alg":"EdDSA"}}"#),
            &c.to_string(),
        ),
        INVALID,
    ));
    cases.push(case(
        "duplicate alg keys: EdDSA then none (validly signed)",
        sign_raw_ed(
            &s.key,
            &format!(r#"{{"alg":"EdDSA","typ":"JWT","kid":"{k}","alg":"none"}}"#),
            &c.to_string(),
        ),
        INVALID,
    ));
    cases.push(case(
        "header is a JSON array (validly signed)",
        sign_raw_ed(&s.key, r#"["EdDSA"]"#, &c.to_string()),
        INVALID,
    ));
    cases.push(case(
        "header is not JSON (validly signed)",
        sign_raw_ed(&s.key, "alg=EdDSA", &c.to_string()),
        INVALID,
    ));

    assert!(cases.len() >= 30, "{} cases", cases.len());
    s.run(cases).await;
    // Nothing above broke the server or the real token.
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}
