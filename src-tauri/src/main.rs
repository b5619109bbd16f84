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
    amorphic_su_desktop::run();
}
