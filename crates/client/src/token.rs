//! Checks a service-user token before it is stored, as the contract's token section says:
//! signature against the same server's JWKS (EdDSA only), `aud`, `exp`, lifetime at most 180
//! minutes, `sub` is the service user asked for and `act.sub` the signed-in user. `iss` is not
//! compared with the base URL (gateways rewrite hosts).

use amorphic_su_model::policy::MAX_SERVICE_USER_TOKEN_SECONDS;
use amorphic_su_model::{Timestamp, UserId, TOKEN_AUDIENCE};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::error::{ClientError, Result};

#[derive(Debug, Deserialize)]
struct Act {
    sub: String,
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
    iat: i64,
    #[serde(default)]
    jti: Option<String>,
    #[serde(default)]
    role_id: Option<String>,
    act: Act,
}

/// What a verified token says (no secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub subject: UserId,
    pub actor: UserId,
    pub role_id: Option<String>,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub jti: String,
}

fn bad(msg: impl Into<String>) -> ClientError {
    ClientError::TokenVerification(msg.into())
}

/// How far a token's times may be off this computer's clock and still be accepted (`doctor`
/// fails a clock further off than this from the server's).
pub const TOKEN_LEEWAY_SECONDS: u64 = 30;

/// Verifies `token` against `jwks`. `now` is Unix seconds.
pub fn verify_service_user_token(
    token: &str,
    jwks: &JwkSet,
    expected_subject: &UserId,
    expected_actor: &UserId,
    now: i64,
) -> Result<VerifiedToken> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| bad(format!("unreadable header ({e})")))?;
    if header.alg != Algorithm::EdDSA {
        return Err(bad(format!("algorithm {:?} is not EdDSA", header.alg)));
    }
    if header.jku.is_some() || header.x5u.is_some() || header.jwk.is_some() || header.crit.is_some()
    {
        return Err(bad(
            "the header carries jku, x5u, jwk or crit, which this client refuses",
        ));
    }
    let kid = header
        .kid
        .ok_or_else(|| bad("the header has no key id (kid)"))?;
    let jwk = jwks
        .find(&kid)
        .ok_or_else(|| bad(format!("key '{kid}' is not in the server's JWKS")))?;
    match &jwk.algorithm {
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => {}
        _ => return Err(bad(format!("key '{kid}' is not an Ed25519 key"))),
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|e| bad(format!("unusable key '{kid}' ({e})")))?;
    let mut v = Validation::new(Algorithm::EdDSA);
    v.set_audience(&[TOKEN_AUDIENCE]);
    v.set_required_spec_claims(&["exp", "aud", "sub"]);
    v.sub = Some(expected_subject.to_string());
    v.leeway = TOKEN_LEEWAY_SECONDS;
    let data = jsonwebtoken::decode::<Claims>(token, &key, &v).map_err(|e| bad(format!("{e}")))?;
    let c = data.claims;
    let lifetime = c.exp - c.iat;
    if !(1..=MAX_SERVICE_USER_TOKEN_SECONDS).contains(&lifetime) {
        return Err(bad(format!(
            "lifetime of {lifetime} s is outside 1..={MAX_SERVICE_USER_TOKEN_SECONDS} s"
        )));
    }
    if c.exp <= now {
        return Err(bad("the token has already expired"));
    }
    if c.act.sub != expected_actor.as_str() {
        return Err(bad(format!(
            "act.sub is '{}', not the signed-in user '{expected_actor}'",
            c.act.sub
        )));
    }
    let subject = UserId::parse(c.sub).map_err(|e| bad(e.to_string()))?;
    Ok(VerifiedToken {
        subject,
        actor: expected_actor.clone(),
        role_id: c.role_id,
        issued_at: Timestamp::from_unix(c.iat).ok_or_else(|| bad("bad iat"))?,
        expires_at: Timestamp::from_unix(c.exp).ok_or_else(|| bad("bad exp"))?,
        jti: c.jti.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    struct Keys {
        enc: EncodingKey,
        jwks: JwkSet,
    }

    fn keys(seed: u8, kid: &str) -> Keys {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let der = sk.to_pkcs8_der().unwrap();
        let x =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sk.verifying_key().to_bytes());
        let jwks: JwkSet = serde_json::from_value(json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"}]})).unwrap();
        Keys {
            enc: EncodingKey::from_ed_der(der.as_bytes()),
            jwks,
        }
    }

    fn sign(k: &Keys, kid: &str, claims: serde_json::Value) -> String {
        let mut h = Header::new(Algorithm::EdDSA);
        h.kid = Some(kid.into());
        jsonwebtoken::encode(&h, &claims, &k.enc).unwrap()
    }

    fn claims(now: i64) -> serde_json::Value {
        json!({"iss": "http://x", "aud": "amorphic", "sub": "etl-bot", "uid": 7, "act": {"sub": "alice"},
               "role_id": "SystemRole-DefaultUsers", "is_service_user": true, "iat": now, "nbf": now, "exp": now + 3600, "jti": "j1"})
    }

    fn id(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    #[test]
    fn good_token_passes_and_bad_ones_fail() {
        let now = chrono::Utc::now().timestamp();
        let k = keys(7, "k1");
        let t = sign(&k, "k1", claims(now));
        let v = verify_service_user_token(&t, &k.jwks, &id("etl-bot"), &id("alice"), now).unwrap();
        assert_eq!(v.jti, "j1");
        assert_eq!(v.expires_at.unix(), now + 3600);

        let fail = |t: &str, sub: &str, act: &str| {
            verify_service_user_token(t, &k.jwks, &id(sub), &id(act), now)
                .unwrap_err()
                .code()
        };
        assert_eq!(fail(&t, "other-bot", "alice"), "token_verification_failed");
        assert_eq!(fail(&t, "etl-bot", "bob"), "token_verification_failed");
        let mut c = claims(now);
        c["exp"] = json!(now + 10_801);
        assert_eq!(
            fail(&sign(&k, "k1", c), "etl-bot", "alice"),
            "token_verification_failed"
        );
        let mut c = claims(now);
        c["aud"] = json!("other");
        assert_eq!(
            fail(&sign(&k, "k1", c), "etl-bot", "alice"),
            "token_verification_failed"
        );
        let mut c = claims(now - 7200);
        c["exp"] = json!(now - 3600);
        assert_eq!(
            fail(&sign(&k, "k1", c), "etl-bot", "alice"),
            "token_verification_failed"
        );
        // Signed by another key under the same kid.
        let other = keys(9, "k1");
        assert_eq!(
            fail(&sign(&other, "k1", claims(now)), "etl-bot", "alice"),
            "token_verification_failed"
        );
        // Unknown kid.
        assert_eq!(
            fail(&sign(&k, "k2", claims(now)), "etl-bot", "alice"),
            "token_verification_failed"
        );
        // HS256 with the public key bytes as secret (algorithm confusion).
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some("k1".into());
        let hs = jsonwebtoken::encode(&h, &claims(now), &EncodingKey::from_secret(b"x")).unwrap();
        assert_eq!(fail(&hs, "etl-bot", "alice"), "token_verification_failed");
    }
}
