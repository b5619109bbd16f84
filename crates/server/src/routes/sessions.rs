//! Sign-in (session tokens), sessions, signing the calling session out, and global sign-out.

use amorphic_su_model::policy::{self, SignInAccount, SESSION_MINUTES};
use amorphic_su_model::{
    ApiError, CreateSessionRequest, ErrorCode, GlobalSignOut, SessionCreated, SessionId,
    SessionList, UserId, UserStatus,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{Duration, Utc};
use utoipa::IntoResponses;

use crate::auth::principal::{credential_token, Principal};
use crate::auth::{passwords, secrets};
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path};
use crate::queries::{sessions, users};
use crate::routes::answer::present;
use crate::routes::doc::{
    AuthHeaders, InvalidRequest, NoSuchUser, NotAuthenticated, PayloadTooLarge,
};
use crate::state::AppState;

/// Sessions belong to regular users only.
#[derive(IntoResponses)]
#[response(status = 400, description = "NO_SESSIONS_FOR_SERVICE_USERS")]
#[allow(dead_code)]
struct NoSessionsForServiceUsers(ApiError);

/// A user's sessions are its own and the super-admins' business only.
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "ROLE_NOT_ATTACHED; FORBIDDEN: neither the user itself nor a super-admin"
)]
#[allow(dead_code)]
struct NotSelfOrSuperAdmin(ApiError);

/// Only a session ends this way.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "NOT_A_SESSION: the Authorization token is a PAT (revoke it with DELETE /access-tokens/{token_id}); NO_SESSIONS_FOR_SERVICE_USERS: a service user's PAT"
)]
#[allow(dead_code)]
struct NotASession(ApiError);

/// Acting as a service user is not signing out.
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "SERVICE_USER_NOT_ALLOWED: the request carries X-Amorphic-Service-User; ROLE_NOT_ATTACHED"
)]
#[allow(dead_code)]
struct ActingCannotSignOut(ApiError);

const MAX_USER_ID_CHARS: usize = 256;
const MAX_PASSWORD_CHARS: usize = 1024;

/// Every sign-in failure answers exactly this, so accounts cannot be enumerated.
fn sign_in_failed() -> Failure {
    Failure::new(
        ErrorCode::Unauthenticated,
        "The user id or password is not correct.",
    )
}

/// Signs a regular user in with a password; the session token lives 60 minutes.
#[utoipa::path(post, path = "/auth/sessions", tag = "auth",
    request_body = CreateSessionRequest,
    responses(
        (status = 201, description = "A session token (shown once)", body = SessionCreated),
        InvalidRequest,
        (status = 401, description = "UNAUTHENTICATED: unknown user, wrong password, a service user or a disabled user (one answer for all)", body = ApiError),
        PayloadTooLarge,
        (status = 429, description = "TOO_MANY_ATTEMPTS: 5 failures for this UserId within 15 minutes", body = ApiError),
    ))]
