//! The one search syntax (`role:`, `status:`, `tag:`, `owner:`, `created-by:`, quoted phrases
//! and free words) through the client's list, against the real server's demo data.

use amorphic_su_client::model::{ClientCode, Code};
use amorphic_su_client::UserFilter;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_understands_the_search_syntax() {
    let env = Env::new().await;
    let client = env.signed_in("search", ALICE_SUPERADMIN_PAT).await;
    let ids = |search: &str| {
        let f = UserFilter {
            search: Some(search.into()),
            ..Default::default()
        };
        let client = &client;
        async move {
            let r = client.list_users(&f, false).await.unwrap();
            r.data
                .iter()
                .map(|u| u.user_id.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        ids("role:role-analysts").await,
        ["carol", "finance-bot", "report-bot"]
    );
    assert_eq!(ids("status:disabled").await, ["dave"]);
    assert_eq!(ids("tag:team-data").await, ["alice", "bob"]);
    assert_eq!(ids("owner:carol").await, ["finance-bot", "report-bot"]);
    assert_eq!(
        ids("created-by:alice").await,
        ["etl-bot", "finance-bot", "report-bot"]
    );
    assert_eq!(
        ids("owner:alice role:role-analysts status:enabled").await,
        ["report-bot"]
    );
    assert_eq!(ids("bot owner:carol").await, ["finance-bot", "report-bot"]);
    assert_eq!(ids("\"report bot\"").await, ["report-bot"]);
    assert_eq!(ids("\"bot report\"").await, Vec::<String>::new());

    let f = UserFilter {
        search: Some("colour:red".into()),
        ..Default::default()
    };
    let e = client.list_users(&f, false).await.unwrap_err();
    assert_eq!(e.code(), Code::from(ClientCode::InvalidInput));
    assert!(
        e.to_string().contains("unknown search key 'colour:'"),
        "{e}"
    );
    sign_out(client).await;
}
