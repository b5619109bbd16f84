//! What handlers answer besides their own records: a user as the caller sees it, and
//! `NotFound` for what a granted decision promised.

use amorphic_su_model::policy::{self, Actor};
use amorphic_su_model::{ErrorCode, User};

use crate::error::Failure;
use crate::rows::StoredUser;

/// The record of `user` as `actor` sees it (`CallerAccess` filled in for service users).
pub(crate) fn view(actor: &Actor, stored: StoredUser) -> User {
    let mut user = stored.user;
    user.caller_access = policy::caller_access(actor, &user);
    user
}

/// `NotFound` when a decision granted access to something the handler then lacks: cannot
/// happen, but never worth a panic.
pub(crate) fn present<T>(v: Option<T>) -> Result<T, Failure> {
    v.ok_or_else(|| Failure::from(ErrorCode::NotFound))
}
