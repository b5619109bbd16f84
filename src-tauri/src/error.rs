//! Errors as they cross IPC: `{code, message}`, the code one of the typed vocabulary
//! ([`Code`]: the server's `ErrorCode` or the client's `ClientCode`), a string union in TypeScript.
use amorphic_su_client::model::{Code, IdError, TextError};
use amorphic_su_client::ClientError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// What the UI branches on, e.g. `ROLE_NOT_ATTACHED` or `offline`.
    pub code: Code,
    /// One sentence a person can act on.
    pub message: String,
}

impl IpcError {
    /// An error of the desktop's own (no client call behind it); logged like every other.
    pub fn new(code: impl Into<Code>, message: impl Into<String>) -> Self {
        let e = IpcError {
            code: code.into(),
            message: message.into(),
        };
        e.log();
        e
    }

    /// Every error that reaches the window is logged once, here. Messages name things (ids,
    /// URLs, environments), never a secret: no error type of the client carries one.
    fn log(&self) {
        tracing::warn!(code = %self.code, "{}", self.message);
    }
}

impl From<ClientError> for IpcError {
    fn from(e: ClientError) -> Self {
        IpcError::new(e.code(), e.to_string())
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
