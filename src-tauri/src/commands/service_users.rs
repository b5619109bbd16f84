//! Managing service users: one command per operation of the feature document, each a call to
//! the client crate (which checks the model's policy before sending anything).
use amorphic_su_client::model::{RoleId, Shares, TagId, TokenId, UserId};
use amorphic_su_client::{Client, NewServiceUser, UserFilter};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::error::IpcResult;
use crate::state::AppState;
use crate::views::{AccessTokenView, ActivityView, Freshness, OwnedResourceView, UserView};

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
    state: State<'_, AppState>,
    user_id: String,
    roles: Vec<String>,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    let roles = ids(roles, RoleId::parse)?;
    Ok(state
        .client()
        .await?
        .attach_roles(&id, &roles)
        .await?
        .into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_detach_role(
    state: State<'_, AppState>,
    user_id: String,
    role: String,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    let role = RoleId::parse(role)?;
    Ok(state.client().await?.detach_role(&id, &role).await?.into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_enable(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    Ok(state.client().await?.enable(&id).await?.into())
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_disable(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<UserView> {
    let id = UserId::parse(user_id)?;
    Ok(state.client().await?.disable(&id).await?.into())
}

/// A tag share, with the people it reaches (from the cache).
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagShareView {
    pub tag_id: String,
    pub access_type: String,
    /// Regular users carrying the tag: they can act as the service user through it.
    pub members: Vec<String>,
}

#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserShareView {
    pub user_id: String,
    pub access_type: String,
}

/// Who the service user is shared with.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SharesView {
    pub users: Vec<UserShareView>,
    pub tags: Vec<TagShareView>,
    pub freshness: Freshness,
}

async fn shares_view(
    client: &Client,
    shares: Shares,
    freshness: Freshness,
) -> IpcResult<SharesView> {
    let mut tags = Vec::with_capacity(shares.tags.len());
    for t in shares.tags {
        let members = client
            .cache()
            .users(&UserFilter {
                regular_only: true,
                tag: Some(t.tag_id.clone()),
                limit: Some(500),
                ..UserFilter::default()
            })
            .await?;
        tags.push(TagShareView {
            tag_id: t.tag_id.to_string(),
            access_type: t.access_type.as_str().to_owned(),
            members: members.into_iter().map(|u| u.user_id.to_string()).collect(),
        });
    }
    Ok(SharesView {
        users: shares
            .users
            .into_iter()
            .map(|u| UserShareView {
                user_id: u.user_id.to_string(),
                access_type: u.access_type.as_str().to_owned(),
            })
            .collect(),
        tags,
        freshness,
    })
}

fn fresh() -> Freshness {
    Freshness {
        stale: false,
        as_of: Some(amorphic_su_client::model::Timestamp::now().to_rfc3339()),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn service_user_shares(
    state: State<'_, AppState>,
    user_id: String,
) -> IpcResult<SharesView> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    let fetched = client.shares(&id).await?;
    let freshness = Freshness::from(&fetched);
    shares_view(&client, fetched.data, freshness).await
}

/// Shares with users and tags, always with owner access (the only kind for service users).
#[tauri::command]
#[specta::specta]
pub async fn service_user_share(
    state: State<'_, AppState>,
    user_id: String,
    users: Vec<String>,
    tags: Vec<String>,
) -> IpcResult<SharesView> {
    let id = UserId::parse(user_id)?;
    let users = ids(users, UserId::parse)?;
    let tags = ids(tags, TagId::parse)?;
    let client = state.client().await?;
    let shares = client.share(&id, &users, &tags).await?;
    shares_view(&client, shares, fresh()).await
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
    state: State<'_, AppState>,
    user_id: String,
    principal: SharePrincipal,
) -> IpcResult<SharesView> {
    let id = UserId::parse(user_id)?;
    let client = state.client().await?;
    let shares = match principal {
        SharePrincipal::User(u) => client.unshare_user(&id, &UserId::parse(u)?).await?,
        SharePrincipal::Tag(t) => client.unshare_tag(&id, &TagId::parse(t)?).await?,
    };
    shares_view(&client, shares, fresh()).await
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
    if state.active_identity.lock().await.as_ref() == Some(&id) {
        *state.active_identity.lock().await = None;
    }
    // Its identity is gone (the client wiped the token): the title and the tray say so now.
    crate::identity::changed(&app).await;
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
