//! Authentication: secrets and their digests, passwords, the sign-in throttle, and the
//! [`Principal`] extractor that every authenticated handler takes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use amorphic_su_model::policy::{
    self, AccountState, ActiveRole, Actor, AssumedUser, Credential, CredentialKind, RoleSource,
};
use amorphic_su_model::{ErrorCode, RoleId, Secret, PAT_PREFIX, ROLE_HEADER, SERVICE_USER_HEADER};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::from_us;
use crate::error::Failure;
use crate::keys::{Claims, MAX_TOKEN_CHARS};
use crate::state::AppState;

/// Longest `Authorization` token looked up; PATs and session tokens are ~51 characters.
const MAX_CREDENTIAL_CHARS: usize = 512;
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

/// A random id such as `pat-5f0c...` (public, not a secret).
pub fn random_id(prefix: &str) -> String {
    let mut buf = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    let hex: String = buf.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}-{hex}")
}

// ---------------------------------------------------------------------------------------
// Passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane).

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

// ---------------------------------------------------------------------------------------
// Sign-in throttle: 5 failures per UserId within 15 minutes, then 429 until the window
// passes. Attempts in flight count as failures, so parallel guesses cannot exceed five.

#[derive(Default)]
struct Attempts {
    failures: Vec<DateTime<Utc>>,
    in_flight: usize,
}

#[derive(Default)]
pub struct LoginThrottle {
    map: Mutex<HashMap<String, Attempts>>,
}

/// An attempt in progress; dropping it without [`LoginAttempt::succeeded`] records a
/// failure (also when the request is cancelled midway).
pub struct LoginAttempt<'a> {
    throttle: &'a LoginThrottle,
    key: String,
    done: bool,
}

impl LoginThrottle {
    const MAX_KEYS: usize = 10_000;

    /// Starts an attempt for `user_id`, or refuses with `TOO_MANY_ATTEMPTS`.
    pub fn begin(&self, user_id: &str, now: DateTime<Utc>) -> Result<LoginAttempt<'_>, ErrorCode> {
        // Case-folded: look-alike ids cannot exist, so they share one budget.
        let key = user_id.to_ascii_lowercase();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let window = now - chrono::Duration::minutes(policy::LOGIN_WINDOW_MINUTES);
        if map.len() >= Self::MAX_KEYS {
            map.retain(|_, a| a.in_flight > 0 || a.failures.iter().any(|t| *t > window));
        }
        let entry = map.entry(key.clone()).or_default();
        entry.failures.retain(|t| *t > window);
        let mut pending = entry.failures.clone();
        pending.extend(std::iter::repeat_n(now, entry.in_flight));
        policy::login_allowed(&pending, now)?;
        entry.in_flight += 1;
        Ok(LoginAttempt {
            throttle: self,
            key,
            done: false,
        })
    }

    fn finish(&self, key: &str, failed: bool) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = map.get_mut(key) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
            if failed {
                entry.failures.push(Utc::now());
            }
        }
    }
}

impl LoginAttempt<'_> {
    pub fn succeeded(mut self) {
        self.done = true;
        self.throttle.finish(&self.key, false);
    }
}

impl Drop for LoginAttempt<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.throttle.finish(&self.key, true);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The principal

/// The authenticated principal of a request, with its active role checked (steps 1 and 2 of
/// the contract's order of checks). Handlers that need authentication take this first.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The policy's view: the effective principal (the service user when acting).
    pub actor: Actor,
    /// The effective principal's internal id.
    pub uid: i64,
}

/// The one value of a header, or `Err(())` when it is repeated or not visible ASCII.
fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, ()> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(());
    }
    first.to_str().map(|s| Some(s.trim())).map_err(|_| ())
}

fn strip_bearer(token: &str) -> &str {
    match token.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => token[7..].trim_start(),
        _ => token,
    }
}

fn active_role(state: &AppState, role_id: RoleId) -> Result<ActiveRole, Failure> {
    let role = state
        .store()
        .role(role_id.as_str())
        .ok_or(ErrorCode::RoleNotAttached)?;
    Ok(ActiveRole {
        role_id,
        is_super_admin: role.is_super_admin,
        permissions: role.permissions,
    })
}

