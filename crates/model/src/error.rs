//! The one error vocabulary of the API: `{"Message": "...", "Code": "..."}`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every machine-readable error code of the contract, plus `INTERNAL` for the server's own
/// failures (I/O, bugs), which the contract does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
    pub const ALL: [ErrorCode; 28] = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidExpiry,
        ErrorCode::CannotShareWithServiceUser,
        ErrorCode::AccessTypeNotAllowed,
        ErrorCode::TransferUserRequired,
        ErrorCode::InvalidTransferUser,
        ErrorCode::NotAServiceUser,
        ErrorCode::NoSessionsForServiceUsers,
        ErrorCode::Unauthenticated,
        ErrorCode::TokenExpired,
        ErrorCode::TokenInvalid,
        ErrorCode::PrincipalDisabled,
        ErrorCode::Forbidden,
        ErrorCode::SuperAdminRequired,
        ErrorCode::NoAccessToServiceUser,
        ErrorCode::NoAccessToRole,
        ErrorCode::RoleNotAttached,
        ErrorCode::ServiceUserNotAllowed,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::MustDisableFirst,
        ErrorCode::ServiceUserDisabled,
        ErrorCode::AlreadyExists,
        ErrorCode::LastOwner,
        ErrorCode::DefaultRoleRequired,
        ErrorCode::PayloadTooLarge,
        ErrorCode::TooManyAttempts,
        ErrorCode::Internal,
    ];

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
            | NoSessionsForServiceUsers => 400,
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
        use ErrorCode::*;
        match self {
            InvalidRequest => "INVALID_REQUEST",
            InvalidExpiry => "INVALID_EXPIRY",
            CannotShareWithServiceUser => "CANNOT_SHARE_WITH_SERVICE_USER",
            AccessTypeNotAllowed => "ACCESS_TYPE_NOT_ALLOWED",
            TransferUserRequired => "TRANSFER_USER_REQUIRED",
            InvalidTransferUser => "INVALID_TRANSFER_USER",
            NotAServiceUser => "NOT_A_SERVICE_USER",
            NoSessionsForServiceUsers => "NO_SESSIONS_FOR_SERVICE_USERS",
            Unauthenticated => "UNAUTHENTICATED",
            TokenExpired => "TOKEN_EXPIRED",
            TokenInvalid => "TOKEN_INVALID",
            PrincipalDisabled => "PRINCIPAL_DISABLED",
            Forbidden => "FORBIDDEN",
            SuperAdminRequired => "SUPER_ADMIN_REQUIRED",
            NoAccessToServiceUser => "NO_ACCESS_TO_SERVICE_USER",
            NoAccessToRole => "NO_ACCESS_TO_ROLE",
            RoleNotAttached => "ROLE_NOT_ATTACHED",
            ServiceUserNotAllowed => "SERVICE_USER_NOT_ALLOWED",
            NotFound => "NOT_FOUND",
            MethodNotAllowed => "METHOD_NOT_ALLOWED",
            MustDisableFirst => "MUST_DISABLE_FIRST",
            ServiceUserDisabled => "SERVICE_USER_DISABLED",
            AlreadyExists => "ALREADY_EXISTS",
            LastOwner => "LAST_OWNER",
            DefaultRoleRequired => "DEFAULT_ROLE_REQUIRED",
            PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            TooManyAttempts => "TOO_MANY_ATTEMPTS",
            Internal => "INTERNAL",
        }
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

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown code string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown error code {0:?}")]
pub struct UnknownErrorCode(pub String);

impl FromStr for ErrorCode {
    type Err = UnknownErrorCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownErrorCode(s.to_owned()))
    }
}

impl std::error::Error for ErrorCode {}

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
    fn codes_serialize_as_the_contract_spells_them() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(code.as_str().parse::<ErrorCode>().unwrap(), code);
            assert!(code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_'));
        }
    }

    #[test]
    fn statuses_follow_the_table() {
        assert_eq!(ErrorCode::NoSessionsForServiceUsers.status(), 400);
        assert_eq!(ErrorCode::PrincipalDisabled.status(), 401);
        assert_eq!(ErrorCode::RoleNotAttached.status(), 403);
        assert_eq!(ErrorCode::DefaultRoleRequired.status(), 409);
        assert_eq!(ErrorCode::PayloadTooLarge.status(), 413);
        assert_eq!(ErrorCode::TooManyAttempts.status(), 429);
    }

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
