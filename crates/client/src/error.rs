//! The client's one error type. Every variant has a stable machine code ([`ClientError::code`])
//! and serialises as `{"code", "message"}`, which is what the desktop app passes over IPC.

use amorphic_su_model::{ClientCode, Code, ErrorCode, UserId};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// Where an error that leaves a person guessing points: the checks that tell the causes apart.
pub const DOCTOR: &str = "`amorphic-su doctor` or Administration > Diagnostics";

/// Everything that can go wrong in the client. The `Display` text is one line a person can act
/// on; `code()` is what programs branch on.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error: the server's code (from `Code`, or classified by the
    /// HTTP status when the body has only a message) and its message.
    #[error("{message}")]
    Api {
        status: u16,
        code: ErrorCode,
        message: String,
    },

    /// The server could not be reached (connection refused, DNS, timeout). Nothing was changed.
    #[error("cannot reach the server at {url}: {reason}; you are offline or the server is down ({DOCTOR} checks which)")]
    Offline { url: String, reason: String },

    /// The session token of the profile ended; sign in again.
    #[error("the session of profile '{profile}' has ended (it expired or was signed out on the server); sign in again")]
    SessionExpired { profile: String },

    /// The profile has no credential in the keychain.
    #[error("profile '{profile}' is not signed in; run `login` first")]
    NotSignedIn { profile: String },

    /// No usable OS keychain (no Secret Service, locked collection, denied, timed out).
    /// Secrets are never written anywhere else.
    #[error("the OS keychain is not available ({reason}); secrets are never stored elsewhere, so unlock or start the keychain and retry ({DOCTOR} says which)")]
    KeychainUnavailable { reason: String },

    /// The server answered something this client cannot read (malformed JSON, an HTML page,
    /// a 5xx without a usable body).
    #[error("the server answered HTTP {status} with a body this client cannot read: {detail}")]
    ServerError { status: u16, detail: String },

    /// Input refused locally, before any request.
    #[error("{0}")]
    InvalidInput(String),

    /// A request refused locally by the model's policy, before it was sent.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },

    #[error("no profile named '{0}'; see `profile list`")]
    UnknownProfile(String),

    #[error("no profile selected; add one with `profile add` or pass --profile")]
    NoProfile,

    #[error("a profile named '{0}' already exists")]
    ProfileExists(String),

    /// A service-user token failed the client's checks and was not stored.
    #[error("the service-user token failed verification and was not stored: {0}")]
    TokenVerification(String),

    /// No assumed identity is stored for that service user.
    #[error("service user '{user}' is not assumed in profile '{profile}'; run `assume {user} --role ROLE`")]
    NotAssumed { profile: String, user: String },

    /// The stored assumed token has expired.
    #[error("the assumed token of '{user}' expired at {expired_at}; assume it again")]
    AssumedTokenExpired { user: String, expired_at: String },

    /// The local cache failed (SQLite).
    #[error("the local cache failed: {0}")]
    Cache(String),

    /// The local cache has nothing for this read, and the server cannot be reached.
    #[error("{what} is not in the local cache and the server cannot be reached; sync while online first")]
    NotCached { what: String },

    /// A service user was created, but attaching its extra roles failed: it exists, with the
    /// roles it was created with.
    #[error("'{user}' was created, but attaching its roles failed: {source}")]
    CreatedWithoutRoles {
        user: UserId,
        source: Box<ClientError>,
    },

    /// The profile signs in with a personal access token, which is bound to one role.
    #[error("profile '{profile}' signs in with a personal access token, which is bound to its role{}; to use another role, sign in with a password (`login --password`) or with a token of that role", bound.as_ref().map(|r| format!(" ({r})")).unwrap_or_default())]
    RoleBoundToAccessToken {
        profile: String,
        /// The token's role, when known.
        bound: Option<String>,
    },

    /// The configuration file cannot be read or written.
    #[error("the configuration failed: {0}")]
    Config(String),

    #[error("{0}")]
    Io(String),
}

