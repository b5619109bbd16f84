//! Assumed identities (`assumed_tokens` rows): the token's metadata, when the server was last
//! asked about it, and the refusal found then. The tokens themselves are only in the OS
//! keychain.

use amorphic_su_model::{ErrorCode, RoleId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{parse_ts, Cache};
use crate::error::{ClientError, Result};
use crate::identity_state::{Refusal, RefusalReason};

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

/// An assumed identity as stored: its token's metadata and what the server last said of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRecord {
    pub meta: AssumedTokenMeta,
    /// The server's refusal at the last check or request, until a check accepts the token again
    /// or a new token replaces it.
    pub refusal: Option<Refusal>,
    /// When the server was last asked about the token.
    pub checked_at: Option<Timestamp>,
}

const COLUMNS: &str = "service_user_id, role_id, minutes, issued_at, expires_at, jti, assumed_by,
     checked_at, refusal_reason, refusal_code, refusal_message, refused_at";

fn opt_ts(s: Option<String>) -> Result<Option<Timestamp>> {
    s.as_deref().map(parse_ts).transpose()
}

fn bad_row(what: &str, value: &str) -> ClientError {
    ClientError::Cache(format!("bad {what} '{value}' in the cache"))
}

fn record(r: &SqliteRow) -> Result<AssumedRecord> {
    let meta = AssumedTokenMeta {
        service_user_id: UserId::parse(r.get::<String, _>(0))?,
        role_id: RoleId::parse(r.get::<String, _>(1))?,
        minutes: r.get::<i64, _>(2).clamp(0, i64::from(u16::MAX)) as u16,
        issued_at: parse_ts(r.get::<&str, _>(3))?,
        expires_at: parse_ts(r.get::<&str, _>(4))?,
        jti: r.get(5),
        assumed_by: UserId::parse(r.get::<String, _>(6))?,
    };
    let reason: Option<String> = r.get(8);
    let refusal = match reason {
        None => None,
        Some(reason) => {
            let code: String = r.get::<Option<String>, _>(9).unwrap_or_default();
            Some(Refusal {
                reason: reason
                    .parse::<RefusalReason>()
                    .map_err(|_| bad_row("refusal reason", &reason))?,
                code: code
                    .parse::<ErrorCode>()
                    .map_err(|_| bad_row("refusal code", &code))?,
                message: r.get::<Option<String>, _>(10).unwrap_or_default(),
                at: parse_ts(&r.get::<Option<String>, _>(11).unwrap_or_default())?,
            })
        }
    };
    Ok(AssumedRecord {
        meta,
        refusal,
        checked_at: opt_ts(r.get(7))?,
    })
}

impl Cache {
    /// Keeps a newly assumed token's metadata; it replaces the service user's row, so the new
    /// token starts unchecked and with no refusal.
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

    /// Every assumed identity with what the server last said of it, by service user.
    pub async fn assumed_records(&self) -> Result<Vec<AssumedRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM assumed_tokens ORDER BY service_user_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// One assumed identity with what the server last said of it.
    pub async fn assumed_record(&self, id: &UserId) -> Result<Option<AssumedRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM assumed_tokens WHERE service_user_id = ?"
        ))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(record).transpose()
    }

    pub async fn assumed(&self) -> Result<Vec<AssumedTokenMeta>> {
        Ok(self
            .assumed_records()
            .await?
            .into_iter()
            .map(|r| r.meta)
            .collect())
    }

    pub async fn assumed_one(&self, id: &UserId) -> Result<Option<AssumedTokenMeta>> {
        Ok(self.assumed_record(id).await?.map(|r| r.meta))
    }

    /// Records the server's refusal of the token with id `jti` (a row since replaced by a new
    /// assume is left alone: the refusal was of the old token). Returns whether a row changed.
    pub async fn record_refusal(&self, id: &UserId, jti: &str, refusal: &Refusal) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE assumed_tokens SET checked_at = ?, refusal_reason = ?, refusal_code = ?,
             refusal_message = ?, refused_at = ? WHERE service_user_id = ? AND jti = ?",
        )
        .bind(refusal.at.to_rfc3339())
        .bind(refusal.reason.to_string())
        .bind(refusal.code.as_str())
        .bind(&refusal.message)
        .bind(refusal.at.to_rfc3339())
        .bind(id.as_str())
        .bind(jti)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records that the server accepted the token with id `jti` at `at`: any refusal is cleared.
    /// Returns whether a row changed.
    pub async fn clear_refusal(&self, id: &UserId, jti: &str, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE assumed_tokens SET checked_at = ?, refusal_reason = NULL, refusal_code = NULL,
             refusal_message = NULL, refused_at = NULL WHERE service_user_id = ? AND jti = ?",
        )
        .bind(at.to_rfc3339())
        .bind(id.as_str())
        .bind(jti)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn remove_assumed(&self, id: &UserId) -> Result<()> {
        sqlx::query("DELETE FROM assumed_tokens WHERE service_user_id = ?")
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
