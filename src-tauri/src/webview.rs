//! WebKitGTK settings for the window (docs/benchmarks.md, "The window"). The app shows one
//! local page of forms and a virtualised table: it needs neither a browser's caches nor GPU
//! compositing, and without them WebKit's web process holds ~115 MiB less (measured under Xvfb).
//! `AMORPHIC_SU_WEBKIT_GPU=1` keeps WebKit's own hardware-acceleration choice and renderer.

/// WebKit's process-wide switches, read from the environment by the UI process and inherited
/// by the web and network processes: so set before the first window exists. Each one is
/// measured in docs/benchmarks.md; a variable already set (to "0" as well) is left as it is.
pub fn prepare() {
    #[cfg(target_os = "linux")]
    {
        if keep_gpu() {
            return;
        }
        // Without compositing WebKit paints into shared memory, which the UI process draws
        // with cairo: its DMA-BUF renderer and compositing mode only cost memory then.
        for (name, value) in [
            ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ] {
            if std::env::var_os(name).is_none() {
                // Before any other thread of the app reads the environment (no window yet).
                std::env::set_var(name, value);
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn keep_gpu() -> bool {
    std::env::var_os("AMORPHIC_SU_WEBKIT_GPU").is_some_and(|v| v == "1")
}

#[cfg(target_os = "linux")]
pub fn tune(window: &tauri::WebviewWindow) {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };
    let keep_gpu = keep_gpu();
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
