//! In-app updates: a check shortly after start and then daily (in the background, never holding
//! up the start), "Check for updates" in the window, the release notes shown, the install only
//! when the person agrees, then a restart. The signature of what is downloaded must match the
//! public key in `tauri.conf.json` (`plugins.updater.pubkey`); the private key exists only in the
//! release workflow's secrets (docs/release.md). A setting and `AMORPHIC_SU_UPDATES` turn it off
//! (policy.rs).
pub mod commands;
pub mod policy;
mod problem;
mod service;
pub mod settings;
pub mod views;

use std::path::PathBuf;
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

pub use service::Updates;
use views::{UpdateAvailable, UpdateCheckView};

/// The first automatic check waits this long after start (the window and the first sync first).
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(5);
const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// The updater plugin, configured from `plugins.updater` of the app's configuration.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// Keeps the update state and starts the automatic checks (each one skipped while the policy
/// says no); a check that finds a newer version tells the window (`UpdateAvailable`).
pub fn install(app: &AppHandle, config_dir: PathBuf) {
    app.manage(Updates::new(config_dir));
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK_AFTER).await;
        loop {
            let updates = app.state::<Updates>();
            if updates.policy().automatic {
                if let UpdateCheckView::Available { update } = updates.check(&app).await {
                    let _ = UpdateAvailable { update }.emit(&app);
                }
            }
            tokio::time::sleep(DAILY).await;
        }
    });
}
