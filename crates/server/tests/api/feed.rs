//! The change feed: `GET /users?action=get_service_users&since=V&limit=N`.

use serde_json::{json, Value};

use crate::common::*;

async fn feed(s: &Srv, since: i64, limit: i64) -> Value {
    let r = s
        .get(&format!(
            "/users?action=get_service_users&since={since}&limit={limit}"
        ))
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect(200);
    r.body
}

fn versions(f: &Value) -> Vec<i64> {
    let mut v: Vec<i64> = f["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Version"].as_i64().unwrap())
        .collect();
    v.extend(
        f["Deleted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["Version"].as_i64().unwrap()),
    );
    v.sort();
    v
}

#[tokio::test]
async fn since_zero_returns_every_service_user_as_changes() {
    let s = Srv::start().await;
    let f = feed(&s, 0, 100).await;
    let ids: Vec<&str> = f["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(["etl-bot", "report-bot", "finance-bot"]
        .iter()
        .all(|i| ids.contains(i)));
    assert_eq!(f["Deleted"], json!([]));
    assert_eq!(f["HasMore"], false);
    let vs = versions(&f);
    assert_eq!(f["NextSince"], json!(vs.last().unwrap()));
    let in_order: Vec<i64> = f["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Version"].as_i64().unwrap())
        .collect();
    assert!(in_order.windows(2).all(|w| w[0] < w[1]), "Version order");
    assert!(f.get("TotalCount").is_none());
}

#[tokio::test]
async fn changes_pages_and_tombstones() {
    let s = Srv::start().await;
    let start = feed(&s, 0, 100).await["NextSince"].as_i64().unwrap();
    // Nothing new yet: an empty page keeps `since`.
    let empty = feed(&s, start, 10).await;
    assert_eq!(
        empty,
        json!({"Users": [], "Deleted": [], "NextSince": start, "HasMore": false})
    );

    s.post("/users")
        .auth(ALICE_SA)
        .json(json!({"UserId": "feed-bot", "DisplayName": "Feed"}))
        .send()
        .await
        .expect(201);
    s.set_status(CAROL_DEFAULT, "report-bot", "disabled")
        .await
        .expect(200);
    s.set_status(CAROL_DEFAULT, "finance-bot", "disabled")
        .await
        .expect(200);
    s.delete("/users/finance-bot?transfer_user_id=carol")
        .auth(CAROL_DEFAULT)
        .send()
        .await
        .expect(200);
    // A no-op adds nothing.
    s.set_status(CAROL_DEFAULT, "report-bot", "disabled")
        .await
        .expect(200);

    let all = feed(&s, start, 100).await;
    let users: Vec<&str> = all["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserId"].as_str().unwrap())
        .collect();
    assert_eq!(
        users,
        ["feed-bot", "report-bot"],
        "each changed user once, at its latest Version"
    );
    assert_eq!(all["Deleted"].as_array().unwrap().len(), 1);
    assert_eq!(all["Deleted"][0]["UserId"], "finance-bot");
    assert_eq!(all["HasMore"], false);
    assert_eq!(versions(&all).len(), 3);
    assert_eq!(all["NextSince"], json!(versions(&all).last().unwrap()));
    assert_eq!(all["Users"][1]["UserStatus"], "disabled");

    // Paged two at a time: the same changes, in order, with HasMore until the end.
    let p1 = feed(&s, start, 2).await;
    assert_eq!(p1["HasMore"], true);
    assert_eq!(versions(&p1).len(), 2);
    let p2 = feed(&s, p1["NextSince"].as_i64().unwrap(), 2).await;
    assert_eq!(p2["HasMore"], false);
    let mut paged = versions(&p1);
    paged.extend(versions(&p2));
    assert_eq!(paged, versions(&all));
    assert_eq!(p2["Deleted"][0]["UserId"], "finance-bot");
    // Feed parameters are checked.
    s.get("/users?since=0")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
    s.get("/users?action=get_service_users&since=-1")
        .auth(BOB_DEFAULT)
        .send()
        .await
        .expect_error(400, "INVALID_REQUEST");
}

#[tokio::test]
async fn versions_stay_strictly_increasing_under_concurrent_writers() {
    let s = Srv::start().await;
    let start = feed(&s, 0, 100).await["NextSince"].as_i64().unwrap();
    let mut writers = tokio::task::JoinSet::new();
    for i in 0..12 {
        let status = if i % 2 == 0 { "disabled" } else { "enabled" };
        let (user, pat) = if i % 3 == 0 {
            ("finance-bot", CAROL_DEFAULT)
        } else {
            ("etl-bot", BOB_DEFAULT)
        };
        writers.spawn(
            s.put(&format!("/users/{user}/status"))
                .auth(pat)
                .json(json!({"UserStatus": status}))
                .send(),
        );
        writers.spawn(
            s.post("/datasources")
                .auth(ALICE_SYSADMINS)
                .json(json!({"DatasourceName": format!("d{i}"), "DatasourceType": "s3"}))
                .send(),
        );
        writers.spawn(
            s.post("/users")
                .auth(ALICE_SA)
                .json(json!({"UserId": format!("burst-{i}"), "DisplayName": "b"}))
                .send(),
        );
    }
    while let Some(r) = writers.join_next().await {
        assert!(r.unwrap().status < 300);
    }
    // Page through one item at a time: every Version unique and increasing, nothing skipped.
    let mut since = start;
    let mut seen = Vec::new();
    loop {
        let f = feed(&s, since, 1).await;
        let vs = versions(&f);
        assert!(vs.len() <= 1);
        seen.extend(vs);
        since = f["NextSince"].as_i64().unwrap();
        if f["HasMore"] == false {
            break;
        }
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    let all = feed(&s, start, 1000).await;
    assert_eq!(seen, versions(&all));
    let bursts = all["Users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["UserId"].as_str().unwrap().starts_with("burst-"))
        .count();
    assert_eq!(bursts, 12);
}
