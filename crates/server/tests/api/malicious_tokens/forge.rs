//! What an attacker does with tokens: decode, re-sign with a stolen or foreign key, flip
//! bits, malleate signatures.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signer, SigningKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;
use sqlx::ConnectOptions;

pub async fn signing_key_from_db(db: &std::path::Path, kid: &str) -> SigningKey {
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .expect("open the server's database read-only");
    let (der,): (Vec<u8>,) = sqlx::query_as("SELECT private_der FROM signing_keys WHERE kid = ?1")
        .bind(kid)
        .fetch_one(&mut conn)
        .await
        .expect("the signing key row");
    SigningKey::from_pkcs8_der(&der).expect("PKCS#8 Ed25519 key")
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).expect("JSON"))
}

/// Header, claims and the signature segment of a JWT (no verification).
pub fn split(token: &str) -> (Value, Value, String) {
    let mut it = token.split('.');
    let h = URL_SAFE_NO_PAD
        .decode(it.next().expect("header"))
        .expect("header b64");
    let c = URL_SAFE_NO_PAD
        .decode(it.next().expect("claims"))
        .expect("claims b64");
    let s = it.next().expect("signature").to_owned();
    (
        serde_json::from_slice(&h).expect("header JSON"),
        serde_json::from_slice(&c).expect("claims JSON"),
        s,
    )
}

/// Signs exactly these header and claims texts (which need not be canonical JSON).
pub fn sign_raw_ed(key: &SigningKey, header_json: &str, claims_json: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(claims_json)
    );
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

pub fn sign_ed(key: &SigningKey, header: &Value, claims: &Value) -> String {
    sign_raw_ed(key, &header.to_string(), &claims.to_string())
}

/// HS256 over `header.claims` with `secret` (the classic key-confusion attack).
pub fn sign_hs256(secret: &[u8], header: &Value, claims: &Value) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    let sig = jsonwebtoken::crypto::sign(
        input.as_bytes(),
        &EncodingKey::from_secret(secret),
        Algorithm::HS256,
    )
    .expect("HS256");
    format!("{input}.{sig}")
}

/// `v` with `f` applied.
pub fn with(v: &Value, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut v = v.clone();
    f(v.as_object_mut().expect("object"));
    v
}

pub fn flip_bit(sig_b64: &str, byte: usize, bit: u8) -> String {
    let mut s = URL_SAFE_NO_PAD.decode(sig_b64).expect("signature b64");
    s[byte] ^= 1 << bit;
    URL_SAFE_NO_PAD.encode(s)
}

/// The Ed25519 group order L, little-endian.
pub const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The same signature with `S` replaced by `S + L` (signature malleability).
pub fn malleate(sig_b64: &str) -> String {
    let mut s = URL_SAFE_NO_PAD.decode(sig_b64).expect("signature b64");
    let mut carry = 0u16;
    for (i, l) in ED25519_L.iter().enumerate() {
        let sum = u16::from(s[32 + i]) + u16::from(*l) + carry;
        s[32 + i] = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "S + L fits in 256 bits");
    URL_SAFE_NO_PAD.encode(s)
}

pub fn foreign_key() -> SigningKey {
    SigningKey::generate(&mut rand::rngs::OsRng)
}

pub fn foreign_kid(key: &SigningKey) -> String {
    use sha2::Digest;
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// A token signed by `key` through jsonwebtoken, as any JWT library would mint it.
pub fn jsonwebtoken_ed(key: &SigningKey, kid: &str, claims: &Value) -> String {
    let der = key.to_pkcs8_der().expect("PKCS#8");
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(der.as_bytes()))
        .expect("encode")
}
