//! Asking the server whether an assumed identity still works: `/whoami` acting as it, and when
//! the server refuses, why (the service user as you see it), recorded with the identity until a
//! check accepts it again or a new token replaces it. The acting-as requests and the changes
//! this app makes to a service user call the same check.

use amorphic_su_model::{ErrorCode, RoleId, Timestamp, User, UserId};

use super::{is_not_found, Client};
use crate::cache::AssumedRecord;
use crate::error::{ClientError, Result};
use crate::identity_state::{Refusal, RefusalReason};
use crate::vault::SecretKind;

use super::AssumedIdentity;

/// The server's code and message when it refused a request for its credentials (401 or 403),
/// as opposed to anything else that can fail.
fn refusal_of(e: &ClientError) -> Option<(ErrorCode, &str)> {
    match e {
        ClientError::Api {
            status: 401 | 403,
            code,
            message,
        } => Some((*code, message)),
        _ => None,
    }
}

/// Why the server refuses the token, from the service user as the signed-in user sees it now.
fn reason_from_user(user: &User, token_role: &RoleId) -> RefusalReason {
    if user.caller_access == Some(None) {
        RefusalReason::Unshared
    } else if !user.is_enabled() {
        RefusalReason::Disabled
    } else if !user.roles.contains(token_role) {
        RefusalReason::RoleDetached
    } else {
        // Enabled, shared, the role attached: the token itself is dead (issued before a
        // disable that was undone since).
        RefusalReason::TokenInvalid
    }
}

impl Client {
    /// Asks the server whether the assumed identity's token still works (`GET /whoami` acting
    /// as it) and records the answer: accepted clears any refusal; refused (401/403) records
    /// the refusal with its reason (see [`RefusalReason`]). A token past its end is not asked
    /// about. Offline is [`ClientError::Offline`] and a session that ended is
    /// [`ClientError::SessionExpired`]; neither records anything.
    pub async fn check_identity(&self, su: &UserId) -> Result<AssumedIdentity> {
        let record = self
            .cache
            .assumed_record(su)
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        // A deleted service user never comes back (a new one of that id has another uid).
        let deleted = record
            .refusal
            .as_ref()
            .is_some_and(|r| r.reason == RefusalReason::Deleted);
        if deleted || record.meta.expires_at <= Timestamp::now() {
            return Ok(self.identity(record));
        }
        let (c, meta) = self.acting_as(su).await?;
        match self.api.whoami(&c).await {
            Ok(_) => {
                self.cache
                    .clear_refusal(su, &meta.jti, Timestamp::now())
                    .await?;
            }
            Err(e) => {
                let Some((code, message)) = refusal_of(&e) else {
                    return Err(e);
                };
                let refusal = Refusal {
                    reason: self.refusal_reason(&record, code).await?,
                    code,
                    message: message.to_owned(),
                    at: Timestamp::now(),
                };
                self.cache.record_refusal(su, &meta.jti, &refusal).await?;
            }
        }
        self.assumed_identity(su).await
    }

    /// Checks every assumed identity whose token has not ended (see
    /// [`Client::check_identity`]); returns them all, the ended ones as stored. Offline or a
    /// session that ended stops at the first and records nothing more.
    pub async fn check_identities(&self) -> Result<Vec<AssumedIdentity>> {
        let mut out = Vec::new();
        for record in self.cache.assumed_records().await? {
            let su = record.meta.service_user_id.clone();
            match self.check_identity(&su).await {
                Ok(identity) => out.push(identity),
                // Its token is gone from the keychain: shown as stored, Forget clears it.
                Err(ClientError::NotAssumed { .. }) => out.push(self.identity(record)),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Why the server refused an identity's token with `code`: first `/whoami` as yourself (a
    /// refusal there is your own session's, not the identity's), then the service user as you
    /// see it: gone, not shared with you, disabled, its token's role detached, or else the
    /// token itself. When the service user cannot be read, the code says what it can.
    async fn refusal_reason(
        &self,
        record: &AssumedRecord,
        code: ErrorCode,
    ) -> Result<RefusalReason> {
        let me = self.principal().await?;
        self.api.whoami(&me).await.map_err(|e| self.map_auth(e))?;
        let su = &record.meta.service_user_id;
        Ok(match self.api.get_user(&me, su).await {
            Ok(user) => {
                self.cache.upsert_user(&user).await?;
                reason_from_user(&user, &record.meta.role_id)
            }
            Err(e) if e.is_offline() => return Err(e),
            Err(e) if is_not_found(&e) => {
                let _ = self.cache.remove_user(su).await;
                RefusalReason::Deleted
            }
            Err(ClientError::Api { status: 403, .. }) => RefusalReason::Unshared,
            Err(_) => RefusalReason::from_code(code),
        })
    }

    /// The error of a request made acting as `su`, after checking the identity when the server
    /// refused it (so the refusal and its reason are recorded): a session that ended is said as
    /// such; anything else the check meets leaves the request's own error.
    pub(super) async fn refused_as(&self, su: &UserId, e: ClientError) -> ClientError {
        if refusal_of(&e).is_none() {
            return e;
        }
        match self.check_identity(su).await {
            Err(ended @ ClientError::SessionExpired { .. }) => ended,
            _ => e,
        }
    }

    /// After this app deleted `su`: its identity ends with it (the person who deleted it
    /// expects that): the token, which can never be used again, is wiped from the keychain and
    /// the identity forgotten. A delete made elsewhere is found by a check instead, and the
    /// identity stays, refused (deleted), until it is forgotten.
    pub(super) async fn deleted_here(&self, su: &UserId) -> Result<()> {
        self.vault
            .delete(&self.profile.name, &SecretKind::Assumed(su.clone()))
            .await?;
        self.cache.remove_assumed(su).await
    }

    /// After a request acting as `su` succeeded: the server accepts its token now.
    pub(super) async fn accepted_as(&self, su: &UserId, jti: &str) {
        let _ = self.cache.clear_refusal(su, jti, Timestamp::now()).await;
    }

    /// After this app changed a service user (disabled, enabled, deleted, shared, roles...):
    /// when it is assumed and its token has not ended, the server is asked again, so the
    /// identity shows what the change did to it. Best effort: the change already happened.
    pub(super) async fn recheck_after_change(&self, su: &UserId) {
        let live = self
            .cache
            .assumed_one(su)
            .await
            .ok()
            .flatten()
            .is_some_and(|m| m.expires_at > Timestamp::now());
        if live {
            let _ = self.check_identity(su).await;
        }
    }
}
