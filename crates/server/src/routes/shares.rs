//! `/users/{id}/shares`: who owns a service user (regular users and tags).

use amorphic_su_model::policy::{self, ShareKey, ShareTarget};
use amorphic_su_model::{ApiError, Shares, SharesRequest, TagId, UserId};
use axum::extract::State;
use axum::Json;
use chrono::Utc;
use utoipa::IntoResponses;

use crate::auth::principal::Principal;
use crate::error::ApiResult;
use crate::extract::{Body, Path};
use crate::queries::{shares, tags, users};
use crate::routes::answer::present;
use crate::routes::doc::{
    AuthHeaders, NoAccessToServiceUser, NoSuchUser, NotAServiceUser, NotAuthenticated,
    PayloadTooLarge, RoleNotAttached,
};
use crate::rows::StoredUser;
use crate::state::AppState;

/// The share to remove does not exist (or the service user does not).
#[derive(IntoResponses)]
#[response(status = 404, description = "NOT_FOUND: no such service user or share")]
#[allow(dead_code)]
struct NoSuchServiceUserOrShare(ApiError);

/// Removing the share would leave the service user without an owner.
#[derive(IntoResponses)]
#[response(status = 409, description = "LAST_OWNER: no share would be left")]
#[allow(dead_code)]
struct LastOwner(ApiError);

fn shares_of(user: StoredUser) -> Shares {
    user.user.shares.unwrap_or_default()
}

/// Who has access to a service user.
#[utoipa::path(get, path = "/users/{id}/shares", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    responses(
        (status = 200, description = "The shares, sorted by id", body = Shares),
        NotAServiceUser,
        NotAuthenticated,
        RoleNotAttached,
        NoSuchUser,
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
        NotAuthenticated,
        NoAccessToServiceUser,
        (status = 404, description = "NOT_FOUND: no such service user, user or tag", body = ApiError),
        PayloadTooLarge,
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
    shares::add_shares(&mut tx, permit, &uids, &tag_ids, now).await?;
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
    shares::remove_share(&mut tx, permit, now).await?;
    let after = present(users::user_by_uid(&mut tx, target.uid).await?)?;
    tx.commit().await?;
    Ok(Json(shares_of(after)))
}

/// Removes a user's share of a service user.
#[utoipa::path(delete, path = "/users/{id}/shares/users/{user_id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), ("user_id" = UserId, Path, description = "UserId of the shared user"), AuthHeaders),
    responses(
        (status = 200, description = "The full shares after the change", body = Shares),
        NotAServiceUser,
        NotAuthenticated,
        NoAccessToServiceUser,
        NoSuchServiceUserOrShare,
        LastOwner,
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
        NotAServiceUser,
        NotAuthenticated,
        NoAccessToServiceUser,
        NoSuchServiceUserOrShare,
        LastOwner,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn remove_tag_share(
    State(state): State<AppState>,
    p: Principal,
    Path((id, tag_id)): Path<(String, String)>,
) -> ApiResult<Json<Shares>> {
    remove_share(state, p, id, ShareKey::Tag(&tag_id)).await
}
