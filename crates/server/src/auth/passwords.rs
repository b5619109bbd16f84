//! Passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), hashed and
//! verified off the async threads.

use amorphic_su_model::Secret;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

use crate::error::Failure;

fn argon2() -> Argon2<'static> {
    // The parameters are constants within argon2's documented bounds.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, Failure> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(Failure::internal)?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(Failure::internal)
}

/// Hashes a password off the async threads.
pub async fn hash_password(password: &Secret) -> Result<String, Failure> {
    let pw = password.clone();
    tokio::task::spawn_blocking(move || hash_blocking(pw.expose()))
        .await
        .map_err(Failure::internal)?
}

/// A hash to verify against when the user does not exist, so that an unknown user costs the
/// same time as a wrong password (no account enumeration by timing). Same parameters as real
/// hashes; it matches no password anyone would send, and a match would not count anyway.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$OQM7eu83Zb0gmShlRH9s2/ANAwq7DjZ2sQygFAsILn0";

/// Verifies `password` against `hash` (or against a dummy when `None`, returning false).
pub async fn verify_password(password: &Secret, hash: Option<String>) -> bool {
    let pw = password.clone();
    tokio::task::spawn_blocking(move || {
        let real = hash.is_some();
        let h = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let ok = PasswordHash::new(&h).is_ok_and(|parsed| {
            argon2()
                .verify_password(pw.expose().as_bytes(), &parsed)
                .is_ok()
        });
        ok && real
    })
    .await
    .unwrap_or(false)
}
