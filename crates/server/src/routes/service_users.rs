//! `/users/{id}/...`: roles, tokens, shares, status, owned resources, PATs of a service user.

use std::collections::BTreeSet;
use std::time::Duration;

use amorphic_su_model::policy::{self, ShareKey, ShareTarget};
use amorphic_su_model::{
    AccessTokenList, ApiError, AssumeRequest, AttachRolesRequest, ErrorCode, ExpiryMinutes,
    OwnedResources, RoleId, Secret, ServiceUserToken, SetStatusRequest, Shares, SharesRequest,
    TagId, Timestamp, TokenId, User, UserId, TOKEN_AUDIENCE,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;

use super::{present, view, AuthHeaders};
use crate::auth::principal::Principal;
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path};
use crate::keys::{Act, Claims};
use crate::queries::shares::{self, ShareRef};
use crate::queries::{datasources, roles, tags, tokens, users};
use crate::rows::StoredUser;
use crate::state::AppState;

/// Attaches roles to a service user; all or nothing, re-attaching is a no-op.
#[utoipa::path(post, path = "/users/{id}/roles", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = AttachRolesRequest,
    responses(
        (status = 200, description = "The service user after the change", body = User),
        (status = 400, description = "INVALID_REQUEST; NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER; NO_ACCESS_TO_ROLE (a role not attached to the caller)", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user or role", body = ApiError),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ApiError),
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
    roles::attach_roles(&mut tx, permit, &target, &role_ids, now).await?;
    let user = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(view(&p.actor, user)))
}

/// Detaches a role from a service user; takes effect at once for its tokens and PATs.
#[utoipa::path(delete, path = "/users/{id}/roles/{role_id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), ("role_id" = RoleId, Path, description = "RoleId"), AuthHeaders),
    responses(
        (status = 200, description = "The service user after the change", body = User),
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
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
    roles::detach_role(&mut tx, permit, &target, &role_id, now).await?;
    let user = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(view(&p.actor, user)))
}

