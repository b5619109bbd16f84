//! What a seed must be before it loads: consistent with itself and with the server's
//! invariants (the database would refuse some of it, the policy would misjudge the rest).

use std::collections::{HashMap, HashSet};

use amorphic_su_model::{RoleId, TagId, UserId};

use crate::auth::secrets;
use crate::error::ServerError;
use crate::seed::format::Seed;

/// A seed refused: the path is filled in by whoever knows which file it came from.
pub fn invalid(message: impl Into<String>) -> ServerError {
    ServerError::Seed {
        path: "<seed>".into(),
        message: message.into(),
    }
}

/// Refuses a seed that would break the server's invariants.
pub fn validate(seed: &Seed) -> Result<(), ServerError> {
    let roles: HashSet<&RoleId> = seed.roles.iter().map(|r| &r.role_id).collect();
    let tags: HashSet<&TagId> = seed.tags.iter().map(|t| &t.tag_id).collect();
    let mut folded = HashSet::new();
    let mut kinds: HashMap<&UserId, bool> = HashMap::new();
    for u in &seed.users {
        if !folded.insert(u.user_id.folded()) {
            return Err(invalid(format!(
                "user {} appears twice (ignoring case)",
                u.user_id
            )));
        }
        kinds.insert(&u.user_id, u.is_service_user);
    }
    let mut token_digests = HashSet::new();
    for u in &seed.users {
        let id = &u.user_id;
        if let Some(r) = u
            .roles
            .iter()
            .chain([&u.default_role_id])
            .find(|r| !roles.contains(r))
        {
            return Err(invalid(format!("user {id}: unknown role {r}")));
        }
        if !u.roles.contains(&u.default_role_id) {
            return Err(invalid(format!(
                "user {id}: the default role must be among its roles"
            )));
        }
        if let Some(t) = u.tags.iter().find(|t| !tags.contains(t)) {
            return Err(invalid(format!("user {id}: unknown tag {t}")));
        }
        if u.is_service_user {
            if u.password.is_some() || u.email.is_some() || !u.tags.is_empty() {
                return Err(invalid(format!(
                    "service user {id}: no password, email or tags"
                )));
            }
            if u.default_role_id.as_str() != RoleId::DEFAULT_USERS {
                return Err(invalid(format!(
                    "service user {id}: the default role is {}",
                    RoleId::DEFAULT_USERS
                )));
            }
            let shares = u
                .shares
                .as_ref()
                .map_or(0, |s| s.users.len() + s.tags.len());
            if shares == 0 {
                return Err(invalid(format!(
                    "service user {id}: needs at least one owner share"
                )));
            }
        } else if u.shares.is_some() {
            return Err(invalid(format!(
                "user {id}: only service users have shares"
            )));
        }
        if let Some(s) = &u.shares {
            for share in &s.users {
                match kinds.get(&share.user_id) {
                    Some(false) => {}
                    Some(true) => {
                        return Err(invalid(format!(
                            "service user {id}: shared with service user {}",
                            share.user_id
                        )))
                    }
                    None => {
                        return Err(invalid(format!(
                            "service user {id}: shared with unknown user {}",
                            share.user_id
                        )))
                    }
                }
            }
            if let Some(t) = s.tags.iter().find(|t| !tags.contains(&t.tag_id)) {
                return Err(invalid(format!(
                    "service user {id}: unknown tag {}",
                    t.tag_id
                )));
            }
        }
        if let Some(c) = &u.created_by {
            if !kinds.contains_key(c) {
                return Err(invalid(format!("user {id}: created by unknown user {c}")));
            }
        }
        for t in &u.access_tokens {
            if !u.roles.contains(&t.role_id) {
                return Err(invalid(format!(
                    "user {id}: token {} is bound to a role it does not have",
                    t.token_name
                )));
            }
            if !token_digests.insert(secrets::digest(t.token.expose())) {
                return Err(invalid(format!(
                    "user {id}: token {} appears twice",
                    t.token_name
                )));
            }
        }
    }
    let mut ds = HashSet::new();
    for d in &seed.datasources {
        if !kinds.contains_key(&d.owner) {
            return Err(invalid(format!(
                "datasource {}: unknown owner {}",
                d.datasource_id, d.owner
            )));
        }
        if !ds.insert(&d.datasource_id) {
            return Err(invalid(format!(
                "datasource {} appears twice",
                d.datasource_id
            )));
        }
    }
    Ok(())
}
