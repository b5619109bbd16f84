//! Metadata of assumed identities (`assumed_tokens` rows); the tokens themselves are only in
//! the OS keychain.

use amorphic_su_model::{RoleId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{parse_ts, Cache};
use crate::error::Result;

/// Metadata of an assumed identity (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssumedTokenMeta {
    pub service_user_id: UserId,
    pub role_id: RoleId,
    pub minutes: u16,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub jti: String,
    pub assumed_by: UserId,
}

impl Cache {
    pub async fn put_assumed(&self, m: &AssumedTokenMeta) -> Result<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO assumed_tokens (service_user_id, role_id, minutes, issued_at, expires_at, jti, assumed_by)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.service_user_id.as_str())
        .bind(m.role_id.as_str())
        .bind(i64::from(m.minutes))
        .bind(m.issued_at.to_rfc3339())
        .bind(m.expires_at.to_rfc3339())
        .bind(&m.jti)
        .bind(m.assumed_by.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn assumed(&self) -> Result<Vec<AssumedTokenMeta>> {
        let rows = sqlx::query(
            "SELECT service_user_id, role_id, minutes, issued_at, expires_at, jti, assumed_by FROM assumed_tokens ORDER BY service_user_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AssumedTokenMeta {
                    service_user_id: UserId::parse(r.get::<String, _>(0))?,
                    role_id: RoleId::parse(r.get::<String, _>(1))?,
                    minutes: r.get::<i64, _>(2).clamp(0, i64::from(u16::MAX)) as u16,
                    issued_at: parse_ts(r.get::<&str, _>(3))?,
                    expires_at: parse_ts(r.get::<&str, _>(4))?,
                    jti: r.get(5),
                    assumed_by: UserId::parse(r.get::<String, _>(6))?,
                })
            })
            .collect()
    }

    pub async fn assumed_one(&self, id: &UserId) -> Result<Option<AssumedTokenMeta>> {
        Ok(self
            .assumed()
            .await?
            .into_iter()
            .find(|m| &m.service_user_id == id))
    }

    pub async fn remove_assumed(&self, id: &UserId) -> Result<()> {
        sqlx::query("DELETE FROM assumed_tokens WHERE service_user_id = ?")
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
