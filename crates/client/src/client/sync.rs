//! The sync: roles and tags, then the users, through a full pass over `GET /users` (the first
//! sync, one resuming an interrupted pass, or without a change feed) and the change feed. Each
//! page is one transaction with the position reached, so an interrupted sync resumes. The
//! full pass reads by keyset cursor with several pages in flight (sync_pages.rs), and by
//! offsets, one page at a time, from a server without the cursor.

use amorphic_su_model::{Timestamp, UsersResponse};
use serde::Serialize;

use super::sync_pages::KeysetEnd;
use super::Client;
use crate::api::Credentials;
use crate::cache::{SyncKey, SyncStateUpdate};
use crate::error::{ClientError, Result};

/// Page size of every sync request.
pub const SYNC_PAGE: u32 = 1_000;

/// One-row feed requests at once while looking for the feed's head.
const HEAD_PROBES: usize = 15;

/// Progress of a sync, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "phase")]
pub enum SyncProgress {
    Catalogues,
    /// Change-feed pages: users applied so far.
    Changes {
        done: u64,
    },
    /// Full pass over `GET /users`: users stored so far of `total`.
    Users {
        done: u64,
        total: u64,
    },
}

/// What a sync did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// A full pass over every user ran (first sync, `--full`, no change feed, or resuming one).
    pub full: bool,
    /// The server has a change feed.
    pub change_feed: bool,
    pub users_changed: u64,
    pub users_deleted: u64,
    pub users_cached: i64,
    pub finished_at: Timestamp,
}

/// What a sync did so far.
#[derive(Debug, Default)]
struct SyncCounts {
    changed: u64,
    deleted: u64,
}

impl Client {
    /// Brings the cache up to date: roles and tags, then the users. The first sync (and one
    /// with `full`, one resuming an interrupted full pass, or any when the server has no change
    /// feed) reads every user once through `GET /users`, after recording where the change feed
    /// stands; then the change feed from that position catches up with whatever changed
    /// meanwhile. Later syncs read only the change feed. Each page is one transaction with
    /// the position reached, so an interrupted sync leaves the last good state and resumes.
    pub async fn sync(
        &self,
        full: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let creds = self.principal().await?;
        self.sync_with(&creds, full, progress)
            .await
            .map_err(|e| self.map_auth(e))
    }

    /// [`Client::sync`] with the given credentials instead of the profile's keychain entry
    /// (automation that holds its own PAT, benchmarks).
    pub async fn sync_as(
        &self,
        creds: &Credentials,
        full: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        self.sync_with(creds, full, progress).await
    }

    async fn sync_with(
        &self,
        c: &Credentials,
        full: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        progress(SyncProgress::Catalogues);
        let (roles, tags) = tokio::join!(self.api.roles(c), self.api.tags(c));
        let (roles, tags) = (roles?, tags?);
        self.cache.replace_roles(&roles).await?;
        self.cache.replace_tags(&tags).await?;

        let pending = self.cache.sync_state(SyncKey::FullPending).await? == Some(true);
        let never_full = self
            .cache
            .stored_state(SyncKey::FullSyncAt)
            .await?
            .is_none();
        let feed_known = self.cache.sync_state(SyncKey::FeedSupported).await? != Some(false);
        let mut run_full = full || pending || never_full || !feed_known;
        let mut counts = SyncCounts::default();
        let mut feed = feed_known;
        if run_full {
            feed = self.full_pass(c, !pending, progress, &mut counts).await?;
        }
        if feed {
            // Incremental, or the catch-up after a full pass: every change since the feed
            // position recorded when the pass began.
            if !self.feed_pass(c, progress, &mut counts).await? {
                // The server answers a plain list now: no change feed.
                self.cache
                    .set_sync_state(SyncKey::FeedSupported, false)
                    .await?;
                feed = false;
                if !run_full {
                    run_full = true;
                    self.full_pass(c, true, progress, &mut counts).await?;
                }
            }
        }
        self.cache.reorder_if_needed().await?;
        let finished_at = Timestamp::now();
        self.cache
            .set_sync_state(SyncKey::LastSyncAt, finished_at)
            .await?;
        Ok(SyncReport {
            full: run_full,
            change_feed: feed,
            users_changed: counts.changed,
            users_deleted: counts.deleted,
            users_cached: self.cache.count_users().await?,
            finished_at,
        })
    }

