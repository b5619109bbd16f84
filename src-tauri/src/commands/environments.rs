//! Environments (profiles): listing, adding, editing, choosing and removing them. Editing one
//! onto another server signs it out; choosing or removing one starts the window afresh.
use amorphic_su_client::{
    add_profile, current_profile, edit_profile, remove_profile, use_profile, Config, NewProfile,
    Profile, ProfileEdit,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::error::IpcResult;
use crate::state::AppState;

/// An environment (profile) as the top bar and the environment list show it.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub name: String,
    pub base_url: String,
    pub colour: Option<String>,
    pub production: bool,
    pub user_id: Option<String>,
    pub default_role: Option<String>,
    pub signed_in: bool,
    pub current: bool,
}

impl EnvironmentView {
    pub fn new(p: &Profile, current: bool) -> Self {
        EnvironmentView {
            name: p.name.clone(),
            base_url: p.base_url.clone(),
            colour: p.color.clone(),
            production: p.production,
            user_id: p.user_id.as_ref().map(|u| u.to_string()),
            default_role: p.default_role.as_ref().map(|r| r.to_string()),
            signed_in: p.auth.is_some(),
            current,
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn environments_list(state: State<'_, AppState>) -> IpcResult<Vec<EnvironmentView>> {
    let config = Config::load(state.paths())?;
    let current = config.resolve(None).ok().map(|p| p.name.clone());
    Ok(config
        .profiles
        .iter()
        .map(|p| EnvironmentView::new(p, Some(&p.name) == current.as_ref()))
        .collect())
}

/// A new environment, as the form sends it.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewEnvironment {
    pub name: String,
    pub base_url: String,
    pub colour: Option<String>,
    pub production: bool,
    pub default_role: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn environment_add(
    state: State<'_, AppState>,
    environment: NewEnvironment,
) -> IpcResult<EnvironmentView> {
    let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    let new = NewProfile {
        name: environment.name.trim().to_owned(),
        base_url: environment.base_url.trim().to_owned(),
        user_id: None,
        default_role: blank(environment.default_role),
        color: blank(environment.colour),
        production: environment.production,
    };
    let added = add_profile(state.paths(), new)?;
    Ok(EnvironmentView::new(&added.profile, added.current))
}

/// An environment's editable fields, as the edit form sends them (all of them: what is sent is
/// what the environment becomes).
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentEdit {
    pub base_url: String,
    pub colour: Option<String>,
    pub production: bool,
    /// The role requests carry (null: the credential's default). The role menu is the way
    /// that asks the server first.
    pub default_role: Option<String>,
}

/// An environment as edited, and whether the edit signed it out.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentEditedView {
    pub environment: EnvironmentView,
    /// The base URL moved to another server (scheme, host or port): its credential, assumed
    /// identities and cache are gone; sign in again.
    pub signed_out: bool,
}

/// Edits an environment. A base URL on another server signs it out (its credential is never
/// sent there); a new path on the same server keeps the sign-in.
#[tauri::command]
#[specta::specta]
pub async fn environment_edit(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    edit: EnvironmentEdit,
) -> IpcResult<EnvironmentEditedView> {
    let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    let change = ProfileEdit {
        base_url: Some(edit.base_url.trim().to_owned()),
        color: Some(blank(edit.colour)),
        production: Some(edit.production),
        default_role: Some(blank(edit.default_role)),
    };
    let edited = edit_profile(state.paths(), name.trim(), change).await?;
    let current = current_profile(state.paths())?.is_some_and(|p| p.name == edited.profile.name);
    if current && edited.signed_out {
        state.reset().await;
        crate::identity::changed(&app).await;
    } else if current {
        state.reopen().await;
    }
    Ok(EnvironmentEditedView {
        environment: EnvironmentView::new(&edited.profile, current),
        signed_out: edited.signed_out,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn environment_use(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<()> {
    use_profile(state.paths(), &name)?;
    state.reset().await;
    crate::identity::changed(&app).await;
    Ok(())
}

/// Removes an environment with its cache and its keychain entries.
#[tauri::command]
#[specta::specta]
pub async fn environment_remove(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<()> {
    state.reset().await;
    remove_profile(state.paths(), &name).await?;
    crate::identity::changed(&app).await;
    Ok(())
}
