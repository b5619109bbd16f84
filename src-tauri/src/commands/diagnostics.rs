//! Administration > Diagnostics: the client's `doctor` over the current environment (the same
//! checks as `amorphic-su doctor`), with the report's text for "Copy report". Needs no
//! sign-in and no open client: it is what to look at when those fail.
use amorphic_su_client::doctor::{doctor, DoctorOptions, DoctorReport};
use serde::Serialize;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

/// The checks, and the same report as text (what the CLI prints).
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub report: DoctorReport,
    pub text: String,
}

#[tauri::command]
#[specta::specta]
pub async fn diagnostics_run(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Diagnostics> {
    let options = DoctorOptions {
        app_version: app.package_info().version.to_string(),
        ..DoctorOptions::default()
    };
    let report = doctor(state.paths(), None, &options).await;
    let text = report.to_string();
    Ok(Diagnostics { report, text })
}
