//! The HTTP surface: every endpoint of the contract, registered together with its OpenAPI
//! description so that `/openapi.json` describes exactly what is routed.

use std::sync::Arc;

use amorphic_su_model::{ApiError, ErrorCode};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::HOST;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Failure;
use crate::extract::MAX_BODY_BYTES;
use crate::routes::doc::SecurityAddon;
use crate::state::AppState;

mod access_tokens;
mod answer;
mod assume;
mod doc;
mod fleet;
mod meta;
mod resources;
mod service_users;
mod sessions;
mod shares;
mod users;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Amorphic service-user API (reference server)",
        description = "Service users of the Amorphic data platform: list, create, share, assume, \
                       enable/disable and delete them. Errors are `{\"Message\",\"Code\"}`. \
                       When several rules fail, the contract's order of checks decides the answer.",
    ),
    modifiers(&SecurityAddon),
    paths(resources::mdm, resources::bi),
    // The error body is named by the shared error answers, which do not register it.
    components(schemas(ErrorCode, ApiError))
)]
struct ApiDoc;

/// The router and the OpenAPI document of every route in it.
fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(meta::healthz))
        .routes(routes!(meta::jwks))
        .routes(routes!(meta::openapi_json))
        .routes(routes!(sessions::create_session))
        .routes(routes!(sessions::end_current_session))
        .routes(routes!(users::list_users, users::create_service_user))
        .routes(routes!(users::get_user, users::delete_service_user))
        .routes(routes!(users::whoami))
        .routes(routes!(service_users::attach_roles))
        .routes(routes!(service_users::detach_role))
        .routes(routes!(assume::issue_token))
        .routes(routes!(shares::get_shares, shares::add_shares))
        .routes(routes!(shares::remove_user_share))
        .routes(routes!(shares::remove_tag_share))
        .routes(routes!(service_users::set_status))
        .routes(routes!(service_users::owned_resources))
        .routes(routes!(service_users::list_tokens))
        .routes(routes!(service_users::revoke_token))
        .routes(routes!(sessions::list_sessions))
        .routes(routes!(sessions::global_signout))
        .routes(routes!(resources::list_roles))
        .routes(routes!(resources::list_tags))
        .routes(routes!(
            access_tokens::list_access_tokens,
            access_tokens::create_access_token
        ))
        .routes(routes!(access_tokens::delete_access_token))
        .routes(routes!(fleet::fleet_access_tokens))
        .routes(routes!(
            resources::list_datasources,
            resources::create_datasource
        ))
        .routes(routes!(
            resources::get_datasource,
            resources::delete_datasource
        ))
        .split_for_parts()
}

/// The vertical applications take any path below them, which OpenAPI cannot express as a
/// route; they are routed here and described (as `{path}`) through [`ApiDoc`].
fn vertical_routes() -> Router<AppState> {
    Router::new()
        .route("/mdm/{*path}", get(resources::mdm))
        .route("/bi/{*path}", get(resources::bi))
}

/// The OpenAPI 3 document of the server, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// The whole application: routes, error mapping, limits, the `Host` check.
pub fn app(state: AppState) -> Router {
    let (router, doc) = routes();
    let router = router.merge(vertical_routes());
    let doc = Arc::new(doc.to_json().unwrap_or_else(|_| "{}".to_owned()));
    let router = router
        // After every route: a known path with another method is 405 with `Allow`.
        .method_not_allowed_fallback(|| async { Failure::from(ErrorCode::MethodNotAllowed) })
        .fallback(|| async { Failure::new(ErrorCode::NotFound, "No such path.") })
        .layer(axum::Extension(meta::OpenApiJson(doc)))
        // Only when the request asks (`Accept-Encoding`), and only answers over 1 KiB (pages,
        // not errors or single users, which gain nothing); the fastest level, as a page of
        // users compresses about tenfold even so and the server's CPU is the sync's bound.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(1024))),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), host_check))
        .layer(CatchPanicLayer::custom(|_| {
            Failure::from(ErrorCode::Internal).into_response()
        }))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // Method and path only: never headers (credentials) or the query.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }));
    // Outermost, so every answer (404s too) carries it; only a server started with a `Date`
    // offset (a test aid) pays for the extra layer.
    let router = if state.config().date_offset_seconds != 0 {
        router.layer(middleware::from_fn_with_state(
            state.clone(),
            crate::date_skew::skew_date,
        ))
    } else {
        router
    };
    router.with_state(state)
}

/// On a loopback listen address, only loopback `Host`s (and `--allowed-host` names) are
/// answered: a web page that rebinds its DNS name to 127.0.0.1 gets 403.
async fn host_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok());
    // HTTP/2 and absolute-form requests carry the host in the URI instead.
    let host = host.or_else(|| req.uri().authority().map(|a| a.as_str()));
    if state.config().host_check.allows(host) {
        next.run(req).await
    } else {
        Failure::new(
            ErrorCode::Forbidden,
            "This server answers only requests addressed to a loopback host (localhost, 127.0.0.1, [::1]); start it with --allowed-host NAME to add one.",
        )
        .into_response()
    }
}
