//! Service users: create one (with extra roles), attach and detach roles, enable and disable, delete (moving what
//! it owns to a regular user). Each goes through `Client::mutate`.

use amorphic_su_model::policy;
use amorphic_su_model::{
    CreateServiceUserRequest, DeleteServiceUserResponse, Description, DisplayName, ErrorCode,
    RoleId, User, UserId, UserStatus,
};

use super::{Acting, Client, Journal};
use crate::api::Credentials;
use crate::error::{ClientError, Result};
use crate::journal::JournalAction;

/// A new service user.
#[derive(Debug, Clone, Default)]
pub struct NewServiceUser {
    pub user_id: String,
    pub display_name: String,
    pub description: Option<String>,
}

impl Client {
    /// A mutation whose answer is the user as it now is: that user is kept in the cache.
    async fn change_user(
        &self,
        request: impl AsyncFnOnce(&Credentials) -> Result<User>,
        journal: impl FnOnce(Option<&User>) -> Journal,
    ) -> Result<User> {
        self.mutate(
            Acting::Myself,
            request,
            async |_, u: &User| self.cache.upsert_user(u).await,
            journal,
        )
        .await
    }

    /// `POST /users` (needs a super-admin active role).
    pub async fn create_service_user(&self, new: NewServiceUser) -> Result<User> {
        let req = CreateServiceUserRequest {
            user_id: UserId::parse(new.user_id)?,
            display_name: DisplayName::parse(new.display_name)?,
            description: new.description.map(Description::parse).transpose()?,
        };
        self.change_user(
            async |c| self.api.create_service_user(c, &req).await,
            |_| {
                Journal::new(
                    &req.user_id,
                    JournalAction::Created,
                    format!("created \"{}\"", req.display_name),
                )
                .named(req.display_name.to_string())
            },
        )
        .await
    }

    /// Creates a service user, then attaches those of `roles` it was not created with. When only
    /// the attaching fails the user exists without them, and the error
    /// ([`ClientError::CreatedWithoutRoles`]) says so.
    pub async fn create_service_user_with_roles(
        &self,
        new: NewServiceUser,
        roles: &[RoleId],
    ) -> Result<User> {
        let created = self.create_service_user(new).await?;
        let extra: Vec<RoleId> = roles
            .iter()
            .filter(|r| !created.roles.contains(r))
            .cloned()
            .collect();
        if extra.is_empty() {
            return Ok(created);
        }
        self.attach_roles(&created.user_id, &extra)
            .await
            .map_err(|e| ClientError::CreatedWithoutRoles {
                user: created.user_id.clone(),
                source: Box::new(e),
            })
    }

    pub async fn attach_roles(&self, id: &UserId, roles: &[RoleId]) -> Result<User> {
        if roles.is_empty() {
            return Err(ClientError::invalid("name at least one role to attach"));
        }
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        self.change_user(
            async |c| self.api.attach_roles(c, id, roles).await,
            |_| {
                Journal::new(
                    id,
                    JournalAction::RolesAttached,
                    format!("attached {}", names.join(", ")),
                )
            },
        )
        .await
    }

    pub async fn detach_role(&self, id: &UserId, role: &RoleId) -> Result<User> {
        if role.as_str() == RoleId::DEFAULT_USERS {
            return Err(ClientError::refused(ErrorCode::DefaultRoleRequired));
        }
        self.change_user(
            async |c| self.api.detach_role(c, id, role).await,
            |_| Journal::new(id, JournalAction::RoleDetached, format!("detached {role}")),
        )
        .await
    }

    pub async fn enable(&self, id: &UserId) -> Result<User> {
        self.change_user(
            async |c| self.api.set_status(c, id, UserStatus::Enabled).await,
            |_| Journal::new(id, JournalAction::Enabled, "enabled"),
        )
        .await
    }

    /// Disables the service user: every credential of it stops working at once.
    pub async fn disable(&self, id: &UserId) -> Result<User> {
        self.change_user(
            async |c| self.api.set_status(c, id, UserStatus::Disabled).await,
            |_| Journal::new(id, JournalAction::Disabled, "disabled"),
        )
        .await
    }

    /// Deletes a disabled service user, moving what it owns to `transfer_to`. Refused before
    /// the request while it is enabled, or when `transfer_to` is not an enabled regular user.
    /// Call [`Client::owned_resources`] first to show what moves.
    pub async fn delete_service_user(
        &self,
        id: &UserId,
        transfer_to: &UserId,
    ) -> Result<DeleteServiceUserResponse> {
        self.mutate(
            Acting::Myself,
            async |c| {
                let su = self.api.get_user(c, id).await?;
                let actor = self.actor(c).await?;
                if let Err(ErrorCode::MustDisableFirst) =
                    policy::can_delete_service_user(&actor, Some(&su))
                {
                    return Err(ClientError::Refused {
                        code: ErrorCode::MustDisableFirst,
                        message: format!("'{id}' is enabled; disable it before deleting it"),
                    });
                }
                let target = self.find_user(c, transfer_to).await?;
                if let Err(code) =
                    policy::check_transfer_user(Some(transfer_to.as_str()), target.as_ref())
                {
                    return Err(ClientError::Refused {
                        code,
                        message: format!(
                            "transfer user '{transfer_to}' must be an existing, enabled regular user"
                        ),
                    });
                }
                self.api.delete_service_user(c, id, transfer_to).await
            },
            async |_, _| {
                self.cache.remove_user(id).await?;
                self.deleted_here(id).await
            },
            |out| {
                let detail = match out {
                    Some(out) => format!(
                        "deleted; {} resource(s) transferred to {transfer_to}",
                        out.transferred_resources.len()
                    ),
                    None => format!("delete, transferring what it owns to {transfer_to}"),
                };
                Journal::new(id, JournalAction::Deleted, detail)
            },
        )
        .await
    }
}
