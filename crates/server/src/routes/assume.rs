//! `POST /users/{id}/auth-token`: assuming a service user (a signed service-user token).

use amorphic_su_model::policy;
use amorphic_su_model::{
    ApiError, AssumeRequest, ErrorCode, ExpiryMinutes, Secret, ServiceUserToken, Timestamp, UserId,
    TOKEN_AUDIENCE,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;

use crate::auth::principal::Principal;
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path};
use crate::keys::{Act, Claims};
use crate::routes::answer::present;
use crate::routes::doc::{AuthHeaders, NoSuchUserOrRole, NotAuthenticated, PayloadTooLarge};
use crate::state::AppState;

/// Issues a token to act as the service user (send it as `X-Amorphic-Service-User`).
#[utoipa::path(post, path = "/users/{id}/auth-token", tag = "service users",
    params(("id" = UserId, Path, description = "UserId of a service user"), AuthHeaders),
    request_body = AssumeRequest,
    responses(
        (status = 201, description = "An EdDSA JWT; exp - iat = ExpiryInMinutes * 60 and ExpiresAt = exp", body = ServiceUserToken),
        (status = 400, description = "INVALID_REQUEST; NOT_A_SERVICE_USER; INVALID_EXPIRY: ExpiryInMinutes not an integer 1..180", body = ApiError),
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED (header, or RoleId not attached to the service user); SERVICE_USER_NOT_ALLOWED (the caller is or acts as a service user); NO_ACCESS_TO_SERVICE_USER", body = ApiError),
        NoSuchUserOrRole,
        (status = 409, description = "SERVICE_USER_DISABLED", body = ApiError),
        PayloadTooLarge,
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
    // One snapshot decides and is signed: `target` was enabled when read, and the token
    // carries that read's disable generation, so a disable committed since (while this request
    // runs) leaves the token dead at once and after any re-enable. No clock is compared.
    let iat = Utc::now().timestamp();
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
        dgen: target.disable_generation,
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
