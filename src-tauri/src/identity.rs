//! The identity the window acts as: the current environment's assumed service users, which one
//! is active, and every change to them (assume, renew, activate, forget). The commands and the
//! tray both go through here. After each change the shell (tray menu, window title, expiry
//! notice) is refreshed through the hook the shell registered, so neither imports the other.
use amorphic_su_client::model::{RoleId, UserId};
use amorphic_su_client::ClientError;
use tauri::{AppHandle, Manager};

use crate::error::IpcResult;
use crate::state::AppState;
use crate::views::IdentityView;

/// The current environment's assumed identities, the active one marked.
pub async fn views(state: &AppState) -> IpcResult<Vec<IdentityView>> {
    let active = state.active_identity.lock().await.clone();
    let all = state.client().await?.assumed_identities().await?;
    Ok(all
        .into_iter()
        .map(|i| {
            let is_active = Some(&i.meta.service_user_id) == active.as_ref();
            IdentityView::new(i, is_active)
        })
        .collect())
}

/// Assumes `id` with `role` for `minutes` and makes it the active identity.
pub async fn assume(
    app: &AppHandle,
    id: UserId,
    role: Option<RoleId>,
    minutes: Option<i64>,
) -> IpcResult<IdentityView> {
    let state = app.state::<AppState>();
    let assumed = state
        .client()
        .await?
        .assume(&id, role.as_ref(), minutes)
        .await?;
    *state.active_identity.lock().await = Some(id);
    changed(app).await;
    Ok(IdentityView::new(assumed, true))
}

/// A new token for the identity, with its role and lifetime.
pub async fn reassume(app: &AppHandle, id: UserId) -> IpcResult<IdentityView> {
    let state = app.state::<AppState>();
    let assumed = state.client().await?.reassume(&id).await?;
    let active = state.active_identity.lock().await.as_ref() == Some(&id);
    changed(app).await;
    Ok(IdentityView::new(assumed, active))
}

/// Wipes the identity's token from the keychain; acting as it ends.
pub async fn forget(app: &AppHandle, id: UserId) -> IpcResult<()> {
    let state = app.state::<AppState>();
    state.client().await?.forget(&id).await?;
    ended(app, &id).await;
    Ok(())
}

/// The identity of `id` is gone (forgotten, or its service user deleted): the window stops
/// acting as it, and the shell says so.
pub async fn ended(app: &AppHandle, id: &UserId) {
    {
        let state = app.state::<AppState>();
        let mut active = state.active_identity.lock().await;
        if active.as_ref() == Some(id) {
            *active = None;
        }
    }
    changed(app).await;
}

/// Makes an assumed identity the active one, or none (act as yourself).
pub async fn activate(app: &AppHandle, id: Option<UserId>) -> IpcResult<()> {
    let state = app.state::<AppState>();
    if let Some(id) = &id {
        let client = state.client().await?;
        let known = client.assumed_identities().await?;
        if !known.iter().any(|i| &i.meta.service_user_id == id) {
            return Err(ClientError::NotAssumed {
                profile: client.profile().name.clone(),
                user: id.to_string(),
            }
            .into());
        }
    }
    *state.active_identity.lock().await = id;
    changed(app).await;
    Ok(())
}

/// The identities changed: refresh the shell (a no-op until it registered).
pub async fn changed(app: &AppHandle) {
    let refresh = app.state::<AppState>().shell_refresh.get().copied();
    if let Some(refresh) = refresh {
        refresh(app.clone()).await;
    }
}
