//! Who acts: an [`Actor`], under an [`ActiveRole`].

use crate::{RoleId, TagId, UserId};

/// The role a request acts under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveRole {
    pub role_id: RoleId,
    pub is_super_admin: bool,
    pub permissions: Vec<String>,
}

/// The effective principal of a request, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub is_service_user: bool,
    /// The person behind the request when acting as a service user.
    pub assumed_by: Option<UserId>,
    /// The principal's own tags (service users have none).
    pub tags: Vec<TagId>,
    /// Roles attached to the principal.
    pub roles: Vec<RoleId>,
    pub active_role: ActiveRole,
}

impl Actor {
    /// Super-admin powers apply only to a regular user whose active role is a super-admin
    /// role; a service user is never a super-admin, whatever roles it has.
    pub fn is_super_admin(&self) -> bool {
        !self.is_service_user && self.assumed_by.is_none() && self.active_role.is_super_admin
    }

    pub fn has_permission(&self, p: &str) -> bool {
        self.active_role.permissions.iter().any(|x| x == p)
    }

    pub fn has_role(&self, role: &RoleId) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// The person accountable for the request: the assuming user when acting.
    pub fn person(&self) -> &UserId {
        self.assumed_by.as_ref().unwrap_or(&self.user_id)
    }
}
