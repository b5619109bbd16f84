//! `/users`, `/users/{id}`, `/whoami`.

use amorphic_su_model::{
    policy, ApiError, ChangeFeed, CreateServiceUserRequest, DeleteServiceUserResponse, ErrorCode,
    Tombstone, User, UserId, UserList, UsersResponse, WhoAmI,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::principal::Principal;
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path, Query};
use crate::queries::feed::{self, Change};
use crate::queries::users;
use crate::routes::answer::{present, view};
use crate::routes::doc::{
    AuthHeaders, NoAccessToServiceUser, NoSuchUser, NotAuthenticated, PayloadTooLarge,
    RoleNotAttached,
};
use crate::state::AppState;

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

/// `action` of `GET /users`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum UsersAction {
    GetServiceUsers,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct UsersQuery {
    /// `get_service_users`: service users only.
    #[param(inline)]
    action: Option<UsersAction>,
    /// Needs `action=get_service_users` (400 INVALID_REQUEST without it): the change feed of
    /// `Version`s greater than this.
    #[param(minimum = 0)]
    since: Option<i64>,
    /// Users to skip (list only); with `after`, skipped after the cursor.
    #[param(minimum = 0)]
    offset: Option<i64>,
    /// List only (400 INVALID_REQUEST with `since`): a keyset cursor, the last `UserId` of the
    /// previous page; the page holds the users whose `UserId` sorts after it. Unlike a deep
    /// `offset`, its cost does not grow with the page's depth, and a user created or deleted
    /// meanwhile does not shift the pages.
    #[param(min_length = 1, max_length = 256)]
    after: Option<String>,
    /// Page size, at least 1; larger than 1000 is clamped to 1000.
    #[param(minimum = 1)]
    limit: Option<i64>,
}

fn bad(message: &'static str) -> Failure {
    Failure::new(ErrorCode::InvalidRequest, message)
}

