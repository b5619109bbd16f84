//! The permission policy: one pure function per decision, no I/O, `now` passed in where time
//! matters. The server enforces these decisions; a client may use the same ones to disable a
//! button and explain why.
//!
//! Each decision follows the contract's "Order of checks" for the steps it covers: the target
//! exists (404), is a service user (400), the caller may act on it (403), ids it names exist
//! (404) and are usable (403), state (409). Value rules (step 10) are separate functions so
//! that the caller runs them last.
//!
//! A granted decision is a [`Permit`], which only this module can make, bound to the target
//! the decision examined: server code that mutates state takes a permit and reads its target
//! from it, so the unchecked path does not compile and a permit for one user cannot change
//! another.

use chrono::{DateTime, Duration, Utc};

use crate::dto::permission;
use crate::{AccessType, Datasource, DatasourceId, ErrorCode, RoleId, TokenId, User, UserId};

/// The longest a service-user token may live: 180 minutes.
pub const MAX_SERVICE_USER_TOKEN_SECONDS: i64 = 10_800;
/// Failed sign-ins allowed per `UserId` within [`LOGIN_WINDOW_MINUTES`].
pub const MAX_LOGIN_FAILURES: usize = 5;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// How far ahead a personal access token may expire.
pub const MAX_ACCESS_TOKEN_DAYS: i64 = 365;
/// Session tokens live 60 minutes.
pub const SESSION_MINUTES: i64 = 60;

mod actor;
mod authentication;
mod permit;

pub use actor::{ActiveRole, Actor};
pub use authentication::*;
pub use permit::{action, ActsOn, Decision, OnUser, Owned, Permit, ShareId};

use action::*;

/// Whether `actor` has access to the service user `su`: named in its `Shares.Users`, or one
/// of the actor's own tags is in its `Shares.Tags`. Service users never have access to
/// service users, and no role grants access.
pub fn has_access(actor: &Actor, su: &User) -> bool {
    if actor.is_service_user || actor.assumed_by.is_some() || !su.is_service_user {
        return false;
    }
    let Some(shares) = &su.shares else {
        return false;
    };
    shares.has_user(&actor.user_id) || actor.tags.iter().any(|t| shares.has_tag(t))
}

/// `CallerAccess` of a user record: `Some(..)` for service users only.
pub fn caller_access(actor: &Actor, user: &User) -> Option<Option<AccessType>> {
    user.is_service_user
        .then(|| has_access(actor, user).then_some(AccessType::Owner))
}

/// Steps 4 and 5: the user in the path exists and is a service user.
fn service_user(target: Option<&User>) -> Result<&User, ErrorCode> {
    let user = target.ok_or(ErrorCode::NotFound)?;
    if user.is_service_user {
        Ok(user)
    } else {
        Err(ErrorCode::NotAServiceUser)
    }
}

/// Steps 4-6 for endpoints that need access to the service user.
fn accessible<'a>(actor: &Actor, target: Option<&'a User>) -> Result<&'a User, ErrorCode> {
    let su = service_user(target)?;
    if has_access(actor, su) {
        Ok(su)
    } else {
        Err(ErrorCode::NoAccessToServiceUser)
    }
}

/// `POST /users` creating `new_id`, owned by the actor. `existing` is a live user whose id
/// equals the new one ignoring case.
pub fn can_create_service_user(
    actor: &Actor,
    new_id: &UserId,
    existing: Option<&User>,
) -> Decision<CreateServiceUser> {
    if !actor.is_super_admin() {
        return Err(ErrorCode::SuperAdminRequired);
    }
    if existing.is_some() {
        return Err(ErrorCode::AlreadyExists);
    }
    Ok(Permit::granted(Owned {
        id: new_id.clone(),
        owner: actor.user_id.clone(),
    }))
}

