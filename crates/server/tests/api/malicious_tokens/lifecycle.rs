//! A valid token against a changing world: disables, deletes, detached roles, lost access,
//! expiry, another server.

use serde_json::json;
use std::time::Duration;

use super::forge::*;
use super::harness::*;

#[tokio::test]
async fn a_token_is_bound_to_the_human_who_assumed_it() {
    let s = Srv::start().await;
    let (h, c) = s.valid_parts().await;
    let alices = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    // etl-bot's own PAT (created while acting as it): a service user never assumes.
    let pat = s
        .call(
            reqwest::Method::POST,
            "/access-tokens",
            ALICE,
            Some(&alices),
            Some(json!({"TokenName": "bot", "RoleId": DEFAULT_ROLE, "ExpiresAt": (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)})),
            201,
        )
        .await["Token"]
        .as_str()
        .expect("PAT")
        .to_owned();
    let as_dave = with(&c, |m| {
        m.insert("act".into(), json!({"sub": "dave"}));
    });
    let cases = vec![
        // bob has access to etl-bot himself (team-data), yet alice's token is not his.
        case("alice's token with bob's PAT", alices.clone(), INVALID).auth(BOB),
        case(
            "alice's token with carol's PAT (no access either)",
            alices.clone(),
            INVALID,
        )
        .auth(CAROL),
        case(
            "alice's token with the service user's own PAT",
            alices.clone(),
            INVALID,
        )
        .auth(&pat),
        case(
            "alice's token with no Authorization",
            alices.clone(),
            UNAUTHENTICATED,
        )
        .no_auth(),
        case(
            "alice's token as the Authorization itself",
            alices.clone(),
            UNAUTHENTICATED,
        )
        .auth(&alices),
        case(
            "forged act.sub = dave with dave's PAT (dave is disabled)",
            s.forge(&h, &as_dave),
            DISABLED,
        )
        .auth(DAVE),
    ];
    s.run(cases).await;
    // alice with another of her credentials is still alice.
    s.assert_accepted(&alices, ALICE_SA, "etl-bot", "alice")
        .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn disabling_kills_tokens_and_re_enabling_does_not_revive_them() {
    let s = Srv::start().await;
    let before = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&before, ALICE, "etl-bot", "alice").await;
    let status = |st: &'static str| json!({"UserStatus": st});
    s.call(
        reqwest::Method::PUT,
        "/users/etl-bot/status",
        ALICE,
        None,
        Some(status("disabled")),
        200,
    )
    .await;
    s.run(vec![case(
        "token of a disabled service user",
        before.clone(),
        DISABLED,
    )])
    .await;
    // A token forged now (iat after the disable) is no better while it is disabled.
    let n = now();
    let fresh = with(&split(&before).1, |m| {
        m.insert("iat".into(), json!(n));
        m.insert("nbf".into(), json!(n));
        m.insert("exp".into(), json!(n + 600));
    });
    s.run(vec![case(
        "forged fresh token of a disabled service user",
        s.forge(&s.header(), &fresh),
        DISABLED,
    )])
    .await;
    s.call(
        reqwest::Method::PUT,
        "/users/etl-bot/status",
        ALICE,
        None,
        Some(status("enabled")),
        200,
    )
    .await;
    s.run(vec![case(
        "token from before a disable, after re-enable",
        before.clone(),
        INVALID,
    )])
    .await;
    // Control: a token issued after the re-enable works.
    let after = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&after, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn deleted_and_re_created_service_users_do_not_revive_tokens() {
    let s = Srv::start().await;
    // A fresh service user, so the seed's stay untouched.
    s.call(
        reqwest::Method::POST,
        "/users",
        ALICE_SA,
        None,
        Some(json!({"UserId": "mt-bot", "DisplayName": "Doomed"})),
        201,
    )
    .await;
    let old = s.issue(ALICE, "mt-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&old, ALICE, "mt-bot", "alice").await;
    s.call(
        reqwest::Method::PUT,
        "/users/mt-bot/status",
        ALICE,
        None,
        Some(json!({"UserStatus": "disabled"})),
        200,
    )
    .await;
    s.call(
        reqwest::Method::DELETE,
        "/users/mt-bot?transfer_user_id=alice",
        ALICE,
        None,
        None,
        200,
    )
    .await;
    s.run(vec![case(
        "token of a deleted service user",
        old.clone(),
        INVALID,
    )])
    .await;
    // Same id again: a new uid; the old token stays dead, also re-signed as if fresh.
    s.call(
        reqwest::Method::POST,
        "/users",
        ALICE_SA,
        None,
        Some(json!({"UserId": "mt-bot", "DisplayName": "Reborn"})),
        201,
    )
    .await;
    let fresh = s.issue(ALICE, "mt-bot", DEFAULT_ROLE, 10).await;
    let (_, old_c, _) = split(&old);
    let (_, new_c, _) = split(&fresh);
    assert_ne!(old_c["uid"], new_c["uid"], "a re-created id gets a new uid");
    let n = now();
    let old_uid_now = with(&old_c, |m| {
        m.insert("iat".into(), json!(n));
        m.insert("nbf".into(), json!(n));
        m.insert("exp".into(), json!(n + 600));
    });
    s.run(vec![
        case(
            "token of a deleted and re-created service user",
            old.clone(),
            INVALID,
        ),
        case(
            "forged fresh token with the old uid",
            s.forge(&s.header(), &old_uid_now),
            INVALID,
        ),
    ])
    .await;
    s.assert_accepted(&fresh, ALICE, "mt-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_role_detached_after_issue_is_not_the_active_role() {
    let s = Srv::start().await;
    let jwt = s.issue(BOB, "etl-bot", ENGINEERS, 10).await;
    s.assert_accepted(&jwt, BOB, "etl-bot", "bob").await;
    s.call(
        reqwest::Method::DELETE,
        &format!("/users/etl-bot/roles/{ENGINEERS}"),
        ALICE,
        None,
        None,
        200,
    )
    .await;
    // The contract pins this one to 403 ROLE_NOT_ATTACHED (step 2), not 401.
    s.run(vec![case(
        "role detached after issue",
        jwt.clone(),
        Expect::Forbidden("ROLE_NOT_ATTACHED"),
    )
    .auth(BOB)])
        .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn losing_access_after_issue_kills_the_token() {
    let s = Srv::start().await;
    // report-bot is shared with alice and carol (users, no tags).
    let jwt = s.issue(CAROL, "report-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&jwt, CAROL, "report-bot", "carol").await;
    s.call(
        reqwest::Method::DELETE,
        "/users/report-bot/shares/users/carol",
        ALICE,
        None,
        None,
        200,
    )
    .await;
    s.run(vec![case(
        "assuming user's access removed after issue",
        jwt.clone(),
        INVALID,
    )
    .auth(CAROL)])
        .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_token_of_another_server_is_refused() {
    let (a, b) = tokio::join!(Srv::start(), Srv::start());
    let from_b = b.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    b.assert_accepted(&from_b, ALICE, "etl-bot", "alice").await;
    // Same seed, same ids, same uid: only the key (and issuer) differ.
    let from_a = a.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    assert_eq!(split(&from_a).1["uid"], split(&from_b).1["uid"]);
    let (_, cb, _) = split(&from_b);
    let reissued = with(&cb, |m| {
        m.insert("iss".into(), json!(a.url));
    });
    a.run(vec![
        case("token issued by another server", from_b.clone(), INVALID),
        case(
            "another server's key, this server's kid and issuer",
            sign_ed(&b.key, &a.header(), &reissued),
            INVALID,
        ),
    ])
    .await;
    a.server.shutdown().await;
    b.server.shutdown().await;
}

#[tokio::test]
async fn a_token_accepted_before_still_expires() {
    let s = Srv::start().await;
    let (h, c) = s.valid_parts().await;
    // A token that expires at the start of the second after next: accepted now (which warms
    // any verification cache), refused as soon as `exp` has passed.
    let exp = now() + 2;
    let short = with(&c, |m| {
        m.insert("exp".into(), json!(exp));
    });
    let jwt = s.forge(&h, &short);
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    let wait = exp * 1000 - chrono::Utc::now().timestamp_millis() + 20;
    tokio::time::sleep(Duration::from_millis(wait.max(0) as u64)).await;
    s.run(vec![case(
        "a token accepted before, now expired",
        jwt,
        EXPIRED,
    )])
    .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_token_accepted_before_dies_with_the_credential_it_was_used_with() {
    let s = Srv::start().await;
    let jwt = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let expires = (chrono::Utc::now() + chrono::Duration::days(3))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let created = s
        .call(
            reqwest::Method::POST,
            "/access-tokens",
            ALICE,
            None,
            Some(json!({"TokenName": "short-lived", "RoleId": DEFAULT_ROLE, "ExpiresAt": expires})),
            201,
        )
        .await;
    let pat = created["Token"].as_str().expect("Token").to_owned();
    let token_id = created["TokenId"].as_str().expect("TokenId").to_owned();
    s.assert_accepted(&jwt, &pat, "etl-bot", "alice").await;
    s.call(
        reqwest::Method::DELETE,
        &format!("/access-tokens/{token_id}"),
        ALICE,
        None,
        None,
        204,
    )
    .await;
    s.run(vec![case(
        "token with a PAT revoked after it was used",
        jwt.clone(),
        UNAUTHENTICATED,
    )
    .auth(&pat)])
        .await;
    // The service-user token itself is still good with alice's other credentials.
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

// Multi-thread, so that requests really race the disable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disable_takes_effect_for_every_request_after_it_under_concurrent_use() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let s = Arc::new(Srv::start().await);
    let jwt = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    let disabled = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (s, jwt, disabled, stop) = (s.clone(), jwt.clone(), disabled.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let (mut after, mut wrong) = (0usize, Vec::new());
            while !stop.load(Ordering::SeqCst) {
                let started_after_disable = disabled.load(Ordering::SeqCst);
                let c = case("x", jwt.clone(), DISABLED);
                let a = s
                    .probe(reqwest::Method::GET, "/whoami", &c)
                    .await
                    .expect("answer");
                if started_after_disable {
                    after += 1;
                    if !a.satisfies(DISABLED) {
                        wrong.push(format!("{} {:?}", a.status, a.code));
                    }
                } else if a.status != 200 && !a.satisfies(DISABLED) {
                    wrong.push(format!("during the race: {} {:?}", a.status, a.code));
                }
            }
            (after, wrong)
        }));
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    s.call(
        reqwest::Method::PUT,
        "/users/etl-bot/status",
        ALICE,
        None,
        Some(json!({"UserStatus": "disabled"})),
        200,
    )
    .await;
    disabled.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(250)).await;
    stop.store(true, Ordering::SeqCst);
    let (mut after, mut wrong) = (0, Vec::new());
    for t in tasks {
        let (a, w) = t.await.expect("task");
        after += a;
        wrong.extend(w);
    }
    assert!(after > 8, "only {after} requests after the disable");
    assert!(
        wrong.is_empty(),
        "answers after the disable that were not 401 PRINCIPAL_DISABLED: {wrong:?}"
    );
    if let Ok(s) = Arc::try_unwrap(s) {
        s.server.shutdown().await;
    }
}
