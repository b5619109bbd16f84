//! The access-token dashboard (Administration > Access tokens): every PAT of the service users
//! you have access to, filtered, and a revoke of many. Each a call to the client crate.
use amorphic_su_client::model::{TokenId, UserId};
use amorphic_su_client::{FleetFilter, FleetToken, RevokeOutcome, TokenRef};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;
use crate::views::Freshness;

/// The page's filters; every set one narrows the list.
#[derive(Deserialize, specta::Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct FleetTokensFilter {
    /// Active PATs expiring within this many days.
    pub expiring_within_days: Option<u32>,
    pub high_privilege_only: bool,
    pub service_user: Option<String>,
}

/// One PAT as the dashboard shows it (metadata only).
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetTokenView {
    pub service_user_id: String,
    pub token_id: String,
    pub token_name: String,
    pub role_id: String,
    pub created_at: String,
    pub expires_at: String,
    pub created_by: String,
    /// `active` or `expired`.
    pub status: String,
    /// Whole days left, a started day counting as one; 0 once expired.
    pub days_left: i32,
    pub high_privilege: bool,
}

impl From<FleetToken> for FleetTokenView {
    fn from(f: FleetToken) -> Self {
        FleetTokenView {
            service_user_id: f.service_user.to_string(),
            token_id: f.token.token_id.to_string(),
            token_name: f.token.token_name,
            role_id: f.token.role_id.to_string(),
            created_at: f.token.creation_time.to_rfc3339(),
            expires_at: f.token.expires_at.to_rfc3339(),
            created_by: f.token.created_by.to_string(),
            status: format!("{:?}", f.token.status).to_lowercase(),
            days_left: i32::try_from(f.days_left).unwrap_or(i32::MAX),
            high_privilege: f.high_privilege,
        }
    }
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetTokensView {
    pub tokens: Vec<FleetTokenView>,
    pub freshness: Freshness,
}

/// A PAT to revoke.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TokenRefArg {
    pub service_user_id: String,
    pub token_id: String,
}

/// How one revoke ended: `code` and `message` when it failed.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RevokeOutcomeView {
    pub service_user_id: String,
    pub token_id: String,
    pub code: Option<String>,
    pub message: Option<String>,
}

impl From<RevokeOutcome> for RevokeOutcomeView {
    fn from(o: RevokeOutcome) -> Self {
        RevokeOutcomeView {
            service_user_id: o.service_user.to_string(),
            token_id: o.token_id.to_string(),
            code: o.code,
            message: o.message,
        }
    }
}

/// Every PAT of the service users you have access to, filtered (live; offline, the last list).
#[tauri::command]
#[specta::specta]
pub async fn fleet_access_tokens(
    state: State<'_, AppState>,
    filter: FleetTokensFilter,
) -> IpcResult<FleetTokensView> {
    let filter = FleetFilter {
        expiring_within_days: filter.expiring_within_days,
        high_privilege_only: filter.high_privilege_only,
        service_user: filter
            .service_user
            .filter(|s| !s.trim().is_empty())
            .map(UserId::parse)
            .transpose()?,
    };
    let fetched = state.client().await?.fleet_access_tokens(&filter).await?;
    Ok(FleetTokensView {
        freshness: Freshness::from(&fetched),
        tokens: fetched.data.into_iter().map(Into::into).collect(),
    })
}

/// Revokes each PAT (one by one, each journaled); every outcome, failures included.
#[tauri::command]
#[specta::specta]
pub async fn fleet_access_tokens_revoke(
    state: State<'_, AppState>,
    tokens: Vec<TokenRefArg>,
) -> IpcResult<Vec<RevokeOutcomeView>> {
    let refs = tokens
        .into_iter()
        .map(|t| {
            Ok(TokenRef {
                service_user: UserId::parse(t.service_user_id)?,
                token_id: TokenId::parse(t.token_id)?,
            })
        })
        .collect::<IpcResult<Vec<_>>>()?;
    let outcomes = state.client().await?.revoke_access_tokens(&refs).await;
    Ok(outcomes.into_iter().map(Into::into).collect())
}
