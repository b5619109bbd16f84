//! The one error vocabulary of the API: `{"Message": "...", "Code": "..."}`.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::code::ErrorCode;

/// The error body of every non-2xx answer (except 431, which may have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ApiError {
    /// A sentence a person can act on.
    pub message: String,
    /// The machine-readable code; clients branch on it, never on the message.
    pub code: ErrorCode,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            message: message.into(),
            code,
        }
    }

    /// Reads an error body leniently, as a client must: `Message` or `message`, and a
    /// missing or unknown `Code` classified by the HTTP status.
    pub fn from_body(status: u16, body: &[u8]) -> Option<ApiError> {
        let v: serde_json::Value = serde_json::from_slice(body).ok()?;
        let obj = v.as_object()?;
        let message = obj
            .get("Message")
            .or_else(|| obj.get("message"))
            .and_then(|m| m.as_str())?
            .to_owned();
        let code = obj
            .get("Code")
            .and_then(|c| c.as_str())
            .and_then(|c| c.parse().ok())
            .or_else(|| ErrorCode::from_status(status))?;
        Some(ApiError { message, code })
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::new(code, code.default_message())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_is_pascal_case() {
        let e = ApiError::new(ErrorCode::NotFound, "No such user.");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"Message":"No such user.","Code":"NOT_FOUND"}"#
        );
    }

    #[test]
    fn lenient_parse_accepts_platform_bodies() {
        let e = ApiError::from_body(403, br#"{"message":"Forbidden"}"#).unwrap();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = ApiError::from_body(409, br#"{"Message":"x","Code":"LAST_OWNER"}"#).unwrap();
        assert_eq!(e.code, ErrorCode::LastOwner);
        assert!(ApiError::from_body(418, br#"{"Message":"teapot"}"#).is_none());
    }
}
