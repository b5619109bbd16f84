//! Acting as a service user: assuming it (a verified token kept in the keychain), the assumed
//! identities, forgetting them, and its datasources, seen and created acting as it. Its PATs
//! are in `access_tokens`.

use amorphic_su_model::{
    CreateDatasourceRequest, Datasource, DatasourceName, DatasourceType, ErrorCode, ExpiryMinutes,
    RoleId, Secret, Timestamp, UserId,
};
use serde::Serialize;

use super::{Acting, Client, Fetched, Journal};
use crate::api::Credentials;
use crate::cache::{AssumedRecord, AssumedTokenMeta, ReadKey};
use crate::error::{ClientError, Result};
use crate::identity_state::{identity_state, IdentityState, Refusal, RefusalReason};
use crate::journal::JournalAction;
use crate::profiles::AuthKind;
use crate::token::verify_service_user_token;
use crate::vault::SecretKind;

/// The default lifetime of an assumed token, in minutes.
pub const DEFAULT_ASSUME_MINUTES: u16 = 60;

/// A stored assumed token with more than this many seconds left is used again as it is.
const REUSE_SECONDS_LEFT: i64 = 120;

/// An assumed identity (no token): the time left, and its state as a fact (see
/// [`identity_state`]): live, expiring, expired, or refused by the server, with the reason
/// found at the check that saw the refusal.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssumedIdentity {
    #[serde(flatten)]
    pub meta: AssumedTokenMeta,
    pub seconds_left: i64,
    pub expired: bool,
    pub state: IdentityState,
    /// The server's refusal at the last check or request, while it stands.
    pub refusal: Option<Refusal>,
    /// When the server was last asked about the token.
    pub checked_at: Option<Timestamp>,
    /// Whether assuming it again can succeed: refused for a reason that allows it, or expired
    /// without a refusal that forbids it.
    pub can_assume_again: bool,
    /// The profile's password session ends before the token does: acting as it stops then.
    pub session_ends_first: bool,
}

impl AssumedIdentity {
    /// The identity as stored, at `now` (unix seconds), for a profile whose password session
    /// ends at `session_ends_at` (none for a PAT).
    pub fn at(record: AssumedRecord, session_ends_at: Option<Timestamp>, now: i64) -> Self {
        let AssumedRecord {
            meta,
            refusal,
            checked_at,
        } = record;
        let left = meta.expires_at.unix() - now;
        let state = identity_state(meta.expires_at, refusal.as_ref(), now);
        let allows = |r: &Refusal| r.reason.can_assume_again();
        let can_assume_again = match state {
            IdentityState::Refused => refusal.as_ref().is_some_and(allows),
            IdentityState::Expired => refusal.as_ref().is_none_or(allows),
            IdentityState::Live | IdentityState::Expiring => false,
        };
        AssumedIdentity {
            session_ends_first: session_ends_at.is_some_and(|s| s < meta.expires_at),
            meta,
            seconds_left: left.max(0),
            expired: left <= 0,
            state,
            refusal,
            checked_at,
            can_assume_again,
        }
    }
}

impl Client {
    /// Credentials acting as an assumed service user: the profile's credential plus the
    /// stored token, no `role_id` (the token's role applies).
    pub async fn acting_as(&self, su: &UserId) -> Result<(Credentials, AssumedTokenMeta)> {
        let meta = self
            .cache
            .assumed_one(su)
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        if meta.expires_at <= Timestamp::now() {
            return Err(ClientError::AssumedTokenExpired {
                user: su.to_string(),
                expired_at: meta.expires_at.to_string(),
            });
        }
        let token = self
            .vault
            .get(&self.profile.name, &SecretKind::Assumed(su.clone()))
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        let mut creds = self.principal().await?.acting_as(token);
        creds.role_id = None;
        Ok((creds, meta))
    }

    pub(super) fn not_assumed(&self, su: &UserId) -> ClientError {
        ClientError::NotAssumed {
            profile: self.profile.name.clone(),
            user: su.to_string(),
        }
    }

    // ---- as and for an assumed service user ---------------------------------------------

    /// The datasources the service user can see, acting as it.
    pub async fn datasources_as(&self, su: &UserId) -> Result<Fetched<Vec<Datasource>>> {
        self.cached_read_as(su, ReadKey::DatasourcesAs(su.clone()), async |c| {
            self.api.datasources(&c).await
        })
        .await
    }