/// Issues a token to act as the service user (send it as `X-Amorphic-Service-User`).
#[utoipa::path(post, path = "/users/{id}/auth-token", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = AssumeRequest,
    responses(
        (status = 201, description = "An EdDSA JWT; exp - iat = ExpiryInMinutes * 60 and ExpiresAt = exp", body = ServiceUserToken),
        (status = 400, description = "INVALID_REQUEST; NOT_A_SERVICE_USER; INVALID_EXPIRY: ExpiryInMinutes not an integer 1..180", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED (header, or RoleId not attached to the service user); SERVICE_USER_NOT_ALLOWED (the caller is or acts as a service user); NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user or role", body = ApiError),
        (status = 409, description = "SERVICE_USER_DISABLED", body = ApiError),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn issue_token(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    Body(req): Body<AssumeRequest>,
) -> ApiResult<(StatusCode, Json<ServiceUserToken>)> {
    let target = state.store().user_by_id(&id).await?;
    let role_exists = state.store().role_exists(req.role_id.as_str());
    let permit = policy::can_assume(
        &p.actor,
        target.as_deref().map(|t| &t.user),
        &req.role_id,
        role_exists,
    )?;
    let target = present(target)?;
    let expiry = ExpiryMinutes::from_json(&req.expiry_in_minutes)
        .map_err(|e| Failure::new(ErrorCode::InvalidExpiry, format!("{e}.")))?;
    // A token must not share its (whole-second) iat with the service user's last disable,
    // or it would count as issued before it; wait for the next second in that rare case.
    let now = Utc::now();
    let iat = policy::earliest_token_issue(now, target.disabled_at);
    let wait_ms = iat * 1000 - now.timestamp_millis();
    if wait_ms > 0 {
        tokio::time::sleep(Duration::from_millis(wait_ms as u64 + 1)).await;
    }
    let claims = Claims {
        iss: state.config().issuer.clone(),
        aud: TOKEN_AUDIENCE.to_owned(),
        sub: target.user.user_id.to_string(),
        uid: target.uid,
        act: Act {
            sub: p.actor.user_id.to_string(),
        },
        role_id: req.role_id.to_string(),
        is_service_user: true,
        iat,
        nbf: iat,
        exp: iat + expiry.seconds(),
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let token = state
        .keys()
        .sign(permit, &claims)
        .map_err(Failure::internal)?;
    let expires_at =
        Timestamp::from_unix(claims.exp).ok_or_else(|| Failure::internal("expiry out of range"))?;
    tracing::info!(service_user = %target.user.user_id, by = %p.actor.user_id, role = %req.role_id, minutes = expiry.minutes(), "service-user token issued");
    Ok((
        StatusCode::CREATED,
        Json(ServiceUserToken {
            token: Secret::new(token),
            expires_at,
            role_id: req.role_id,
            user_id: target.user.user_id.clone(),
        }),
    ))
}

fn shares_of(user: StoredUser) -> Shares {
    user.user.shares.unwrap_or_default()
}

/// Who has access to a service user.
#[utoipa::path(get, path = "/users/{id}/shares", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    responses(
        (status = 200, description = "The shares, sorted by id", body = Shares),
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn get_shares(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Shares>> {
    let mut conn = state.db().read().await?;
    let target = users::user_by_id(&mut conn, &id).await?;
    let _granted = policy::can_view_service_user(&p.actor, target.as_ref().map(|t| &t.user))?;
    Ok(Json(shares_of(present(target)?)))
}

/// Adds shares (owner only) with regular users and tags; all or nothing, re-adding is a no-op.
#[utoipa::path(put, path = "/users/{id}/shares", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = SharesRequest,
    responses(
        (status = 200, description = "The full shares after the change", body = Shares),
        (status = 400, description = "INVALID_REQUEST; NOT_A_SERVICE_USER; ACCESS_TYPE_NOT_ALLOWED (anything but owner); CANNOT_SHARE_WITH_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such service user, user or tag", body = ApiError),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn add_shares(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    Body(req): Body<SharesRequest>,
) -> ApiResult<Json<Shares>> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let mut shared_users = Vec::with_capacity(req.users.len());
    for s in &req.users {
        shared_users.push(users::user_by_id(&mut tx, s.user_id.as_str()).await?);
    }
    let mut tags_exist = Vec::with_capacity(req.tags.len());
    for s in &req.tags {
        tags_exist.push(tags::tag_exists(&mut tx, s.tag_id.as_str()).await?);
    }
    let named: Vec<ShareTarget<'_>> = req
        .users
        .iter()
        .zip(&shared_users)
        .map(|(s, u)| ShareTarget::User {
            found: u.as_ref().map(|u| &u.user),
            access_type: &s.access_type,
        })
        .chain(
            req.tags
                .iter()
                .zip(&tags_exist)
                .map(|(s, e)| ShareTarget::Tag {
                    exists: *e,
                    access_type: &s.access_type,
                }),
        )
        .collect();
    let permit = policy::can_add_shares(&p.actor, target.as_ref().map(|t| &t.user), &named)?;
    let target = present(target)?;
    let uids: Vec<i64> = shared_users.iter().flatten().map(|u| u.uid).collect();
    let tag_ids: Vec<TagId> = req.tags.iter().map(|t| t.tag_id.clone()).collect();
    shares::add_shares(&mut tx, permit, &target, &uids, &tag_ids, now).await?;
    let after = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(shares_of(after)))
}

async fn remove_share(
    state: AppState,
    p: Principal,
    id: String,
    key: ShareKey<'_>,
) -> ApiResult<Json<Shares>> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let permit = policy::can_remove_share(&p.actor, target.as_ref().map(|t| &t.user), key)?;
    let target = present(target)?;
    let share = match key {
        ShareKey::User(u) => ShareRef::User(u),
        ShareKey::Tag(t) => ShareRef::Tag(t),
    };
    shares::remove_share(&mut tx, permit, &target, share, now).await?;
    let after = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(shares_of(after)))
}

/// Removes a user's share of a service user.
#[utoipa::path(delete, path = "/users/{id}/shares/users/{user_id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), ("user_id" = UserId, Path, description = "UserId of the shared user"), AuthHeaders),
    responses(
        (status = 200, description = "The full shares after the change", body = Shares),
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such service user or share", body = ApiError),
        (status = 409, description = "LAST_OWNER: no share would be left", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn remove_user_share(
    State(state): State<AppState>,
    p: Principal,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<Json<Shares>> {
    remove_share(state, p, id, ShareKey::User(&user_id)).await
}

/// Removes a tag's share of a service user.
#[utoipa::path(delete, path = "/users/{id}/shares/tags/{tag_id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), ("tag_id" = TagId, Path, description = "TagId"), AuthHeaders),
    responses(
        (status = 200, description = "The full shares after the change", body = Shares),
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such service user or share", body = ApiError),
        (status = 409, description = "LAST_OWNER: no share would be left", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn remove_tag_share(
    State(state): State<AppState>,
    p: Principal,
    Path((id, tag_id)): Path<(String, String)>,
) -> ApiResult<Json<Shares>> {
    remove_share(state, p, id, ShareKey::Tag(&tag_id)).await
}

/// Enables or disables a service user; disabling kills its credentials at once.
#[utoipa::path(put, path = "/users/{id}/status", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = SetStatusRequest,
    responses(
        (status = 200, description = "The service user after the change (setting the current status is a no-op)", body = User),
        (status = 400, description = "INVALID_REQUEST; NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user", body = ApiError),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn set_status(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    Body(req): Body<SetStatusRequest>,
) -> ApiResult<Json<User>> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let permit = policy::can_set_status(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    if users::set_status(&mut tx, permit, &target, req.user_status, now).await? {
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
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user", body = ApiError),
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
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such user", body = ApiError),
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
        (status = 400, description = "NOT_A_SERVICE_USER", body = ApiError),
        (status = 401, description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED", body = ApiError),
        (status = 403, description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER", body = ApiError),
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
    let permit = policy::can_manage_service_user(&p.actor, target.as_ref().map(|t| &t.user))?;
    let target = present(target)?;
    if !tokens::revoke_service_user_token(&mut tx, permit, &target, &token_id).await? {
        return Err(Failure::new(
            ErrorCode::NotFound,
            "The service user has no such access token.",
        ));
    }
    tx.commit().await?;
    tracing::info!(user_id = %target.user.user_id, by = %p.actor.user_id, "service user access token revoked");
    Ok(StatusCode::NO_CONTENT)
}
