//! Other reads kept for offline use (`reads` rows: JSON bodies with their `fetched_at`), keyed
//! by what they are. Metadata only, never a secret.

use std::fmt;

use amorphic_su_model::{Timestamp, UserId};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{body_and_time, to_json, Cache};
use crate::error::Result;

/// What a cached read holds. Its stored key (`Display`) is the text the cache always used, so
/// existing caches still read: `whoami`, `owned:<id>`, `shares:<id>`, `pats-as:<id>`,
/// `pats-of:<id>`, `datasources-as:<id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadKey {
    /// The signed-in principal (`/whoami`).
    WhoAmI,
    /// What deleting the service user would transfer.
    Owned(UserId),
    /// Who can act as the service user.
    Shares(UserId),
    /// The PATs of an assumed service user, listed acting as it.
    AccessTokensAs(UserId),
    /// The PATs of a service user, listed by one of its owners.
    AccessTokensOf(UserId),
    /// The datasources a service user can see, listed acting as it.
    DatasourcesAs(UserId),
    /// The PATs of every service user the signed-in user has access to.
    FleetAccessTokens,
}

impl ReadKey {
    /// What the read is, in words ("the shares of 'etl-bot'").
    pub fn describe(&self) -> String {
        match self {
            ReadKey::WhoAmI => "who is signed in".to_owned(),
            ReadKey::Owned(id) => format!("the owned resources of '{id}'"),
            ReadKey::Shares(id) => format!("the shares of '{id}'"),
            ReadKey::AccessTokensAs(id) | ReadKey::AccessTokensOf(id) => {
                format!("the access tokens of '{id}'")
            }
            ReadKey::DatasourcesAs(id) => format!("the datasources of '{id}'"),
            ReadKey::FleetAccessTokens => "the access tokens of your service users".to_owned(),
        }
    }
}

impl fmt::Display for ReadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadKey::WhoAmI => f.write_str("whoami"),
            ReadKey::Owned(id) => write!(f, "owned:{id}"),
            ReadKey::Shares(id) => write!(f, "shares:{id}"),
            ReadKey::AccessTokensAs(id) => write!(f, "pats-as:{id}"),
            ReadKey::AccessTokensOf(id) => write!(f, "pats-of:{id}"),
            ReadKey::DatasourcesAs(id) => write!(f, "datasources-as:{id}"),
            ReadKey::FleetAccessTokens => f.write_str("pats-fleet"),
        }
    }
}

impl Cache {
    pub async fn put_read<T: Serialize>(&self, key: &ReadKey, value: &T) -> Result<()> {
        sqlx::query(
            "INSERT INTO reads (key, body, fetched_at) VALUES (?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
        )
        .bind(key.to_string())
        .bind(to_json(value)?)
        .bind(Timestamp::now().to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn get_read<T: DeserializeOwned>(
        &self,
        key: &ReadKey,
    ) -> Result<Option<(T, Timestamp)>> {
        let row = sqlx::query("SELECT body, fetched_at FROM reads WHERE key = ?")
            .bind(key.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(body_and_time).transpose()
    }
}
