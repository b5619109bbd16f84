//! Authentication decisions: which credential a request carries, whether a service-user token
//! is still acceptable, which role a request acts under, and the sign-in throttle.

use chrono::{DateTime, Duration, Utc};

use super::{
    action::{EndSession, SignIn},
    has_access, Actor, Decision, Owned, Permit, LOGIN_WINDOW_MINUTES, MAX_LOGIN_FAILURES,
    MAX_SERVICE_USER_TOKEN_SECONDS,
};
use crate::{ErrorCode, RoleId, SessionId, User, UserId, UserStatus};

/// What kind of credential authenticated a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    Session,
    AccessToken,
    ServiceUserToken,
}

/// A credential's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    pub kind: CredentialKind,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// A session's: its account's disable generation when it was issued (PATs: unused).
    pub disable_generation: i64,
}

/// The account a credential belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    pub status: UserStatus,
    /// How many times the account has been disabled, as stored now.
    pub disable_generation: i64,
}

/// Whether the user was disabled since a session or service-user token was issued: the
/// credential carries the user's disable generation at issue (a token's `dgen`), and every
/// disable moves the stored one in the same transaction. Any difference (also one from a
/// future generation) means dead. Times are not compared: a token's `iat` is whole seconds,
/// and the clock of a disable in flight says nothing about which came first.
pub fn disabled_since_issue(token_generation: i64, current_generation: i64) -> bool {
    token_generation != current_generation
}

/// Step 1 for one credential: expired is `TOKEN_EXPIRED`; a disabled account
/// `PRINCIPAL_DISABLED`; re-enabling revives PATs but not sessions or service-user tokens
/// issued before the disable.
pub fn authenticate(
    cred: &Credential,
    account: &AccountState,
    now: DateTime<Utc>,
) -> Result<(), ErrorCode> {
    if now >= cred.expires_at {
        return Err(ErrorCode::TokenExpired);
    }
    if account.status == UserStatus::Disabled {
        return Err(ErrorCode::PrincipalDisabled);
    }
    let revivable = cred.kind == CredentialKind::AccessToken;
    if !revivable && disabled_since_issue(cred.disable_generation, account.disable_generation) {
        return Err(match cred.kind {
            CredentialKind::Session => ErrorCode::Unauthenticated,
            _ => ErrorCode::TokenInvalid,
        });
    }
    Ok(())
}

/// Where the active role comes from when the `role_id` header does not name one.
#[derive(Debug, Clone, Copy)]
pub enum RoleSource<'a> {
    /// A session: the principal's default role; the header may pick any attached role.
    Session { default_role: &'a RoleId },
    /// A PAT: bound to its role; a header naming another is `ROLE_NOT_ATTACHED`.
    AccessToken { bound_role: &'a RoleId },
    /// A service-user token: its `role_id` claim; the header may pick any attached role.
    ServiceUserToken { claim_role: &'a RoleId },
}

/// Step 2: the active role, which must be attached to the principal now (detaching takes
/// effect at once, also for tokens and PATs issued earlier).
pub fn select_active_role(
    attached: &[RoleId],
    source: RoleSource<'_>,
    header: Option<&str>,
) -> Result<RoleId, ErrorCode> {
    let chosen: &str = match source {
        RoleSource::Session { default_role } => header.unwrap_or(default_role.as_str()),
        RoleSource::ServiceUserToken { claim_role } => header.unwrap_or(claim_role.as_str()),
        RoleSource::AccessToken { bound_role } => {
            if header.is_some_and(|h| h != bound_role.as_str()) {
                return Err(ErrorCode::RoleNotAttached);
            }
            bound_role.as_str()
        }
    };
    attached
        .iter()
        .find(|r| r.as_str() == chosen)
        .cloned()
        .ok_or(ErrorCode::RoleNotAttached)
}

/// The claims of a service-user token that the policy judges (after the signature, `alg`,
/// `kid`, `iss` and `aud` were verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUserClaims {
    pub sub: String,
    pub uid: i64,
    pub act_sub: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// `dgen`: the service user's disable generation when the token was issued.
    pub disable_generation: i64,
}

/// The service user a token names, as stored now.
#[derive(Debug, Clone)]
pub struct AssumedUser<'a> {
    pub user: &'a User,
    pub uid: i64,
    /// How many times it has been disabled, as stored now.
    pub disable_generation: i64,
}

