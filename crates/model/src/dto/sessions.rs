//! Password sessions of regular users and the global sign-out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Secret, SessionId, Timestamp};

/// `POST /auth/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Free text here: an id that cannot exist is just another failed sign-in.
    #[schema(max_length = 256)]
    pub user_id: String,
    #[schema(value_type = String, max_length = 1024)]
    pub password: Secret,
}

/// `201` of `POST /auth/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionCreated {
    pub session_token: Secret,
    pub expires_at: Timestamp,
    pub session_id: SessionId,
}

/// One signed-in session (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionInfo {
    pub session_id: SessionId,
    pub creation_time: Timestamp,
    pub expires_at: Timestamp,
}

/// `GET /users/{id}/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SessionList {
    pub sessions: Vec<SessionInfo>,
}

/// `POST /users/{id}/global-signout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct GlobalSignOut {
    pub ended_sessions: u64,
}
