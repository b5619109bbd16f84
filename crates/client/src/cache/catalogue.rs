//! The catalogues the server lists whole (roles, tags), each replaced at once by the latest
//! list, through one helper for both tables.

use amorphic_su_model::{Role, Tag, Timestamp};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::Row;

use super::{from_json, to_json, Cache};
use crate::error::Result;

/// An entry of a catalogue table: its table, id column and id.
trait CatalogueEntry: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    const ID_COLUMN: &'static str;
    fn id(&self) -> &str;
}

impl CatalogueEntry for Role {
    const TABLE: &'static str = "roles";
    const ID_COLUMN: &'static str = "role_id";
    fn id(&self) -> &str {
        self.role_id.as_str()
    }
}

impl CatalogueEntry for Tag {
    const TABLE: &'static str = "tags";
    const ID_COLUMN: &'static str = "tag_id";
    fn id(&self) -> &str {
        self.tag_id.as_str()
    }
}

impl Cache {
    /// Replaces a catalogue with the list the server just returned, in one transaction.
    async fn replace_catalogue<T: CatalogueEntry>(&self, entries: &[T]) -> Result<()> {
        let at = Timestamp::now().to_rfc3339();
        let insert = format!(
            "INSERT OR REPLACE INTO {} ({}, body, fetched_at) VALUES (?, ?, ?)",
            T::TABLE,
            T::ID_COLUMN
        );
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("DELETE FROM {}", T::TABLE))
            .execute(&mut *tx)
            .await?;
        for e in entries {
            sqlx::query(&insert)
                .bind(e.id())
                .bind(to_json(e)?)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A cached catalogue, by id.
    async fn catalogue<T: CatalogueEntry>(&self) -> Result<Vec<T>> {
        let rows = sqlx::query(&format!(
            "SELECT body FROM {} ORDER BY {}",
            T::TABLE,
            T::ID_COLUMN
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| from_json(r.get::<&str, _>(0)))
            .collect()
    }

    pub async fn replace_roles(&self, roles: &[Role]) -> Result<()> {
        self.replace_catalogue(roles).await
    }

    pub async fn roles(&self) -> Result<Vec<Role>> {
        self.catalogue().await
    }

    pub async fn replace_tags(&self, tags: &[Tag]) -> Result<()> {
        self.replace_catalogue(tags).await
    }

    pub async fn tags(&self) -> Result<Vec<Tag>> {
        self.catalogue().await
    }
}