/// All users, service users only, or the change feed of service users.
///
/// With `since`, answers `{"Users","Deleted","NextSince","HasMore"}`: the service users
/// changed and deleted with `Version > since`, in `Version` order, at most `limit` together.
#[utoipa::path(get, path = "/users", tag = "users",
    params(UsersQuery, AuthHeaders),
    responses(
        (status = 200, description = "A page sorted by UserId (`{Users, TotalCount}`), or with `since` the change feed", body = UsersResponse),
        (status = 400, description = "INVALID_REQUEST: a malformed or out-of-range query parameter, `since` without `action=get_service_users`, or `after` with `since`", body = ApiError),
        NotAuthenticated,
        RoleNotAttached,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_users(
    State(state): State<AppState>,
    p: Principal,
    Query(q): Query<UsersQuery>,
) -> ApiResult<Json<UsersResponse>> {
    let limit = match q.limit {
        None => DEFAULT_LIMIT,
        Some(l) if l < 1 => return Err(bad("limit must be at least 1.")),
        Some(l) => l.min(MAX_LIMIT),
    };
    if q.offset.is_some_and(|o| o < 0) {
        return Err(bad("offset must be 0 or more."));
    }
    if q.after
        .as_ref()
        .is_some_and(|a| a.is_empty() || a.chars().count() > 256)
    {
        return Err(bad("after must be 1-256 characters (a UserId)."));
    }
    let service_only = q.action == Some(UsersAction::GetServiceUsers);
    // Read before the snapshot: a count cached in this epoch is the snapshot's.
    let epoch = state.db().epoch();
    let mut tx = state.db().read().await?;
    // A server without the change feed ignores `since` (see `AppConfig::change_feed`).
    let since = q.since.filter(|_| state.config().change_feed);
    if let Some(since) = since {
        if !service_only {
            return Err(bad("since needs action=get_service_users."));
        }
        if since < 0 {
            return Err(bad("since must be 0 or more."));
        }
        if q.after.is_some() {
            return Err(bad("after pages the list, not the change feed."));
        }
        // One more than asked tells whether more changes follow.
        let mut changes = feed::changes_since(&mut tx, since, limit + 1).await?;
        let has_more = changes.len() as i64 > limit;
        changes.truncate(limit as usize);
        let next_since = changes.last().map_or(since, Change::version);
        let mut feed = ChangeFeed {
            users: vec![],
            deleted: vec![],
            next_since,
            has_more,
        };
        for c in changes {
            match c {
                Change::Changed(u) => feed.users.push(view(&p.actor, *u)),
                Change::Deleted { user_id, version } => {
                    feed.deleted.push(Tombstone { user_id, version })
                }
            }
        }
        return Ok(Json(UsersResponse::Feed(feed)));
    }
    let page = users::list_users(
        &mut tx,
        service_only,
        q.after.as_deref(),
        q.offset.unwrap_or(0),
        limit,
    )
    .await?;
    // Counted once while nothing changes, not on every page (a million users take tens of
    // milliseconds to count, ten times a page's query).
    let cache = &state.store().cache;
    let total = match cache.user_count(epoch, service_only) {
        Some(n) => n,
        None => {
            let n = users::count_users(&mut tx, service_only).await?;
            cache.put_user_count(epoch, service_only, n);
            n
        }
    };
    Ok(Json(UsersResponse::List(UserList {
        users: page.into_iter().map(|u| view(&p.actor, u)).collect(),
        total_count: total,
    })))
}

/// One user, regular or service.
#[utoipa::path(get, path = "/users/{id}", tag = "users",
    params(("id" = UserId, Path, description = "UserId"), AuthHeaders),
    responses(
        (status = 200, description = "The user", body = User),
        NotAuthenticated,
        RoleNotAttached,
        NoSuchUser,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn get_user(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<User>> {
    let user = state
        .store()
        .user_by_id(&id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(view(&p.actor, (*user).clone())))
}

/// The effective principal and active role of the request.
#[utoipa::path(get, path = "/whoami", tag = "users",
    params(AuthHeaders),
    responses(
        (status = 200, description = "The principal; `ActorUserId` is the assuming user when acting as a service user", body = WhoAmI),
        NotAuthenticated,
        RoleNotAttached,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn whoami(p: Principal) -> Json<WhoAmI> {
    Json(WhoAmI {
        user_id: p.actor.user_id,
        is_service_user: p.actor.is_service_user,
        role_id: p.actor.active_role.role_id,
        actor_user_id: p.actor.assumed_by,
    })
}

/// Creates a service user (a regular user whose active role is super-admin).
#[utoipa::path(post, path = "/users", tag = "service users",
    params(AuthHeaders),
    request_body = CreateServiceUserRequest,
    responses(
        (status = 201, description = "The new service user: enabled, SystemRole-DefaultUsers attached and default, the creator as owner", body = User),
        (status = 400, description = "INVALID_REQUEST: malformed body, unknown field (Email, Password), UserId not 3-64 of [A-Za-z0-9._-]", body = ApiError),
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED; SUPER_ADMIN_REQUIRED (also for any service-user principal)", body = ApiError),
        (status = 409, description = "ALREADY_EXISTS: a user with this id, ignoring case", body = ApiError),
        PayloadTooLarge,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn create_service_user(
    State(state): State<AppState>,
    p: Principal,
    Body(req): Body<CreateServiceUserRequest>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let existing = users::user_by_folded_id(&mut tx, &req.user_id).await?;
    let permit = policy::can_create_service_user(
        &p.actor,
        &req.user_id,
        existing.as_ref().map(|e| &e.user),
    )?;
    let uid = users::create_service_user(
        &mut tx,
        permit,
        &req.display_name,
        req.description.as_ref(),
        now,
    )
    .await?;
    let user = present(users::user_by_uid(&mut tx, uid).await?)?;
    tx.commit().await?;
    tracing::info!(user_id = %req.user_id, by = %p.actor.user_id, "service user created");
    Ok((StatusCode::CREATED, Json(view(&p.actor, user))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeleteQuery {
    /// The existing, enabled regular user who receives every owned resource. Required: absent
    /// or empty is 400 TRANSFER_USER_REQUIRED.
    #[param(required = true, min_length = 1)]
    transfer_user_id: Option<String>,
}

/// Deletes a disabled service user, moving what it owns to the transfer user.
#[utoipa::path(delete, path = "/users/{id}", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), DeleteQuery, AuthHeaders),
    responses(
        (status = 200, description = "Deleted; ownership moved, shares, roles and PATs removed, a tombstone left in the change feed", body = DeleteServiceUserResponse),
        (status = 400, description = "NOT_A_SERVICE_USER; TRANSFER_USER_REQUIRED; INVALID_TRANSFER_USER (unknown, disabled or a service user); INVALID_REQUEST", body = ApiError),
        NotAuthenticated,
        NoAccessToServiceUser,
        NoSuchUser,
        (status = 409, description = "MUST_DISABLE_FIRST", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn delete_service_user(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> ApiResult<Json<DeleteServiceUserResponse>> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    let target = users::user_by_id(&mut tx, &id).await?;
    let permit = policy::can_delete_service_user(&p.actor, target.as_ref().map(|t| &t.user))?;
    let requested = q.transfer_user_id.as_deref();
    let transfer = match requested.filter(|u| !u.is_empty()) {
        Some(u) => users::user_by_id(&mut tx, u).await?,
        None => None,
    };
    policy::check_transfer_user(requested, transfer.as_ref().map(|t| &t.user))?;
    let (target, transfer) = (present(target)?, present(transfer)?);
    let moved = users::delete_service_user(&mut tx, permit, transfer.uid, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = %target.user.user_id, to = %transfer.user.user_id, resources = moved.len(), "service user deleted");
    Ok(Json(DeleteServiceUserResponse {
        transferred_to: transfer.user.user_id,
        transferred_resources: moved,
    }))
}