    /// Creates a datasource acting as the service user: the service user owns it.
    pub async fn create_datasource_as(
        &self,
        su: &UserId,
        name: &str,
        kind: &str,
    ) -> Result<Datasource> {
        let req = CreateDatasourceRequest {
            datasource_name: DatasourceName::parse(name.trim().to_owned())?,
            datasource_type: DatasourceType::parse(kind.trim().to_owned())?,
        };
        self.mutate(
            Acting::As(su),
            async |c| self.api.create_datasource(c, &req).await,
            async |_, _| Ok(()),
            |_| {
                Journal::new(
                    su,
                    JournalAction::DatasourceCreated,
                    format!(
                        "datasource \"{}\" ({}) created as {su}",
                        req.datasource_name, req.datasource_type
                    ),
                )
            },
        )
        .await
    }

    // ---- assume -------------------------------------------------------------------------

    /// Assumes a service user: requests a token for `role` (default: its default role) for
    /// `minutes` (1-180, default 60), verifies it against the server's JWKS, then keeps it in
    /// the keychain and its metadata in the cache.
    pub async fn assume(
        &self,
        su: &UserId,
        role: Option<&RoleId>,
        minutes: Option<i64>,
    ) -> Result<AssumedIdentity> {
        self.assume_for(su, role, minutes, JournalAction::Assumed)
            .await
    }

    /// Assumes a service user, journaled as `action` (assumed, or renewed when a stored token
    /// is replaced).
    async fn assume_for(
        &self,
        su: &UserId,
        role: Option<&RoleId>,
        minutes: Option<i64>,
        action: JournalAction,
    ) -> Result<AssumedIdentity> {
        let minutes = minutes.unwrap_or(i64::from(DEFAULT_ASSUME_MINUTES));
        let asked = u32::try_from(minutes.clamp(0, i64::from(u32::MAX))).unwrap_or(0);
        let line = |meta: Option<&AssumedTokenMeta>| {
            let role = meta.map(|m| &m.role_id).or(role);
            let with = role.map_or("its default role".to_owned(), |r| format!("role {r}"));
            Journal::new(
                su,
                action,
                format!("{} with {with} for {minutes} minutes", action.words()),
            )
            .lasting(asked, meta.map(|m| m.expires_at))
            .with_role(role.cloned())
        };
        let expiry = match ExpiryMinutes::new(minutes) {
            Ok(e) => e,
            Err(_) => {
                let e = ClientError::Refused {
                    code: ErrorCode::InvalidExpiry,
                    message: format!(
                        "expiry {minutes} is out of range: minutes must be from 1 to 180"
                    ),
                };
                self.record(line(None), Some(&e)).await;
                return Err(e);
            }
        };
        let (_, meta) = self
            .mutate(
                Acting::Myself,
                async |c| self.verified_token(c, su, role, expiry).await,
                async |_, (token, meta): &(Secret, AssumedTokenMeta)| {
                    self.vault
                        .set(&self.profile.name, &SecretKind::Assumed(su.clone()), token)
                        .await?;
                    self.cache.put_assumed(meta).await
                },
                |got| line(got.map(|(_, meta)| meta)),
            )
            .await?;
        Ok(self.identity(AssumedRecord {
            meta,
            refusal: None,
            checked_at: None,
        }))
    }

    /// A service-user token for `role` (default: its default role), checked against the
    /// server's JWKS and the answer, with its metadata.
    async fn verified_token(
        &self,
        c: &Credentials,
        su: &UserId,
        role: Option<&RoleId>,
        expiry: ExpiryMinutes,
    ) -> Result<(Secret, AssumedTokenMeta)> {
        let me = self
            .profile
            .user_id
            .clone()
            .ok_or_else(|| ClientError::NotSignedIn {
                profile: self.profile.name.clone(),
            })?;
        let role = match role {
            Some(r) => r.clone(),
            None => self.api.get_user(c, su).await?.default_role_id,
        };
        let tok = self.api.assume(c, su, &role, expiry.minutes()).await?;
        let jwks = self.api.jwks().await?;
        let v = verify_service_user_token(
            tok.token.expose(),
            &jwks,
            su,
            &me,
            chrono::Utc::now().timestamp(),
        )?;
        if tok.user_id != *su
            || v.expires_at != tok.expires_at
            || v.role_id.as_deref().is_some_and(|r| r != role.as_str())
        {
            return Err(ClientError::TokenVerification(
                "the answer does not match the token's claims".into(),
            ));
        }
        let meta = AssumedTokenMeta {
            service_user_id: su.clone(),
            role_id: role,
            minutes: expiry.minutes(),
            issued_at: v.issued_at,
            expires_at: v.expires_at,
            jti: v.jti,
            assumed_by: me,
        };
        Ok((tok.token, meta))
    }

