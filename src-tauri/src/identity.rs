//! The identity the window acts as: the current environment's assumed service users with the
//! state the server last gave them, which one is active, and every change to them (assume,
//! renew, activate, forget, check). The commands, the tray and the watcher go through here.
//! After each change the shell (tray menu, window title, notifications) is refreshed and the
//! window told through the hook the watcher registered, so neither imports the other.
use std::collections::HashMap;

use amorphic_su_client::model::{RoleId, UserId};
use amorphic_su_client::{AssumedIdentity, Client, ClientError};
use tauri::{AppHandle, Manager};

use crate::error::IpcResult;
use crate::state::AppState;
use crate::views::IdentityView;

/// The current environment's assumed identities as stored (the state the last check or request
/// found), the active one marked.
pub async fn views(state: &AppState) -> IpcResult<Vec<IdentityView>> {
    let client = state.client().await?;
    let all = client.assumed_identities().await?;
    Ok(marked(state, &client, all).await)
}

/// The identities after asking the server about each (`/whoami` acting as it); offline, the
/// stored state.
pub async fn checked_views(state: &AppState) -> IpcResult<Vec<IdentityView>> {
    let client = state.client().await?;
    let all = match client.check_identities().await {
        Err(ClientError::Offline { .. }) => client.assumed_identities().await?,
        checked => checked?,
    };
    Ok(marked(state, &client, all).await)
}

/// Views of `all`, the active one marked, each role named from the cached catalogue.
async fn marked(state: &AppState, client: &Client, all: Vec<AssumedIdentity>) -> Vec<IdentityView> {
    let active = state.active_identity.lock().await.clone();
    let names = role_names(client).await;
    all.into_iter()
        .map(|i| {
            let is_active = Some(&i.meta.service_user_id) == active.as_ref();
            let name = names.get(&i.meta.role_id).cloned();
            IdentityView::new(i, is_active, name)
        })
        .collect()
}

/// Role names by id from the cached catalogue (the last sync's): the tray and title name roles
/// without asking the server every tick. Empty before the first sync.
pub async fn role_names(client: &Client) -> HashMap<RoleId, String> {
    client
        .cache()
        .roles()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.role_id, r.role_name))
        .collect()
}

/// Assumes `id` with `role` for `minutes` and makes it the active identity.
pub async fn assume(
    app: &AppHandle,
    id: UserId,
    role: Option<RoleId>,
    minutes: Option<i64>,
) -> IpcResult<IdentityView> {
    let state = app.state::<AppState>();
    let client = state.client().await?;
    let assumed = client.assume(&id, role.as_ref(), minutes).await?;
    *state.active_identity.lock().await = Some(id);
    changed(app).await;
    Ok(one(&client, assumed, true).await)
}

/// A new token for the identity, with its role and lifetime.
pub async fn reassume(app: &AppHandle, id: UserId) -> IpcResult<IdentityView> {
    let state = app.state::<AppState>();
    let client = state.client().await?;
    let assumed = client.reassume(&id).await?;
    let active = state.active_identity.lock().await.as_ref() == Some(&id);
    changed(app).await;
    Ok(one(&client, assumed, active).await)
}

async fn one(client: &Client, i: AssumedIdentity, active: bool) -> IdentityView {
    let name = role_names(client).await.remove(&i.meta.role_id);
    IdentityView::new(i, active, name)
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

/// This app changed the service user `id` (its status, shares, roles): when it is assumed, the
/// client has checked its identity again, so the window and the shell show what it found.
pub async fn touched(app: &AppHandle, id: &UserId) {
    let state = app.state::<AppState>();
    let assumed = match state.client().await {
        Ok(client) => client
            .cache()
            .assumed_one(id)
            .await
            .ok()
            .flatten()
            .is_some(),
        Err(_) => false,
    };
    if assumed {
        changed(app).await;
    }
}

/// The outcome of a request acting as `id`: when the server refused it, the client has checked
/// the identity (and recorded a refusal it found), so the window and the shell show it at once.
pub async fn acted<T>(
    app: &AppHandle,
    id: &UserId,
    outcome: amorphic_su_client::Result<T>,
) -> IpcResult<T> {
    if outcome.as_ref().is_err_and(|e| !e.is_offline()) {
        touched(app, id).await;
    }
    Ok(outcome?)
}

/// The identities changed: refresh the shell and tell the window (a no-op until the shell
/// registered its hook).
pub async fn changed(app: &AppHandle) {
    let refresh = app.state::<AppState>().shell_refresh.get().copied();
    if let Some(refresh) = refresh {
        refresh(app.clone()).await;
    }
}
