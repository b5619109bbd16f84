//! `datasources`: the resources users own (what a service user's delete transfers).

use amorphic_su_model::policy::{action, Owned, Permit};
use amorphic_su_model::{Datasource, OwnedResource, ResourceType};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::db::to_us;
use crate::queries::users::uid_of;
use crate::rows::DatasourceRow;
use crate::seed::Seeding;

const DATASOURCE_SELECT: &str = "SELECT d.datasource_id, d.datasource_name, d.datasource_type, u.user_id AS owner, d.creation_us \
     FROM datasources d JOIN users u ON u.uid = d.owner_uid";

pub async fn datasources(conn: &mut SqliteConnection) -> Result<Vec<Datasource>, sqlx::Error> {
    let rows: Vec<DatasourceRow> =
        sqlx::query_as(&format!("{DATASOURCE_SELECT} ORDER BY d.datasource_id"))
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(DatasourceRow::into_datasource)
        .collect()
}

pub async fn datasource(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<Datasource>, sqlx::Error> {
    let row: Option<DatasourceRow> =
        sqlx::query_as(&format!("{DATASOURCE_SELECT} WHERE d.datasource_id = ?1"))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(DatasourceRow::into_datasource).transpose()
}

/// What `uid` owns, sorted by resource id.
pub async fn owned_resources(
    conn: &mut SqliteConnection,
    uid: i64,
) -> Result<Vec<OwnedResource>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT datasource_id, datasource_name FROM datasources WHERE owner_uid = ?1 ORDER BY datasource_id",
    )
    .bind(uid)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| OwnedResource {
            resource_type: ResourceType::Datasource,
            resource_id: id,
            name,
        })
        .collect())
}

/// Not public: [`create_datasource`] (a permit) and [`seed_datasource`] (the seed) are the
/// two ways in.
async fn insert_datasource(
    conn: &mut SqliteConnection,
    id: &str,
    name: &str,
    kind: &str,
    owner_uid: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO datasources (datasource_id, datasource_name, datasource_type, owner_uid, creation_us) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(id)
    .bind(name)
    .bind(kind)
    .bind(owner_uid)
    .bind(to_us(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates the datasource the permit names, owned by the user it names.
pub async fn create_datasource(
    conn: &mut SqliteConnection,
    permit: Permit<action::CreateDatasource>,
    name: &str,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Owned { id, owner } = permit.target();
    let owner_uid = uid_of(conn, owner).await?;
    insert_datasource(conn, id.as_str(), name, kind, owner_uid, now).await
}

/// A datasource of the seed file, owned by the seed user `owner_uid`.
pub async fn seed_datasource(
    conn: &mut SqliteConnection,
    _seeding: &Seeding,
    id: &str,
    name: &str,
    kind: &str,
    owner_uid: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    insert_datasource(conn, id, name, kind, owner_uid, now).await
}

/// Deletes the datasource the permit names, only while the user it names owns it.
pub async fn delete_datasource(
    conn: &mut SqliteConnection,
    permit: Permit<action::DeleteDatasource>,
) -> Result<(), sqlx::Error> {
    let Owned { id, owner } = permit.target();
    sqlx::query(
        "DELETE FROM datasources WHERE datasource_id = ?1 \
         AND owner_uid = (SELECT uid FROM users WHERE user_id = ?2)",
    )
    .bind(id.as_str())
    .bind(owner.as_str())
    .execute(conn)
    .await?;
    Ok(())
}
