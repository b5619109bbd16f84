//! Your own role: the roles attached to the signed-in user, which one requests are sent with,
//! and switching it. The choice is the profile's default role (kept in the config file, so it
//! survives a restart); a personal access token is bound to its role and cannot switch.

use amorphic_su_model::{ErrorCode, RoleId, WhoAmI};
use serde::Serialize;

use super::{Client, Journal};
use crate::api::Credentials;
use crate::error::{ClientError, Result};
use crate::journal::JournalAction;
use crate::profiles::AuthKind;

/// One role attached to the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleChoice {
    pub role_id: RoleId,
    /// Its name from the server's roles (the id when the server does not name it).
    pub role_name: String,
    pub is_super_admin: bool,
    /// The user's default role: what requests carry when no role is chosen.
    pub is_default: bool,
    /// The role requests are sent with now.
    pub active: bool,
}

/// The signed-in user's roles, the active one, and whether it can be switched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MyRoles {
    pub roles: Vec<RoleChoice>,
    pub active: RoleId,
    /// False for a personal access token: it is bound to its role.
    pub switchable: bool,
    /// Why the role cannot be switched, in words, when it cannot.
    pub bound_reason: Option<String>,
}

impl MyRoles {
    /// The active role's entry.
    pub fn active_choice(&self) -> Option<&RoleChoice> {
        self.roles.iter().find(|r| r.active)
    }
}

impl Client {
    /// The roles attached to the signed-in user (names from the server's roles), which one the
    /// requests are sent with (`/whoami`), and whether it can be switched.
    pub async fn my_roles(&self) -> Result<MyRoles> {
        let c = self.principal().await?;
        let who = self.api.whoami(&c).await.map_err(|e| self.map_auth(e))?;
        self.roles_of(&c, &who).await
    }

    async fn roles_of(&self, c: &Credentials, who: &WhoAmI) -> Result<MyRoles> {
        let me = self
            .api
            .get_user(c, &who.user_id)
            .await
            .map_err(|e| self.map_auth(e))?;
        let known = self.roles().await?.data;
        let roles = me
            .roles
            .iter()
            .map(|id| {
                let role = known.iter().find(|r| &r.role_id == id);
                RoleChoice {
                    role_id: id.clone(),
                    role_name: role.map_or_else(|| id.to_string(), |r| r.role_name.clone()),
                    is_super_admin: role.is_some_and(|r| r.is_super_admin),
                    is_default: *id == me.default_role_id,
                    active: *id == who.role_id,
                }
            })
            .collect();
        let bound = self.profile.auth == Some(AuthKind::Pat);
        Ok(MyRoles {
            roles,
            active: who.role_id.clone(),
            switchable: !bound,
            bound_reason: bound.then(|| self.role_bound(Some(&who.role_id)).to_string()),
        })
    }

    fn role_bound(&self, bound: Option<&RoleId>) -> ClientError {
        ClientError::RoleBoundToAccessToken {
            profile: self.profile.name.clone(),
            bound: bound.map(|r| r.to_string()),
        }
    }

    /// Sends every later request with `role` (none: the credential's default), after the
    /// server accepted it, and keeps the choice as the profile's default role. A role not
    /// attached to you is `ROLE_NOT_ATTACHED`, naming it; a personal access token is bound to
    /// its role ([`ClientError::RoleBoundToAccessToken`]), so only that role or none is taken.
    pub async fn use_role(&mut self, role: Option<RoleId>) -> Result<MyRoles> {
        let out = self.switch_role(role.clone()).await;
        let detail = role
            .as_ref()
            .map_or("to the credential's default role".to_owned(), |r| {
                format!("to {r}")
            });
        let line = Journal::about_me(JournalAction::RoleSwitched, detail).with_role(role);
        self.record(line, out.as_ref().err()).await;
        out
    }

    async fn switch_role(&mut self, role: Option<RoleId>) -> Result<MyRoles> {
        let c = self.principal().await?.with_role(role.clone());
        let who = match self.api.whoami(&c).await {
            Ok(who) => who,
            Err(e) if e.api_code() == Some(ErrorCode::RoleNotAttached) => {
                return Err(self.not_attached(&c, role.as_ref(), e).await);
            }
            Err(e) => return Err(self.map_auth(e)),
        };
        self.profile.default_role = role;
        self.role_override = None;
        self.save_profile()?;
        self.roles_of(&c, &who).await
    }

    /// Why the server refused `role`: bound to a token, or not attached to you (naming it and
    /// the ones that are).
    async fn not_attached(
        &self,
        c: &Credentials,
        role: Option<&RoleId>,
        e: ClientError,
    ) -> ClientError {
        if self.profile.auth == Some(AuthKind::Pat) {
            let bound = self
                .api
                .whoami(&c.clone().with_role(None))
                .await
                .ok()
                .map(|w| w.role_id);
            return self.role_bound(bound.as_ref());
        }
        let Some(role) = role else { return e };
        let attached = match self.my_roles_without(c).await {
            Some(ids) => format!("; yours are {ids}"),
            None => String::new(),
        };
        ClientError::Refused {
            code: ErrorCode::RoleNotAttached,
            message: format!("role '{role}' is not attached to you{attached}"),
        }
    }

    /// The ids of your roles, asked without a role (best effort, for a message).
    async fn my_roles_without(&self, c: &Credentials) -> Option<String> {
        let c = c.clone().with_role(None);
        let who = self.api.whoami(&c).await.ok()?;
        let me = self.api.get_user(&c, &who.user_id).await.ok()?;
        let ids: Vec<&str> = me.roles.iter().map(|r| r.as_str()).collect();
        Some(ids.join(", "))
    }
}
