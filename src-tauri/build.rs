// The command list the app manifest declares; the window's capability grants exactly these.
#[path = "src/app_commands.rs"]
mod app_commands;

fn main() {
    // A capability file added later must rebuild the ACL the app embeds.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    // tauri.conf.json lives at the workspace root; capabilities stay beside the app's Rust.
    // Declaring the commands makes the ACL check them: a command no capability grants is refused.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(app_commands::APP_COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
