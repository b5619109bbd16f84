//! Service-user tokens: Ed25519 (EdDSA) JWTs. The signing key lives in the database, so it
//! survives restarts; its `kid` is its RFC 7638 JWK thumbprint.

use std::collections::HashMap;

use amorphic_su_model::policy::{
    action, Permit, ServiceUserClaims, MAX_SERVICE_USER_TOKEN_SECONDS,
};
use amorphic_su_model::{ErrorCode, TOKEN_AUDIENCE};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signer, SigningKey};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use crate::db::{to_us, Tx};
use crate::error::ServerError;

/// The longest `X-Amorphic-Service-User` value looked at; issued tokens are far shorter.
pub const MAX_TOKEN_CHARS: usize = 4096;
/// Issued tokens stay under this (Windows' credential store holds 1,280 UTF-16 units).
pub const TOKEN_CHAR_BUDGET: usize = 1200;

/// The only header keys a token of ours carries; anything else (`jku`, `x5u`, `jwk`,
/// `crit`, `x5c`, `cty`, `b64`, ...) is refused before any key is chosen.
const ALLOWED_HEADER_KEYS: [&str; 3] = ["alg", "typ", "kid"];

/// `act` (RFC 8693): who assumed the service user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    pub sub: String,
}

/// The claims of a service-user token. Strict types: a number as a string, a fraction, a
/// missing or unknown claim all fail to decode, which is `TOKEN_INVALID`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The service user's disable generation at issue; any disable since makes it stale.
    pub dgen: i64,
}

impl Claims {
    pub fn policy_view(&self) -> ServiceUserClaims {
        ServiceUserClaims {
            sub: self.sub.clone(),
            uid: self.uid,
            act_sub: self.act.sub.clone(),
            iat: self.iat,
            nbf: self.nbf,
            exp: self.exp,
            disable_generation: self.dgen,
        }
    }
}

struct Verifier {
    key: DecodingKey,
}

/// The server's keys: the active signer and every known verifier, by `kid`.
pub struct KeyRing {
    kid: String,
    /// Parsed once: a PKCS#8 parse per token (what `jsonwebtoken::encode` does) costs as much
    /// as the signature itself.
    signer: SigningKey,
    /// The signing key's JWS header, base64url-encoded once; every token starts with it.
    header_b64: String,
    verifiers: HashMap<String, Verifier>,
    jwks: serde_json::Value,
}

