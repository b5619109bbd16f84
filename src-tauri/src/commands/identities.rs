//! Assuming service users and acting as them: the identity bar, the tray and the window title
//! follow the active identity. Tokens stay in the OS keychain; the UI sees their metadata.
use amorphic_su_client::model::{ClientCode, RoleId, TokenId, UserId};
use amorphic_su_client::{expires_in_days, NewAccessToken};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::error::IpcResult;
use crate::identity;
use crate::state::AppState;
use crate::views::{AccessTokenView, DatasourceView, IdentityView};
use crate::watcher;

/// The current environment's assumed identities as last checked, the active one marked (the
/// tray shows the same list).
#[tauri::command]
#[specta::specta]
pub async fn identities_list(state: State<'_, AppState>) -> IpcResult<Vec<IdentityView>> {
    identity::views(&state).await
}

/// The identities after asking the server about each (offline: as last checked). A state that
/// changed also reaches the tray, the title and the notifications.
#[tauri::command]
#[specta::specta]
pub async fn identities_check(app: AppHandle) -> IpcResult<Vec<IdentityView>> {
    watcher::check(&app).await
}

/// Assumes a service user with one of its roles for 1-180 minutes (default 60) and makes it
/// the window's active identity.
#[tauri::command]
#[specta::specta]
pub async fn assume(
    app: AppHandle,
    user_id: String,
    role: Option<String>,
    // Any integer, so that an out-of-range length gets the client's INVALID_EXPIRY.
    minutes: Option<i32>,
) -> IpcResult<IdentityView> {
    let id = UserId::parse(user_id)?;
    let role = role.map(RoleId::parse).transpose()?;
    identity::assume(&app, id, role, minutes.map(i64::from)).await
}

/// A new token for the identity with its role and lifetime.
#[tauri::command]
#[specta::specta]
pub async fn identity_reassume(app: AppHandle, user_id: String) -> IpcResult<IdentityView> {
    identity::reassume(&app, UserId::parse(user_id)?).await
}

/// Wipes the identity's token from the keychain.
#[tauri::command]
#[specta::specta]
pub async fn identity_forget(app: AppHandle, user_id: String) -> IpcResult<()> {
    identity::forget(&app, UserId::parse(user_id)?).await
}

/// Makes an assumed identity the window's active one, or none (act as yourself).
#[tauri::command]
#[specta::specta]
pub async fn identity_activate(app: AppHandle, user_id: Option<String>) -> IpcResult<()> {
    identity::activate(&app, user_id.map(UserId::parse).transpose()?).await
}

/// The datasources the service user sees, acting as it.
#[tauri::command]
#[specta::specta]
pub async fn datasources_as(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<Vec<DatasourceView>> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    let fetched = identity::acted(&app, &id, client.datasources_as(&id).await).await?;
    Ok(fetched.data.into_iter().map(Into::into).collect())
}

/// Creates a datasource as the service user (it becomes the owner).
#[tauri::command]
#[specta::specta]
pub async fn datasource_create_as(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    name: String,
    datasource_type: String,
) -> IpcResult<DatasourceView> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    let created = client
        .create_datasource_as(&id, &name, &datasource_type)
        .await;
    Ok(identity::acted(&app, &id, created).await?.into())
}

/// The service user's own PATs, acting as it.
#[tauri::command]
#[specta::specta]
pub async fn access_tokens_as(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<Vec<AccessTokenView>> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    let fetched = identity::acted(&app, &id, client.access_tokens_as(&id).await).await?;
    Ok(fetched.data.into_iter().map(Into::into).collect())
}

/// The new-token form.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewAccessTokenInput {
    pub name: String,
    pub description: Option<String>,
    pub role_id: String,
    /// Lifetime in days from now.
    pub expires_in_days: u16,
}

/// A token just created: the one place a secret travels from Rust to the UI, to be shown once.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccessTokenView {
    pub token: AccessTokenView,
    /// Shown once and never stored by the app.
    pub secret: String,
}

#[tauri::command]
#[specta::specta]
pub async fn access_token_create_as(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    input: NewAccessTokenInput,
) -> IpcResult<CreatedAccessTokenView> {
    let id = UserId::parse(user_id)?;
    let new = NewAccessToken {
        name: input.name.trim().to_owned(),
        description: input.description.filter(|d| !d.trim().is_empty()),
        role_id: RoleId::parse(input.role_id)?,
        expires_at: expires_in_days(input.expires_in_days),
    };
    let client = state.client().await?;
    let created = client.create_access_token_as(&id, new).await;
    let created = identity::acted(&app, &id, created).await?;
    Ok(CreatedAccessTokenView {
        secret: created.token.expose().to_owned(),
        token: created.record.into(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn access_token_delete_as(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    token_id: String,
) -> IpcResult<()> {
    let id = UserId::parse(user_id)?;
    let token = TokenId::parse(token_id)?;
    let client = state.client().await?;
    let revoked = client.revoke_access_token_as(&id, &token).await;
    identity::acted(&app, &id, revoked).await
}

/// How long a copied secret stays on the clipboard.
const CLIPBOARD_SECONDS: u64 = 60;

/// Copies a secret to the clipboard and clears it after a minute, unless something else has
/// been copied since.
#[tauri::command]
#[specta::specta]
pub async fn clipboard_copy_secret(app: AppHandle, text: String) -> IpcResult<()> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let clipboard_error = |e: tauri_plugin_clipboard_manager::Error| {
        crate::error::IpcError::new(
            ClientCode::ClipboardUnavailable,
            format!("the clipboard is not available: {e}"),
        )
    };
    app.clipboard()
        .write_text(text.clone())
        .map_err(clipboard_error)?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(CLIPBOARD_SECONDS)).await;
        let clipboard = app.clipboard();
        if clipboard.read_text().ok().as_deref() == Some(text.as_str()) {
            let _ = clipboard.write_text(String::new());
        }
    });
    Ok(())
}
