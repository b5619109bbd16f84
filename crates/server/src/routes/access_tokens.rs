//! `/access-tokens`: the principal's own PATs (a service user's, when acting as it).

use amorphic_su_model::{
    policy, AccessTokenList, ApiError, CreateAccessTokenRequest, CreatedAccessToken, ErrorCode,
    TokenId,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;

use crate::auth::principal::Principal;
use crate::auth::secrets;
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path};
use crate::queries::tokens::{self, NewAccessToken};
use crate::routes::answer::present;
use crate::routes::doc::{AuthHeaders, NotAuthenticated, PayloadTooLarge, RoleNotAttached};
use crate::state::AppState;

/// The principal's PATs (never the secrets).
#[utoipa::path(get, path = "/access-tokens", tag = "access tokens",
    params(AuthHeaders),
    responses(
        (status = 200, description = "The principal's PATs, sorted by TokenId", body = AccessTokenList),
        NotAuthenticated,
        RoleNotAttached,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_access_tokens(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<Json<AccessTokenList>> {
    let mut conn = state.db().read().await?;
    Ok(Json(AccessTokenList {
        access_tokens: tokens::access_tokens_of(&mut conn, p.uid, Utc::now()).await?,
    }))
}

/// Creates a PAT for the principal, bound to one of its roles. The secret is in this answer
/// only.
#[utoipa::path(post, path = "/access-tokens", tag = "access tokens",
    params(AuthHeaders),
    request_body = CreateAccessTokenRequest,
    responses(
        (status = 201, description = "The record and its secret `Token`, shown once", body = CreatedAccessToken),
        (status = 400, description = "INVALID_REQUEST; INVALID_EXPIRY: ExpiresAt not in the future or more than 365 days ahead", body = ApiError),
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED: the header's role, or RoleId not attached to the principal", body = ApiError),
        (status = 404, description = "NOT_FOUND: no such role", body = ApiError),
        PayloadTooLarge,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn create_access_token(
    State(state): State<AppState>,
    p: Principal,
    Body(req): Body<CreateAccessTokenRequest>,
) -> ApiResult<(StatusCode, Json<CreatedAccessToken>)> {
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    p.still_current(&mut tx).await?;
    let role_exists = state.store().role_exists(req.role_id.as_str());
    let token_id = TokenId::parse(secrets::random_id("pat")).map_err(Failure::internal)?;
    let permit = policy::can_create_access_token(
        &p.actor,
        &token_id,
        &req.role_id,
        role_exists,
        req.expires_at.as_datetime(),
        now,
    )
    .map_err(|code| match code {
        ErrorCode::InvalidExpiry => Failure::new(
            code,
            "ExpiresAt must be in the future and at most 365 days ahead.",
        ),
        other => Failure::from(other),
    })?;
    let secret = secrets::mint_pat();
    let digest = secrets::digest(secret.expose());
    let new = NewAccessToken {
        digest: &digest,
        token_name: req.token_name.as_str(),
        description: req.description.as_ref().map(|d| d.as_str()),
        role_id: req.role_id.as_str(),
        expires_at: req.expires_at.as_datetime(),
        created_by: p.actor.person().as_str(),
    };
    tokens::create_access_token(&mut tx, permit, &new, now).await?;
    let record = present(tokens::access_token(&mut tx, token_id.as_str(), now).await?)?;
    tx.commit().await?;
    tracing::info!(%token_id, user_id = %p.actor.user_id, by = %p.actor.person(), role = %req.role_id, "access token created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedAccessToken {
            record,
            token: secret,
        }),
    ))
}

/// Revokes one of the principal's PATs.
#[utoipa::path(delete, path = "/access-tokens/{token_id}", tag = "access tokens",
    params(("token_id" = TokenId, Path, description = "TokenId"), AuthHeaders),
    responses(
        (status = 204, description = "Revoked"),
        NotAuthenticated,
        RoleNotAttached,
        (status = 404, description = "NOT_FOUND: the principal has no such token", body = ApiError),
    ),
    security(("Authorization" = [])))]
pub(crate) async fn delete_access_token(
    State(state): State<AppState>,
    p: Principal,
    Path(token_id): Path<String>,
) -> ApiResult<StatusCode> {
    let no_such_token = || {
        Failure::new(
            ErrorCode::NotFound,
            "You have no access token with this id.",
        )
    };
    let mut tx = state.db().write().await?;
    p.still_current(&mut tx).await?;
    // No token has an id outside TokenId's bounds.
    let token_id = TokenId::parse(token_id).map_err(|_| no_such_token())?;
    let permit = policy::can_revoke_access_token(&p.actor, &token_id)?;
    if !tokens::delete_access_token(&mut tx, permit).await? {
        return Err(no_such_token());
    }
    tx.commit().await?;
    tracing::info!(%token_id, user_id = %p.actor.user_id, "access token revoked");
    Ok(StatusCode::NO_CONTENT)
}