    /// A full pass over `GET /users`, new (`fresh`) or resuming an interrupted one. A new pass
    /// first records where the change feed stands, so the catch-up after the pass replays
    /// every change made while it ran (users are read once, through the list, not a second
    /// time through the feed). Returns whether the server has a change feed.
    async fn full_pass(
        &self,
        c: &Credentials,
        fresh: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
        counts: &mut SyncCounts,
    ) -> Result<bool> {
        let mut generation = self.cache.generation().await?;
        if fresh {
            generation += 1;
            let head = self.feed_head(c).await?;
            self.cache
                .update_sync_state(
                    SyncStateUpdate::default()
                        .set(SyncKey::Generation, generation)
                        .set(SyncKey::FullPending, true)
                        .set(SyncKey::FullOffset, 0u64)
                        .remove(SyncKey::FullLastId)
                        .set(SyncKey::FeedCursor, head.unwrap_or(0))
                        .set(SyncKey::FeedSupported, head.is_some()),
                )
                .await?;
        }
        self.cache.bulk_writes(true).await?;
        let listed = match self.keyset_pass(c, generation, progress).await {
            Ok(KeysetEnd::Done(n)) => Ok(n),
            // A server without the cursor: on by offsets from the position reached.
            Ok(KeysetEnd::NoCursor(n)) => {
                self.list_pass(c, generation, progress).await.map(|m| n + m)
            }
            Err(e) => Err(e),
        };
        let ended = self.cache.bulk_writes(false).await;
        counts.changed += listed?;
        ended?;
        counts.deleted += self.cache.finish_full_pass(generation, true).await?;
        Ok(self.cache.sync_state(SyncKey::FeedSupported).await? != Some(false))
    }

