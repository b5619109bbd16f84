//! Two owners deleting the same service user at once, and changes racing its delete.

use std::sync::Arc;

use serde_json::json;
use tokio::sync::Barrier;

use super::*;

/// A service user with something of everything a delete must clean up or move: an extra
/// role, a datasource it owns, a PAT of its own, a live service-user token. Disabled, ready
/// to delete. Returns (uid, datasource id, its PAT, the token).
async fn loaded_service_user(s: &Srv, id: &str) -> (i64, String, String, String) {
    let uid = fresh_service_user(s, id).await;
    s.post(&format!("/users/{id}/roles"))
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleIds": [ENGINEERS]}))
        .send()
        .await
        .expect(200);
    let token = s.assume(ALICE_DEFAULT, id, ENGINEERS, 10).await;
    let ds = s
        .post("/datasources")
        .auth(ALICE_DEFAULT)
        .acting(&token)
        .json(json!({"DatasourceName": format!("{id}-data"), "DatasourceType": "s3"}))
        .send()
        .await;
    ds.expect(201);
    let pat = s
        .create_pat(ALICE_DEFAULT, Some(&token), DEFAULT_ROLE)
        .await;
    s.set_status(ALICE_DEFAULT, id, "disabled")
        .await
        .expect(200);
    (
        uid,
        ds.body["DatasourceId"].as_str().unwrap().to_owned(),
        pat["Token"].as_str().unwrap().to_owned(),
        token,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_deleting_the_same_service_user_one_wins_the_other_gets_404() {
    let s = Arc::new(Srv::start().await);
    let (mut alice_won, mut bob_won) = (0, 0);
    for round in 0..ROUNDS {
        let id = format!("race-del-{round}");
        let (uid, ds, pat, token) = loaded_service_user(&s, &id).await;
        let before = current_version(&s).await;
        let gate = Arc::new(Barrier::new(2));
        let racers = [(ALICE_DEFAULT, "alice"), (BOB_DEFAULT, "bob")].map(|(who, to)| {
            let (s, gate, id) = (s.clone(), gate.clone(), id.clone());
            tokio::spawn(async move {
                gate.wait().await;
                jitter(round, usize::from(to == "bob")).await;
                let r = s
                    .delete(&format!("/users/{id}?transfer_user_id={to}"))
                    .auth(who)
                    .send()
                    .await;
                (to, r)
            })
        });
        let mut winner = None;
        for h in racers {
            let (to, r) = h.await.unwrap();
            match r.status {
                200 => {
                    assert!(winner.is_none(), "{id}: both deletes succeeded");
                    assert_eq!(r.body["TransferredTo"], json!(to), "{id}");
                    let moved = r.body["TransferredResources"].as_array().unwrap();
                    assert_eq!(moved.len(), 1, "{id}: {}", r.body);
                    winner = Some(to);
                }
                _ => r.expect_error(404, "NOT_FOUND"),
            }
        }
        let winner = winner.unwrap_or_else(|| panic!("{id}: no delete succeeded"));
        if winner == "alice" {
            alice_won += 1;
        } else {
            bob_won += 1;
        }
        assert_wholly_deleted(&s, &id, uid, before).await;
        // What it owned moved to the winner's transfer user; its credentials are dead.
        let d = s
            .get(&format!("/datasources/{ds}"))
            .auth(ALICE_SYSADMINS)
            .send()
            .await;
        d.expect(200);
        assert_eq!(
            d.body["Owner"],
            json!(winner),
            "{id}: datasource not transferred"
        );
        s.get("/whoami").auth(&pat).send().await.expect(401);
        s.get("/whoami")
            .auth(ALICE_DEFAULT)
            .acting(&token)
            .send()
            .await
            .expect_error(401, "TOKEN_INVALID");
    }
    eprintln!("delete race: {ROUNDS} rounds, alice won {alice_won}, bob won {bob_won}");
}

/// Outcome counts of the racers of [`changes_racing_a_delete_land_before_it_or_get_a_clear_refusal`].
#[derive(Default, Debug)]
struct Tally {
    deleted: usize,
    delete_refused: usize,
    landed_before: usize,
    refused_after: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_racing_a_delete_land_before_it_or_get_a_clear_refusal() {
    let s = Arc::new(Srv::start().await);
    let mut tally = Tally::default();
    for round in 0..ROUNDS {
        let id = format!("race-chg-{round}");
        let uid = fresh_service_user(&s, &id).await;
        s.set_status(ALICE_DEFAULT, &id, "disabled")
            .await
            .expect(200);
        let before = current_version(&s).await;
        let gate = Arc::new(Barrier::new(4));
        let mut racers = Vec::new();
        for lane in 0..4usize {
            let (s, gate, id) = (s.clone(), gate.clone(), id.clone());
            racers.push(tokio::spawn(async move {
                gate.wait().await;
                jitter(round, lane).await;
                match lane {
                    0 => s
                        .delete(&format!("/users/{id}?transfer_user_id=alice"))
                        .auth(ALICE_SA),
                    1 => s
                        .put(&format!("/users/{id}/shares"))
                        .auth(ALICE_DEFAULT)
                        .json(
                            json!({"Users": [{"UserId": "carol", "AccessType": "owner"}],
                                     "Tags": [{"TagId": "team-finance", "AccessType": "owner"}]}),
                        ),
                    2 => s
                        .post(&format!("/users/{id}/roles"))
                        .auth(ALICE_ENGINEERS)
                        .json(json!({"RoleIds": [ENGINEERS]})),
                    _ => s
                        .put(&format!("/users/{id}/status"))
                        .auth(BOB_DEFAULT)
                        .json(json!({"UserStatus": "enabled"})),
                }
                .send()
                .await
            }));
        }
        let mut answers = Vec::new();
        for h in racers {
            answers.push(h.await.unwrap());
        }
        for (lane, r) in answers.iter().enumerate() {
            assert!(r.status < 500, "{id} lane {lane}: {} {}", r.status, r.body);
        }
        let deleted = answers[0].status == 200;
        if deleted {
            tally.deleted += 1;
            // Every change either landed before the delete (and went with it) or found no
            // user; none may have left a row behind.
            for r in &answers[1..] {
                if r.status == 200 {
                    tally.landed_before += 1;
                } else {
                    r.expect_error(404, "NOT_FOUND");
                    tally.refused_after += 1;
                }
            }
            assert_wholly_deleted(&s, &id, uid, before).await;
        } else {
            // Only the enable can stop the delete, and then it landed first.
            answers[0].expect_error(409, "MUST_DISABLE_FIRST");
            answers[3].expect(200);
            tally.delete_refused += 1;
            let u = s.user(&id).await;
            assert_eq!(u["UserStatus"], json!("enabled"), "{id}");
            let shared = u["Shares"]["Users"].to_string().contains("carol")
                && u["Shares"]["Tags"].to_string().contains("team-finance");
            assert_eq!(
                shared,
                answers[1].status == 200,
                "{id}: shares {}",
                u["Shares"]
            );
            let attached = u["Roles"].to_string().contains(ENGINEERS);
            assert_eq!(
                attached,
                answers[2].status == 200,
                "{id}: roles {}",
                u["Roles"]
            );
            assert!(leftovers(&s, uid)
                .await
                .iter()
                .any(|l| l.starts_with("users.")));
        }
    }
    eprintln!("changes racing a delete: {ROUNDS} rounds, {tally:?}");
    assert_eq!(tally.deleted + tally.delete_refused, ROUNDS);
}
