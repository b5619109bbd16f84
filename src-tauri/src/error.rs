//! Errors as they cross IPC: `{code, message}`, the code stable for the UI to branch on.
use amorphic_su_client::model::{IdError, TextError};
use amorphic_su_client::ClientError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// A server `Code` (e.g. `ROLE_NOT_ATTACHED`) or a client code (e.g. `offline`).
    pub code: String,
    /// One sentence a person can act on.
    pub message: String,
}

impl From<ClientError> for IpcError {
    fn from(e: ClientError) -> Self {
        IpcError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

/// An id or text the UI sent that the model refuses: the same error the client would give.
impl From<IdError> for IpcError {
    fn from(e: IdError) -> Self {
        ClientError::from(e).into()
    }
}

impl From<TextError> for IpcError {
    fn from(e: TextError) -> Self {
        ClientError::from(e).into()
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