pub(crate) async fn create_session(
    State(state): State<AppState>,
    Body(req): Body<CreateSessionRequest>,
) -> ApiResult<(StatusCode, Json<SessionCreated>)> {
    if req.user_id.chars().count() > MAX_USER_ID_CHARS
        || req.password.expose().chars().count() > MAX_PASSWORD_CHARS
    {
        return Err(Failure::new(
            ErrorCode::InvalidRequest,
            "UserId or Password is too long.",
        ));
    }
    let now = Utc::now();
    let attempt = state.logins().begin(&req.user_id, now)?;
    let account = {
        let mut conn = state.db().read().await?;
        users::sign_in_account(&mut conn, &req.user_id).await?
    };
    // One argon2 verification whatever the account, so every failure takes the same time.
    let (found, hash) = match account {
        Some(a) => (
            Some(SignInAccount {
                is_service_user: a.is_service_user,
                status: if a.status == UserStatus::Enabled.as_str() {
                    UserStatus::Enabled
                } else {
                    UserStatus::Disabled
                },
            }),
            a.password_hash,
        ),
        None => (None, None),
    };
    let password_ok = passwords::verify_password(&req.password, hash).await;
    // An account was found by exactly this id, so it parses; anything else is no account.
    let permit = UserId::parse(req.user_id.as_str())
        .map_err(|_| ErrorCode::Unauthenticated)
        .and_then(|id| policy::can_sign_in(&id, found, password_ok));
    let Ok(permit) = permit else {
        drop(attempt); // counts as a failure
        return Err(sign_in_failed());
    };
    attempt.succeeded();

    let token = secrets::mint_session_token();
    let session_id = secrets::random_id("ses");
    let expires_at = now + Duration::minutes(SESSION_MINUTES);
    let mut tx = state.db().write().await?;
    let created = sessions::insert_session(
        &mut tx,
        permit,
        &session_id,
        &secrets::digest(token.expose()),
        now,
        expires_at,
    )
    .await?;
    if !created {
        // Disabled since the password was checked.
        return Err(sign_in_failed());
    }
    tx.commit().await?;
    tracing::info!(user_id = %req.user_id, "signed in");
    Ok((
        StatusCode::CREATED,
        Json(SessionCreated {
            session_token: token,
            expires_at: expires_at.into(),
            session_id: SessionId::parse(session_id).map_err(Failure::internal)?,
        }),
    ))
}

/// A regular user's live sessions (the user itself, or a super-admin).
#[utoipa::path(get, path = "/users/{id}/sessions", tag = "auth",
    params(("id" = UserId, Path, description = "UserId of a regular user"), AuthHeaders),
    responses(
        (status = 200, description = "Live sessions, sorted by SessionId", body = SessionList),
        NoSessionsForServiceUsers,
        NotAuthenticated,
        NotSelfOrSuperAdmin,
        NoSuchUser,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_sessions(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionList>> {
    let mut conn = state.db().read().await?;
    let target = users::user_by_id(&mut conn, &id).await?;
    let _granted = policy::can_view_sessions(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    Ok(Json(SessionList {
        sessions: sessions::sessions_of(&mut conn, target.uid, Utc::now()).await?,
    }))
}

/// Ends every session of a regular user (PATs keep working).
#[utoipa::path(post, path = "/users/{id}/global-signout", tag = "auth",
    params(("id" = UserId, Path, description = "UserId of a regular user"), AuthHeaders),
    responses(
        (status = 200, description = "How many live sessions ended", body = GlobalSignOut),
        NoSessionsForServiceUsers,
        NotAuthenticated,
        NotSelfOrSuperAdmin,
        NoSuchUser,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn global_signout(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<GlobalSignOut>> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let permit = policy::can_view_sessions(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    let ended = sessions::end_sessions(&mut tx, permit, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = %target.user.user_id, by = %p.actor.user_id, ended, "global sign-out");
    Ok(Json(GlobalSignOut {
        ended_sessions: ended,
    }))
}

/// Ends the calling session (the reference server's extension to the contract, which has only
/// global sign-out): its session token is refused from the next request on. Service-user
/// tokens assumed with it are not revoked; they need a live credential of the assuming user
/// beside them.
#[utoipa::path(delete, path = "/auth/sessions/current", tag = "auth",
    params(AuthHeaders),
    responses(
        (status = 204, description = "The calling session ended"),
        NotASession,
        NotAuthenticated,
        ActingCannotSignOut,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn end_current_session(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    // The principal authenticated with exactly this token, so it is present and well-formed.
    let token = credential_token(&headers)?;
    let mut tx = state.db().write().await?;
    let session = sessions::session_by_digest(&mut tx, p.uid, &secrets::digest(token)).await?;
    let permit = policy::can_end_session(&p.actor, session.as_ref())?;
    if !sessions::end_session(&mut tx, permit).await? {
        // A concurrent sign-out ended it first: answer what the next request gets.
        return Err(ErrorCode::Unauthenticated.into());
    }
    tx.commit().await?;
    tracing::info!(user_id = %p.actor.user_id, "signed out of one session");
    Ok(StatusCode::NO_CONTENT)
}
