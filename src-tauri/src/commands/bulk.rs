//! Bulk changes over many service users: the dry run (`bulk_plan`), the run (`bulk_run`, its
//! progress told through the `BulkProgressEvent` event) and its cancellation (`bulk_cancel`).
//! Thin: the client decides and sends; here ids are parsed and its answers turned into views.
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use amorphic_su_client::bulk::BulkSelection;
use amorphic_su_client::model::{ClientCode, RoleId, TagId, UserId};
use amorphic_su_client::{
    BulkAction, BulkPlan, BulkProgress, BulkReport, CancelToken, ItemResult, Outcome, Verdict,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::commands::users::UsersQuery;
use crate::error::{IpcError, IpcResult};
use crate::identity;
use crate::state::AppState;

/// What to do to each service user, as the window names it.
#[derive(Debug, Clone, Deserialize, Serialize, specta::Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum BulkActionInput {
    Enable,
    Disable,
    AttachRole {
        role: String,
    },
    DetachRole {
        role: String,
    },
    Share {
        users: Vec<String>,
        tags: Vec<String>,
    },
    UnshareUser {
        user: String,
    },
    UnshareTag {
        tag: String,
    },
    Delete {
        transfer_to: String,
    },
}

impl BulkActionInput {
    fn parse(self) -> IpcResult<BulkAction> {
        Ok(match self {
            BulkActionInput::Enable => BulkAction::Enable,
            BulkActionInput::Disable => BulkAction::Disable,
            BulkActionInput::AttachRole { role } => BulkAction::AttachRole {
                role: RoleId::parse(role)?,
            },
            BulkActionInput::DetachRole { role } => BulkAction::DetachRole {
                role: RoleId::parse(role)?,
            },
            BulkActionInput::Share { users, tags } => BulkAction::Share {
                users: users
                    .into_iter()
                    .map(UserId::parse)
                    .collect::<Result<_, _>>()?,
                tags: tags
                    .into_iter()
                    .map(TagId::parse)
                    .collect::<Result<_, _>>()?,
            },
            BulkActionInput::UnshareUser { user } => BulkAction::UnshareUser {
                user: UserId::parse(user)?,
            },
            BulkActionInput::UnshareTag { tag } => BulkAction::UnshareTag {
                tag: TagId::parse(tag)?,
            },
            BulkActionInput::Delete { transfer_to } => BulkAction::Delete {
                transfer_to: UserId::parse(transfer_to)?,
            },
        })
    }
}

/// Which service users: these ids, or every one matching the list's filters.
#[derive(Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BulkSelectionInput {
    Ids { ids: Vec<String> },
    Matching { query: UsersQuery },
}

impl BulkSelectionInput {
    fn parse(self) -> IpcResult<BulkSelection> {
        Ok(match self {
            BulkSelectionInput::Ids { ids } => BulkSelection::Ids(
                ids.into_iter()
                    .map(UserId::parse)
                    .collect::<Result<_, _>>()?,
            ),
            BulkSelectionInput::Matching { query } => BulkSelection::Filter(query.filter()?),
        })
    }
}

/// The dry run's verdict on one service user.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanItemView {
    pub user_id: String,
    pub display_name: Option<String>,
    /// `allowed` (will be sent), `no_op` (already so) or `refused` (by the policy).
    pub verdict: Verdict,
    pub code: Option<amorphic_su_client::model::ErrorCode>,
    pub reason: Option<String>,
}

/// A dry run: nothing was sent.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkPlanView {
    /// The action in words, e.g. "disable".
    pub title: String,
    pub items: Vec<PlanItemView>,
    pub allowed: u32,
    pub no_op: u32,
    pub refused: u32,
    /// Takes something away: in a production environment the run needs its name typed.
    pub destructive: bool,
    pub environment: String,
    pub production: bool,
}

/// One service user's result.
#[derive(Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemResultView {
    pub user_id: String,
    pub outcome: Outcome,
    /// A request was sent for it.
    pub sent: bool,
    pub code: Option<amorphic_su_client::model::Code>,
    pub message: Option<String>,
}

impl From<ItemResult> for ItemResultView {
    fn from(r: ItemResult) -> Self {
        ItemResultView {
            user_id: r.user_id.to_string(),
            outcome: r.outcome,
            sent: r.sent,
            code: r.code,
            message: r.message,
        }
    }
}

