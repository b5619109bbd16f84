//! Unauthenticated endpoints: health, keys, the API description.

use std::sync::Arc;

use amorphic_su_model::Health;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::{Extension, Json};

use crate::state::AppState;

#[derive(Clone)]
pub(crate) struct OpenApiJson(pub Arc<String>);

/// Liveness.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, description = "The server is up", body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// The public keys that verify service-user tokens (RFC 7517, `OKP`/`Ed25519`).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "meta",
    responses((status = 200, description = "JSON Web Key Set", body = Object,
        example = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "...", "kid": "...", "alg": "EdDSA", "use": "sig"}]}))))]
pub(crate) async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    Json(state.keys().jwks().clone())
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3 document of this server", body = Object)))]
pub(crate) async fn openapi_json(Extension(doc): Extension<OpenApiJson>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], doc.0.as_ref().clone())
}
