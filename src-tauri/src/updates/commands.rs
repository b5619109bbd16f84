//! The window's update commands: thin adapters over [`super::service::Updates`]. The window
//! never gets the plugin's own commands (its capability grants only these four).
use tauri::AppHandle;

use super::service::updates;
use super::settings::Settings;
use super::views::{UpdateCheckView, UpdateInstallView, UpdateStatusView};
use crate::error::{IpcError, IpcResult};
use amorphic_su_client::model::ClientCode;

/// The update settings, whether the environment decides, and what the last check found.
#[tauri::command]
#[specta::specta]
pub async fn update_status(app: AppHandle) -> UpdateStatusView {
    updates(&app).status(&app).await
}

/// Asks the update endpoint now ("Check for updates").
#[tauri::command]
#[specta::specta]
pub async fn update_check(app: AppHandle) -> UpdateCheckView {
    updates(&app).check(&app).await
}

/// Installs the update the last check found (the person agreed), then restarts into it.
#[tauri::command]
#[specta::specta]
pub async fn update_install(app: AppHandle) -> UpdateInstallView {
    let answer = updates(&app).install(&app).await;
    if matches!(answer, UpdateInstallView::Restarting { .. }) {
        // Answer first, so the window can say it is restarting.
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(600)).await;
            app.restart();
        });
    }
    answer
}

/// Turns the checks at start and daily on or off (a setting kept on disk; the environment's
/// `AMORPHIC_SU_UPDATES` still wins).
#[tauri::command]
#[specta::specta]
pub async fn update_set_automatic(app: AppHandle, automatic: bool) -> IpcResult<UpdateStatusView> {
    let u = updates(&app);
    u.save_settings(Settings { automatic }).map_err(|e| {
        IpcError::new(
            ClientCode::IoError,
            format!("Could not save the update setting: {e}."),
        )
    })?;
    Ok(u.status(&app).await)
}
