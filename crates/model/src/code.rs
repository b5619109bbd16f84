//! The one code vocabulary: what the server says ([`ErrorCode`], the contract's `Code`), what
//! the client says of its own ([`ClientCode`]: offline, session expired, ...), and [`Code`], either
//! of them, which is what crosses IPC and what programs branch on.

use std::fmt;

use serde::{Deserialize, Serialize};
use strum::VariantArray;
use utoipa::ToSchema;

/// Every machine-readable error code of the contract, plus `INTERNAL` for the server's own
/// failures (I/O, bugs), which the contract does not name.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    // 400
    InvalidRequest,
    InvalidExpiry,
    CannotShareWithServiceUser,
    AccessTypeNotAllowed,
    TransferUserRequired,
    InvalidTransferUser,
    NotAServiceUser,
    NoSessionsForServiceUsers,
    /// The reference server's own sign-out of the calling session, called with a PAT.
    NotASession,
    // 401
    Unauthenticated,
    TokenExpired,
    TokenInvalid,
    PrincipalDisabled,
    // 403
    Forbidden,
    SuperAdminRequired,
    NoAccessToServiceUser,
    NoAccessToRole,
    RoleNotAttached,
    ServiceUserNotAllowed,
    // 404
    NotFound,
    // 405
    MethodNotAllowed,
    // 409
    MustDisableFirst,
    ServiceUserDisabled,
    AlreadyExists,
    LastOwner,
    DefaultRoleRequired,
    // 413
    PayloadTooLarge,
    // 429
    TooManyAttempts,
    // 500 (not in the contract)
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [ErrorCode] = <ErrorCode as VariantArray>::VARIANTS;

    /// The HTTP status that carries this code.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            InvalidRequest
            | InvalidExpiry
            | CannotShareWithServiceUser
            | AccessTypeNotAllowed
            | TransferUserRequired
            | InvalidTransferUser
            | NotAServiceUser
            | NoSessionsForServiceUsers
            | NotASession => 400,
            Unauthenticated | TokenExpired | TokenInvalid | PrincipalDisabled => 401,
            Forbidden
            | SuperAdminRequired
            | NoAccessToServiceUser
            | NoAccessToRole
            | RoleNotAttached
            | ServiceUserNotAllowed => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            MustDisableFirst | ServiceUserDisabled | AlreadyExists | LastOwner
            | DefaultRoleRequired => 409,
            PayloadTooLarge => 413,
            TooManyAttempts => 429,
            Internal => 500,
        }
    }

    /// The wire string, e.g. `NO_ACCESS_TO_SERVICE_USER`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A sentence a person can act on; handlers may give a more specific one.
    pub fn default_message(self) -> &'static str {
        use ErrorCode::*;
        match self {
            InvalidRequest => "The request is malformed; check the JSON body and parameters against the API description.",
            InvalidExpiry => "The expiry is out of range: ExpiryInMinutes must be an integer from 1 to 180, and an access token's ExpiresAt must be in the future and at most 365 days ahead.",
            CannotShareWithServiceUser => "A service user cannot be shared with another service user; share it with regular users or tags.",
            AccessTypeNotAllowed => "Only the 'owner' access type is allowed when sharing a service user.",
            TransferUserRequired => "Choose a transfer user (transfer_user_id) to receive the service user's resources.",
            InvalidTransferUser => "The transfer user must be an existing, enabled regular user.",
            NotAServiceUser => "This operation applies to service users only.",
            NoSessionsForServiceUsers => "Service users have no sessions and no global sign-out.",
            NotASession => "Only a session token can end its own session; an access token stays valid until it is revoked or expires.",
            Unauthenticated => "Sign in: the credentials are missing or not valid.",
            TokenExpired => "The token has expired; sign in or assume the service user again.",
            TokenInvalid => "The token is not valid; sign in or assume the service user again.",
            PrincipalDisabled => "The user is disabled; ask an owner to enable it.",
            Forbidden => "Your active role does not allow this.",
            SuperAdminRequired => "Switch to a super-admin role to do this.",
            NoAccessToServiceUser => "You do not have access to this service user; ask one of its owners to share it with you.",
            NoAccessToRole => "You can only attach or detach roles that are attached to you.",
            RoleNotAttached => "That role is not attached to the user; pick one of its attached roles.",
            ServiceUserNotAllowed => "Service users cannot do this; switch back to your own identity.",
            NotFound => "Not found.",
            MethodNotAllowed => "This method is not supported on this path; see the Allow header.",
            MustDisableFirst => "Disable the service user before deleting it.",
            ServiceUserDisabled => "The service user is disabled; enable it first.",
            AlreadyExists => "A user with this id (ignoring case) already exists; pick another id.",
            LastOwner => "This is the last share of the service user; add another owner first.",
            DefaultRoleRequired => "The default role cannot be detached.",
            PayloadTooLarge => "The request body is over 64 KiB.",
            TooManyAttempts => "Too many failed sign-ins; wait 15 minutes and try again.",
            Internal => "The server failed; try again, and report it if it persists.",
        }
    }

    /// Classification for bodies without a `Code` (the real platform and its gateway send
    /// only a `Message`): the most general code of the status.
    pub fn from_status(status: u16) -> Option<ErrorCode> {
        Some(match status {
            400 => ErrorCode::InvalidRequest,
            401 => ErrorCode::Unauthenticated,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            413 => ErrorCode::PayloadTooLarge,
            429 => ErrorCode::TooManyAttempts,
            500..=599 => ErrorCode::Internal,
            _ => return None,
        })
    }
}

