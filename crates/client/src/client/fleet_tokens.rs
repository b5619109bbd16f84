//! The access-token dashboard: every PAT of every service user the signed-in user has access
//! to, with its days left and whether its role is high-privilege, filtered; and a revoke of
//! many through the single revoke (each one journaled by it).

use amorphic_su_model::{
    AccessToken, ErrorCode, Role, RoleId, ServiceUserAccessToken, TokenId, TokenStatus, UserId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Client, Fetched};
use crate::api::Credentials;
use crate::cache::{ReadKey, UserFilter};
use crate::error::{ClientError, Result};

/// The super-admin role's id, for when the role catalogue is not cached yet.
const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";

const DAY_SECONDS: i64 = 86_400;

/// One PAT on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetToken {
    /// The service user it acts as.
    pub service_user: UserId,
    pub token: AccessToken,
    /// Whole days until it expires, a started day counting as one; 0 once expired.
    pub days_left: i64,
    /// Bound to a super-admin role or to system administrators.
    pub high_privilege: bool,
}

/// What the dashboard keeps; every set field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetFilter {
    /// Active PATs that expire within this many days.
    pub expiring_within_days: Option<u32>,
    pub high_privilege_only: bool,
    pub service_user: Option<UserId>,
}

impl FleetFilter {
    fn keeps(&self, t: &FleetToken, now: DateTime<Utc>) -> bool {
        let expiring = self.expiring_within_days.is_none_or(|days| {
            t.token.status == TokenStatus::Active
                && t.token.expires_at.as_datetime() <= now + chrono::Duration::days(i64::from(days))
        });
        expiring
            && (!self.high_privilege_only || t.high_privilege)
            && self
                .service_user
                .as_ref()
                .is_none_or(|su| *su == t.service_user)
    }
}

/// Whether a role is high-privilege: the catalogue's super-admin flag, or the system
/// administrators' role (full access to data resources).
pub fn is_high_privilege(role: &RoleId, catalogue: &[Role]) -> bool {
    role.as_str() == RoleId::SYSTEM_ADMINISTRATORS
        || role.as_str() == SUPER_ADMIN
        || catalogue
            .iter()
            .any(|r| r.role_id == *role && r.is_super_admin)
}

/// Days left of a PAT expiring at `expires`, a started day counting as one.
pub fn days_left(expires: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let seconds = (expires - now).num_seconds();
    if seconds <= 0 {
        0
    } else {
        (seconds + DAY_SECONDS - 1) / DAY_SECONDS
    }
}

/// A PAT to revoke: its service user and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRef {
    pub service_user: UserId,
    pub token_id: TokenId,
}

/// How one revoke of a [`Client::revoke_access_tokens`] ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokeOutcome {
    pub service_user: UserId,
    pub token_id: TokenId,
    /// The typed code when it failed (`NOT_FOUND`, `NO_ACCESS_TO_SERVICE_USER`, `offline`...).
    pub code: Option<String>,
    pub message: Option<String>,
}

impl RevokeOutcome {
    pub fn revoked(&self) -> bool {
        self.code.is_none()
    }
}

impl Client {
    /// Every PAT of every service user the signed-in user has access to, filtered, sorted by
    /// service user then token id. Fetched live (kept: offline, the last answer, stale, with
    /// its time).
    pub async fn fleet_access_tokens(
        &self,
        filter: &FleetFilter,
    ) -> Result<Fetched<Vec<FleetToken>>> {
        let c = self.principal().await?;
        let fetched = self
            .cached_read(ReadKey::FleetAccessTokens, || async {
                match self.api.fleet_access_tokens(&c).await {
                    Err(e) if no_such_path(&e) => self.fleet_one_by_one(&c).await,
                    other => other,
                }
            })
            .await?;
        let catalogue = self.cache.roles().await?;
        let now = Utc::now();
        let data = fetched
            .data
            .into_iter()
            .map(|t| FleetToken {
                days_left: days_left(t.token.expires_at.as_datetime(), now),
                high_privilege: is_high_privilege(&t.token.role_id, &catalogue),
                service_user: t.user_id,
                token: t.token,
            })
            .filter(|t| filter.keeps(t, now))
            .collect();
        Ok(Fetched {
            data,
            stale: fetched.stale,
            as_of: fetched.as_of,
        })
    }

    /// A server without the fleet listing: one listing per service user the cache says we
    /// own.
    async fn fleet_one_by_one(&self, c: &Credentials) -> Result<Vec<ServiceUserAccessToken>> {
        let owned = self
            .cache
            .users(&UserFilter {
                service_only: true,
                assumable: true,
                ..Default::default()
            })
            .await?;
        let mut all = vec![];
        for su in owned {
            for token in self.api.access_tokens_of(c, &su.user_id).await? {
                all.push(ServiceUserAccessToken {
                    user_id: su.user_id.clone(),
                    token,
                });
            }
        }
        Ok(all)
    }

    /// Revokes each PAT through the single revoke (so each is journaled), one after another;
    /// a failure is reported and the rest still tried.
    pub async fn revoke_access_tokens(&self, tokens: &[TokenRef]) -> Vec<RevokeOutcome> {
        let mut outcomes = Vec::with_capacity(tokens.len());
        for t in tokens {
            let result = self
                .revoke_access_token_of(&t.service_user, &t.token_id)
                .await;
            let (code, message) = match result {
                Ok(()) => (None, None),
                Err(e) => (Some(e.code().to_string()), Some(e.to_string())),
            };
            outcomes.push(RevokeOutcome {
                service_user: t.service_user.clone(),
                token_id: t.token_id.clone(),
                code,
                message,
            });
        }
        outcomes
    }
}

/// The server answered that it has no such path (a server without the extension).
fn no_such_path(e: &ClientError) -> bool {
    matches!(
        e,
        ClientError::Api {
            status: 404,
            code: ErrorCode::NotFound,
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn days_left_counts_a_started_day_and_stops_at_zero() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let at = |h: i64| now + chrono::Duration::hours(h);
        assert_eq!(days_left(at(1), now), 1);
        assert_eq!(days_left(at(24), now), 1);
        assert_eq!(days_left(at(25), now), 2);
        assert_eq!(days_left(at(30 * 24), now), 30);
        assert_eq!(days_left(now, now), 0);
        assert_eq!(days_left(at(-48), now), 0);
    }

    #[test]
    fn high_privilege_is_super_admin_or_system_administrators() {
        let role = |id: &str, sa: bool| Role {
            role_id: RoleId::parse(id).unwrap(),
            role_name: id.to_owned(),
            description: None,
            is_system_role: false,
            is_super_admin: sa,
            permissions: vec![],
        };
        let catalogue = [role("role-root", true), role("role-analysts", false)];
        let id = |s: &str| RoleId::parse(s).unwrap();
        assert!(is_high_privilege(&id("role-root"), &catalogue));
        assert!(is_high_privilege(
            &id(RoleId::SYSTEM_ADMINISTRATORS),
            &catalogue
        ));
        assert!(is_high_privilege(&id(SUPER_ADMIN), &[]));
        assert!(!is_high_privilege(&id("role-analysts"), &catalogue));
        assert!(!is_high_privilege(&id(RoleId::DEFAULT_USERS), &catalogue));
    }
}