/// Step 1 for `X-Amorphic-Service-User`: the token's times and lifetime, the caller is its
/// `act.sub` (a stolen token alone is useless), the service user with that `sub` and `uid`
/// still exists, is enabled and was not disabled since the token was issued (its `dgen` is the
/// current disable generation), and the caller still has
/// access. `caller` is the principal of `Authorization`.
pub fn accept_service_user_token(
    claims: &ServiceUserClaims,
    caller: &Actor,
    assumed: Option<&AssumedUser<'_>>,
    now: DateTime<Utc>,
) -> Result<(), ErrorCode> {
    let now_s = now.timestamp();
    // Checked: both come from the token, and extreme values would overflow.
    let lifetime_ok = claims
        .exp
        .checked_sub(claims.iat)
        .is_some_and(|l| (1..=MAX_SERVICE_USER_TOKEN_SECONDS).contains(&l));
    if !lifetime_ok || claims.nbf > claims.exp {
        return Err(ErrorCode::TokenInvalid);
    }
    if claims.iat > now_s || claims.nbf > now_s {
        return Err(ErrorCode::TokenInvalid);
    }
    if now_s >= claims.exp {
        return Err(ErrorCode::TokenExpired);
    }
    if caller.is_service_user
        || caller.assumed_by.is_some()
        || claims.act_sub != caller.user_id.as_str()
    {
        return Err(ErrorCode::TokenInvalid);
    }
    let Some(a) = assumed else {
        return Err(ErrorCode::TokenInvalid);
    };
    if a.uid != claims.uid || a.user.user_id.as_str() != claims.sub || !a.user.is_service_user {
        return Err(ErrorCode::TokenInvalid);
    }
    if !a.user.is_enabled() {
        return Err(ErrorCode::PrincipalDisabled);
    }
    if disabled_since_issue(claims.disable_generation, a.disable_generation) {
        return Err(ErrorCode::TokenInvalid);
    }
    if !has_access(caller, a.user) {
        return Err(ErrorCode::TokenInvalid);
    }
    Ok(())
}

/// `POST /auth/sessions`: after [`MAX_LOGIN_FAILURES`] failures within the window, refuse
/// until the window passes. `failures` are the times of recent failures (any order).
pub fn login_allowed(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), ErrorCode> {
    let since = now - Duration::minutes(LOGIN_WINDOW_MINUTES);
    let recent = failures.iter().filter(|t| **t > since).count();
    if recent >= MAX_LOGIN_FAILURES {
        Err(ErrorCode::TooManyAttempts)
    } else {
        Ok(())
    }
}

/// What sign-in found stored for the `UserId` it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInAccount {
    pub is_service_user: bool,
    pub status: UserStatus,
}

/// `POST /auth/sessions`, after the throttle and the password check: a session for
/// `user_id` only when the account exists, is a regular user, is enabled and its password
/// matched. Every refusal is the same `UNAUTHENTICATED`, so accounts cannot be enumerated.
/// Sign-in has no actor yet, so its permit is the one way to a session that no request
/// decision grants.
pub fn can_sign_in(
    user_id: &UserId,
    account: Option<SignInAccount>,
    password_ok: bool,
) -> Decision<SignIn> {
    match account {
        Some(a) if password_ok && !a.is_service_user && a.status == UserStatus::Enabled => {
            Ok(Permit::granted(user_id.clone()))
        }
        _ => Err(ErrorCode::Unauthenticated),
    }
}

/// The reference server's sign-out of the calling session: `session` is the session the
/// request's `Authorization` token is, `None` when it is a PAT. Acting as a service user is
/// `SERVICE_USER_NOT_ALLOWED` (the service-user token is not a session; sign out without it);
/// a service user's own PAT `NO_SESSIONS_FOR_SERVICE_USERS`; any other PAT `NOT_A_SESSION`.
/// The permit names the session and its owner, so the delete touches that one row only.
pub fn can_end_session(actor: &Actor, session: Option<&SessionId>) -> Decision<EndSession> {
    if actor.assumed_by.is_some() {
        return Err(ErrorCode::ServiceUserNotAllowed);
    }
    if actor.is_service_user {
        return Err(ErrorCode::NoSessionsForServiceUsers);
    }
    let session = session.ok_or(ErrorCode::NotASession)?;
    Ok(Permit::granted(Owned {
        id: session.clone(),
        owner: actor.user_id.clone(),
    }))
}
