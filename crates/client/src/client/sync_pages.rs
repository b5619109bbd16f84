//! The full pass's fast path: `GET /users` pages by keyset cursor (`after`: the last `UserId`
//! stored, the reference server's optional parameter), several requests in flight, fetched
//! and decoded on their own tasks while the writer stores the previous page.
//!
//! Pages are requested in spans: the first page of a span is the one after the cursor, the
//! next ones by offset after the same cursor, each starting one row early so that it must
//! hold the last user of the page before it. When it does not (users created or deleted
//! meanwhile shifted the offsets), the span ends there and a new one starts from the last
//! user kept: no one is skipped, and an offset never grows past a span. Whatever changes
//! while the pass runs is replayed by the change feed afterwards.
//!
//! A server that ignores `after` answers the first page of the list again: ids at or before
//! the cursor. The pass then stops and says so; the caller goes on by offsets only.

use std::collections::VecDeque;

use amorphic_su_model::{User, UserList};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::sync::SyncProgress;
use super::Client;
use crate::api::{ApiClient, Credentials};
use crate::cache::SyncKey;
use crate::error::{ClientError, Result};

/// Requests in flight at once: enough to keep a link with 40 ms round trips busy, few
/// enough not to crowd a server's readers.
pub const IN_FLIGHT: usize = 4;
/// Pages read from one cursor (by offset after it) before the next cursor.
const SPAN: u64 = 16;

/// How a keyset pass ended.
pub(super) enum KeysetEnd {
    /// The list is read; this many users stored.
    Done(u64),
    /// The server ignores `after`; this many users stored before that showed (the pass's
    /// position is recorded, so an offset pass resumes from it).
    NoCursor(u64),
}

/// What the fetching task hands the writer, in list order.
enum Msg {
    Page {
        users: Vec<User>,
        /// Users of the pass stored once this page is.
        offset: u64,
        last: Option<String>,
        total: u64,
    },
    End,
    NoCursor,
    Failed(ClientError),
}

/// A task that is stopped when its handle is dropped (a cancelled sync, a span given up).
struct Task<T>(JoinHandle<T>);

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Client {
    /// Reads the whole list by keyset cursor from where the running pass stopped, each page
    /// one transaction with the pass's position.
    pub(super) async fn keyset_pass(
        &self,
        c: &Credentials,
        generation: i64,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<KeysetEnd> {
        let offset: u64 = self
            .cache
            .sync_state(SyncKey::FullOffset)
            .await?
            .unwrap_or(0);
        let last: Option<String> = self.cache.sync_state(SyncKey::FullLastId).await?;
        // A position without a last id is an offset pass's: let it finish that way.
        if offset > 0 && last.is_none() {
            return Ok(KeysetEnd::NoCursor(0));
        }
        // Two pages waiting at most: the fetcher runs ahead of the writer, boundedly.
        let (tx, mut rx) = mpsc::channel(2);
        let fetcher = Fetcher {
            api: self.api.clone(),
            creds: c.clone(),
            page: u64::from(self.sync_page),
            in_flight: IN_FLIGHT,
        };
        let _task = Task(tokio::spawn(fetcher.run(last, offset, tx)));
        let mut stored = 0u64;
        while let Some(msg) = rx.recv().await {
            match msg {
                Msg::Page {
                    users,
                    offset,
                    last,
                    total,
                } => {
                    if !users.is_empty() {
                        self.cache
                            .store_full_page(&users, generation, offset, last.as_deref())
                            .await?;
                    }
                    stored += users.len() as u64;
                    progress(SyncProgress::Users {
                        done: offset,
                        total: total.max(offset),
                    });
                }
                Msg::End => return Ok(KeysetEnd::Done(stored)),
                Msg::NoCursor => return Ok(KeysetEnd::NoCursor(stored)),
                Msg::Failed(e) => return Err(e),
            }
        }
        Err(ClientError::Io("the sync's page fetcher stopped".into()))
    }
}

/// Every user, page by page as a full pass reads them (keyset cursor, `in_flight` requests
/// at once, pages of `page`), without storing: what the sync's fetching costs alone.
pub async fn fetch_user_pages(
    api: &ApiClient,
    c: &Credentials,
    page: u32,
    in_flight: usize,
) -> Result<Vec<Vec<User>>> {
    let (tx, mut rx) = mpsc::channel(2);
    let fetcher = Fetcher {
        api: api.clone(),
        creds: c.clone(),
        page: u64::from(page.clamp(1, 1_000)),
        in_flight: in_flight.max(1),
    };
    let _task = Task(tokio::spawn(fetcher.run(None, 0, tx)));
    let mut pages = Vec::new();
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Page { users, .. } => pages.push(users),
            Msg::End => return Ok(pages),
            Msg::NoCursor => {
                return Err(ClientError::invalid(
                    "the server ignores the list's `after` cursor",
                ))
            }
            Msg::Failed(e) => return Err(e),
        }
    }
    Err(ClientError::Io("the page fetcher stopped".into()))
}

