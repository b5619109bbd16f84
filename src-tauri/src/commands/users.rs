//! Reading users, roles and tags. Lists read the local cache (fast, and it works offline);
//! `sync_now` brings the cache up to date and says whether the server could be reached.
use amorphic_su_client::model::{RoleId, TagId, UserId, UserStatus};
use amorphic_su_client::UserFilter;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::views::{Freshness, RoleView, TagView, UserFetched, UserView};

/// What a sync found.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    /// False when the server could not be reached: lists show the cache as of `asOf`.
    pub online: bool,
    /// When the cache last matched the server (RFC 3339).
    pub as_of: Option<String>,
    pub users_cached: u32,
    /// Why the sync failed, when it failed for another reason than being offline.
    pub problem: Option<IpcError>,
}

#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, AppState>) -> IpcResult<SyncView> {
    let outcome = state.client().await?.sync_outcome().await?;
    Ok(SyncView {
        online: outcome.online,
        as_of: outcome.as_of.map(|t| t.to_rfc3339()),
        users_cached: u32::try_from(outcome.users_cached).unwrap_or(u32::MAX),
        problem: outcome.problem.map(IpcError::from),
    })
}

/// Which users a list shows.
#[derive(Deserialize, specta::Type, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum UserKind {
    Service,
    Regular,
    All,
}

#[derive(Deserialize, specta::Type, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum StatusFilter {
    Enabled,
    Disabled,
}

/// A list's filters and the window of rows wanted.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsersQuery {
    pub kind: UserKind,
    pub search: Option<String>,
    pub status: Option<StatusFilter>,
    pub role: Option<String>,
    pub tag: Option<String>,
    /// Only service users the signed-in user can assume.
    pub assumable: bool,
    pub offset: u32,
    pub limit: u32,
}

impl UsersQuery {
    /// The client's filter: the query without its window.
    pub(crate) fn filter(&self) -> IpcResult<UserFilter> {
        let blank = |s: &Option<String>| s.as_ref().filter(|v| !v.trim().is_empty()).cloned();
        Ok(UserFilter {
            service_only: self.kind == UserKind::Service,
            regular_only: self.kind == UserKind::Regular,
            search: blank(&self.search),
            status: self.status.map(|s| match s {
                StatusFilter::Enabled => UserStatus::Enabled,
                StatusFilter::Disabled => UserStatus::Disabled,
            }),
            role: blank(&self.role).map(RoleId::parse).transpose()?,
            tag: blank(&self.tag).map(TagId::parse).transpose()?,
            assumable: self.assumable,
            limit: None,
            offset: None,
        })
    }
}

/// A window of a list, from the cache.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    pub users: Vec<UserView>,
    pub offset: u32,
    /// More rows match after this window.
    pub has_more: bool,
    /// When the cache last matched the server (RFC 3339); none before the first sync.
    pub as_of: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn users_page(state: State<'_, AppState>, query: UsersQuery) -> IpcResult<UsersPage> {
    let client = state.client().await?;
    let window = client
        .users_window(&query.filter()?, query.offset, query.limit)
        .await?;
    Ok(UsersPage {
        users: window.users.into_iter().map(UserView::from).collect(),
        offset: query.offset,
        has_more: window.has_more,
        as_of: window.as_of.map(|t| t.to_rfc3339()),
    })
}

/// How many cached users match (a separate call: counting a broad search costs more than
/// showing its first rows).
#[tauri::command]
#[specta::specta]
pub async fn users_count(state: State<'_, AppState>, query: UsersQuery) -> IpcResult<u32> {
    let client = state.client().await?;
    let n = client.count_matching(&query.filter()?).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// One user, fresh from the server (or from the cache when offline).
#[tauri::command]
#[specta::specta]
pub async fn user_get(state: State<'_, AppState>, user_id: String) -> IpcResult<UserFetched> {
    let id = UserId::parse(user_id)?;
    let fetched = state.client().await?.user(&id).await?;
    Ok(UserFetched {
        freshness: Freshness::from(&fetched),
        user: fetched.data.into(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn roles_list(state: State<'_, AppState>) -> IpcResult<Vec<RoleView>> {
    let fetched = state.client().await?.roles().await?;
    Ok(fetched.data.into_iter().map(RoleView::from).collect())
}

#[tauri::command]
#[specta::specta]
pub async fn tags_list(state: State<'_, AppState>) -> IpcResult<Vec<TagView>> {
    let fetched = state.client().await?.tags().await?;
    Ok(fetched.data.into_iter().map(TagView::from).collect())
}
