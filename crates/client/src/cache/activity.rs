//! The local journal of what this app did to each service user (`activity` rows). The server's
//! own audit trail is the authority; this is the history panel's view from this machine.

use amorphic_su_model::{Timestamp, UserId};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{parse_ts, Cache};
use crate::error::Result;

/// What this app did; stored as its snake-case name (`RolesAttached` is `roles_attached`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::EnumString, strum::AsRefStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum ActivityKind {
    Created,
    RolesAttached,
    RoleDetached,
    Enabled,
    Disabled,
    Shared,
    Unshared,
    Deleted,
    Assumed,
    Forgotten,
    AccessTokenCreated,
    AccessTokenRevoked,
    DatasourceCreated,
}

impl ActivityKind {
    /// The stored name (`"roles_attached"`).
    pub fn as_str(&self) -> &str {
        self.as_ref()
    }
}

/// One thing this app did to a service user (its local history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub at: Timestamp,
    pub service_user_id: UserId,
    /// The stored name of an [`ActivityKind`]: `created`, `roles_attached`, `disabled`...
    /// (text, so that a history written by another version still reads).
    pub action: String,
    /// What changed, in words.
    pub detail: String,
    /// Who did it (the signed-in user).
    pub actor: Option<UserId>,
}

impl Activity {
    /// A journal entry of now.
    pub fn now(
        service_user_id: UserId,
        kind: ActivityKind,
        detail: String,
        actor: Option<UserId>,
    ) -> Self {
        Activity {
            at: Timestamp::now(),
            service_user_id,
            action: kind.to_string(),
            detail,
            actor,
        }
    }

    /// The kind of the entry, when this version knows it.
    pub fn kind(&self) -> Option<ActivityKind> {
        self.action.parse().ok()
    }
}

impl Cache {
    pub async fn record_activity(&self, entry: &Activity) -> Result<()> {
        sqlx::query(
            "INSERT INTO activity (at, service_user_id, action, detail, actor) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(entry.at.to_rfc3339())
        .bind(entry.service_user_id.as_str())
        .bind(&entry.action)
        .bind(&entry.detail)
        .bind(entry.actor.as_ref().map(|a| a.as_str()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest `limit` entries about a service user, newest first.
    pub async fn activity(&self, su: &UserId, limit: u32) -> Result<Vec<Activity>> {
        let rows = sqlx::query(
            "SELECT at, service_user_id, action, detail, actor FROM activity
             WHERE service_user_id = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(su.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Activity {
                    at: parse_ts(r.get::<&str, _>(0))?,
                    service_user_id: UserId::parse(r.get::<String, _>(1))?,
                    action: r.get(2),
                    detail: r.get(3),
                    actor: r
                        .get::<Option<String>, _>(4)
                        .map(UserId::parse)
                        .transpose()?,
                })
            })
            .collect()
    }
}
