//! The change feed: service users changed (`users`) or deleted (`tombstones`) after a
//! `Version`.

use std::collections::HashMap;

use amorphic_su_model::UserId;
use sqlx::SqliteConnection;

use crate::queries::users::{hydrate, USER_SELECT};
use crate::rows::{parse, StoredUser, UserRow};

/// One entry of the change feed.
pub enum Change {
    Changed(Box<StoredUser>),
    Deleted { user_id: UserId, version: i64 },
}

impl Change {
    pub fn version(&self) -> i64 {
        match self {
            Change::Changed(u) => u.user.version,
            Change::Deleted { version, .. } => *version,
        }
    }
}

/// Service users changed or deleted after `since`, in `Version` order, at most `limit`.
/// Run it in a read transaction so that the page is one snapshot.
pub async fn changes_since(
    conn: &mut SqliteConnection,
    since: i64,
    limit: i64,
) -> Result<Vec<Change>, sqlx::Error> {
    let entries: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT kind, version, user_id FROM ( \
           SELECT 'u' AS kind, version, user_id FROM users WHERE is_service_user = 1 AND version > ?1 \
           UNION ALL \
           SELECT 't' AS kind, version, user_id FROM tombstones WHERE version > ?1 \
         ) ORDER BY version LIMIT ?2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let changed_versions: Vec<i64> = entries.iter().filter(|e| e.0 == "u").map(|e| e.1).collect();
    let mut users: HashMap<i64, StoredUser> = HashMap::new();
    if !changed_versions.is_empty() {
        let json =
            serde_json::to_string(&changed_versions).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "{USER_SELECT} WHERE u.version IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json)
        .fetch_all(&mut *conn)
        .await?;
        for u in hydrate(rows)? {
            users.insert(u.user.version, u);
        }
    }
    let mut out = Vec::with_capacity(entries.len());
    for (kind, version, user_id) in entries {
        if kind == "u" {
            let u = users.remove(&version).ok_or_else(|| {
                sqlx::Error::Decode("change feed row vanished inside its snapshot".into())
            })?;
            out.push(Change::Changed(Box::new(u)));
        } else {
            out.push(Change::Deleted {
                user_id: parse(user_id, UserId::parse)?,
                version,
            });
        }
    }
    Ok(out)
}
