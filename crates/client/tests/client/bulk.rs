//! Bulk changes: the dry run decides locally (one item refused by the policy, one a no-op), the
//! run sends the rest and its results are checked on the server; a cancelled run; a bulk delete
//! with a transfer user.

use std::sync::Mutex;

use amorphic_su_client::model::{ErrorCode, RoleId, UserStatus};
use amorphic_su_client::{
    BulkAction, BulkSelection, CancelToken, Client, JournalAction, JournalQuery, NewServiceUser,
    Outcome, UserFilter, Verdict,
};

use crate::common::*;

async fn create(c: &Client, user_id: &str) {
    c.create_service_user(NewServiceUser {
        user_id: user_id.into(),
        display_name: format!("Bulk {user_id}"),
        description: None,
    })
    .await
    .unwrap();
}

async fn status(c: &Client, user_id: &str) -> UserStatus {
    let u = c.user(&id(user_id)).await.unwrap();
    assert!(!u.stale, "read from the server");
    u.data.user_status
}

fn verdicts(plan: &amorphic_su_client::BulkPlan) -> Vec<(String, Verdict, Option<ErrorCode>)> {
    plan.items
        .iter()
        .map(|i| (i.user_id.to_string(), i.verdict, i.code))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_disable_of_a_filter_is_planned_locally_then_run_and_checked_on_the_server() {
    let env = Env::new().await;
    let client = env.signed_in("bulk", ALICE_SUPERADMIN_PAT).await;
    create(&client, "idle-bot").await;
    client.disable(&id("idle-bot")).await.unwrap();
    client.sync(false, &|_| {}).await.unwrap();

    // Every service user: finance-bot is not shared with alice, idle-bot is already disabled.
    let all = BulkSelection::Filter(UserFilter::default());
    let plan = client.bulk_plan(&BulkAction::Disable, &all).await.unwrap();
    assert_eq!(
        verdicts(&plan),
        [
            ("etl-bot".into(), Verdict::Allowed, None),
            (
                "finance-bot".into(),
                Verdict::Refused,
                Some(ErrorCode::NoAccessToServiceUser)
            ),
            ("idle-bot".into(), Verdict::NoOp, None),
            ("report-bot".into(), Verdict::Allowed, None),
        ]
    );
    assert_eq!((plan.allowed, plan.no_op, plan.refused), (2, 1, 1));
    assert_eq!(
        plan.items[2].reason.as_deref(),
        Some("already disabled"),
        "a no-op says why"
    );
    assert_eq!(
        status(&client, "etl-bot").await,
        UserStatus::Enabled,
        "the plan sent nothing"
    );

    // Detaching a role alice does not hold: refused with the reason, before anything is sent.
    let detach = BulkAction::DetachRole {
        role: RoleId::parse("role-analysts").unwrap(),
    };
    let ids = BulkSelection::Ids(vec![id("report-bot"), id("etl-bot"), id("report-bot")]);
    let p = client.bulk_plan(&detach, &ids).await.unwrap();
    assert_eq!(
        verdicts(&p),
        [
            (
                "report-bot".into(),
                Verdict::Refused,
                Some(ErrorCode::NoAccessToRole)
            ),
            ("etl-bot".into(), Verdict::NoOp, None),
        ],
        "duplicates dropped"
    );
    assert_eq!(
        p.items[0].reason.as_deref(),
        Some("you don't hold role role-analysts")
    );

    // An id the cache does not hold is refused as not found, in its place among the others.
    let ids = BulkSelection::Ids(vec![id("etl-bot"), id("no-such-bot"), id("report-bot")]);
    let p = client.bulk_plan(&BulkAction::Disable, &ids).await.unwrap();
    assert_eq!(p.items.len(), 3, "{p:?}");
    assert_eq!(p.items[1].user_id.as_str(), "no-such-bot");
    assert_eq!(
        (p.items[1].verdict, p.items[1].code),
        (Verdict::Refused, Some(ErrorCode::NotFound))
    );
    assert!(p.items[0].display_name.is_some() && p.items[2].display_name.is_some());

    // The run: progress for every item, the refused one never sent.
    let seen = Mutex::new(Vec::new());
    let report = client
        .bulk_run(&plan, &CancelToken::new(), &|p| {
            seen.lock().unwrap().push((p.finished, p.total))
        })
        .await;
    let outcomes: Vec<_> = report
        .results
        .iter()
        .map(|r| (r.user_id.to_string(), r.outcome, r.sent))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("etl-bot".into(), Outcome::Done, true),
            ("finance-bot".into(), Outcome::Refused, false),
            ("idle-bot".into(), Outcome::Skipped, false),
            ("report-bot".into(), Outcome::Done, true),
        ]
    );
    assert_eq!(
        report.results[1].code,
        Some(ErrorCode::NoAccessToServiceUser.into())
    );
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, [(1, 4), (2, 4), (3, 4), (4, 4)]);
    for su in ["etl-bot", "report-bot"] {
        assert_eq!(status(&client, su).await, UserStatus::Disabled, "{su}");
    }
    assert_eq!(status(&client, "finance-bot").await, UserStatus::Enabled);
    let history = client.activity(&id("etl-bot")).await.unwrap();
    assert!(
        history.iter().any(|a| a.detail == "disabled"),
        "through the single-item operation, journal included: {history:?}"
    );

    let runs = client
        .history(JournalQuery {
            action: Some(JournalAction::BulkRun),
            ..JournalQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(runs.len(), 1, "one journal entry for the run: {runs:?}");
    assert_eq!(
        runs[0].detail,
        "disable of 4 service user(s): 2 done, 1 refused, 1 skipped, 0 cancelled"
    );

    // Once the cache knows, the same plan has nothing left to send.
    let again = client.bulk_plan(&BulkAction::Disable, &all).await.unwrap();
    assert_eq!((again.allowed, again.no_op, again.refused), (0, 3, 1));
    sign_out(client).await;
    env.srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_reports_the_items_not_started_as_cancelled() {
    let env = Env::new().await;
    let client = env.signed_in("bulk-cancel", ALICE_SUPERADMIN_PAT).await;
    let names: Vec<String> = (0..12).map(|i| format!("cancel-bot-{i:02}")).collect();
    for n in &names {
        create(&client, n).await;
    }
    let ids = BulkSelection::Ids(names.iter().map(|n| id(n)).collect());
    let plan = client.bulk_plan(&BulkAction::Disable, &ids).await.unwrap();
    assert_eq!(plan.allowed, 12);

    let cancel = CancelToken::new();
    let report = client
        .bulk_run(&plan, &cancel, &|p| {
            if p.item.outcome == Outcome::Done {
                cancel.cancel();
            }
        })
        .await;
    assert_eq!(report.done + report.cancelled, 12, "{report:?}");
    assert!(
        (1..=amorphic_su_client::BULK_CONCURRENCY).contains(&report.done),
        "only the items in flight finish: {report:?}"
    );
    for r in &report.results {
        let want = match r.outcome {
            Outcome::Done => UserStatus::Disabled,
            Outcome::Cancelled => UserStatus::Enabled,
            other => panic!("{other:?}"),
        };
        assert_eq!(status(&client, r.user_id.as_str()).await, want, "{r:?}");
        assert_eq!(r.sent, r.outcome == Outcome::Done);
    }
    sign_out(client).await;
    env.srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_delete_needs_disabled_users_and_a_usable_transfer_user() {
    let env = Env::new().await;
    let client = env.signed_in("bulk-delete", ALICE_SUPERADMIN_PAT).await;
    for n in ["old-bot-1", "old-bot-2", "live-bot"] {
        create(&client, n).await;
    }
    for n in ["old-bot-1", "old-bot-2"] {
        client.disable(&id(n)).await.unwrap();
    }
    let ids = BulkSelection::Ids(vec![id("old-bot-1"), id("live-bot"), id("old-bot-2")]);
    client.sync(false, &|_| {}).await.unwrap();

    // dave is disabled: no item may transfer to him.
    let to_dave = BulkAction::Delete {
        transfer_to: id("dave"),
    };
    let p = client.bulk_plan(&to_dave, &ids).await.unwrap();
    assert_eq!(p.refused, 3, "{p:?}");
    assert_eq!(p.items[0].code, Some(ErrorCode::InvalidTransferUser));
    assert_eq!(
        p.items[0].reason.as_deref(),
        Some("transfer user dave must be an existing, enabled regular user")
    );

    let to_bob = BulkAction::Delete {
        transfer_to: id("bob"),
    };
    let plan = client.bulk_plan(&to_bob, &ids).await.unwrap();
    assert_eq!(
        verdicts(&plan),
        [
            ("old-bot-1".into(), Verdict::Allowed, None),
            (
                "live-bot".into(),
                Verdict::Refused,
                Some(ErrorCode::MustDisableFirst)
            ),
            ("old-bot-2".into(), Verdict::Allowed, None),
        ]
    );
    assert_eq!(
        plan.items[1].reason.as_deref(),
        Some("must be disabled first")
    );
    let report = client.bulk_run(&plan, &CancelToken::new(), &|_| {}).await;
    assert_eq!((report.done, report.refused), (2, 1), "{report:?}");
    for n in ["old-bot-1", "old-bot-2"] {
        let e = client.user(&id(n)).await.unwrap_err();
        assert_eq!(e.api_code(), Some(ErrorCode::NotFound), "{n} is gone");
        assert!(client.cache().user(&id(n)).await.unwrap().is_none());
    }
    assert_eq!(status(&client, "live-bot").await, UserStatus::Enabled);
    sign_out(client).await;
    env.srv.shutdown().await;
}