/// A run's results, in the plan's order.
#[derive(Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkReportView {
    pub title: String,
    pub results: Vec<ItemResultView>,
    pub done: u32,
    pub refused: u32,
    pub cancelled: u32,
    pub skipped: u32,
}

/// A run's progress: `finished` of `total` items have a result, `item` the latest.
#[derive(Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct BulkProgressEvent {
    pub run_id: String,
    pub finished: u32,
    pub total: u32,
    pub item: ItemResultView,
}

fn n(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn plan_view(plan: BulkPlan, environment: &str, production: bool) -> BulkPlanView {
    BulkPlanView {
        title: plan.action.describe(),
        destructive: plan.action.is_destructive(),
        allowed: n(plan.allowed),
        no_op: n(plan.no_op),
        refused: n(plan.refused),
        items: plan
            .items
            .into_iter()
            .map(|i| PlanItemView {
                user_id: i.user_id.to_string(),
                display_name: i.display_name,
                verdict: i.verdict,
                code: i.code,
                reason: i.reason,
            })
            .collect(),
        environment: environment.to_owned(),
        production,
    }
}

fn report_view(r: BulkReport) -> BulkReportView {
    BulkReportView {
        title: r.action.describe(),
        done: n(r.done),
        refused: n(r.refused),
        cancelled: n(r.cancelled),
        skipped: n(r.skipped),
        results: r.results.into_iter().map(ItemResultView::from).collect(),
    }
}

/// The dry run: every selected service user decided locally; nothing is sent.
#[tauri::command]
#[specta::specta]
pub async fn bulk_plan(
    state: State<'_, AppState>,
    action: BulkActionInput,
    selection: BulkSelectionInput,
) -> IpcResult<BulkPlanView> {
    let (action, selection) = (action.parse()?, selection.parse()?);
    let client = state.client().await?;
    let plan = client.bulk_plan(&action, &selection).await?;
    let p = client.profile();
    Ok(plan_view(plan, &p.name, p.production))
}

/// Runs in flight, by the window's run id, for `bulk_cancel`.
fn runs() -> &'static Mutex<HashMap<String, CancelToken>> {
    static RUNS: OnceLock<Mutex<HashMap<String, CancelToken>>> = OnceLock::new();
    RUNS.get_or_init(Default::default)
}

/// Plans the ids the window showed again (the cache may have moved) and runs the plan, telling
/// its progress as `BulkProgressEvent`s under `run_id`. A destructive change in a production
/// environment needs `confirm_environment` to be the environment's name.
#[tauri::command]
#[specta::specta]
pub async fn bulk_run(
    app: AppHandle,
    state: State<'_, AppState>,
    run_id: String,
    action: BulkActionInput,
    ids: Vec<String>,
    confirm_environment: Option<String>,
) -> IpcResult<BulkReportView> {
    let action = action.parse()?;
    let selection = BulkSelectionInput::Ids { ids }.parse()?;
    let client = state.client().await?;
    let profile = client.profile();
    if profile.production
        && action.is_destructive()
        && confirm_environment.as_deref() != Some(profile.name.as_str())
    {
        return Err(IpcError::new(
            ClientCode::InvalidInput,
            format!(
                "'{}' is a production environment: type its name to confirm; nothing was sent",
                profile.name
            ),
        ));
    }
    let plan = client.bulk_plan(&action, &selection).await?;
    let cancel = CancelToken::new();
    if let Ok(mut r) = runs().lock() {
        r.insert(run_id.clone(), cancel.clone());
    }
    let progress = |p: &BulkProgress| {
        let _ = BulkProgressEvent {
            run_id: run_id.clone(),
            finished: n(p.finished),
            total: n(p.total),
            item: p.item.clone().into(),
        }
        .emit(&app);
    };
    let report = client.bulk_run(&plan, &cancel, &progress).await;
    if let Ok(mut r) = runs().lock() {
        r.remove(&run_id);
    }
    for r in report.results.iter().filter(|r| r.outcome == Outcome::Done) {
        identity::touched(&app, &r.user_id).await;
    }
    Ok(report_view(report))
}

/// Stops a run from starting more items: those not started end "cancelled". An unknown or
/// finished run is no error (it may just have ended).
#[tauri::command]
#[specta::specta]
pub async fn bulk_cancel(run_id: String) -> IpcResult<bool> {
    let token = runs().lock().ok().and_then(|r| r.get(&run_id).cloned());
    Ok(token.map(|t| t.cancel()).is_some())
}
