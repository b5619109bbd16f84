//! Errors as they cross IPC: `{code, message}`, the code stable for the UI to branch on.
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

pub type IpcResult<T> = Result<T, IpcError>;
