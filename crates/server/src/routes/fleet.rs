//! `/fleet/...`: reference-server extensions that read across every service user the caller
//! has access to, in one request instead of one per service user.

use amorphic_su_model::{policy, ServiceUserAccessToken, ServiceUserAccessTokenList};
use axum::extract::State;
use axum::Json;
use chrono::Utc;

use crate::auth::principal::Principal;
use crate::error::ApiResult;
use crate::queries::tokens;
use crate::routes::doc::{AuthHeaders, NotAuthenticated, RoleNotAttached};
use crate::state::AppState;

/// The PATs of every service user the caller has access to (metadata, never secrets), for an
/// access-token dashboard. The same access rule as `GET /users/{id}/access-tokens`: a service
/// user, or a person acting as one, has access to no service user and gets an empty list.
#[utoipa::path(get, path = "/fleet/access-tokens", tag = "service users",
    params(AuthHeaders),
    responses(
        (status = 200, description = "Sorted by UserId, then TokenId", body = ServiceUserAccessTokenList),
        NotAuthenticated,
        RoleNotAttached,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn fleet_access_tokens(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<Json<ServiceUserAccessTokenList>> {
    let now = Utc::now();
    let mut conn = state.db().read().await?;
    let mut access_tokens = vec![];
    for su in tokens::service_users_with_tokens(&mut conn).await? {
        if !policy::has_access(&p.actor, &su.user) {
            continue;
        }
        for token in tokens::access_tokens_of(&mut conn, su.uid, now).await? {
            access_tokens.push(ServiceUserAccessToken {
                user_id: su.user.user_id.clone(),
                token,
            });
        }
    }
    Ok(Json(ServiceUserAccessTokenList { access_tokens }))
}
