//! Raw Ed25519 and JWT rates on one core: the ceiling the server's token work runs under.

use std::hint::black_box;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::{Signer, SigningKey, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// How long each raw crypto rate is measured.
pub const CRYPTO_SECONDS: f64 = 2.0;

/// The claims the server signs (same fields and types as its own `Claims`).
#[derive(Serialize, Deserialize)]
pub struct Act {
    pub sub: String,
}

#[derive(Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub uid: i64,
    pub act: Act,
    pub role_id: String,
    pub is_service_user: bool,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
}

/// Runs `f` on this thread for about `seconds`; returns operations per second.
pub fn rate(seconds: f64, mut f: impl FnMut()) -> f64 {
    for _ in 0..50 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

pub struct Crypto {
    pub dalek_sign: f64,
    pub dalek_verify: f64,
    pub jwt_encode: f64,
    pub manual_encode: f64,
    pub jwt_decode: f64,
    pub token_chars: usize,
}

pub fn crypto_rates() -> Crypto {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let der = key.to_pkcs8_der().expect("PKCS#8");
    let encoding = EncodingKey::from_ed_der(der.as_bytes());
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let decoding = DecodingKey::from_ed_components(&x).expect("decoding key");
    let now = chrono::Utc::now().timestamp();
    let issuer = "http://127.0.0.1:8787";
    let claims = Claims {
        iss: issuer.into(),
        aud: "amorphic".into(),
        sub: "etl-bot".into(),
        uid: 5,
        act: Act {
            sub: "alice".into(),
        },
        role_id: "role-data-engineers".into(),
        is_service_user: true,
        iat: now,
        nbf: now,
        exp: now + 3600,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some("JWT".into());
    header.kid = Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k".into());
    let token = jsonwebtoken::encode(&header, &claims, &encoding).expect("encode");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.leeway = 0;
    validation.set_audience(&["amorphic"]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Claims>(&token, &decoding, &validation).expect("decode");

    let (signing_input, _) = token.rsplit_once('.').expect("JWT");
    let header_b64 = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("header"));
    let msg = signing_input.as_bytes();
    let sig = key.sign(msg);
    let vk = key.verifying_key();

    Crypto {
        dalek_sign: rate(CRYPTO_SECONDS, || {
            black_box(key.sign(black_box(msg)));
        }),
        dalek_verify: rate(CRYPTO_SECONDS, || {
            vk.verify(black_box(msg), black_box(&sig))
                .expect("verifies");
        }),
        jwt_encode: rate(CRYPTO_SECONDS, || {
            black_box(
                jsonwebtoken::encode(&header, black_box(&claims), &encoding).expect("encode"),
            );
        }),
        jwt_decode: rate(CRYPTO_SECONDS, || {
            black_box(
                jsonwebtoken::decode::<Claims>(black_box(&token), &decoding, &validation)
                    .expect("decode"),
            );
        }),
        // The same token assembled by hand: header encoded once, the parsed key kept (what
        // jsonwebtoken re-derives from PKCS#8 on every `encode`).
        manual_encode: rate(CRYPTO_SECONDS, || {
            let mut jwt = header_b64.clone();
            jwt.push('.');
            URL_SAFE_NO_PAD.encode_string(
                serde_json::to_vec(black_box(&claims)).expect("claims"),
                &mut jwt,
            );
            let sig = key.sign(jwt.as_bytes());
            jwt.push('.');
            URL_SAFE_NO_PAD.encode_string(sig.to_bytes(), &mut jwt);
            black_box(jwt);
        }),
        token_chars: token.len(),
    }
}
