//! `tags`: the catalogue.

use amorphic_su_model::{Tag, TagId};
use sqlx::SqliteConnection;

use crate::rows::parse;

pub async fn tags(conn: &mut SqliteConnection) -> Result<Vec<Tag>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT tag_id, tag_key, tag_value, description FROM tags ORDER BY tag_id")
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, key, value, description)| {
            Ok(Tag {
                tag_id: parse(id, TagId::parse)?,
                tag_key: key,
                tag_value: value,
                description,
            })
        })
        .collect()
}

pub async fn tag_exists(conn: &mut SqliteConnection, tag_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags WHERE tag_id = ?1")
        .bind(tag_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}
