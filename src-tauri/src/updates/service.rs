//! Checking and installing, over `tauri-plugin-updater`: the update a check found is kept until
//! it is installed, an install downloads it (telling its progress), verifies its signature
//! against the public key in the app's configuration, installs it with the platform's installer
//! and answers so the window can say so before the app restarts.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use tauri::{AppHandle, Manager};
use tauri_plugin_updater::{Update, UpdaterExt};
use tauri_specta::Event;

use super::policy::{self, Endpoint, Policy};
use super::problem::{from_plugin, Step, UpdateProblem, UpdateProblemCode};
use super::settings::{self, Settings};
use super::views::{
    AvailableUpdate, UpdateCheckView, UpdateInstallView, UpdatePhase, UpdateProgress,
    UpdateStatusView,
};

/// A check or a download that hangs gives up after this long.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Progress events at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The update state of the app (managed by Tauri).
pub struct Updates {
    config_dir: PathBuf,
    // One check or install at a time; an install never waits behind another.
    inner: tokio::sync::Mutex<Found>,
}

#[derive(Default)]
struct Found {
    pending: Option<Update>,
    last_checked: Option<DateTime<Utc>>,
}

fn available(u: &Update) -> AvailableUpdate {
    AvailableUpdate {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone().filter(|n| !n.trim().is_empty()),
        date: u
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
    }
}

impl Updates {
    pub fn new(config_dir: PathBuf) -> Self {
        Updates {
            config_dir,
            inner: tokio::sync::Mutex::new(Found::default()),
        }
    }

    pub fn settings(&self) -> Settings {
        settings::load(&self.config_dir)
    }

    pub fn save_settings(&self, s: Settings) -> std::io::Result<()> {
        settings::save(&self.config_dir, s)
    }

    /// The decision for now: the environment and the stored setting.
    pub fn policy(&self) -> Policy {
        policy::from_env(self.settings().automatic)
    }

    pub async fn status(&self, app: &AppHandle) -> UpdateStatusView {
        let p = self.policy();
        let found = self.inner.lock().await;
        UpdateStatusView {
            current_version: app.package_info().version.to_string(),
            enabled: p.enabled,
            automatic: p.automatic,
            managed: p.managed,
            disabled_reason: p.disabled_reason.clone(),
            endpoint: endpoint_label(app, &p),
            available: found.pending.as_ref().map(available),
            last_checked: found
                .last_checked
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        }
    }

    /// Asks the endpoint for a newer version; keeps it for `install`.
    pub async fn check(&self, app: &AppHandle) -> UpdateCheckView {
        let p = self.policy();
        let current = app.package_info().version.to_string();
        if let Some(reason) = p.disabled_reason.clone() {
            return UpdateCheckView::Failed {
                problem: UpdateProblem::new(UpdateProblemCode::Disabled, reason),
            };
        }
        let mut found = self.inner.lock().await;
        let endpoint = endpoint_label(app, &p);
        let step = Step::Check {
            endpoint: &endpoint,
        };
        let mut builder = app.updater_builder().timeout(TIMEOUT);
        if let Endpoint::Override(url) = &p.endpoint {
            builder = match builder.endpoints(vec![url.clone()]) {
                Ok(b) => b,
                Err(e) => return failed(from_plugin(&e, &step)),
            };
        }
        let answer = match builder.build() {
            Ok(updater) => updater.check().await,
            Err(e) => Err(e),
        };
        found.last_checked = Some(Utc::now());
        match answer {
            Ok(Some(update)) => {
                let view = available(&update);
                found.pending = Some(update);
                UpdateCheckView::Available { update: view }
            }
            Ok(None) => {
                found.pending = None;
                UpdateCheckView::UpToDate {
                    current_version: current,
                }
            }
            Err(e) => failed(from_plugin(&e, &step)),
        }
    }

    /// Downloads, verifies and installs the update the last check found. The caller restarts.
    pub async fn install(&self, app: &AppHandle) -> UpdateInstallView {
        let p = self.policy();
        if let Some(reason) = p.disabled_reason {
            return install_failed(UpdateProblem::new(UpdateProblemCode::Disabled, reason));
        }
        let Ok(mut found) = self.inner.try_lock() else {
            return install_failed(UpdateProblem::new(
                UpdateProblemCode::Busy,
                "An update check or install is already running; try again in a moment.",
            ));
        };
        let Some(update) = found.pending.clone() else {
            return install_failed(UpdateProblem::new(
                UpdateProblemCode::NoUpdate,
                "There is no update to install: check for updates first.",
            ));
        };
        let version = update.version.clone();
        let url = update.download_url.to_string();
        let step = Step::Install {
            version: &version,
            url: &url,
        };
        let mut downloaded: usize = 0;
        let mut last = Instant::now() - PROGRESS_EVERY;
        let progress = |phase, downloaded: usize, total: Option<u64>| {
            let _ = UpdateProgress {
                phase,
                downloaded: u32::try_from(downloaded).unwrap_or(u32::MAX),
                total: total.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
            }
            .emit(app);
        };
        progress(UpdatePhase::Downloading, 0, None);
        // `download` verifies the signature before it returns the bytes.
        let bytes = update
            .download(
                |chunk, total| {
                    downloaded += chunk;
                    if last.elapsed() >= PROGRESS_EVERY || total == Some(downloaded as u64) {
                        last = Instant::now();
                        progress(UpdatePhase::Downloading, downloaded, total);
                    }
                },
                || {},
            )
            .await;
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => return install_failed(from_plugin(&e, &step)),
        };
        let size = bytes.len();
        progress(UpdatePhase::Installing, size, Some(size as u64));
        // The platform's installer runs as a child process (on Linux behind pkexec or sudo).
        let installing = update.clone();
        let installed = tokio::task::spawn_blocking(move || installing.install(bytes)).await;
        match installed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return install_failed(from_plugin(&e, &step)),
            Err(e) => {
                return install_failed(UpdateProblem::new(
                    UpdateProblemCode::InstallFailed,
                    format!("The update to {version} was not installed: the installer stopped ({e}). The current version stays."),
                ))
            }
        }
        found.pending = None;
        progress(UpdatePhase::Restarting, size, Some(size as u64));
        UpdateInstallView::Restarting { version }
    }
}

fn failed(problem: UpdateProblem) -> UpdateCheckView {
    UpdateCheckView::Failed { problem }
}

fn install_failed(problem: UpdateProblem) -> UpdateInstallView {
    UpdateInstallView::Failed { problem }
}

/// The endpoint a check asks, for the window and for messages.
fn endpoint_label(app: &AppHandle, p: &Policy) -> String {
    match &p.endpoint {
        Endpoint::Override(url) => url.to_string(),
        Endpoint::Configured => app
            .config()
            .plugins
            .0
            .get("updater")
            .and_then(|u| u.get("endpoints"))
            .and_then(|e| e.as_array())
            .map(|e| {
                e.iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "no endpoint configured".to_owned()),
    }
}

/// The app's update state.
pub fn updates(app: &AppHandle) -> tauri::State<'_, Updates> {
    app.state::<Updates>()
}
