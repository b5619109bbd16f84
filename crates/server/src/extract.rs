//! Extractors that answer in the contract's terms: a bad body or query is 400
//! `INVALID_REQUEST` (never 415 or 422), an oversized body 413 `PAYLOAD_TOO_LARGE`.

use amorphic_su_model::ErrorCode;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Failure;

/// Request bodies may be at most this large.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A JSON request body. `Content-Type: application/json` is required: it keeps browsers
/// from sending cross-site "simple" requests (a form post to a loopback server).
pub struct Body<T>(pub T);

/// Whether a `Content-Type` value names JSON (`application/json` or `application/*+json`).
pub fn is_json(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(
            req.headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
        );
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Failure::from(ErrorCode::PayloadTooLarge)
            } else {
                Failure::new(
                    ErrorCode::InvalidRequest,
                    "The request body could not be read.",
                )
            }
        })?;
        if !json {
            return Err(Failure::new(
                ErrorCode::InvalidRequest,
                "Send the body as JSON with the header Content-Type: application/json.",
            ));
        }
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .and_then(crate::strict::from_value)
            .map(Body)
            .map_err(|e| {
                Failure::new(
                    ErrorCode::InvalidRequest,
                    format!("The JSON body is not valid: {e}."),
                )
            })
    }
}

/// Query parameters; a malformed one is 400 `INVALID_REQUEST`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| Failure::new(ErrorCode::InvalidRequest, format!("{}.", e.body_text())))
    }
}

/// Path parameters. A segment that cannot be decoded names nothing that exists: 404.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| Failure::from(ErrorCode::NotFound))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types() {
        assert!(is_json(Some("application/json")));
        assert!(is_json(Some("Application/JSON; charset=utf-8")));
        assert!(is_json(Some("application/merge-patch+json")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(Some("application/x-www-form-urlencoded")));
        assert!(!is_json(None));
    }
}
