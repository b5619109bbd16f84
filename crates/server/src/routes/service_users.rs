//! `/users/{id}/...` of a service user: its roles, status, owned resources and PATs.

use std::collections::BTreeSet;

use amorphic_su_model::policy;
use amorphic_su_model::{
    AccessTokenList, ApiError, AttachRolesRequest, ErrorCode, OwnedResources, RoleId,
    SetStatusRequest, TokenId, User, UserId,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;

use crate::auth::principal::Principal;
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path};
use crate::queries::{datasources, roles, tokens, users};
use crate::routes::answer::{present, view};
use crate::routes::doc::{
    AuthHeaders, InvalidRequestOrNotAServiceUser, NoAccessToServiceUser, NoSuchUser,
    NoSuchUserOrRole, NotAServiceUser, NotAuthenticated, PayloadTooLarge,
};
use crate::state::AppState;

/// Attaches roles to a service user; all or nothing, re-attaching is a no-op.
#[utoipa::path(post, path = "/users/{id}/roles", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = AttachRolesRequest,
    responses(
        (status = 200, description = "The service user after the change", body = User),
        InvalidRequestOrNotAServiceUser,
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER; NO_ACCESS_TO_ROLE (a role not attached to the caller)", body = ApiError),
        NoSuchUserOrRole,
        PayloadTooLarge,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn attach_roles(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    Body(req): Body<AttachRolesRequest>,
) -> ApiResult<Json<User>> {
    let now = Utc::now();
    let role_ids: Vec<RoleId> = req
        .role_ids
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let mut named = Vec::with_capacity(role_ids.len());
    for r in &role_ids {
        named.push((r, state.store().role_exists(r.as_str())));
    }
    let permit = policy::can_attach_roles(&p.actor, target.as_ref().map(|t| &t.user), &named)?;
    let target = present(target)?;
    roles::attach_roles(&mut tx, permit, now).await?;
    let user = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(view(&p.actor, user)))
}

/// Detaches a role from a service user; takes effect at once for its tokens and PATs.
#[utoipa::path(delete, path = "/users/{id}/roles/{role_id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), ("role_id" = RoleId, Path, description = "RoleId"), AuthHeaders),
    responses(
        (status = 200, description = "The service user after the change", body = User),
        NotAServiceUser,
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER; NO_ACCESS_TO_ROLE", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user, or the role is not attached", body = ApiError),
        (status = 409, description = "DEFAULT_ROLE_REQUIRED: SystemRole-DefaultUsers stays attached", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn detach_role(
    State(state): State<AppState>,
    p: Principal,
    Path((id, role_id)): Path<(String, String)>,
) -> ApiResult<Json<User>> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let permit = policy::can_detach_role(&p.actor, target.as_ref().map(|t| &t.user), &role_id)?;
    let target = present(target)?;
    roles::detach_role(&mut tx, permit, now).await?;
    let user = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(view(&p.actor, user)))
}

/// Enables or disables a service user; disabling kills its credentials at once.
#[utoipa::path(put, path = "/users/{id}/status", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = SetStatusRequest,
    responses(
        (status = 200, description = "The service user after the change (setting the current status is a no-op)", body = User),
        InvalidRequestOrNotAServiceUser,
        NotAuthenticated,
        NoAccessToServiceUser,
        NoSuchUser,
        PayloadTooLarge,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn set_status(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    Body(req): Body<SetStatusRequest>,
) -> ApiResult<Json<User>> {
    let mut tx = state.db().write().await?;
    // Taken once the writer is ours, so the recorded disable time is not earlier than a
    // session committed while this request waited.
    let now = Utc::now();
    let target = users::user_by_id(&mut tx, &id).await?;
    let permit = policy::can_set_status(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    if users::set_status(&mut tx, permit, req.user_status, now).await? {
        tracing::info!(user_id = %target.user.user_id, status = req.user_status.as_str(), by = %p.actor.user_id, "service user status changed");
    }
    let user = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(view(&p.actor, user)))
}

/// What a delete would transfer.
#[utoipa::path(get, path = "/users/{id}/owned-resources", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    responses(
        (status = 200, description = "Resources the service user owns", body = OwnedResources),
        NotAServiceUser,
        NotAuthenticated,
        NoAccessToServiceUser,
        NoSuchUser,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn owned_resources(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<OwnedResources>> {
    let mut conn = state.db().read().await?;
    let target = users::user_by_id(&mut conn, &id).await?;
    let _granted = policy::can_manage_service_user(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    Ok(Json(OwnedResources {
        resources: datasources::owned_resources(&mut conn, target.uid).await?,
    }))
}

/// The service user's PATs (metadata only), so owners see every way it can act.
#[utoipa::path(get, path = "/users/{id}/access-tokens", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    responses(
        (status = 200, description = "Its PATs, sorted by TokenId", body = AccessTokenList),
        NotAServiceUser,
        NotAuthenticated,
        NoAccessToServiceUser,
        NoSuchUser,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<AccessTokenList>> {
    let mut conn = state.db().read().await?;
    let target = users::user_by_id(&mut conn, &id).await?;
    let _granted = policy::can_manage_service_user(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    Ok(Json(AccessTokenList {
        access_tokens: tokens::access_tokens_of(&mut conn, target.uid, Utc::now()).await?,
    }))
}

/// Revokes one of the service user's PATs without assuming it.
#[utoipa::path(delete, path = "/users/{id}/access-tokens/{token_id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), ("token_id" = TokenId, Path, description = "TokenId"), AuthHeaders),
    responses(
        (status = 204, description = "Revoked"),
        NotAServiceUser,
        NotAuthenticated,
        NoAccessToServiceUser,
        (status = 404, description = "NOT_FOUND: no such user or token", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    p: Principal,
    Path((id, token_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let no_such_token = || {
        Failure::new(
            ErrorCode::NotFound,
            "The service user has no such access token.",
        )
    };
    let Ok(token_id) = TokenId::parse(token_id) else {
        // No token has an id outside TokenId's bounds: the same checks, then not found.
        let _granted = policy::can_manage_service_user(&p.actor, target.as_ref().map(|t| &t.user))?;
        return Err(no_such_token());
    };
    let permit = policy::can_revoke_service_user_token(
        &p.actor,
        target.as_ref().map(|t| &t.user),
        &token_id,
    )?;
    let target = present(target)?;
    if !tokens::delete_access_token(&mut tx, permit).await? {
        return Err(no_such_token());
    }
    tx.commit().await?;
    tracing::info!(user_id = %target.user.user_id, by = %p.actor.user_id, "service user access token revoked");
    Ok(StatusCode::NO_CONTENT)
}