impl std::error::Error for ErrorCode {}

/// The codes of failures the client meets on its own side, before or instead of a server
/// answer. Lowercase, so they never collide with the contract's codes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ClientCode {
    /// The server cannot be reached; nothing was changed.
    Offline,
    /// The environment's session ended; sign in again.
    SessionExpired,
    /// The environment has no credential in the keychain.
    NotSignedIn,
    /// No usable OS keychain (none, locked, denied).
    KeychainUnavailable,
    /// The server answered something the client cannot read (malformed JSON, a bare 5xx).
    ServerError,
    /// Input refused locally, before any request.
    InvalidInput,
    UnknownProfile,
    NoProfile,
    ProfileExists,
    /// A service-user token failed the client's checks and was not stored.
    TokenVerificationFailed,
    /// No assumed identity is stored for that service user.
    NotAssumed,
    /// The stored assumed token has expired.
    AssumedTokenExpired,
    /// The local cache (SQLite) failed.
    CacheError,
    /// The cache has nothing for this read and the server cannot be reached.
    NotCached,
    ConfigError,
    IoError,
    /// A service user was created but attaching its extra roles failed: it exists, with the
    /// default role only.
    CreatedWithoutRoles,
    /// The environment signs in with a personal access token, which is bound to one role: using
    /// another role needs a password sign-in or a token of that role.
    RoleBoundToAccessToken,
    /// The desktop's clipboard cannot be written.
    ClipboardUnavailable,
    /// The app failed in a way no other code names (the webview's own failures included).
    Internal,
}

impl ClientCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [ClientCode] = <ClientCode as VariantArray>::VARIANTS;

    /// The wire string, e.g. `session_expired`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Any code a caller of the client can meet: the server's or the client's own. Serialised as the
/// bare string (`"NOT_FOUND"`, `"offline"`), so the TypeScript type is the union of both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Code {
    Server(ErrorCode),
    Client(ClientCode),
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Server(c) => c.as_str(),
            Code::Client(c) => c.as_str(),
        }
    }

    /// The server's code, when the server (or the local copy of its policy) gave one.
    pub fn server(self) -> Option<ErrorCode> {
        match self {
            Code::Server(c) => Some(c),
            Code::Client(_) => None,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ErrorCode> for Code {
    fn from(c: ErrorCode) -> Self {
        Code::Server(c)
    }
}

impl From<ClientCode> for Code {
    fn from(c: ClientCode) -> Self {
        Code::Client(c)
    }
}

impl PartialEq<ErrorCode> for Code {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == Code::Server(*other)
    }
}

impl PartialEq<ClientCode> for Code {
    fn eq(&self, other: &ClientCode) -> bool {
        *self == Code::Client(*other)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests;
