//! The desktop app: thin Tauri commands over the client crate.
mod commands;
mod error;
mod state;

use amorphic_su_client::Paths;
use tauri::Manager;

/// Every command the UI may call; the TypeScript bindings in `ui/src/gen/` are generated from it.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        // The UI only reads what Rust serialises: one TypeScript type per Rust type.
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::app::app_info,
            commands::session::session_status,
            commands::users::service_users_list,
        ])
}

/// Where the generated bindings live, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/gen/bindings.ts";

pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from the Rust commands by tauri-specta: do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

pub fn run() {
    let builder = specta_builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(|app| {
            let paths = Paths::from_env()?;
            app.manage(state::AppState::new(paths));
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running the Amorphic Service Users Desktop app");
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The checked-in bindings must match the commands: regenerate with
    /// `AMORPHIC_SU_WRITE_BINDINGS=1 cargo test -p amorphic-su-desktop bindings`.
    #[test]
    fn typescript_bindings_are_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked_in = root.join(super::BINDINGS_PATH);
        if std::env::var_os("AMORPHIC_SU_WRITE_BINDINGS").is_some() {
            super::export_bindings(&checked_in).expect("write bindings");
        }
        let fresh = std::env::temp_dir().join(format!("bindings-{}.ts", std::process::id()));
        super::export_bindings(&fresh).expect("export bindings");
        let want = std::fs::read_to_string(&fresh).expect("read fresh bindings");
        let have = std::fs::read_to_string(&checked_in).unwrap_or_default();
        let _ = std::fs::remove_file(&fresh);
        assert!(
            want == have,
            "{} is out of date: run AMORPHIC_SU_WRITE_BINDINGS=1 cargo test -p amorphic-su-desktop bindings",
            super::BINDINGS_PATH
        );
    }
}
