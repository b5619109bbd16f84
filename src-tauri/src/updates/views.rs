//! What the window sees of updates: the status, a check's and an install's outcome (each a
//! tagged union, so a failure keeps its typed code), and the two events.
use serde::{Deserialize, Serialize};

use super::problem::UpdateProblem;

/// A newer version the endpoint offers, with its release notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    pub version: String,
    pub current_version: String,
    /// The release notes (`notes` of `latest.json`), as published.
    pub notes: Option<String>,
    /// When it was published (RFC 3339), if the manifest says.
    pub date: Option<String>,
}

/// The update settings and what the last check found.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusView {
    pub current_version: String,
    /// Checks by hand and installs are allowed.
    pub enabled: bool,
    /// Checks at start and daily (the setting, unless the environment decides).
    pub automatic: bool,
    /// The environment (`AMORPHIC_SU_UPDATES`) decides: the setting cannot change it.
    pub managed: bool,
    /// Why updates are off, when they are.
    pub disabled_reason: Option<String>,
    /// The endpoint the checks ask (the configured one, or the environment's override).
    pub endpoint: String,
    /// Found by the last check and not installed yet.
    pub available: Option<AvailableUpdate>,
    /// When the last check ended (RFC 3339).
    pub last_checked: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UpdateCheckView {
    #[serde(rename_all = "camelCase")]
    UpToDate {
        current_version: String,
    },
    Available {
        update: AvailableUpdate,
    },
    Failed {
        problem: UpdateProblem,
    },
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UpdateInstallView {
    /// Installed; the app restarts into it in a moment.
    Restarting { version: String },
    /// Refused or failed; the current version stays.
    Failed { problem: UpdateProblem },
}

/// A check at start or the daily one found a newer version (a check by hand answers directly).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct UpdateAvailable {
    pub update: AvailableUpdate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum UpdatePhase {
    Downloading,
    Installing,
    Restarting,
}

/// An install's progress: bytes downloaded of `total` (when the server says), then the phases.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgress {
    pub phase: UpdatePhase,
    pub downloaded: u32,
    pub total: Option<u32>,
}