/// Steps 1 and 2 for a request's headers at `now`.
pub async fn authenticate(
    headers: &HeaderMap,
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Principal, Failure> {
    let token = single_header(headers, AUTHORIZATION.as_str())
        .map_err(|_| ErrorCode::Unauthenticated)?
        .map(strip_bearer)
        .filter(|t| !t.is_empty() && t.len() <= MAX_CREDENTIAL_CHARS)
        .ok_or(ErrorCode::Unauthenticated)?;
    let d = digest(token);

    let store = state.store();
    let row = store
        .credential(&d)
        .await?
        .ok_or(ErrorCode::Unauthenticated)?;
    let credential = Credential {
        kind: if row.pat_role.is_some() {
            CredentialKind::AccessToken
        } else {
            CredentialKind::Session
        },
        issued_at: from_us(row.created_us),
        expires_at: from_us(row.expires_us),
    };
    let bound_role = row
        .pat_role
        .map(RoleId::parse)
        .transpose()
        .map_err(Failure::internal)?;
    let person = store
        .user_by_uid(row.uid)
        .await?
        .ok_or(ErrorCode::Unauthenticated)?;
    policy::authenticate(
        &credential,
        &AccountState {
            status: person.user.user_status,
            disabled_at: person.disabled_at,
        },
        now,
    )?;
    let source = match &bound_role {
        Some(r) => RoleSource::AccessToken { bound_role: r },
        None => RoleSource::Session {
            default_role: &person.user.default_role_id,
        },
    };
    // Step 2 input; its failure is answered only after every step-1 check.
    let role_header = single_header(headers, ROLE_HEADER)
        .map(|h| h.filter(|v| !v.is_empty()))
        .map_err(|_| ErrorCode::RoleNotAttached);
    let su_header =
        single_header(headers, SERVICE_USER_HEADER).map_err(|_| ErrorCode::TokenInvalid)?;

    let Some(jwt) = su_header else {
        let role_id = policy::select_active_role(&person.user.roles, source, role_header?)?;
        let active_role = active_role(state, role_id)?;
        return Ok(Principal {
            actor: Actor {
                user_id: person.user.user_id.clone(),
                is_service_user: person.user.is_service_user,
                assumed_by: None,
                tags: person.user.tags.clone(),
                roles: person.user.roles.clone(),
                active_role,
            },
            uid: person.uid,
        });
    };

    // Acting as a service user. The caller's own active role plays no part in the token
    // checks (access comes from shares and tags only), so a placeholder stands in for it.
    let person_role = policy::select_active_role(&person.user.roles, source, None);
    let caller = Actor {
        user_id: person.user.user_id.clone(),
        is_service_user: person.user.is_service_user,
        assumed_by: None,
        tags: person.user.tags.clone(),
        roles: person.user.roles.clone(),
        active_role: ActiveRole {
            role_id: person.user.default_role_id.clone(),
            is_super_admin: false,
            permissions: vec![],
        },
    };
    let claims = verified_claims(state, jwt)?;
    let su = store.user_by_uid(claims.uid).await?;
    let assumed = su.as_ref().map(|s| AssumedUser {
        user: &s.user,
        uid: s.uid,
        disabled_at: s.disabled_at,
    });
    policy::accept_service_user_token(&claims.policy_view(), &caller, assumed.as_ref(), now)?;
    let su = su.ok_or(ErrorCode::TokenInvalid)?;
    person_role?;
    let claim_role = RoleId::parse(claims.role_id.as_str()).map_err(|_| ErrorCode::TokenInvalid)?;
    let role_id = policy::select_active_role(
        &su.user.roles,
        RoleSource::ServiceUserToken {
            claim_role: &claim_role,
        },
        role_header?,
    )?;
    let active_role = active_role(state, role_id)?;
    Ok(Principal {
        actor: Actor {
            user_id: su.user.user_id.clone(),
            is_service_user: true,
            assumed_by: Some(person.user.user_id.clone()),
            tags: Vec::new(),
            roles: su.user.roles.clone(),
            active_role,
        },
        uid: su.uid,
    })
}

/// A token's verified claims: the signature and header checks run once per distinct token;
/// the time and state checks run on every request (see [`policy::accept_service_user_token`]).
fn verified_claims(state: &AppState, jwt: &str) -> Result<Arc<Claims>, ErrorCode> {
    if jwt.len() > MAX_TOKEN_CHARS {
        return Err(ErrorCode::TokenInvalid);
    }
    let cache = &state.store().cache;
    let key = digest(jwt);
    let claims = match cache.verified_token(&key) {
        Some(c) => c,
        None => {
            let c = Arc::new(state.keys().verify(jwt, &state.config().issuer)?);
            cache.put_verified_token(key, c.clone());
            c
        }
    };
    // The cache is per store; the issuer is per app.
    if claims.iss != state.config().issuer {
        return Err(ErrorCode::TokenInvalid);
    }
    Ok(claims)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = Failure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(&parts.headers, state, Utc::now()).await
    }
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

    #[test]
    fn bearer_prefix_is_optional() {
        assert_eq!(strip_bearer("Bearer abc"), "abc");
        assert_eq!(strip_bearer("bearer  abc"), "abc");
        assert_eq!(strip_bearer("abc"), "abc");
        assert_eq!(strip_bearer("Bear"), "Bear");
    }

    #[test]
    fn throttle_locks_after_five_failures_and_counts_cancelled_attempts() {
        let t = LoginThrottle::default();
        let now = Utc::now();
        for _ in 0..4 {
            drop(t.begin("Alice", now).unwrap());
        }
        t.begin("alice", now).unwrap().succeeded();
        let fifth = t.begin("alice", now).unwrap();
        // In flight: a parallel guess is refused already.
        assert_eq!(
            t.begin("alice", now).err(),
            Some(ErrorCode::TooManyAttempts)
        );
        drop(fifth);
        assert_eq!(
            t.begin("ALICE", now).err(),
            Some(ErrorCode::TooManyAttempts)
        );
        assert!(t.begin("bob", now).is_ok());
        let later = now + chrono::Duration::minutes(16);
        assert!(t.begin("alice", later).is_ok(), "the window passed");
    }
}
