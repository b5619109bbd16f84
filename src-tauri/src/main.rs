// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // GTK panics with a long trace when there is no display; say it in one line instead.
    #[cfg(target_os = "linux")]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!(
            "amorphic-su-desktop needs a graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
        );
        std::process::exit(2);
    }
    // Errors that reach the window are logged on stderr (RUST_LOG overrides the level).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    amorphic_su_desktop::run();
}
