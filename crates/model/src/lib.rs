//! Shared types of the service-user API: ids, wire DTOs, error codes and the permission
//! policy. No I/O lives here; the server enforces the policy and a client may consult it.

pub mod code;
pub mod dto;
pub mod error;
pub mod expiry;
pub mod ids;
pub mod policy;
pub mod secret;
pub mod time;

pub use code::{ClientCode, Code, ErrorCode};
pub use dto::*;
pub use error::ApiError;
pub use expiry::{ExpiryError, ExpiryMinutes};
pub use ids::{
    DatasourceId, DatasourceName, DatasourceType, Description, DisplayName, IdError, RoleId,
    SessionId, TagId, TextError, TokenId, TokenName, UserId,
};
pub use secret::Secret;
pub use time::Timestamp;

pub const PRODUCT_NAME: &str = "Amorphic Service Users Desktop";

/// The `aud` claim of every service-user token.
pub const TOKEN_AUDIENCE: &str = "amorphic";
/// The header that carries a service-user token.
pub const SERVICE_USER_HEADER: &str = "X-Amorphic-Service-User";
/// The header that picks the active role.
pub const ROLE_HEADER: &str = "role_id";
/// The prefix of every minted personal access token.
pub const PAT_PREFIX: &str = "amo_pat_";
