//! An empty Tauri 2 window: the window benchmark's baseline (scripts/bench-window.sh). The same
//! Tauri, WebKitGTK and build profile as the app, and the same WebKit settings, but a page of one
//! line served through a custom URI scheme (as the app's own pages are) and no commands, state
//! or plugins. The page sets the User Timing mark `empty-first-paint` when its text is in the
//! document, as the app sets `users-first-rows` when its first users are.
//! `AMORPHIC_SU_EMPTY_DEFAULT_WEBKIT=1` leaves WebKit's settings at Tauri's defaults.

use tauri::{http::Response, WebviewUrl, WebviewWindowBuilder};

const PAGE: &str = concat!(
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Empty window</title></head>",
    "<body><p id=\"empty-window\">An empty Tauri window</p>",
    "<script>performance.mark(\"empty-first-paint\")</script></body></html>"
);

fn main() {
    let default_webkit =
        std::env::var_os("AMORPHIC_SU_EMPTY_DEFAULT_WEBKIT").is_some_and(|v| v == "1");
    if !default_webkit {
        amorphic_su_desktop::webview::prepare();
    }
    let mut context = tauri::generate_context!();
    // The app's configured window would load the app's own page: this one opens its own.
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("empty", |_ctx, _request| {
            Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .expect("a static response")
        })
        .setup(move |app| {
            let url = WebviewUrl::CustomProtocol("empty://localhost/".parse()?);
            let window = WebviewWindowBuilder::new(app, "main", url)
                .title("Empty window")
                .inner_size(1280.0, 800.0)
                .build()?;
            if !default_webkit {
                amorphic_su_desktop::webview::tune(&window);
            }
            Ok(())
        })
        .run(context)
        .expect("error while running the empty window");
}
