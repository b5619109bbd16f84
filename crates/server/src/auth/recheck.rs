//! The principal checked again inside a write transaction. A request is authenticated from
//! committed state before it queues for the single writer; a disable or a delete of its
//! principal may commit while it waits. Writing then would act for a disabled user, or (after
//! a delete) name a user that no longer exists, which the database refuses (a 500). Refused
//! instead exactly as the next request with the same credentials would be.

use amorphic_su_model::ErrorCode;
use sqlx::SqliteConnection;

use crate::auth::principal::Principal;
use crate::error::Failure;
use crate::queries::users;

impl Principal {
    /// Inside the caller's write transaction: the effective principal still exists and is
    /// enabled, and when acting as a service user, was not disabled since it was
    /// authenticated (its disable generation is the one the token was accepted with). A PAT
    /// of a re-enabled service user works again, as the contract says, so only acting checks
    /// the generation.
    pub async fn still_current(&self, conn: &mut SqliteConnection) -> Result<(), Failure> {
        let acting = self.actor.assumed_by.is_some();
        let Some(now) = users::user_by_uid(conn, self.uid).await? else {
            return Err(if acting {
                ErrorCode::TokenInvalid
            } else {
                ErrorCode::Unauthenticated
            }
            .into());
        };
        if !now.user.is_enabled() {
            return Err(ErrorCode::PrincipalDisabled.into());
        }
        if acting && now.disable_generation != self.generation {
            return Err(ErrorCode::TokenInvalid.into());
        }
        Ok(())
    }
}
