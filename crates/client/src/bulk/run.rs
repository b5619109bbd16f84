//! The run: the plan's allowed items sent through the client's single-item operations, at most
//! [`BULK_CONCURRENCY`] at a time, each result reported as it comes; a cancellation stops new
//! items from starting (those in flight finish).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use amorphic_su_model::{Code, UserId};

use super::{BulkAction, BulkPlan, BulkProgress, BulkReport, ItemResult, Outcome, Verdict};
use crate::error::Result;
use crate::Client;

/// How many requests a run has in flight at once: enough to hide latency, few enough not to
/// look like an attack to the server's rate limits.
pub const BULK_CONCURRENCY: usize = 4;

/// Cancels a run from elsewhere (another task, a window's Cancel button).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl Client {
    /// Runs a plan: no-ops are skipped and refused items reported without a request; allowed
    /// items are sent, a few at a time, each through the same operation as one change would
    /// be. `progress` hears of every result; after `cancel`, items not started are
    /// "cancelled". The results follow the plan's order; the run itself is one journal entry.
    pub async fn bulk_run(
        &self,
        plan: &BulkPlan,
        cancel: &CancelToken,
        progress: &(dyn Fn(&BulkProgress) + Send + Sync),
    ) -> BulkReport {
        let total = plan.items.len();
        let results: Mutex<Vec<Option<ItemResult>>> = Mutex::new(vec![None; total]);
        let finished = Mutex::new(0usize);
        let report = |i: usize, r: ItemResult| {
            let n = {
                let mut f = finished.lock().expect("progress count");
                *f += 1;
                *f
            };
            results.lock().expect("results")[i] = Some(r.clone());
            progress(&BulkProgress {
                finished: n,
                total,
                item: r,
            });
        };
        let mut to_send = Vec::new();
        for (i, item) in plan.items.iter().enumerate() {
            match item.verdict {
                Verdict::Allowed => to_send.push(i),
                Verdict::NoOp => report(
                    i,
                    not_sent(&item.user_id, Outcome::Skipped, None, item.reason.clone()),
                ),
                Verdict::Refused => report(
                    i,
                    not_sent(
                        &item.user_id,
                        Outcome::Refused,
                        item.code.map(Code::from),
                        item.reason.clone(),
                    ),
                ),
            }
        }
        let next = Mutex::new(to_send.into_iter());
        let worker = async || loop {
            if cancel.is_cancelled() {
                return;
            }
            let Some(i) = next.lock().expect("queue").next() else {
                return;
            };
            let id = &plan.items[i].user_id;
            let r = match self.bulk_one(&plan.action, id).await {
                Ok(()) => ItemResult {
                    user_id: id.clone(),
                    outcome: Outcome::Done,
                    sent: true,
                    code: None,
                    message: None,
                },
                Err(e) => ItemResult {
                    user_id: id.clone(),
                    outcome: Outcome::Refused,
                    sent: true,
                    code: Some(e.code()),
                    message: Some(e.to_string()),
                },
            };
            report(i, r);
        };
        join_all((0..BULK_CONCURRENCY).map(|_| worker()).collect()).await;
        let results = results
            .into_inner()
            .expect("results")
            .into_iter()
            .zip(&plan.items)
            .map(|(r, item)| {
                r.unwrap_or_else(|| not_sent(&item.user_id, Outcome::Cancelled, None, None))
            })
            .collect();
        let report = BulkReport::new(plan.action.clone(), results);
        // One journal entry for the run; each item was journaled by the operation it called.
        let detail = format!(
            "{} of {} service user(s): {} done, {} refused, {} skipped, {} cancelled",
            plan.action.describe(),
            total,
            report.done,
            report.refused,
            report.skipped,
            report.cancelled
        );
        self.record_bulk_run(detail, None).await;
        report
    }

    /// One item, through the single-item operation.
    async fn bulk_one(&self, action: &BulkAction, id: &UserId) -> Result<()> {
        match action {
            BulkAction::Enable => self.enable(id).await.map(drop),
            BulkAction::Disable => self.disable(id).await.map(drop),
            BulkAction::AttachRole { role } => self
                .attach_roles(id, std::slice::from_ref(role))
                .await
                .map(drop),
            BulkAction::DetachRole { role } => self.detach_role(id, role).await.map(drop),
            BulkAction::Share { users, tags } => self.share(id, users, tags).await.map(drop),
            BulkAction::UnshareUser { user } => self.unshare_user(id, user).await.map(drop),
            BulkAction::UnshareTag { tag } => self.unshare_tag(id, tag).await.map(drop),
            BulkAction::Delete { transfer_to } => {
                self.delete_service_user(id, transfer_to).await.map(drop)
            }
        }
    }
}

fn not_sent(
    id: &UserId,
    outcome: Outcome,
    code: Option<Code>,
    message: Option<String>,
) -> ItemResult {
    ItemResult {
        user_id: id.clone(),
        outcome,
        sent: false,
        code,
        message,
    }
}

/// Polls the workers together on this task until all end (they borrow the client, so they
/// cannot be spawned).
async fn join_all<F: Future<Output = ()>>(workers: Vec<F>) {
    let mut slots: Vec<Option<Pin<Box<F>>>> =
        workers.into_iter().map(|f| Some(Box::pin(f))).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for slot in &mut slots {
            if let Some(f) = slot {
                if f.as_mut().poll(cx).is_ready() {
                    *slot = None;
                } else {
                    pending = true;
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await
}
