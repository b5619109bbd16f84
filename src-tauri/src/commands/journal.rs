//! The journal (Administration > Journal): the signed-in user's entries in the environment,
//! filtered; an export to a new CSV or JSON file; the hash chain's check. Each a call to the
//! client crate.
use std::path::PathBuf;

use amorphic_su_client::journal::{parse_action, parse_since};
use amorphic_su_client::{ExportFormat, JournalEntry, JournalQuery, Verification};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

/// The page's filters; every one narrows the list (none: everything).
#[derive(Deserialize, specta::Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct JournalFilter {
    /// A service user's id.
    pub service_user: Option<String>,
    /// An action's stored name (`CONTRACT.journalActions`).
    pub action: Option<String>,
    /// RFC 3339, or a span back from now (`7d`).
    pub since: Option<String>,
    pub search: Option<String>,
    pub limit: Option<u32>,
}

impl JournalFilter {
    fn query(self) -> IpcResult<JournalQuery> {
        let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(JournalQuery {
            service_user: blank(self.service_user),
            action: blank(self.action)
                .as_deref()
                .map(parse_action)
                .transpose()?,
            since: blank(self.since).as_deref().map(parse_since).transpose()?,
            search: blank(self.search),
            limit: self.limit,
            ..Default::default()
        })
    }
}

/// One journal entry as the page shows it.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntryView {
    pub seq: i32,
    pub at: String,
    pub environment: String,
    pub user: Option<String>,
    pub role: Option<String>,
    /// The stored name (`CONTRACT.journalActions`).
    pub action: String,
    pub target_id: Option<String>,
    pub target_name: Option<String>,
    pub minutes_asked: Option<u32>,
    pub ends_at: Option<String>,
    /// `done` or `refused`.
    pub result: String,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub detail: String,
}

impl From<JournalEntry> for JournalEntryView {
    fn from(e: JournalEntry) -> Self {
        JournalEntryView {
            seq: i32::try_from(e.seq).unwrap_or(i32::MAX),
            at: e.at.to_rfc3339(),
            environment: e.environment,
            user: e.user,
            role: e.role,
            action: e.action.as_str().to_owned(),
            target_id: e.target.as_ref().map(|t| t.id.clone()),
            target_name: e.target.and_then(|t| t.name),
            minutes_asked: e.minutes_asked,
            ends_at: e.ends_at.map(|t| t.to_rfc3339()),
            result: e.result.to_string(),
            error_code: e.error_code,
            message: e.message,
            detail: e.detail,
        }
    }
}

/// The export's formats.
#[derive(Deserialize, specta::Type, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum JournalFormat {
    Csv,
    Json,
}

/// Where an export went, and how many entries it holds.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JournalExported {
    pub path: String,
    pub entries: u32,
}

/// The chain's check: how many entries are sound, and the first one that is not.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JournalVerified {
    pub entries: i32,
    pub broken_seq: Option<i32>,
    pub reason: Option<String>,
}

impl From<Verification> for JournalVerified {
    fn from(v: Verification) -> Self {
        let n = |x: i64| i32::try_from(x).unwrap_or(i32::MAX);
        JournalVerified {
            entries: n(v.entries),
            broken_seq: v.broken.as_ref().map(|b| n(b.seq)),
            reason: v.broken.map(|b| b.reason),
        }
    }
}

/// The signed-in user's entries in this environment, newest first.
#[tauri::command]
#[specta::specta]
pub async fn journal_list(
    state: State<'_, AppState>,
    filter: JournalFilter,
) -> IpcResult<Vec<JournalEntryView>> {
    let entries = state.client().await?.history(filter.query()?).await?;
    Ok(entries.into_iter().map(Into::into).collect())
}

/// Writes the filtered entries to a new file (never over an existing one): `path`, else a new
/// file in the downloads folder.
#[tauri::command]
#[specta::specta]
pub async fn journal_export(
    state: State<'_, AppState>,
    filter: JournalFilter,
    format: JournalFormat,
    path: Option<String>,
) -> IpcResult<JournalExported> {
    let format = match format {
        JournalFormat::Csv => ExportFormat::Csv,
        JournalFormat::Json => ExportFormat::Json,
    };
    let path = path.filter(|p| !p.trim().is_empty()).map(PathBuf::from);
    let (path, n) = state
        .client()
        .await?
        .export_history_to(filter.query()?, format, path.as_deref())
        .await?;
    Ok(JournalExported {
        path: path.display().to_string(),
        entries: u32::try_from(n).unwrap_or(u32::MAX),
    })
}

/// Walks the journal's hash chain.
#[tauri::command]
#[specta::specta]
pub async fn journal_verify(state: State<'_, AppState>) -> IpcResult<JournalVerified> {
    Ok(state.client().await?.verify_history().await?.into())
}
