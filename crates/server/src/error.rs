//! Errors: [`Failure`] is an answer to a request; [`ServerError`] stops the server starting.

use std::borrow::Cow;

use amorphic_su_model::{ApiError, ErrorCode};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error answer: the status comes from the code, the body is `{"Message","Code"}`.
#[derive(Debug)]
pub struct Failure {
    pub code: ErrorCode,
    pub message: Cow<'static, str>,
}

pub type ApiResult<T> = Result<T, Failure>;

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// A server-side failure: logged with its cause, answered without it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "request failed");
        Failure::from(ErrorCode::Internal)
    }
}

impl From<ErrorCode> for Failure {
    fn from(code: ErrorCode) -> Self {
        Failure {
            code,
            message: Cow::Borrowed(code.default_message()),
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::internal(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ApiError::new(self.code, self.message))).into_response()
    }
}

/// Why the server could not start or load its data.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("seed file {path}: {message}")]
    Seed { path: String, message: String },
    #[error("signing key: {0}")]
    Key(String),
    #[error("configuration: {0}")]
    Config(String),
}

impl ServerError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        ServerError::Io {
            context: context.into(),
            source,
        }
    }
}
