//! WebKitGTK settings for the window (docs/benchmarks.md, "The window"). The app shows one
//! local page of forms and a virtualised table: it needs neither a browser's caches nor GPU
//! compositing, and without them WebKit's web process holds ~115 MiB less (measured under Xvfb).
//! `AMORPHIC_SU_WEBKIT_GPU=1` keeps WebKit's own hardware-acceleration choice.

#[cfg(target_os = "linux")]
pub fn tune(window: &tauri::WebviewWindow) {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };
    let keep_gpu = std::env::var_os("AMORPHIC_SU_WEBKIT_GPU").is_some_and(|v| v == "1");
    let applied = window.with_webview(move |webview| {
        let view = webview.inner();
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if !keep_gpu {
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
    });
    if let Err(e) = applied {
        eprintln!("amorphic-su-desktop: WebKit settings not applied ({e})");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn tune(_window: &tauri::WebviewWindow) {}
