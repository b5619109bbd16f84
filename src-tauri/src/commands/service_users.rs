//! Managing service users: one command per operation of the feature document, each a call to
//! the client crate (which checks the model's policy before sending anything). After a change
//! to an assumed service user the client has checked its identity again; the window and the
//! shell then show what it found.
use amorphic_su_client::model::{RoleId, TagId, TokenId, UserId};
use amorphic_su_client::{NewServiceUser, ShareChange};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::error::IpcResult;
use crate::identity;
use crate::state::AppState;
use crate::views::{
    AccessTokenView, ActivityView, Freshness, OwnedResourceView, SharesView, UserView,
};

fn ids<T>(
    raw: Vec<String>,
    parse: impl Fn(String) -> Result<T, amorphic_su_client::model::IdError>,
) -> IpcResult<Vec<T>> {
    Ok(raw.into_iter().map(parse).collect::<Result<_, _>>()?)
}

/// The create form.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewServiceUserInput {
    pub user_id: String,
    pub display_name: String,
    pub description: Option<String>,
    /// Roles to attach after creating it (besides the default role it gets).
    pub roles: Vec<String>,
}

/// Creates a service user, then attaches the chosen roles. When attaching fails the user
/// exists without them, and the error says so.
#[tauri::command]
#[specta::specta]
pub async fn service_user_create(
    state: State<'_, AppState>,
    input: NewServiceUserInput,
) -> IpcResult<UserView> {
    let roles = ids(input.roles, RoleId::parse)?;
    let new = NewServiceUser {
        user_id: input.user_id.trim().to_owned(),
        display_name: input.display_name.trim().to_owned(),
        description: input.description.filter(|d| !d.trim().is_empty()),
    };
    let client = state.client().await?;
    // The user may exist without its roles: `created_without_roles` lets the UI say so and
    // refresh the list.
    Ok(client
        .create_service_user_with_roles(new, &roles)
        .await?
        .into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_attach_roles(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    roles: Vec<String>,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    let roles = ids(roles, RoleId::parse)?;
    let user = state.client().await?.attach_roles(&id, &roles).await?;
    identity::touched(&app, &id).await;
    Ok(user.into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_detach_role(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    role: String,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    let role = RoleId::parse(role)?;
    let user = state.client().await?.detach_role(&id, &role).await?;
    identity::touched(&app, &id).await;
    Ok(user.into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_enable(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    let user = state.client().await?.enable(&id).await?;
    identity::touched(&app, &id).await;
    Ok(user.into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_disable(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    let user = state.client().await?.disable(&id).await?;
    identity::touched(&app, &id).await;
    Ok(user.into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_shares(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<SharesView> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    Ok(client.shares_with_members(&id).await?.into())
}

/// Shares with users and tags, always with owner access (the only kind for service users).
#[tauri::command]
#[specta::specta]
pub async fn service_user_share(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    users: Vec<String>,
    tags: Vec<String>,
) -> IpcResult<SharesView> {
    let id = UserId::parse(user_id)?;
    let change = ShareChange::Add {
        users: ids(users, UserId::parse)?,
        tags: ids(tags, TagId::parse)?,
    };
    let client = state.client().await?;
    let shares = client.change_shares_with_members(&id, &change).await?;
    identity::touched(&app, &id).await;
    Ok(shares.into())
}

/// A share to remove.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum SharePrincipal {
    User(String),
    Tag(String),
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_unshare(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    principal: SharePrincipal,
) -> IpcResult<SharesView> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    let change = match principal {
        SharePrincipal::User(u) => ShareChange::RemoveUser(UserId::parse(u)?),
        SharePrincipal::Tag(t) => ShareChange::RemoveTag(TagId::parse(t)?),
    };
    let shares = client.change_shares_with_members(&id, &change).await?;
    identity::touched(&app, &id).await;
    Ok(shares.into())
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OwnedResourcesView {
    pub resources: Vec<OwnedResourceView>,
    pub freshness: Freshness,
}

/// What the service user owns: what a delete will transfer.
#[tauri::command]
#[specta::specta]
pub async fn service_user_owned_resources(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<OwnedResourcesView> {
    let id = UserId::parse(user_id)?;
    let fetched = state.client().await?.owned_resources(&id).await?;
    Ok(OwnedResourcesView {
        freshness: Freshness::from(&fetched),
        resources: fetched.data.into_iter().map(Into::into).collect(),
    })
}

/// What a delete did.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeletedView {
    pub user_id: String,
    pub transferred_to: String,
    pub transferred: Vec<OwnedResourceView>,
}

/// Deletes a disabled service user, transferring what it owns to an enabled regular user.
#[tauri::command]
#[specta::specta]
pub async fn service_user_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    user_id: String,
    transfer_to: String,
) -> IpcResult<DeletedView> {
    let id = UserId::parse(user_id)?;
    let to = UserId::parse(transfer_to)?;
    let client = state.client().await?;
    let out = client.delete_service_user(&id, &to).await?;
    // Its identity is gone (the client wiped the token): the title and the tray say so now.
    identity::ended(&app, &id).await;
    Ok(DeletedView {
        user_id: id.to_string(),
        transferred_to: to.to_string(),
        transferred: out
            .transferred_resources
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokensView {
    pub tokens: Vec<AccessTokenView>,
    pub freshness: Freshness,
}

/// The service user's PATs, as its owner sees them (without assuming it).
#[tauri::command]
#[specta::specta]
pub async fn service_user_access_tokens(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<AccessTokensView> {
    let id = UserId::parse(user_id)?;
    let fetched = state.client().await?.access_tokens_of(&id).await?;
    Ok(AccessTokensView {
        freshness: Freshness::from(&fetched),
        tokens: fetched.data.into_iter().map(Into::into).collect(),
    })
}

/// Revokes one of the service user's PATs without assuming it.
#[tauri::command]
#[specta::specta]
pub async fn service_user_access_token_revoke(
    state: State<'_, AppState>,
    user_id: String,
    token_id: String,
) -> IpcResult<()> {
    let id = UserId::parse(user_id)?;
    let token = TokenId::parse(token_id)?;
    state
        .client()
        .await?
        .revoke_access_token_of(&id, &token)
        .await?;
    Ok(())
}

/// What this app did to the service user, newest first.
#[tauri::command]
#[specta::specta]
pub async fn service_user_history(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<Vec<ActivityView>> {
    let id = UserId::parse(user_id)?;
    let entries = state.client().await?.activity(&id).await?;
    Ok(entries.into_iter().map(Into::into).collect())
}
