//! Where the sync stands (`sync_state` rows) behind typed keys and values. On disk each row is
//! the text it always was: flags `"1"`/`"0"`, numbers in decimal, times in RFC 3339.

use std::str::FromStr;

use amorphic_su_model::Timestamp;
use sqlx::SqliteConnection;

use super::{parse_ts, Cache};
use crate::error::{ClientError, Result};

/// A sync-state row; its stored key is the snake-case name (`FeedCursor` is `feed_cursor`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::EnumString, strum::AsRefStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum SyncKey {
    /// The change feed's `NextSince` of the last committed page (a number).
    FeedCursor,
    /// Whether the server has a change feed (a flag; false when it answered a plain list).
    FeedSupported,
    /// When the last sync finished.
    LastSyncAt,
    /// When the last full pass over `GET /users` finished.
    FullSyncAt,
    /// The generation of the running or last full pass (a number).
    Generation,
    /// Set while a full pass is under way (an interrupted one resumes).
    FullPending,
    /// The running full pass: how far it got in `GET /users` (the offset after the last
    /// committed page).
    FullOffset,
    /// The running full pass: the last user id of its last committed page.
    FullLastId,
    /// Users with a `rid` up to this one are in id order (`rid` order is `user_id` order), so
    /// search can take them in `rid` order and stop early (a number).
    OrderedUpto,
}

/// A value kept in a sync-state row, and its stored text.
pub trait SyncValue: Sized {
    fn encode(&self) -> String;
    /// `None` when the text is not such a value.
    fn decode(stored: &str) -> Option<Self>;
}

impl SyncValue for bool {
    fn encode(&self) -> String {
        if *self { "1" } else { "0" }.to_owned()
    }

    fn decode(stored: &str) -> Option<Self> {
        match stored {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }
}

impl SyncValue for i64 {
    fn encode(&self) -> String {
        self.to_string()
    }

    fn decode(stored: &str) -> Option<Self> {
        stored.parse().ok()
    }
}

impl SyncValue for u64 {
    fn encode(&self) -> String {
        self.to_string()
    }

    fn decode(stored: &str) -> Option<Self> {
        stored.parse().ok()
    }
}

impl SyncValue for Timestamp {
    fn encode(&self) -> String {
        self.to_rfc3339()
    }

    fn decode(stored: &str) -> Option<Self> {
        parse_ts(stored).ok()
    }
}

impl SyncValue for String {
    fn encode(&self) -> String {
        self.clone()
    }

    fn decode(stored: &str) -> Option<Self> {
        Some(stored.to_owned())
    }
}

/// Several sync-state changes, written together in one transaction.
#[derive(Debug, Clone, Default)]
pub struct SyncStateUpdate {
    changes: Vec<(SyncKey, Option<String>)>,
}

impl SyncStateUpdate {
    pub fn set(mut self, key: SyncKey, value: impl SyncValue) -> Self {
        self.changes.push((key, Some(value.encode())));
        self
    }

    pub fn remove(mut self, key: SyncKey) -> Self {
        self.changes.push((key, None));
        self
    }
}

/// Writes one row inside the caller's transaction.
pub(super) async fn set_in(
    conn: &mut SqliteConnection,
    key: SyncKey,
    value: &impl SyncValue,
) -> Result<()> {
    write_in(conn, key, &value.encode()).await
}

async fn write_in(conn: &mut SqliteConnection, key: SyncKey, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(key.as_ref())
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes rows inside the caller's transaction.
pub(super) async fn remove_in(conn: &mut SqliteConnection, keys: &[SyncKey]) -> Result<()> {
    for key in keys {
        sqlx::query("DELETE FROM sync_state WHERE key = ?")
            .bind(key.as_ref())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Reads one row inside the caller's transaction; an unreadable value counts as unset.
pub(super) async fn get_in<T: SyncValue>(
    conn: &mut SqliteConnection,
    key: SyncKey,
) -> Result<Option<T>> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM sync_state WHERE key = ?")
        .bind(key.as_ref())
        .fetch_optional(conn)
        .await?;
    Ok(v.as_deref().and_then(T::decode))
}

impl Cache {
    /// A sync-state row's stored text, as last committed (never waits behind a sync in
    /// progress).
    pub async fn stored_state(&self, key: SyncKey) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM sync_state WHERE key = ?")
                .bind(key.as_ref())
                .fetch_optional(&self.reader)
                .await?,
        )
    }

    /// [`Cache::stored_state`] by the row's stored key (`"full_offset"`), for tests and tools
    /// that check the stored format; a name that is no [`SyncKey`] is refused.
    pub async fn state(&self, key: &str) -> Result<Option<String>> {
        let key = SyncKey::from_str(key)
            .map_err(|_| ClientError::invalid(format!("'{key}' is no sync-state key")))?;
        self.stored_state(key).await
    }

    /// A sync-state value, as last committed; an unreadable one counts as unset.
    pub async fn sync_state<T: SyncValue>(&self, key: SyncKey) -> Result<Option<T>> {
        Ok(self.stored_state(key).await?.as_deref().and_then(T::decode))
    }

    pub async fn set_sync_state(&self, key: SyncKey, value: impl SyncValue) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        set_in(&mut conn, key, &value).await
    }

    /// Sets and removes several sync-state rows in one transaction, in order.
    pub async fn update_sync_state(&self, update: SyncStateUpdate) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for (key, value) in &update.changes {
            match value {
                Some(v) => write_in(&mut tx, *key, v).await?,
                None => remove_in(&mut tx, &[*key]).await?,
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// When the last sync finished, if any (a time the cache cannot read is an error).
    pub async fn last_sync_at(&self) -> Result<Option<Timestamp>> {
        self.stored_state(SyncKey::LastSyncAt)
            .await?
            .map(|s| parse_ts(&s))
            .transpose()
    }

    /// The generation of the running or last full pass (0 before the first).
    pub(crate) async fn generation(&self) -> Result<i64> {
        Ok(self.sync_state(SyncKey::Generation).await?.unwrap_or(0))
    }
}