/// `GET /users/{id}/shares`: any authenticated caller, service users only.
pub fn can_view_service_user(_actor: &Actor, target: Option<&User>) -> Decision<ViewServiceUser> {
    service_user(target).map(|su| Permit::granted(su.user_id.clone()))
}

/// Owned resources, a service user's PATs (list and revoke): access to the service user.
pub fn can_manage_service_user(
    actor: &Actor,
    target: Option<&User>,
) -> Decision<ManageServiceUser> {
    accessible(actor, target).map(|su| Permit::granted(su.user_id.clone()))
}

/// `PUT /users/{id}/status`: access to the service user.
pub fn can_set_status(actor: &Actor, target: Option<&User>) -> Decision<SetStatus> {
    accessible(actor, target).map(|su| Permit::granted(su.user_id.clone()))
}

/// A share to add, with what the server found for its target.
#[derive(Debug, Clone, Copy)]
pub enum ShareTarget<'a> {
    /// A user share; `None` when no such user exists.
    User {
        found: Option<&'a User>,
        access_type: &'a str,
    },
    /// A tag share; `exists` tells whether the tag exists.
    Tag { exists: bool, access_type: &'a str },
}

/// `PUT /users/{id}/shares`. Steps 4-6 on the service user, 7 (every named user and tag
/// exists), then the value rules: `owner` only, never a service user.
pub fn can_add_shares(
    actor: &Actor,
    target: Option<&User>,
    shares: &[ShareTarget<'_>],
) -> Decision<AddShares> {
    let su = accessible(actor, target)?;
    for s in shares {
        let exists = match s {
            ShareTarget::User { found, .. } => found.is_some(),
            ShareTarget::Tag { exists, .. } => *exists,
        };
        if !exists {
            return Err(ErrorCode::NotFound);
        }
    }
    for s in shares {
        let access_type = match s {
            ShareTarget::User { access_type, .. } | ShareTarget::Tag { access_type, .. } => {
                access_type
            }
        };
        if *access_type != AccessType::Owner.as_str() {
            return Err(ErrorCode::AccessTypeNotAllowed);
        }
    }
    for s in shares {
        if let ShareTarget::User { found: Some(u), .. } = s {
            if u.is_service_user {
                return Err(ErrorCode::CannotShareWithServiceUser);
            }
        }
    }
    Ok(Permit::granted(su.user_id.clone()))
}

/// Which share to remove.
#[derive(Debug, Clone, Copy)]
pub enum ShareKey<'a> {
    User(&'a str),
    Tag(&'a str),
}

/// `DELETE /users/{id}/shares/users/{u}` and `.../tags/{t}`: 404 when no such share, 409
/// `LAST_OWNER` when none would be left.
pub fn can_remove_share(
    actor: &Actor,
    target: Option<&User>,
    key: ShareKey<'_>,
) -> Decision<RemoveShare> {
    let su = accessible(actor, target)?;
    let shares = su.shares.as_ref().ok_or(ErrorCode::NotFound)?;
    let present = match key {
        ShareKey::User(u) => shares
            .users
            .iter()
            .find(|s| s.user_id.as_str() == u)
            .map(|s| ShareId::User(s.user_id.clone())),
        ShareKey::Tag(t) => shares
            .tags
            .iter()
            .find(|s| s.tag_id.as_str() == t)
            .map(|s| ShareId::Tag(s.tag_id.clone())),
    };
    let Some(share) = present else {
        return Err(ErrorCode::NotFound);
    };
    if shares.len() <= 1 {
        return Err(ErrorCode::LastOwner);
    }
    Ok(Permit::granted(OnUser {
        user_id: su.user_id.clone(),
        what: share,
    }))
}

/// `POST /users/{id}/roles`: access, every role exists (404) and is attached to the acting
/// principal (403 `NO_ACCESS_TO_ROLE`). `roles` pairs each requested id with whether it
/// exists.
pub fn can_attach_roles(
    actor: &Actor,
    target: Option<&User>,
    roles: &[(&RoleId, bool)],
) -> Decision<AttachRoles> {
    let su = accessible(actor, target)?;
    if roles.iter().any(|(_, exists)| !exists) {
        return Err(ErrorCode::NotFound);
    }
    if roles.iter().any(|(r, _)| !actor.has_role(r)) {
        return Err(ErrorCode::NoAccessToRole);
    }
    Ok(Permit::granted(OnUser {
        user_id: su.user_id.clone(),
        what: roles.iter().map(|(r, _)| (*r).clone()).collect(),
    }))
}

/// `DELETE /users/{id}/roles/{role_id}`: access, the role is attached to the service user
/// (404), attached to the acting principal (403), and not the default role (409).
pub fn can_detach_role(actor: &Actor, target: Option<&User>, role: &str) -> Decision<DetachRole> {
    let su = accessible(actor, target)?;
    let Some(role) = su.roles.iter().find(|r| r.as_str() == role) else {
        return Err(ErrorCode::NotFound);
    };
    if !actor.has_role(role) {
        return Err(ErrorCode::NoAccessToRole);
    }
    if role == &su.default_role_id || role.as_str() == RoleId::DEFAULT_USERS {
        return Err(ErrorCode::DefaultRoleRequired);
    }
    Ok(Permit::granted(OnUser {
        user_id: su.user_id.clone(),
        what: role.clone(),
    }))
}

/// `POST /users/{id}/auth-token`: a regular user, not acting (403 `SERVICE_USER_NOT_ALLOWED`:
/// no chains), with access; the role exists (404) and is attached to the service user (403
/// `ROLE_NOT_ATTACHED`); the service user is enabled (409). The expiry is a value rule:
/// check it afterwards with [`crate::ExpiryMinutes`].
pub fn can_assume(
    actor: &Actor,
    target: Option<&User>,
    role: &RoleId,
    role_exists: bool,
) -> Decision<Assume> {
    let su = service_user(target)?;
    if actor.is_service_user || actor.assumed_by.is_some() {
        return Err(ErrorCode::ServiceUserNotAllowed);
    }
    if !has_access(actor, su) {
        return Err(ErrorCode::NoAccessToServiceUser);
    }
    if !role_exists {
        return Err(ErrorCode::NotFound);
    }
    if !su.has_role(role) {
        return Err(ErrorCode::RoleNotAttached);
    }
    if !su.is_enabled() {
        return Err(ErrorCode::ServiceUserDisabled);
    }
    Ok(Permit::granted(su.user_id.clone()))
}

/// `DELETE /users/{id}`: access, and disabled first (409). Then check the transfer user with
/// [`check_transfer_user`] (step 10).
pub fn can_delete_service_user(
    actor: &Actor,
    target: Option<&User>,
) -> Decision<DeleteServiceUser> {
    let su = accessible(actor, target)?;
    if su.is_enabled() {
        return Err(ErrorCode::MustDisableFirst);
    }
    Ok(Permit::granted(su.user_id.clone()))
}

/// The transfer user of a delete: required, and an existing, enabled, regular user. Any
/// unacceptable one, unknown included, is `INVALID_TRANSFER_USER`.
pub fn check_transfer_user(requested: Option<&str>, found: Option<&User>) -> Result<(), ErrorCode> {
    match requested {
        None | Some("") => Err(ErrorCode::TransferUserRequired),
        Some(_) => match found {
            Some(u) if !u.is_service_user && u.is_enabled() => Ok(()),
            _ => Err(ErrorCode::InvalidTransferUser),
        },
    }
}

/// `GET /users/{id}/sessions` and `POST /users/{id}/global-signout`: the user itself, or a
/// regular user whose active role is super-admin; never for a service user's id.
pub fn can_view_sessions(actor: &Actor, target: Option<&User>) -> Decision<ViewSessions> {
    let user = target.ok_or(ErrorCode::NotFound)?;
    if user.is_service_user {
        return Err(ErrorCode::NoSessionsForServiceUsers);
    }
    if actor.user_id == user.user_id || actor.is_super_admin() {
        Ok(Permit::granted(user.user_id.clone()))
    } else {
        Err(ErrorCode::Forbidden)
    }
}

/// `GET /datasources[/{id}]`: `datasources.read` in the active role.
pub fn can_read_datasources(actor: &Actor) -> Decision<ReadDatasources> {
    if actor.has_permission(permission::DATASOURCES_READ) {
        Ok(Permit::granted(()))
    } else {
        Err(ErrorCode::Forbidden)
    }
}

/// `POST /datasources` creating `new_id`, owned by the actor: `datasources.create` in the
/// active role.
pub fn can_create_datasource(actor: &Actor, new_id: &DatasourceId) -> Decision<CreateDatasource> {
    if actor.has_permission(permission::DATASOURCES_CREATE) {
        Ok(Permit::granted(Owned {
            id: new_id.clone(),
            owner: actor.user_id.clone(),
        }))
    } else {
        Err(ErrorCode::Forbidden)
    }
}

/// `DELETE /datasources/{id}`: the owner only. `found` is `None` when no such datasource.
pub fn can_delete_datasource(
    actor: &Actor,
    found: Option<&Datasource>,
) -> Decision<DeleteDatasource> {
    match found {
        None => Err(ErrorCode::NotFound),
        Some(d) if d.owner == actor.user_id => Ok(Permit::granted(Owned {
            id: d.datasource_id.clone(),
            owner: d.owner.clone(),
        })),
        Some(_) => Err(ErrorCode::Forbidden),
    }
}

/// `GET /mdm/..`, `GET /bi/..`: never a service user; else `vertical_apps.access`.
pub fn can_use_vertical_app(actor: &Actor) -> Decision<UseVerticalApp> {
    if actor.is_service_user {
        return Err(ErrorCode::ServiceUserNotAllowed);
    }
    if actor.has_permission(permission::VERTICAL_APPS_ACCESS) {
        Ok(Permit::granted(()))
    } else {
        Err(ErrorCode::Forbidden)
    }
}

/// `POST /access-tokens` creating `new_id` for the principal: the role exists (404) and is
/// attached to the principal (403); then the value rule: `ExpiresAt` in the future and at
/// most 365 days ahead.
pub fn can_create_access_token(
    actor: &Actor,
    new_id: &TokenId,
    role: &RoleId,
    role_exists: bool,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Decision<CreateAccessToken> {
    if !role_exists {
        return Err(ErrorCode::NotFound);
    }
    if !actor.has_role(role) {
        return Err(ErrorCode::RoleNotAttached);
    }
    if expires_at <= now || expires_at > now + Duration::days(MAX_ACCESS_TOKEN_DAYS) {
        return Err(ErrorCode::InvalidExpiry);
    }
    Ok(Permit::granted(Owned {
        id: new_id.clone(),
        owner: actor.user_id.clone(),
    }))
}

/// `DELETE /access-tokens/{id}`: any principal may revoke its own PATs, and only those (the
/// permit names the principal as the owner; a token of anyone else is not found).
pub fn can_revoke_access_token(actor: &Actor, token_id: &TokenId) -> Decision<RevokeAccessToken> {
    Ok(Permit::granted(Owned {
        id: token_id.clone(),
        owner: actor.user_id.clone(),
    }))
}

/// `DELETE /users/{id}/access-tokens/{token_id}`: a service user's PAT, with access to the
/// service user (as [`can_manage_service_user`]).
pub fn can_revoke_service_user_token(
    actor: &Actor,
    target: Option<&User>,
    token_id: &TokenId,
) -> Decision<RevokeAccessToken> {
    let su = accessible(actor, target)?;
    Ok(Permit::granted(Owned {
        id: token_id.clone(),
        owner: su.user_id.clone(),
    }))
}

#[cfg(test)]
mod tests;
