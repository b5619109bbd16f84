//! `DELETE /auth/sessions/current`: the reference server's sign-out of the calling session.

use serde_json::json;

use crate::auth::sign_in;
use crate::common::*;

#[tokio::test]
async fn signing_out_ends_the_calling_session_only() {
    let s = Srv::start().await;
    let t1 = sign_in(&s, "bob", BOB_PASSWORD).await;
    let t2 = sign_in(&s, "bob", BOB_PASSWORD).await;
    let r = s.delete("/auth/sessions/current").auth(&t1).send().await;
    r.expect(204);
    s.get("/whoami")
        .auth(&t1)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    // A second sign-out with the ended token is what any request with it gets.
    s.delete("/auth/sessions/current")
        .auth(&t1)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    // The other session and the PATs of the same user live on.
    s.get("/whoami").auth(&t2).send().await.expect(200);
    s.get("/whoami").auth(BOB_DEFAULT).send().await.expect(200);
    let r = s.get("/users/bob/sessions").auth(&t2).send().await;
    assert_eq!(r.body["Sessions"].as_array().unwrap().len(), 1);
    // Bearer works as for every other request.
    s.delete("/auth/sessions/current")
        .auth(&format!("Bearer {t2}"))
        .send()
        .await
        .expect(204);
    let r = s.get("/users/bob/sessions").auth(BOB_DEFAULT).send().await;
    assert_eq!(r.body, json!({"Sessions": []}));
}

#[tokio::test]
async fn a_pat_is_not_a_session() {
    let s = Srv::start().await;
    let r = s
        .delete("/auth/sessions/current")
        .auth(BOB_DEFAULT)
        .send()
        .await;
    r.expect_error(400, "NOT_A_SESSION");
    s.get("/whoami").auth(BOB_DEFAULT).send().await.expect(200);
    s.delete("/auth/sessions/current")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    s.delete("/auth/sessions/current")
        .auth("amo_ses_not_a_token")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn service_user_tokens_cannot_sign_out() {
    let s = Srv::start().await;
    let session = sign_in(&s, "alice", ALICE_PASSWORD).await;
    let jwt = s.assume(&session, "etl-bot", DEFAULT_ROLE, 5).await;
    // Acting: the service-user token is not a session; the person's session stays.
    s.delete("/auth/sessions/current")
        .auth(&session)
        .acting(&jwt)
        .send()
        .await
        .expect_error(403, "SERVICE_USER_NOT_ALLOWED");
    s.get("/whoami").auth(&session).send().await.expect(200);
    // A service user's own PAT.
    let pat = s.create_pat(&session, Some(&jwt), DEFAULT_ROLE).await;
    let bot_pat = pat["Token"].as_str().unwrap();
    s.delete("/auth/sessions/current")
        .auth(bot_pat)
        .send()
        .await
        .expect_error(400, "NO_SESSIONS_FOR_SERVICE_USERS");
    s.get("/whoami").auth(bot_pat).send().await.expect(200);
}

/// The contract binds an assumed token to its person (`act.sub`), not to a session: after the
/// session it was assumed with ends, it is useless with that session and still works beside
/// another live credential of the same person until its own expiry.
#[tokio::test]
async fn tokens_assumed_with_the_session_need_another_live_credential() {
    let s = Srv::start().await;
    let session = sign_in(&s, "alice", ALICE_PASSWORD).await;
    let jwt = s.assume(&session, "etl-bot", DEFAULT_ROLE, 5).await;
    s.delete("/auth/sessions/current")
        .auth(&session)
        .send()
        .await
        .expect(204);
    s.get("/whoami")
        .auth(&session)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
    let r = s
        .get("/whoami")
        .auth(ALICE_DEFAULT)
        .acting(&jwt)
        .send()
        .await;
    r.expect(200);
    assert_eq!(r.body["UserId"], "etl-bot");
    assert_eq!(r.body["ActorUserId"], "alice");
    // Someone else's credential beside it is refused, as always (act.sub).
    s.get("/whoami")
        .auth(BOB_DEFAULT)
        .acting(&jwt)
        .send()
        .await
        .expect_error(401, "TOKEN_INVALID");
}
