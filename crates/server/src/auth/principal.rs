//! The principal of a request: its credential checked (step 1 of the contract's order of
//! checks) and its active role chosen (step 2), acting as a service user when the request
//! carries a service-user token.

use std::sync::Arc;

use amorphic_su_model::policy::{
    self, AccountState, ActiveRole, Actor, AssumedUser, Credential, CredentialKind, RoleSource,
};
use amorphic_su_model::{ErrorCode, RoleId, ROLE_HEADER, SERVICE_USER_HEADER};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};

use crate::auth::secrets::digest;
use crate::db::from_us;
use crate::error::Failure;
use crate::keys::{Claims, MAX_TOKEN_CHARS};
use crate::state::AppState;

/// Longest `Authorization` token looked up; PATs and session tokens are ~51 characters.
const MAX_CREDENTIAL_CHARS: usize = 512;

/// The authenticated principal of a request, with its active role checked (steps 1 and 2 of
/// the contract's order of checks). Handlers that need authentication take this first.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The policy's view: the effective principal (the service user when acting).
    pub actor: Actor,
    /// The effective principal's internal id.
    pub uid: i64,
    /// The effective principal's disable generation when the request was authenticated
    /// (see [`Principal::still_current`]).
    pub generation: i64,
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
    let (is_super_admin, permissions) = state
        .store()
        .role_grants(role_id.as_str())
        .ok_or(ErrorCode::RoleNotAttached)?;
    Ok(ActiveRole {
        role_id,
        is_super_admin,
        permissions,
    })
}

/// The credential of `Authorization` (a session token or PAT, `Bearer ` optional) to look up;
/// a missing, repeated, empty, oversized or non-ASCII one is `UNAUTHENTICATED`.
pub fn credential_token(headers: &HeaderMap) -> Result<&str, ErrorCode> {
    single_header(headers, AUTHORIZATION.as_str())
        .map_err(|_| ErrorCode::Unauthenticated)?
        .map(strip_bearer)
        .filter(|t| !t.is_empty() && t.len() <= MAX_CREDENTIAL_CHARS)
        .ok_or(ErrorCode::Unauthenticated)
}

/// The role header's value, if any; a repeated or non-ASCII one is `ROLE_NOT_ATTACHED`.
pub fn role_header(headers: &HeaderMap) -> Result<Option<&str>, ErrorCode> {
    single_header(headers, ROLE_HEADER)
        .map(|h| h.filter(|v| !v.is_empty()))
        .map_err(|_| ErrorCode::RoleNotAttached)
}

/// The service-user token of `X-Amorphic-Service-User`, if any; a repeated or non-ASCII one
/// is `TOKEN_INVALID`.
pub fn service_user_token(headers: &HeaderMap) -> Result<Option<&str>, ErrorCode> {
    single_header(headers, SERVICE_USER_HEADER).map_err(|_| ErrorCode::TokenInvalid)
}

/// Steps 1 and 2 for a request's headers at `now`.
pub async fn authenticate(
    headers: &HeaderMap,
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Principal, Failure> {
    let token = credential_token(headers)?;
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
        disable_generation: row.disable_generation,
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
            disable_generation: person.disable_generation,
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
    let role_header = role_header(headers);
    let su_header = service_user_token(headers)?;

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
            generation: person.disable_generation,
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
        disable_generation: s.disable_generation,
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
        generation: su.disable_generation,
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
    fn bearer_prefix_is_optional() {
        assert_eq!(strip_bearer("Bearer abc"), "abc");
        assert_eq!(strip_bearer("bearer  abc"), "abc");
        assert_eq!(strip_bearer("abc"), "abc");
        assert_eq!(strip_bearer("Bear"), "Bear");
    }
}
