//! What a window browsing the cache shows: one window of a list at a time (with whether more
//! follow), how many users match, and what a sync came to (whether the server answered, how
//! current the cache is, and why it failed when it failed while online).

use amorphic_su_model::{Timestamp, User};

use super::Client;
use crate::cache::UserFilter;
use crate::error::{ClientError, Result};

/// The most rows one window holds.
pub const MAX_WINDOW: u32 = 1_000;

/// A window of a list, from the cache.
#[derive(Debug, Clone)]
pub struct UsersWindow {
    pub users: Vec<User>,
    /// More rows match after this window.
    pub has_more: bool,
    /// When the cache last matched the server; none before the first sync.
    pub as_of: Option<Timestamp>,
}

/// What a sync came to.
#[derive(Debug)]
pub struct SyncOutcome {
    /// False when the server could not be reached: lists show the cache as of `as_of`.
    pub online: bool,
    /// When the cache last matched the server.
    pub as_of: Option<Timestamp>,
    pub users_cached: i64,
    /// Why the sync failed, when it failed for another reason than being offline.
    pub problem: Option<ClientError>,
}

impl Client {
    /// The users matching `filter` (its own window ignored) from `offset`, at most `limit`
    /// (1 to [`MAX_WINDOW`]) of them, from the cache.
    pub async fn users_window(
        &self,
        filter: &UserFilter,
        offset: u32,
        limit: u32,
    ) -> Result<UsersWindow> {
        let limit = limit.clamp(1, MAX_WINDOW);
        // One row more than asked tells whether another window follows.
        let window = UserFilter {
            offset: Some(offset),
            limit: Some(limit + 1),
            ..filter.clone()
        };
        let mut users = self.cache.users(&window).await?;
        let has_more = users.len() > limit as usize;
        users.truncate(limit as usize);
        Ok(UsersWindow {
            users,
            has_more,
            as_of: self.cache.last_sync_at().await?,
        })
    }

    /// How many cached users match `filter` (its window ignored). A call of its own: counting
    /// a broad search costs more than showing its first rows.
    pub async fn count_matching(&self, filter: &UserFilter) -> Result<i64> {
        self.cache.count_matching(filter).await
    }

    /// Syncs, and says what came of it: offline is not a failure (the cache still answers),
    /// any other failure is the outcome's `problem`. Only the cache failing fails the call.
    pub async fn sync_outcome(&self) -> Result<SyncOutcome> {
        let synced = self.sync(false, &|_| {}).await;
        let as_of = self.cache.last_sync_at().await?;
        let users_cached = self.cache.count_users().await?;
        let (online, problem) = match synced {
            Ok(_) => (true, None),
            Err(e) if e.is_offline() => (false, None),
            Err(e) => (true, Some(e)),
        };
        Ok(SyncOutcome {
            online,
            as_of,
            users_cached,
            problem,
        })
    }
}
