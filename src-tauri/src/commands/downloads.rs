//! Saving an export the window built (a bulk run's results): the webview cannot save a download
//! itself, so it hands the text here, to become a new file in the downloads folder.
use amorphic_su_client::downloads::{downloads_folder, save_new};

use crate::error::IpcResult;

/// Saves `contents` as a new file named `file_name` (numbered when taken) in the downloads
/// folder; returns where.
#[tauri::command]
#[specta::specta]
pub fn save_download(file_name: String, contents: String) -> IpcResult<String> {
    let path = save_new(&downloads_folder()?, &file_name, &contents)?;
    Ok(path.display().to_string())
}
