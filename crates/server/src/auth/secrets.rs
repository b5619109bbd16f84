//! Secrets the server mints (PATs, session tokens, random passwords), public random ids, and
//! the digest the database keeps instead of a secret.

use amorphic_su_model::{Secret, PAT_PREFIX};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of session tokens.
pub const SESSION_PREFIX: &str = "amo_ses_";

/// SHA-256 of a secret: what the database keeps instead of the secret.
pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A new PAT: `amo_pat_` and 43 URL-safe base64 characters (32 random bytes).
pub fn mint_pat() -> Secret {
    Secret::new(format!("{PAT_PREFIX}{}", random_b64(32)))
}

/// A random password: 32 URL-safe base64 characters (24 random bytes).
pub fn random_password() -> Secret {
    Secret::new(random_b64(24))
}

/// A new session token, same strength as a PAT.
pub fn mint_session_token() -> Secret {
    Secret::new(format!("{SESSION_PREFIX}{}", random_b64(32)))
}

/// A random id such as `pat-5f0c...` (public, not a secret): a version 4 UUID in hex.
pub fn random_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_pats_have_the_contract_shape() {
        let p = mint_pat();
        let s = p.expose();
        assert!(s.starts_with("amo_pat_"));
        let rest = &s["amo_pat_".len()..];
        assert_eq!(rest.len(), 43);
        assert!(rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(mint_pat(), mint_pat());
    }
}
