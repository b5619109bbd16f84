//! Your own role: the roles attached to the signed-in user, and switching the one every later
//! request is sent with (kept per environment, so it survives a restart). A personal access
//! token is bound to its role: the list says so and why.
use amorphic_su_client::model::RoleId;
use amorphic_su_client::{Client, MyRoles, RoleChoice};
use serde::Serialize;
use tauri::State;

use crate::commands::session::{session_status, SessionView};
use crate::error::IpcResult;
use crate::state::AppState;

/// One role attached to the signed-in user, as the role menu lists it.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleChoiceView {
    pub role_id: String,
    pub role_name: String,
    pub is_super_admin: bool,
    /// The user's default role: what requests carry when no role is chosen.
    pub is_default: bool,
    /// The role requests are sent with now.
    pub active: bool,
}

impl From<RoleChoice> for RoleChoiceView {
    fn from(r: RoleChoice) -> Self {
        RoleChoiceView {
            role_id: r.role_id.to_string(),
            role_name: r.role_name,
            is_super_admin: r.is_super_admin,
            is_default: r.is_default,
            active: r.active,
        }
    }
}

/// The signed-in user's roles, the active one, and whether it can be switched.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MyRolesView {
    pub roles: Vec<RoleChoiceView>,
    pub active_role_id: String,
    /// False when signed in with a personal access token: it is bound to its role.
    pub switchable: bool,
    /// Why the role cannot be switched, in words, when it cannot.
    pub bound_reason: Option<String>,
}

impl From<MyRoles> for MyRolesView {
    fn from(m: MyRoles) -> Self {
        MyRolesView {
            roles: m.roles.into_iter().map(Into::into).collect(),
            active_role_id: m.active.to_string(),
            switchable: m.switchable,
            bound_reason: m.bound_reason,
        }
    }
}

/// The roles attached to you (names from the server), which one is active, and whether it can
/// be switched.
#[tauri::command]
#[specta::specta]
pub async fn role_list(state: State<'_, AppState>) -> IpcResult<MyRolesView> {
    Ok(state.client().await?.my_roles().await?.into())
}

/// Sends every later request with `roleId` (null: the credential's default), once the server
/// accepted it; kept as the environment's default role. The window keeps acting as the identity
/// it acts as. A PAT gets `role_bound_to_access_token`; a role not attached, `ROLE_NOT_ATTACHED`
/// naming it.
#[tauri::command]
#[specta::specta]
pub async fn role_use(
    state: State<'_, AppState>,
    role_id: Option<String>,
) -> IpcResult<SessionView> {
    let role = role_id.map(RoleId::parse).transpose()?;
    // A client of its own: the one the commands share changes only once the server took the role.
    let mut client = Client::open(state.paths(), None).await?;
    client.use_role(role).await?;
    state.replace_client(client).await;
    session_status(state).await
}
