//! Bulk changes over many service users, with a dry run.
//!
//! [`Client::bulk_plan`] decides every selected service user locally, with the model's policy
//! over the cache: allowed, a no-op (already in that state) or refused with the policy's code and
//! a sentence; nothing is sent. [`Client::bulk_run`] then sends the allowed items through the
//! client's own single-item operations (so the cache, the journal and the identity re-checks
//! stay what they are for one item), a few at a time, reporting progress and stopping at a
//! cancellation: items not started end "cancelled".
//!
//! [`Client::bulk_plan`]: crate::Client::bulk_plan
//! [`Client::bulk_run`]: crate::Client::bulk_run

mod decide;
mod plan;
mod run;

use amorphic_su_model::{Code, ErrorCode, RoleId, TagId, UserId};
use serde::{Deserialize, Serialize};

use crate::cache::UserFilter;

pub use decide::{decide, PlanContext};
pub use run::{CancelToken, BULK_CONCURRENCY};

/// What a bulk run does to each selected service user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum BulkAction {
    Enable,
    Disable,
    AttachRole {
        role: RoleId,
    },
    DetachRole {
        role: RoleId,
    },
    /// Share with people and tags (owner access).
    Share {
        users: Vec<UserId>,
        tags: Vec<TagId>,
    },
    /// Stop sharing with one person.
    UnshareUser {
        user: UserId,
    },
    /// Stop sharing with one tag.
    UnshareTag {
        tag: TagId,
    },
    /// Delete (each must be disabled), moving what it owns to `transfer_to`.
    Delete {
        transfer_to: UserId,
    },
}

impl BulkAction {
    /// Takes something away: in a production environment it asks for the environment's name.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            BulkAction::Disable
                | BulkAction::Delete { .. }
                | BulkAction::DetachRole { .. }
                | BulkAction::UnshareUser { .. }
                | BulkAction::UnshareTag { .. }
        )
    }

    /// In words, for a plan's title: "disable", "attach role role-x", ...
    pub fn describe(&self) -> String {
        match self {
            BulkAction::Enable => "enable".into(),
            BulkAction::Disable => "disable".into(),
            BulkAction::AttachRole { role } => format!("attach role {role}"),
            BulkAction::DetachRole { role } => format!("detach role {role}"),
            BulkAction::Share { users, tags } => {
                let names: Vec<String> = users
                    .iter()
                    .map(|u| u.to_string())
                    .chain(tags.iter().map(|t| format!("tag {t}")))
                    .collect();
                format!("share with {}", names.join(", "))
            }
            BulkAction::UnshareUser { user } => format!("stop sharing with {user}"),
            BulkAction::UnshareTag { tag } => format!("stop sharing with tag {tag}"),
            BulkAction::Delete { transfer_to } => {
                format!("delete, transferring to {transfer_to}")
            }
        }
    }
}

/// Which service users a bulk change is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkSelection {
    /// These ids, in this order (duplicates dropped).
    Ids(Vec<UserId>),
    /// Every cached service user matching the filter (its window ignored): "all N matching".
    Filter(UserFilter),
}

/// The dry run's verdict on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Verdict {
    /// Would be sent.
    Allowed,
    /// Already in that state: not sent.
    NoOp,
    /// The policy refuses it: not sent.
    Refused,
}

/// One selected service user in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    pub user_id: UserId,
    /// Its display name, when it is in the cache.
    pub display_name: Option<String>,
    pub verdict: Verdict,
    /// The policy's code of a refusal.
    pub code: Option<ErrorCode>,
    /// Why it is refused or a no-op, as a sentence.
    pub reason: Option<String>,
}

/// A dry run: every item decided, nothing sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkPlan {
    pub action: BulkAction,
    pub items: Vec<PlanItem>,
    pub allowed: usize,
    pub no_op: usize,
    pub refused: usize,
}

impl BulkPlan {
    pub fn new(action: BulkAction, items: Vec<PlanItem>) -> Self {
        let count = |v| items.iter().filter(|i| i.verdict == v).count();
        BulkPlan {
            allowed: count(Verdict::Allowed),
            no_op: count(Verdict::NoOp),
            refused: count(Verdict::Refused),
            action,
            items,
        }
    }
}

/// What became of one item of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Outcome {
    Done,
    /// Refused by the server (`sent`), or by the plan's policy check (not sent).
    Refused,
    /// Not started when the run was cancelled.
    Cancelled,
    /// A no-op: not sent.
    Skipped,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    pub user_id: UserId,
    pub outcome: Outcome,
    /// Whether a request was sent for it.
    pub sent: bool,
    /// The server's (or the policy's, or the client's) code of a refusal.
    pub code: Option<Code>,
    pub message: Option<String>,
}

/// Progress of a run: `finished` of `total` items have a result, `item` the latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkProgress {
    pub finished: usize,
    pub total: usize,
    pub item: ItemResult,
}

/// A run's per-item results, in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    pub action: BulkAction,
    pub results: Vec<ItemResult>,
    pub done: usize,
    pub refused: usize,
    pub cancelled: usize,
    pub skipped: usize,
}

impl BulkReport {
    pub fn new(action: BulkAction, results: Vec<ItemResult>) -> Self {
        let count = |o| results.iter().filter(|r| r.outcome == o).count();
        BulkReport {
            done: count(Outcome::Done),
            refused: count(Outcome::Refused),
            cancelled: count(Outcome::Cancelled),
            skipped: count(Outcome::Skipped),
            action,
            results,
        }
    }
}
