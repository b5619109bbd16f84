//! Replays every committed corpus through its target's body on stable, so the targets keep
//! building and their seeds keep passing without nightly or libFuzzer.
//! `AMORPHIC_SU_WRITE_CORPUS=1` rewrites the token corpus (tokens signed by the test key).

use std::path::{Path, PathBuf};

use amorphic_su_fuzz::token::{fixture, ISSUER};
use amorphic_su_model::TOKEN_AUDIENCE;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target)
}

fn replay(target: &str, run: fn(&[u8])) {
    let mut n = 0;
    for entry in std::fs::read_dir(corpus(target)).expect("corpus directory") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("seed");
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} fails", path.display());
        n += 1;
    }
    assert!(n > 0, "{target}: empty corpus");
}

#[test]
fn token() {
    if std::env::var_os("AMORPHIC_SU_WRITE_CORPUS").is_some() {
        write_token_corpus();
    }
    replay("token", amorphic_su_fuzz::token::run);
}

#[test]
fn ids() {
    replay("ids", amorphic_su_fuzz::ids::run);
}

#[test]
fn headers() {
    replay("headers", amorphic_su_fuzz::headers::run);
}

#[test]
fn seed() {
    replay("seed", amorphic_su_fuzz::seed::run);
}

#[test]
fn search() {
    replay("search", amorphic_su_fuzz::search::run);
}

fn b64(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}

fn sign(key: &SigningKey, header: serde_json::Value, claims: serde_json::Value) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    format!("{input}.{}", b64(&key.sign(input.as_bytes()).to_bytes()))
}

/// Raw header values (`R` + value): valid when written (they expire within three hours, then
/// exercise the expiry path), expired, `alg: none`, HS256 keyed with the public key, an unknown
/// `kid`, our `kid` on another key, a `jku` header, an extra claim, and malformed ones.
fn write_token_corpus() {
    let f = fixture();
    let kid = f.keys.kid();
    let now = chrono::Utc::now().timestamp();
    let claims = |iat: i64, exp: i64| {
        serde_json::json!({
            "iss": ISSUER, "aud": TOKEN_AUDIENCE, "sub": "svc-analytics", "uid": 7,
            "act": {"sub": "alice"}, "role_id": "SystemRole-DefaultUsers", "is_service_user": true,
            "iat": iat, "nbf": iat, "exp": exp, "jti": "jti-1", "dgen": 0
        })
    };
    let ours = serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": kid});
    let valid = sign(&f.signer, ours.clone(), claims(now, now + 10_800));
    let none_header = b64(serde_json::json!({"alg": "none", "typ": "JWT", "kid": kid})
        .to_string()
        .as_bytes());
    let payload = valid.split('.').nth(1).expect("payload").to_owned();
    let mut extra = claims(now, now + 600);
    extra["admin"] = serde_json::json!(true);
    let hs = {
        let h = serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": kid});
        let input = format!("{}.{payload}", b64(h.to_string().as_bytes()));
        let key = jsonwebtoken::EncodingKey::from_secret(f.signer.verifying_key().as_bytes());
        let sig =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::HS256)
                .expect("hs256");
        format!("{input}.{sig}")
    };
    let seeds: Vec<(&str, String)> = vec![
        ("valid", valid.clone()),
        (
            "valid-with-authorization",
            format!("{valid}\nBearer amo_pat_abcdefghijklmnop"),
        ),
        (
            "expired",
            sign(&f.signer, ours.clone(), claims(now - 20_000, now - 10_000)),
        ),
        (
            "too-long-lifetime",
            sign(&f.signer, ours.clone(), claims(now, now + 10_801)),
        ),
        (
            "not-yet-valid",
            sign(&f.signer, ours.clone(), {
                let mut c = claims(now, now + 600);
                c["nbf"] = serde_json::json!(now + 300);
                c
            }),
        ),
        ("alg-none", format!("{none_header}.{payload}.")),
        (
            "alg-none-kept-signature",
            format!(
                "{none_header}.{payload}.{}",
                valid.rsplit('.').next().unwrap_or("")
            ),
        ),
        ("hs256-public-key", hs),
        (
            "unknown-kid",
            sign(
                &f.stranger,
                serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": f.stranger_kid}),
                claims(now, now + 600),
            ),
        ),
        (
            "our-kid-other-key",
            sign(&f.stranger, ours.clone(), claims(now, now + 600)),
        ),
        (
            "jku-header",
            sign(
                &f.signer,
                serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": kid, "jku": "http://evil.example/jwks"}),
                claims(now, now + 600),
            ),
        ),
        ("extra-claim", sign(&f.signer, ours.clone(), extra)),
        (
            "not-a-service-user",
            sign(&f.signer, ours.clone(), {
                let mut c = claims(now, now + 600);
                c["is_service_user"] = serde_json::json!(false);
                c
            }),
        ),
        ("two-parts", "eyJhbGciOiJFZERTQSJ9.e30".into()),
        ("four-parts", "a.b.c.d".into()),
        ("empty", String::new()),
    ];
    let dir = corpus("token");
    for (name, value) in seeds {
        std::fs::write(dir.join(name), format!("R{value}")).expect("write seed");
    }
    // Structured cases (claims signed at run time): a few byte patterns to start from.
    std::fs::write(dir.join("case-zeros"), [0u8; 96]).expect("write seed");
    std::fs::write(dir.join("case-ones"), [0xffu8; 96]).expect("write seed");
    std::fs::write(
        dir.join("case-text"),
        "svc-analytics alice SystemRole-DefaultUsers jti",
    )
    .expect("write seed");
}