struct Fetcher {
    api: ApiClient,
    creds: Credentials,
    page: u64,
    in_flight: usize,
}

impl Fetcher {
    /// The `k`-th page of the span after `cursor` (from the start without one).
    fn request(&self, cursor: Option<&str>, k: u64) -> Task<Result<UserList>> {
        let (api, creds, page) = (self.api.clone(), self.creds.clone(), self.page);
        let cursor = cursor.map(str::to_owned);
        let offset = (k * page).saturating_sub(1);
        Task(tokio::spawn(async move {
            api.list_users_after(&creds, cursor.as_deref(), offset, page as u32)
                .await
        }))
    }

    async fn run(self, mut last: Option<String>, mut offset: u64, tx: mpsc::Sender<Msg>) {
        let msg = match self.pages(&mut last, &mut offset, &tx).await {
            Ok(Some(m)) => m,
            Ok(None) => return, // the writer is gone
            Err(e) => Msg::Failed(e),
        };
        let _ = tx.send(msg).await;
    }

    /// Sends every page; returns the last message (end, no cursor), or None when the
    /// writer stopped listening.
    async fn pages(
        &self,
        last: &mut Option<String>,
        offset: &mut u64,
        tx: &mpsc::Sender<Msg>,
    ) -> Result<Option<Msg>> {
        // Bounded: enough spans for ten million users, each cut short a few times; a list
        // that never ends stops the sync.
        let mut requests = 0u64;
        let cap = 3 * 10_000_000 / self.page + 1_000;
        loop {
            let cursor = last.clone();
            let mut in_flight: VecDeque<(u64, Task<Result<UserList>>)> = VecDeque::new();
            let mut next_k = 0u64;
            loop {
                while in_flight.len() < self.in_flight && next_k < SPAN {
                    requests += 1;
                    if requests > cap {
                        return Err(ClientError::ServerError {
                            status: 200,
                            detail: "the user list does not end; the sync stopped".into(),
                        });
                    }
                    in_flight.push_back((next_k, self.request(cursor.as_deref(), next_k)));
                    next_k += 1;
                }
                // The span is read: the next one starts after the last user kept.
                let Some((k, mut task)) = in_flight.pop_front() else {
                    break;
                };
                let mut list = match (&mut task.0).await {
                    Ok(r) => r?,
                    Err(e) => return Err(ClientError::Io(format!("a page request failed: {e}"))),
                };
                let n = list.users.len() as u64;
                let fresh_from = if k == 0 {
                    if let Some(c) = &cursor {
                        if list.users.iter().any(|u| u.user_id.as_str() <= c.as_str()) {
                            return Ok(Some(Msg::NoCursor));
                        }
                    }
                    0
                } else {
                    let kept = last.as_deref();
                    match list
                        .users
                        .iter()
                        .position(|u| Some(u.user_id.as_str()) == kept)
                    {
                        Some(i) => i + 1,
                        // The offsets shifted: a new span from the last user kept.
                        None => break,
                    }
                };
                let users = list.users.split_off(fresh_from);
                if let Some(u) = users.last() {
                    *last = Some(u.user_id.to_string());
                }
                *offset += users.len() as u64;
                let page = Msg::Page {
                    users,
                    offset: *offset,
                    last: last.clone(),
                    total: list.total_count,
                };
                if tx.send(page).await.is_err() {
                    return Ok(None);
                }
                if n < self.page {
                    return Ok(Some(Msg::End));
                }
            }
        }
    }
}