impl ClientError {
    /// The stable machine code: the server's `ErrorCode` (e.g. `NOT_FOUND`) for server and
    /// policy refusals, else the client's own `ClientCode` (`offline`, `session_expired`, ...).
    pub fn code(&self) -> Code {
        match self {
            ClientError::Api { code, .. } | ClientError::Refused { code, .. } => {
                Code::Server(*code)
            }
            ClientError::Offline { .. } => ClientCode::Offline.into(),
            ClientError::SessionExpired { .. } => ClientCode::SessionExpired.into(),
            ClientError::NotSignedIn { .. } => ClientCode::NotSignedIn.into(),
            ClientError::KeychainUnavailable { .. } => ClientCode::KeychainUnavailable.into(),
            ClientError::ServerError { .. } => ClientCode::ServerError.into(),
            ClientError::InvalidInput(_) => ClientCode::InvalidInput.into(),
            ClientError::UnknownProfile(_) => ClientCode::UnknownProfile.into(),
            ClientError::NoProfile => ClientCode::NoProfile.into(),
            ClientError::ProfileExists(_) => ClientCode::ProfileExists.into(),
            ClientError::TokenVerification(_) => ClientCode::TokenVerificationFailed.into(),
            ClientError::NotAssumed { .. } => ClientCode::NotAssumed.into(),
            ClientError::AssumedTokenExpired { .. } => ClientCode::AssumedTokenExpired.into(),
            ClientError::Cache(_) => ClientCode::CacheError.into(),
            ClientError::NotCached { .. } => ClientCode::NotCached.into(),
            ClientError::CreatedWithoutRoles { .. } => ClientCode::CreatedWithoutRoles.into(),
            ClientError::RoleBoundToAccessToken { .. } => ClientCode::RoleBoundToAccessToken.into(),
            ClientError::Config(_) => ClientCode::ConfigError.into(),
            ClientError::Io(_) => ClientCode::IoError.into(),
        }
    }

    /// The server's error code, when the server (or the local policy) gave one.
    pub fn api_code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { code, .. } | ClientError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn is_offline(&self) -> bool {
        matches!(self, ClientError::Offline { .. })
    }

    /// A policy refusal with the model's default message.
    pub fn refused(code: ErrorCode) -> Self {
        ClientError::Refused {
            code,
            message: code.default_message().to_owned(),
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        ClientError::InvalidInput(msg.into())
    }
}

impl Serialize for ClientError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ClientError", 2)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

impl From<sqlx::Error> for ClientError {
    fn from(e: sqlx::Error) -> Self {
        ClientError::Cache(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for ClientError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        ClientError::Cache(e.to_string())
    }
}

impl From<amorphic_su_model::IdError> for ClientError {
    fn from(e: amorphic_su_model::IdError) -> Self {
        ClientError::InvalidInput(e.to_string())
    }
}

impl From<amorphic_su_model::TextError> for ClientError {
    fn from(e: amorphic_su_model::TextError) -> Self {
        ClientError::InvalidInput(e.to_string())
    }
}

impl From<amorphic_su_model::ExpiryError> for ClientError {
    fn from(e: amorphic_su_model::ExpiryError) -> Self {
        ClientError::Refused {
            code: ErrorCode::InvalidExpiry,
            message: e.to_string(),
        }
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let e = ClientError::Api {
            status: 404,
            code: ErrorCode::NotFound,
            message: "No such user.".into(),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "NOT_FOUND", "message": "No such user."})
        );
        let e = ClientError::Offline {
            url: "http://x".into(),
            reason: "connection refused".into(),
        };
        assert_eq!(serde_json::to_value(&e).unwrap()["code"], "offline");
        assert_eq!(
            ClientError::SessionExpired {
                profile: "p".into()
            }
            .code(),
            "session_expired"
        );
    }

    #[test]
    fn created_without_roles_names_the_user_and_the_failure() {
        let e = ClientError::CreatedWithoutRoles {
            user: UserId::parse("etl-bot").unwrap(),
            source: Box::new(ClientError::refused(ErrorCode::NoAccessToRole)),
        };
        assert_eq!(e.code(), ClientCode::CreatedWithoutRoles);
        assert_eq!(
            e.to_string(),
            format!(
                "'etl-bot' was created, but attaching its roles failed: {}",
                ErrorCode::NoAccessToRole.default_message()
            )
        );
        assert_eq!(e.api_code(), None, "the code is the client's own");
    }

    #[test]
    fn unreachable_and_keychain_errors_point_to_doctor() {
        let offline = ClientError::Offline {
            url: "http://h".into(),
            reason: "connection refused".into(),
        };
        let keychain = ClientError::KeychainUnavailable {
            reason: "locked".into(),
        };
        for e in [offline, keychain] {
            assert!(e.to_string().contains("amorphic-su doctor"), "{e}");
        }
    }

    #[test]
    fn messages_are_one_line() {
        let errors = [
            ClientError::KeychainUnavailable {
                reason: "no dbus".into(),
            },
            ClientError::ServerError {
                status: 500,
                detail: "not JSON".into(),
            },
            ClientError::NotSignedIn {
                profile: "p".into(),
            },
            ClientError::NoProfile,
        ];
        for e in errors {
            assert!(!e.to_string().contains('\n'));
        }
    }
}
