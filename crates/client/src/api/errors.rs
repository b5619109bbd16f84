//! Non-2xx answers as typed errors: the API's `{"Message","Code"}` body, a bare message
//! classified by status, or no usable body at all.

use amorphic_su_model::{ApiError, ErrorCode};

use crate::error::ClientError;

/// Turns a non-2xx answer into the typed error: `{"Message","Code"}`, or only `Message` /
/// `message` classified by status, or no usable body at all.
pub fn classify_error(status: u16, body: &[u8]) -> ClientError {
    if let Some(ApiError { message, code }) = ApiError::from_body(status, body) {
        if code == ErrorCode::Internal {
            return ClientError::ServerError {
                status,
                detail: one_line(&message),
            };
        }
        return ClientError::Api {
            status,
            code,
            message: one_line(&message),
        };
    }
    match ErrorCode::from_status(status) {
        Some(code) if status < 500 => ClientError::Api {
            status,
            code,
            message: code.default_message().to_owned(),
        },
        _ => {
            let text = String::from_utf8_lossy(body);
            let detail = if text.trim().is_empty() {
                "empty body".to_owned()
            } else {
                format!(
                    "not an API error body: {}",
                    one_line(&text.chars().take(120).collect::<String>())
                )
            };
            ClientError::ServerError { status, detail }
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
