fn main() {
    // tauri.conf.json lives at the workspace root; capabilities stay beside the app's Rust.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("failed to run tauri-build");
}