    /// Assumes again with the same role and lifetime; after the server refused the token
    /// because its role was detached, with the service user's default role.
    pub async fn reassume(&self, su: &UserId) -> Result<AssumedIdentity> {
        let record = self
            .cache
            .assumed_record(su)
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        let role = role_to_keep(&record);
        let minutes = Some(i64::from(record.meta.minutes));
        self.assume_for(su, role.as_ref(), minutes, JournalAction::Renewed)
            .await
    }

    /// Makes sure the service user is assumed: keeps the stored token when the server has not
    /// refused it, it has more than two minutes left, matches `role` (when given) and no
    /// lifetime is asked for; else assumes again, by default with the stored role (the default
    /// role after a role-detached refusal) and lifetime.
    pub async fn ensure_assumed(
        &self,
        su: &UserId,
        role: Option<RoleId>,
        minutes: Option<i64>,
    ) -> Result<AssumedIdentity> {
        let stored = self.cache.assumed_record(su).await?;
        let fresh_enough = stored.as_ref().is_some_and(|r| {
            r.refusal.is_none()
                && r.meta.expires_at.unix() - chrono::Utc::now().timestamp() > REUSE_SECONDS_LEFT
        });
        let same_role = role
            .as_ref()
            .is_none_or(|r| stored.as_ref().is_some_and(|s| &s.meta.role_id == r));
        match stored {
            Some(record) if fresh_enough && same_role && minutes.is_none() => {
                Ok(self.identity(record))
            }
            stored => {
                let role = role.or_else(|| stored.as_ref().and_then(role_to_keep));
                let minutes =
                    minutes.or_else(|| stored.as_ref().map(|s| i64::from(s.meta.minutes)));
                let action = match stored {
                    Some(_) => JournalAction::Renewed,
                    None => JournalAction::Assumed,
                };
                self.assume_for(su, role.as_ref(), minutes, action).await
            }
        }
    }

    /// The assumed identities of this profile, in their stored state (local; no request: see
    /// [`Client::check_identities`] to ask the server).
    pub async fn assumed_identities(&self) -> Result<Vec<AssumedIdentity>> {
        Ok(self
            .cache
            .assumed_records()
            .await?
            .into_iter()
            .map(|r| self.identity(r))
            .collect())
    }

    /// One assumed identity in its stored state (local; no request).
    pub async fn assumed_identity(&self, su: &UserId) -> Result<AssumedIdentity> {
        let record = self
            .cache
            .assumed_record(su)
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        Ok(self.identity(record))
    }

    /// A stored identity as of now, with the end of this profile's password session.
    pub(super) fn identity(&self, record: AssumedRecord) -> AssumedIdentity {
        let session_ends_at = match self.profile.auth {
            Some(AuthKind::Session) => self.profile.session_expires_at,
            _ => None,
        };
        AssumedIdentity::at(record, session_ends_at, chrono::Utc::now().timestamp())
    }

    /// Forgets one assumed identity: the keychain entry is wiped.
    pub async fn forget(&self, su: &UserId) -> Result<()> {
        let line = Journal::new(
            su,
            JournalAction::Forgotten,
            "token wiped from the keychain",
        );
        self.journaled(line, async || {
            if self.cache.assumed_one(su).await?.is_none() {
                return Err(self.not_assumed(su));
            }
            self.vault
                .delete(&self.profile.name, &SecretKind::Assumed(su.clone()))
                .await?;
            self.cache.remove_assumed(su).await
        })
        .await
    }

    /// Forgets every assumed identity of the profile; returns how many.
    pub async fn forget_all(&self) -> Result<usize> {
        let all = self.cache.assumed().await?;
        for m in &all {
            self.vault
                .delete(
                    &self.profile.name,
                    &SecretKind::Assumed(m.service_user_id.clone()),
                )
                .await?;
            self.cache.remove_assumed(&m.service_user_id).await?;
        }
        Ok(all.len())
    }
}

/// The role to assume a stored identity again with: its own, or none (the service user's
/// default) when the server refused it because that role was detached.
fn role_to_keep(record: &AssumedRecord) -> Option<RoleId> {
    match &record.refusal {
        Some(r) if r.reason == RefusalReason::RoleDetached => None,
        _ => Some(record.meta.role_id.clone()),
    }
}