fn thumbprint(public: &[u8; 32]) -> String {
    // RFC 7638: members in lexicographic order, no whitespace.
    let x = URL_SAFE_NO_PAD.encode(public);
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

impl KeyRing {
    /// Loads the keys, creating the first one if the database has none.
    pub async fn load_or_create(tx: &mut Tx) -> Result<KeyRing, ServerError> {
        let conn: &mut SqliteConnection = tx;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signing_keys")
            .fetch_one(&mut *conn)
            .await?;
        if existing == 0 {
            let signing = SigningKey::generate(&mut rand::rngs::OsRng);
            let der = signing
                .to_pkcs8_der()
                .map_err(|e| ServerError::Key(e.to_string()))?;
            let public = signing.verifying_key().to_bytes();
            sqlx::query("INSERT INTO signing_keys (kid, private_der, public_raw, created_us) VALUES (?1, ?2, ?3, ?4)")
                .bind(thumbprint(&public))
                .bind(der.as_bytes())
                .bind(&public[..])
                .bind(to_us(chrono::Utc::now()))
                .execute(&mut *conn)
                .await?;
        }
        let rows: Vec<(String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
            "SELECT kid, private_der, public_raw FROM signing_keys ORDER BY created_us DESC, kid",
        )
        .fetch_all(&mut *conn)
        .await?;
        KeyRing::from_stored(rows)
    }

    /// The ring of stored keys (`kid`, PKCS#8 private key, raw public key), newest first: the
    /// first signs. No database, so the fuzz targets build the same ring from a test key.
    pub fn from_stored(rows: Vec<(String, Vec<u8>, Vec<u8>)>) -> Result<KeyRing, ServerError> {
        let mut verifiers = HashMap::new();
        let mut jwk_list = Vec::new();
        let mut active: Option<(String, SigningKey)> = None;
        for (kid, der, public) in rows {
            let public: [u8; 32] = public
                .as_slice()
                .try_into()
                .map_err(|_| ServerError::Key(format!("key {kid}: public key is not 32 bytes")))?;
            if thumbprint(&public) != kid {
                return Err(ServerError::Key(format!(
                    "key {kid}: kid does not match the key"
                )));
            }
            let x = URL_SAFE_NO_PAD.encode(public);
            let key =
                DecodingKey::from_ed_components(&x).map_err(|e| ServerError::Key(e.to_string()))?;
            jwk_list.push(serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"
            }));
            if active.is_none() {
                let signer = SigningKey::from_pkcs8_der(&der)
                    .map_err(|e| ServerError::Key(format!("key {kid}: {e}")))?;
                if signer.verifying_key().to_bytes() != public {
                    return Err(ServerError::Key(format!(
                        "key {kid}: the private key does not match the public key"
                    )));
                }
                active = Some((kid.clone(), signer));
            }
            verifiers.insert(kid, Verifier { key });
        }
        let (kid, signer) = active.ok_or_else(|| ServerError::Key("no signing key".into()))?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some("JWT".into());
        header.kid = Some(kid.clone());
        let header_json =
            serde_json::to_vec(&header).map_err(|e| ServerError::Key(e.to_string()))?;
        Ok(KeyRing {
            header_b64: URL_SAFE_NO_PAD.encode(header_json),
            kid,
            signer,
            verifiers,
            jwks: serde_json::json!({ "keys": jwk_list }),
        })
    }

    /// A ring of the given keys (the first signs), as [`KeyRing::from_stored`] would load them.
    pub fn from_signing_keys(keys: &[SigningKey]) -> Result<KeyRing, ServerError> {
        let mut rows = Vec::new();
        for k in keys {
            let der = k
                .to_pkcs8_der()
                .map_err(|e| ServerError::Key(e.to_string()))?;
            let public = k.verifying_key().to_bytes();
            rows.push((
                thumbprint(&public),
                der.as_bytes().to_vec(),
                public.to_vec(),
            ));
        }
        KeyRing::from_stored(rows)
    }

    /// The signing key's `kid`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// `GET /.well-known/jwks.json` (RFC 7517).
    pub fn jwks(&self) -> &serde_json::Value {
        &self.jwks
    }

    /// Signs a service-user token; only a granted `can_assume` decision may ask, and only for
    /// the service user it was granted for (the claims are built before, from the same
    /// snapshot, so a `sub` other than the permit's is a bug, refused rather than signed).
    pub fn sign(
        &self,
        permit: Permit<action::Assume>,
        claims: &Claims,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        if claims.sub != permit.target().as_str() {
            return Err(ErrorKind::InvalidSubject.into());
        }
        self.compact_jws(claims)
    }

    /// The compact JWS (RFC 7515) exactly as `jsonwebtoken::encode` assembles it, from the kept
    /// key and header: Ed25519 is deterministic, so the token is the same bytes.
    fn compact_jws(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        let payload = serde_json::to_vec(claims)?;
        let mut jwt = String::with_capacity(self.header_b64.len() + payload.len() * 4 / 3 + 90);
        jwt.push_str(&self.header_b64);
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut jwt);
        let signature = self.signer.sign(jwt.as_bytes());
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(signature.to_bytes(), &mut jwt);
        Ok(jwt)
    }

    /// Verifies a token's form, header, signature, `iss`, `aud` and times. The caller then
    /// judges the claims against the stored state with the policy. Never panics on input.
    pub fn verify(&self, token: &str, issuer: &str) -> Result<Claims, ErrorCode> {
        if token.len() > MAX_TOKEN_CHARS || !token.is_ascii() {
            return Err(ErrorCode::TokenInvalid);
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ErrorCode::TokenInvalid);
        };
        // Inspect the header ourselves before any library sees it: exact alg, known kid,
        // nothing that could point at another key.
        let header_json = URL_SAFE_NO_PAD
            .decode(header_b64)
            .map_err(|_| ErrorCode::TokenInvalid)?;
        let header: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&header_json).map_err(|_| ErrorCode::TokenInvalid)?;
        if header
            .keys()
            .any(|k| !ALLOWED_HEADER_KEYS.contains(&k.as_str()))
        {
            return Err(ErrorCode::TokenInvalid);
        }
        if header.get("alg").and_then(|a| a.as_str()) != Some("EdDSA") {
            return Err(ErrorCode::TokenInvalid);
        }
        if header.get("typ").is_some_and(|t| t.as_str() != Some("JWT")) {
            return Err(ErrorCode::TokenInvalid);
        }
        let kid = header
            .get("kid")
            .and_then(|k| k.as_str())
            .ok_or(ErrorCode::TokenInvalid)?;
        let verifier = self.verifiers.get(kid).ok_or(ErrorCode::TokenInvalid)?;

        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_audience(&[TOKEN_AUDIENCE]);
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &verifier.key, &validation).map_err(
            |e| match e.kind() {
                ErrorKind::ExpiredSignature => ErrorCode::TokenExpired,
                _ => ErrorCode::TokenInvalid,
            },
        )?;
        let claims = data.claims;
        if !claims.is_service_user
            || claims.aud != TOKEN_AUDIENCE
            || claims.iss != issuer
            // Checked: both come from the token, and i64::MIN would overflow.
            || !claims
                .exp
                .checked_sub(claims.iat)
                .is_some_and(|l| (1..=MAX_SERVICE_USER_TOKEN_SECONDS).contains(&l))
        {
            return Err(ErrorCode::TokenInvalid);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc_8037_example() {
        // RFC 8037, appendix A.3: the thumbprint of the example Ed25519 public key.
        let x = URL_SAFE_NO_PAD
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .unwrap();
        let public: [u8; 32] = x.try_into().unwrap();
        assert_eq!(
            thumbprint(&public),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    /// The hand-assembled token is byte for byte what the JWT library signs from PKCS#8.
    #[test]
    fn tokens_are_what_the_jwt_library_would_sign() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let ring = KeyRing::from_signing_keys(std::slice::from_ref(&key)).unwrap();
        let claims = Claims {
            iss: "http://127.0.0.1:1".into(),
            aud: TOKEN_AUDIENCE.into(),
            sub: "etl-bot".into(),
            uid: 5,
            act: Act {
                sub: "alice".into(),
            },
            role_id: "SystemRole-DefaultUsers".into(),
            is_service_user: true,
            iat: 1_700_000_000,
            nbf: 1_700_000_000,
            exp: 1_700_003_600,
            jti: "0b7c6a7e-2f55-4d39-9d5e-4a3c1f0e9b21".into(),
            dgen: 2,
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some("JWT".into());
        header.kid = Some(ring.kid().to_owned());
        let der = key.to_pkcs8_der().unwrap();
        let expected = jsonwebtoken::encode(
            &header,
            &claims,
            &jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
        )
        .unwrap();
        assert_eq!(ring.compact_jws(&claims).unwrap(), expected);
        let back = ring.verify(&expected, "http://127.0.0.1:1");
        assert_eq!(back.unwrap_err(), ErrorCode::TokenExpired);
    }

    #[test]
    fn a_private_key_that_does_not_match_its_kid_is_refused() {
        let (a, b) = (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
        );
        let public = a.verifying_key().to_bytes();
        let der = b.to_pkcs8_der().unwrap();
        let rows = vec![(
            thumbprint(&public),
            der.as_bytes().to_vec(),
            public.to_vec(),
        )];
        assert!(KeyRing::from_stored(rows).is_err());
    }

    /// The ring the fuzz targets build from a test key verifies that key's tokens exactly and
    /// refuses the same claims under `alg: none` or signed by a key it does not hold.
    #[test]
    fn a_ring_from_signing_keys_verifies_its_own_tokens_only() {
        use ed25519_dalek::Signer;
        let key = SigningKey::from_bytes(&[7; 32]);
        let ring = KeyRing::from_signing_keys(std::slice::from_ref(&key)).unwrap();
        assert_eq!(ring.kid(), thumbprint(&key.verifying_key().to_bytes()));
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({
            "iss": "iss", "aud": TOKEN_AUDIENCE, "sub": "svc", "uid": 1, "act": {"sub": "alice"},
            "role_id": "r", "is_service_user": true, "iat": now, "nbf": now, "exp": now + 600,
            "jti": "j", "dgen": 0
        });
        let b64 = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let token = |signer: &SigningKey, alg: &str| {
            let header = serde_json::json!({"alg": alg, "typ": "JWT", "kid": ring.kid()});
            let input = format!("{}.{}", b64(&header), b64(&claims));
            let sig = URL_SAFE_NO_PAD.encode(signer.sign(input.as_bytes()).to_bytes());
            format!("{input}.{sig}")
        };
        let verified = ring.verify(&token(&key, "EdDSA"), "iss").unwrap();
        assert_eq!(serde_json::to_value(&verified).unwrap(), claims);
        assert_eq!(
            ring.verify(&token(&key, "none"), "iss").unwrap_err(),
            ErrorCode::TokenInvalid
        );
        let stranger = SigningKey::from_bytes(&[9; 32]);
        assert_eq!(
            ring.verify(&token(&stranger, "EdDSA"), "iss").unwrap_err(),
            ErrorCode::TokenInvalid
        );
    }
}
