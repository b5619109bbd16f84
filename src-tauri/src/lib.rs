//! The desktop app: thin Tauri commands over the client crate.
pub mod app_commands;
pub mod bindings;
#[cfg(test)]
mod capability;
mod commands;
mod demo;
mod error;
mod events;
mod identity;
mod labels;
mod notices;
mod state;
mod tray;
mod updates;
mod views;
mod watcher;
pub mod webview;

use amorphic_su_client::Paths;
use tauri::Manager;

pub fn run() {
    webview::prepare();
    let builder = bindings::specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(updates::plugin())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let paths = Paths::from_env()?;
            demo::setup(app, &paths);
            updates::install(app.handle(), paths.config_dir.clone());
            app.manage(state::AppState::new(paths));
            tray::install(app.handle());
            watcher::install(app.handle());
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running the Amorphic Service Users Desktop app");
}
