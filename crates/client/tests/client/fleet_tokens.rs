//! The access-token dashboard against the real server: every PAT of the service users you own
//! with its days left, the filters (expiring, high privilege, service user), a revoke of many
//! (each journaled, one failure reported without stopping the rest), and offline the last
//! listing marked stale.

use amorphic_su_client::model::{RoleId, TokenId};
use amorphic_su_client::{
    expires_in_days, Client, FleetFilter, JournalAction, JournalQuery, JournalResult,
    NewAccessToken, TokenRef,
};

use crate::common::*;

fn role(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}

async fn pat(c: &Client, su: &str, name: &str, role_id: &str, days: u16) -> TokenId {
    c.create_access_token_as(
        &id(su),
        NewAccessToken {
            name: name.into(),
            description: None,
            role_id: role(role_id),
            expires_at: expires_in_days(days),
        },
    )
    .await
    .unwrap()
    .record
    .token_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_listing_filters_and_revokes_many() {
    let env = Env::new().await;
    let c = env.signed_in("fleet", ALICE_SUPERADMIN_PAT).await;
    c.sync(false, &|_| {}).await.unwrap();
    c.roles().await.unwrap();
    c.attach_roles(&id("etl-bot"), &[role(RoleId::SYSTEM_ADMINISTRATORS)])
        .await
        .unwrap();
    c.assume(&id("etl-bot"), None, Some(5)).await.unwrap();
    c.assume(&id("report-bot"), None, Some(5)).await.unwrap();
    let admin = pat(
        &c,
        "etl-bot",
        "etl-admin",
        RoleId::SYSTEM_ADMINISTRATORS,
        200,
    )
    .await;
    let soon = pat(&c, "etl-bot", "etl-soon", RoleId::DEFAULT_USERS, 5).await;
    let report = pat(&c, "report-bot", "report", "role-analysts", 20).await;

    let all = c
        .fleet_access_tokens(&FleetFilter::default())
        .await
        .unwrap();
    assert!(!all.stale && all.as_of.is_some());
    let rows: Vec<(&str, &str, i64, bool)> = all
        .data
        .iter()
        .map(|t| {
            (
                t.service_user.as_str(),
                t.token.token_name.as_str(),
                t.days_left,
                t.high_privilege,
            )
        })
        .collect();
    let mut expected = vec![
        ("etl-bot", "etl-admin", 200, true),
        ("etl-bot", "etl-soon", 5, false),
        ("report-bot", "report", 20, false),
    ];
    // Sorted by service user, then token id (random): compare as sets per service user.
    let mut got = rows.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);

    let names = |f: FleetFilter| {
        let c = &c;
        async move {
            let mut n: Vec<String> = c
                .fleet_access_tokens(&f)
                .await
                .unwrap()
                .data
                .into_iter()
                .map(|t| t.token.token_name)
                .collect();
            n.sort();
            n
        }
    };
    let within = |d| FleetFilter {
        expiring_within_days: Some(d),
        ..Default::default()
    };
    assert_eq!(names(within(7)).await, ["etl-soon"]);
    assert_eq!(names(within(30)).await, ["etl-soon", "report"]);
    let high = FleetFilter {
        high_privilege_only: true,
        ..Default::default()
    };
    assert_eq!(names(high).await, ["etl-admin"]);
    let of_report = FleetFilter {
        service_user: Some(id("report-bot")),
        ..Default::default()
    };
    assert_eq!(names(of_report).await, ["report"]);

    // Two revoked, one already gone: reported, the others still done.
    let outcomes = c
        .revoke_access_tokens(&[
            TokenRef {
                service_user: id("etl-bot"),
                token_id: soon.clone(),
            },
            TokenRef {
                service_user: id("etl-bot"),
                token_id: soon.clone(),
            },
            TokenRef {
                service_user: id("report-bot"),
                token_id: report.clone(),
            },
        ])
        .await;
    let codes: Vec<Option<&str>> = outcomes.iter().map(|o| o.code.as_deref()).collect();
    assert_eq!(codes, [None, Some("NOT_FOUND"), None]);
    let left = c
        .fleet_access_tokens(&FleetFilter::default())
        .await
        .unwrap();
    let ids: Vec<&TokenId> = left.data.iter().map(|t| &t.token.token_id).collect();
    assert_eq!(ids, [&admin], "on the server, only the admin PAT is left");
    let revokes = c
        .history(JournalQuery {
            action: Some(JournalAction::AccessTokenRevoked),
            ..Default::default()
        })
        .await
        .unwrap();
    let results: Vec<JournalResult> = revokes.iter().map(|e| e.result).collect();
    assert_eq!(
        results,
        [
            JournalResult::Done,
            JournalResult::Refused,
            JournalResult::Done
        ],
        "each revoke journaled, newest first"
    );

    // Offline: the last listing, stale, with its time; a revoke fails as offline.
    env.srv.shutdown().await;
    let kept = c
        .fleet_access_tokens(&FleetFilter::default())
        .await
        .unwrap();
    assert!(kept.stale);
    assert_eq!(kept.as_of, left.as_of);
    assert_eq!(kept.data.len(), 1);
    let offline = c
        .revoke_access_tokens(&[TokenRef {
            service_user: id("etl-bot"),
            token_id: admin,
        }])
        .await;
    assert_eq!(offline[0].code.as_deref(), Some("offline"));
}
