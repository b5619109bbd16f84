//! The race between disabling a service user and issuing its tokens: many tokens are issued
//! concurrently while the disable lands just before a second boundary (with the writer kept
//! busy, so the disable waits for it), then the user is enabled again. No token issued before
//! or during the disable may work after the re-enable, and no issue asked for after the
//! disable answered may succeed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::common::*;

/// Concurrent issuers and rounds: bounded to a few seconds in all.
const ISSUERS: usize = 12;
const ROUNDS: u32 = 6;

/// One issue attempt: when it was sent, and the token or the refusal's code.
struct Attempt {
    sent: Instant,
    token: Option<String>,
    code: Option<String>,
}

async fn issue_once(s: &Srv) -> Attempt {
    let sent = Instant::now();
    let r = s
        .post("/users/etl-bot/auth-token")
        .auth(ALICE_DEFAULT)
        .json(json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 10}))
        .send()
        .await;
    match r.status {
        201 => Attempt {
            sent,
            token: r.body["Token"].as_str().map(str::to_owned),
            code: None,
        },
        409 => Attempt {
            sent,
            token: None,
            code: r.body["Code"].as_str().map(str::to_owned),
        },
        other => panic!("issue answered {other}: {}", r.body),
    }
}

/// Sleeps until `lead` before the next whole second of the wall clock.
async fn just_before_next_second(lead: Duration) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let into = Duration::from_nanos(u64::from(now.subsec_nanos()));
    let to_boundary = Duration::from_secs(1) - into;
    let wait = to_boundary
        .checked_sub(lead)
        .unwrap_or(to_boundary + Duration::from_secs(1) - lead);
    tokio::time::sleep(wait).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tokens_issued_around_a_disable_stay_dead_after_the_re_enable() {
    let s = Arc::new(Srv::start().await);
    let (mut tried, mut issued, mut survivors, mut late) = (0usize, 0usize, 0usize, 0usize);
    for round in 0..ROUNDS {
        // Start issuing a little before the boundary, so that the tokens checked are mostly
        // the ones around it.
        just_before_next_second(Duration::from_millis(250)).await;
        let stop = Arc::new(AtomicBool::new(false));
        let mut issuers = Vec::new();
        for _ in 0..ISSUERS {
            let (s, stop) = (s.clone(), stop.clone());
            issuers.push(tokio::spawn(async move {
                let mut out = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    out.push(issue_once(&s).await);
                }
                out
            }));
        }
        // Other writes keep the single writer busy, so the disable queues for it.
        let busy = {
            let (s, stop) = (s.clone(), stop.clone());
            tokio::spawn(async move {
                let mut on = false;
                while !stop.load(Ordering::Relaxed) {
                    let status = if on { "enabled" } else { "disabled" };
                    s.set_status(CAROL_DEFAULT, "report-bot", status)
                        .await
                        .expect(200);
                    on = !on;
                }
            })
        };
        // Land the disable a few milliseconds before a second boundary, a different lead
        // each round.
        just_before_next_second(Duration::from_millis(1 + u64::from(round) * 3)).await;
        s.set_status(BOB_DEFAULT, "etl-bot", "disabled")
            .await
            .expect(200);
        let committed = Instant::now();
        // Keep issuing across the boundary and a little after.
        tokio::time::sleep(Duration::from_millis(150)).await;
        stop.store(true, Ordering::Relaxed);
        let mut attempts = Vec::new();
        for h in issuers {
            attempts.extend(h.await.unwrap());
        }
        busy.await.unwrap();
        s.set_status(BOB_DEFAULT, "etl-bot", "enabled")
            .await
            .expect(200);

        for a in &attempts {
            tried += 1;
            if a.sent > committed {
                // Asked after the disable answered: refused, never issued.
                if a.token.is_some() {
                    late += 1;
                } else {
                    assert_eq!(a.code.as_deref(), Some("SERVICE_USER_DISABLED"));
                }
            }
            let Some(token) = &a.token else { continue };
            issued += 1;
            let r = s
                .get("/whoami")
                .auth(ALICE_DEFAULT)
                .acting(token)
                .send()
                .await;
            match r.status {
                200 => survivors += 1,
                _ => r.expect_error(401, "TOKEN_INVALID"),
            }
        }
    }
    // A token issued after the re-enable works: the refusals above are about the disable.
    let fresh = s.assume(ALICE_DEFAULT, "etl-bot", DEFAULT_ROLE, 10).await;
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&fresh)
        .send()
        .await
        .expect(200);
    eprintln!(
        "disable race: {ROUNDS} rounds, {tried} issue attempts, {issued} tokens issued, \
         {survivors} accepted after the re-enable, {late} issued after the disable answered"
    );
    assert!(issued > 0, "no token was issued at all");
    assert_eq!(
        (survivors, late),
        (0, 0),
        "tokens accepted after the re-enable, and tokens issued after the disable answered"
    );
}
