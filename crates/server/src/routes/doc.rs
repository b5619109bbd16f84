//! The parts of the OpenAPI description that many endpoints share: the `Authorization`
//! scheme, the optional headers of an authenticated request, and the error answers that
//! several endpoints give in the same words. The types here describe; nothing constructs them.
#![allow(dead_code)]

use amorphic_su_model::ApiError;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{IntoParams, IntoResponses, Modify};

/// The `Authorization` security scheme every authenticated endpoint names.
pub(crate) struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "Authorization",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "A personal access token or a session token, raw or after `Bearer `.",
            ))),
        );
    }
}

/// The optional headers of every authenticated request (the
/// [`crate::auth::principal::Principal`] extractor reads them).
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub(crate) struct AuthHeaders {
    /// The active role: any role attached to the principal (a PAT allows only its own role).
    /// Empty is the same as absent.
    #[param(
        rename = "role_id",
        nullable = false,
        pattern = "^([A-Za-z0-9._-]{1,128})?$"
    )]
    role_id: Option<String>,
    /// A service-user token from `POST /users/{id}/auth-token`: act as that service user.
    #[param(
        rename = "X-Amorphic-Service-User",
        nullable = false,
        max_length = 4096
    )]
    service_user: Option<String>,
}

/// Steps 1 and 2 of the order of checks failed on the credential or the service-user token.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID or PRINCIPAL_DISABLED"
)]
pub(crate) struct NotAuthenticated(ApiError);

/// The active role (the `role_id` header, or the credential's) is not attached.
#[derive(IntoResponses)]
#[response(status = 403, description = "ROLE_NOT_ATTACHED")]
pub(crate) struct RoleNotAttached(ApiError);

/// The caller is not an owner of the service user (directly or through a tag).
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "ROLE_NOT_ATTACHED; NO_ACCESS_TO_SERVICE_USER"
)]
pub(crate) struct NoAccessToServiceUser(ApiError);

/// The request body is over [`crate::MAX_BODY_BYTES`].
#[derive(IntoResponses)]
#[response(status = 413, description = "PAYLOAD_TOO_LARGE")]
pub(crate) struct PayloadTooLarge(ApiError);

/// A malformed body or query.
#[derive(IntoResponses)]
#[response(status = 400, description = "INVALID_REQUEST")]
pub(crate) struct InvalidRequest(ApiError);

/// The user named in the path is a regular user.
#[derive(IntoResponses)]
#[response(status = 400, description = "NOT_A_SERVICE_USER")]
pub(crate) struct NotAServiceUser(ApiError);

/// A malformed body, or the user named in the path is a regular user.
#[derive(IntoResponses)]
#[response(status = 400, description = "INVALID_REQUEST; NOT_A_SERVICE_USER")]
pub(crate) struct InvalidRequestOrNotAServiceUser(ApiError);

/// The user named in the path does not exist.
#[derive(IntoResponses)]
#[response(status = 404, description = "NOT_FOUND: no such user")]
pub(crate) struct NoSuchUser(ApiError);

/// The user named in the path or the role named in the body does not exist.
#[derive(IntoResponses)]
#[response(status = 404, description = "NOT_FOUND: no such user or role")]
pub(crate) struct NoSuchUserOrRole(ApiError);
