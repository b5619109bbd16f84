use amorphic_su_client::model::{User, UserStatus};
use amorphic_su_client::UserFilter;
use serde::Serialize;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

/// One row of the users table.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub user_id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub is_service_user: bool,
    pub enabled: bool,
    pub roles: Vec<String>,
    /// User ids, and tag ids prefixed with `#`.
    pub shared_with: Vec<String>,
    pub created_by: Option<String>,
    pub last_modified: String,
    /// The signed-in user has owner access (service users only).
    pub caller_has_access: bool,
}

impl From<User> for UserRow {
    fn from(u: User) -> Self {
        let shared_with = u
            .shares
            .as_ref()
            .map(|s| {
                let users = s.users.iter().map(|x| x.user_id.to_string());
                let tags = s.tags.iter().map(|x| format!("#{}", x.tag_id));
                users.chain(tags).collect()
            })
            .unwrap_or_default();
        UserRow {
            user_id: u.user_id.to_string(),
            display_name: u.display_name,
            description: u.description,
            is_service_user: u.is_service_user,
            enabled: u.user_status == UserStatus::Enabled,
            roles: u.roles.iter().map(|r| r.to_string()).collect(),
            shared_with,
            created_by: u.created_by.map(|c| c.to_string()),
            last_modified: u.last_modified_time.to_rfc3339(),
            caller_has_access: matches!(u.caller_access, Some(Some(_))),
        }
    }
}

/// A page of users, and whether it came from the cache because the server was unreachable.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    pub users: Vec<UserRow>,
    pub stale: bool,
    /// When the data was last fetched from the server (RFC 3339).
    pub as_of: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn service_users_list(
    state: State<'_, AppState>,
    search: Option<String>,
) -> IpcResult<UsersPage> {
    let client = state.client().await?;
    let filter = UserFilter {
        service_only: true,
        search: search.filter(|s| !s.trim().is_empty()),
        ..UserFilter::default()
    };
    let fetched = client.list_users(&filter, false).await?;
    Ok(UsersPage {
        users: fetched.data.into_iter().map(UserRow::from).collect(),
        stale: fetched.stale,
        as_of: fetched.as_of.map(|t| t.to_rfc3339()),
    })
}
