//! The desktop app: thin Tauri commands over the client crate.
mod commands;

pub fn run() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .run(tauri::generate_context!())
        .expect("error while running the Amorphic Service Users Desktop app");
}