    /// Pages through `GET /users` by offsets from where the running pass stopped (a server
    /// without the keyset cursor), each page one transaction with the pass's position. Offsets
    /// shift when users are created or deleted meanwhile, so every page after the first
    /// starts one row early and must contain the last user stored: when it does not, the pass
    /// looks one page back, then starts over, rather than skip anyone. Returns how many users
    /// it stored.
    async fn list_pass(
        &self,
        c: &Credentials,
        generation: i64,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<u64> {
        const RESTARTS: u32 = 3;
        let page_size = u64::from(self.sync_page);
        let mut offset: u64 = self
            .cache
            .sync_state(SyncKey::FullOffset)
            .await?
            .unwrap_or(0);
        let mut last: Option<String> = self.cache.sync_state(SyncKey::FullLastId).await?;
        let (mut stored, mut restarts, mut looked_back) = (0u64, 0u32, false);
        // Bounded: enough requests for every page the server reports (at most 10 million
        // users) and a few restarts; a list that never ends stops the sync.
        let (mut requests, mut cap) = (0u64, 64u64);
        // The next page, requested while this one is stored.
        let mut prefetched = None;
        loop {
            requests += 1;
            if requests > cap {
                return Err(ClientError::ServerError {
                    status: 200,
                    detail: "the user list does not end; the sync stopped".into(),
                });
            }
            let overlap = last.is_some() && offset > 0;
            let start = if overlap { offset - 1 } else { offset };
            let page = match prefetched.take() {
                Some((at, page)) if at == start => page?,
                _ => self.api.list_users(c, false, start, self.sync_page).await?,
            };
            let n = page.users.len() as u64;
            let pages = page.total_count.min(10_000_000).div_ceil(page_size);
            cap = cap.max((u64::from(RESTARTS) + 2) * pages + 64);
            let skip = match (&last, overlap) {
                (Some(l), true) => page
                    .users
                    .iter()
                    .position(|u| u.user_id.as_str() == l)
                    .map(|i| i + 1),
                _ => Some(0),
            };
            let Some(skip) = skip else {
                // The last stored user is not where it was: users before it were deleted (or
                // it was). Look one page back once, then start the pass over.
                if !looked_back && offset > page_size {
                    looked_back = true;
                    offset -= page_size;
                    continue;
                }
                restarts += 1;
                if restarts > RESTARTS {
                    return Err(ClientError::ServerError {
                        status: 200,
                        detail: "the user list kept changing during the sync; try again".into(),
                    });
                }
                (offset, last, looked_back) = (0, None, false);
                continue;
            };
            looked_back = false;
            let next = start + n;
            let end = n < page_size || next >= page.total_count;
            let fresh = &page.users[skip.min(page.users.len())..];
            let last_id = page.users.last().map(|u| u.user_id.as_str());
            let store = self.cache.store_full_page(fresh, generation, next, last_id);
            if end {
                store.await?;
            } else {
                // The next page starts one row early (see above).
                let at = next - 1;
                let (done, page) =
                    tokio::join!(store, self.api.list_users(c, false, at, self.sync_page));
                done?;
                prefetched = Some((at, page));
            }
            stored += fresh.len() as u64;
            offset = next;
            if let Some(l) = last_id {
                last = Some(l.to_owned());
            }
            progress(SyncProgress::Users {
                done: next,
                total: page.total_count.max(next),
            });
            if end {
                return Ok(stored);
            }
        }
    }

    /// Where the change feed stands now: the highest `Version` in it (0 when it is empty),
    /// found with one-row pages, [`HEAD_PROBES`] at a time: a spread of positions, then ever
    /// narrower ones between the highest that still has a change after it and the lowest
    /// that has none. A handful of round trips even for millions of changes. `None` when the
    /// server has no change feed.
    async fn feed_head(&self, c: &Credentials) -> Result<Option<i64>> {
        // `lo`: a position with a change after it; `hi`: one with none (the head is `hi`
        // once they meet).
        let (mut lo, mut hi) = (None::<i64>, None::<i64>);
        for _ in 0..64 {
            let points: Vec<i64> = match (lo, hi) {
                (Some(l), Some(h)) if h - l <= 1 => return Ok(Some(h)),
                (None, _) => std::iter::once(0)
                    .chain((0..HEAD_PROBES as u32 - 1).map(|i| 1_024i64 << i))
                    .collect(),
                (Some(l), None) => (1..=HEAD_PROBES as u32)
                    .map(|i| l.saturating_add(1_024i64.saturating_mul(1 << i)))
                    .collect(),
                (Some(l), Some(h)) => {
                    let step = ((h - l) / (HEAD_PROBES as i64 + 1)).max(1);
                    (1..=HEAD_PROBES as i64)
                        .map(|j| l + j * step)
                        .filter(|&p| p < h)
                        .collect()
                }
            };
            let mut probes = tokio::task::JoinSet::new();
            for since in points {
                let (api, c) = (self.api.clone(), c.clone());
                probes.spawn(async move { (since, api.service_users_since(&c, since, 1).await) });
            }
            while let Some(done) = probes.join_next().await {
                let (since, answer) =
                    done.map_err(|e| ClientError::Io(format!("a feed probe failed: {e}")))?;
                let page = match answer? {
                    UsersResponse::Feed(p) => p,
                    UsersResponse::List(_) => return Ok(None),
                };
                let first = page
                    .users
                    .first()
                    .map(|u| u.version)
                    .or_else(|| page.deleted.first().map(|t| t.version));
                match first {
                    None if since == 0 => return Ok(Some(0)),
                    None => hi = Some(hi.map_or(since, |h| h.min(since))),
                    Some(v) if !page.has_more => return Ok(Some(v)),
                    // Another change follows `v`: the head is past it.
                    Some(v) => lo = Some(lo.map_or(v, |l| l.max(v))),
                }
            }
            if let (Some(l), Some(h)) = (lo, hi) {
                if h <= l {
                    // The feed moved while probing: look again past the newest seen.
                    hi = None;
                }
            }
        }
        Err(ClientError::ServerError {
            status: 200,
            detail: "the change feed's position could not be found; the sync stopped".into(),
        })
    }

    /// Applies change-feed pages after the stored cursor, each page one transaction with its
    /// cursor. Returns false when the server answered a plain list (no change feed).
    async fn feed_pass(
        &self,
        c: &Credentials,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
        counts: &mut SyncCounts,
    ) -> Result<bool> {
        let mut cursor: i64 = self
            .cache
            .sync_state(SyncKey::FeedCursor)
            .await?
            .unwrap_or(0);
        let mut done = 0u64;
        // Bounded: a feed that keeps answering "more" forever stops the sync.
        for _ in 0..10_000_000u64 / u64::from(self.sync_page) + 100 {
            match self
                .api
                .service_users_since(c, cursor, self.sync_page)
                .await?
            {
                UsersResponse::Feed(page) => {
                    self.cache.apply_feed_page(&page).await?;
                    counts.changed += page.users.len() as u64;
                    counts.deleted += page.deleted.len() as u64;
                    done += (page.users.len() + page.deleted.len()) as u64;
                    progress(SyncProgress::Changes { done });
                    if !page.has_more
                        || page.next_since <= cursor
                            && page.users.is_empty()
                            && page.deleted.is_empty()
                    {
                        return Ok(true);
                    }
                    cursor = page.next_since;
                }
                UsersResponse::List(_) => return Ok(false),
            }
        }
        Err(ClientError::ServerError {
            status: 200,
            detail: "the change feed does not end; the sync stopped".into(),
        })
    }
}
