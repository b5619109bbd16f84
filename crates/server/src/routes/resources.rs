//! Roles, tags, datasources and the vertical applications.

use amorphic_su_model::{
    policy, ApiError, CreateDatasourceRequest, Datasource, DatasourceId, DatasourceList, ErrorCode,
    RoleList, TagList,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use utoipa::IntoResponses;

use crate::auth::principal::Principal;
use crate::auth::secrets;
use crate::error::{ApiResult, Failure};
use crate::extract::{Body, Path};
use crate::queries::{datasources, roles, tags};
use crate::routes::answer::present;
use crate::routes::doc::{
    AuthHeaders, InvalidRequest, NotAuthenticated, PayloadTooLarge, RoleNotAttached,
};
use crate::state::AppState;

/// The datasource does not exist.
#[derive(IntoResponses)]
#[response(status = 404, description = "NOT_FOUND")]
#[allow(dead_code)]
struct NoSuchDatasource(ApiError);

/// Reading datasources needs `datasources.read` in the active role.
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "ROLE_NOT_ATTACHED; FORBIDDEN: no datasources.read in the active role"
)]
#[allow(dead_code)]
struct NoDatasourcesRead(ApiError);

/// Who may not reach a vertical application.
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "ROLE_NOT_ATTACHED; SERVICE_USER_NOT_ALLOWED; FORBIDDEN: no vertical_apps.access"
)]
#[allow(dead_code)]
struct VerticalAppRefused(ApiError);

/// Who may reach a vertical application finds nothing there.
#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "NOT_FOUND: allowed, but the reference server has no application content"
)]
#[allow(dead_code)]
struct NoVerticalAppContent(ApiError);

/// Every role.
#[utoipa::path(get, path = "/roles", tag = "roles and tags",
    params(AuthHeaders),
    responses(
        (status = 200, description = "Roles sorted by RoleId", body = RoleList),
        NotAuthenticated,
        RoleNotAttached,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_roles(
    State(state): State<AppState>,
    _p: Principal,
) -> ApiResult<Json<RoleList>> {
    let mut conn = state.db().read().await?;
    Ok(Json(RoleList {
        roles: roles::roles(&mut conn).await?,
    }))
}

/// Every tag.
#[utoipa::path(get, path = "/tags", tag = "roles and tags",
    params(AuthHeaders),
    responses(
        (status = 200, description = "Tags sorted by TagId", body = TagList),
        NotAuthenticated,
        RoleNotAttached,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_tags(
    State(state): State<AppState>,
    _p: Principal,
) -> ApiResult<Json<TagList>> {
    let mut conn = state.db().read().await?;
    Ok(Json(TagList {
        tags: tags::tags(&mut conn).await?,
    }))
}

/// Every datasource (needs `datasources.read` in the active role).
#[utoipa::path(get, path = "/datasources", tag = "datasources",
    params(AuthHeaders),
    responses(
        (status = 200, description = "Datasources sorted by DatasourceId", body = DatasourceList),
        NotAuthenticated,
        NoDatasourcesRead,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn list_datasources(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<Json<DatasourceList>> {
    let _granted = policy::can_read_datasources(&p.actor)?;
    let mut conn = state.db().read().await?;
    Ok(Json(DatasourceList {
        datasources: datasources::datasources(&mut conn).await?,
    }))
}

/// Creates a datasource owned by the principal (needs `datasources.create`).
#[utoipa::path(post, path = "/datasources", tag = "datasources",
    params(AuthHeaders),
    request_body = CreateDatasourceRequest,
    responses(
        (status = 201, description = "The new datasource", body = Datasource),
        InvalidRequest,
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED; FORBIDDEN: no datasources.create in the active role", body = ApiError),
        PayloadTooLarge,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn create_datasource(
    State(state): State<AppState>,
    p: Principal,
    Body(req): Body<CreateDatasourceRequest>,
) -> ApiResult<(StatusCode, Json<Datasource>)> {
    let id = DatasourceId::parse(secrets::random_id("ds")).map_err(Failure::internal)?;
    let permit = policy::can_create_datasource(&p.actor, &id)?;
    let now = Utc::now();
    let mut tx = state.db().write().await?;
    p.still_current(&mut tx).await?;
    datasources::create_datasource(
        &mut tx,
        permit,
        req.datasource_name.as_str(),
        req.datasource_type.as_str(),
        now,
    )
    .await?;
    let ds = present(datasources::datasource(&mut tx, id.as_str()).await?)?;
    tx.commit().await?;
    tracing::info!(datasource_id = %id, owner = %p.actor.user_id, "datasource created");
    Ok((StatusCode::CREATED, Json(ds)))
}

/// One datasource (needs `datasources.read`).
#[utoipa::path(get, path = "/datasources/{id}", tag = "datasources",
    params(("id" = DatasourceId, Path, description = "DatasourceId"), AuthHeaders),
    responses(
        (status = 200, description = "The datasource", body = Datasource),
        NotAuthenticated,
        NoDatasourcesRead,
        NoSuchDatasource,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn get_datasource(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Datasource>> {
    let mut conn = state.db().read().await?;
    let ds = datasources::datasource(&mut conn, &id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let _granted = policy::can_read_datasources(&p.actor)?;
    Ok(Json(ds))
}

/// Deletes a datasource (its owner only).
#[utoipa::path(delete, path = "/datasources/{id}", tag = "datasources",
    params(("id" = DatasourceId, Path, description = "DatasourceId"), AuthHeaders),
    responses(
        (status = 204, description = "Deleted"),
        NotAuthenticated,
        (status = 403, description = "ROLE_NOT_ATTACHED; FORBIDDEN: not the owner", body = ApiError),
        NoSuchDatasource,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn delete_datasource(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut tx = state.db().write().await?;
    p.still_current(&mut tx).await?;
    let ds = datasources::datasource(&mut tx, &id).await?;
    let permit = policy::can_delete_datasource(&p.actor, ds.as_ref())?;
    datasources::delete_datasource(&mut tx, permit).await?;
    tx.commit().await?;
    tracing::info!(datasource_id = id, by = %p.actor.user_id, "datasource deleted");
    Ok(StatusCode::NO_CONTENT)
}

fn vertical_app(p: &Principal, name: &str) -> Failure {
    match policy::can_use_vertical_app(&p.actor) {
        Err(code) => Failure::from(code),
        // The reference server models who may reach the application, not the application.
        Ok(_) => Failure::new(
            ErrorCode::NotFound,
            format!("The reference server has no {name} application content."),
        ),
    }
}

/// The MDM vertical application: never for service users.
#[utoipa::path(get, path = "/mdm/{path}", tag = "vertical applications",
    params(("path" = String, Path, description = "Any path inside the application"), AuthHeaders),
    responses(
        NotAuthenticated,
        VerticalAppRefused,
        NoVerticalAppContent,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn mdm(p: Principal, Path(_path): Path<String>) -> Failure {
    vertical_app(&p, "MDM")
}

/// The BI vertical application: never for service users.
#[utoipa::path(get, path = "/bi/{path}", tag = "vertical applications",
    params(("path" = String, Path, description = "Any path inside the application"), AuthHeaders),
    responses(
        NotAuthenticated,
        VerticalAppRefused,
        NoVerticalAppContent,
    ),
    security(("Authorization" = [])))]
pub(crate) async fn bi(p: Principal, Path(_path): Path<String>) -> Failure {
    vertical_app(&p, "BI")
}
