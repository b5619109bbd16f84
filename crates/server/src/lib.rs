//! The reference server: `app()` returns the Router; the binary serves it.
use axum::{routing::get, Json, Router};

pub fn app() -> Router {
    Router::new().route(
        "/healthz",
        get(|| async { Json(serde_json::json!({"Status": "ok"})) }),
    )
}
