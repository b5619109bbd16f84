//! Whether the server still accepts an assumed identity: checks after changes made elsewhere
//! (another client), after this app's own changes, on a refused acting-as request, offline and
//! after the session ended.

use amorphic_su_client::model::{ClientCode, ErrorCode, RoleId, TagId};
use amorphic_su_client::{
    AssumedIdentity, Client, IdentityState, RefusalReason, SecretKind, Vault,
};

use crate::common::*;

const ENGINEERS: &str = "role-data-engineers";

fn role(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}

/// The state, the refusal's reason and code, and whether it can be assumed again.
fn seen(
    i: &AssumedIdentity,
) -> (
    IdentityState,
    Option<RefusalReason>,
    Option<ErrorCode>,
    bool,
) {
    let r = i.refusal.as_ref();
    (
        i.state,
        r.map(|r| r.reason),
        r.map(|r| r.code),
        i.can_assume_again,
    )
}

const LIVE: (
    IdentityState,
    Option<RefusalReason>,
    Option<ErrorCode>,
    bool,
) = (IdentityState::Live, None, None, false);

async fn check(c: &Client) -> AssumedIdentity {
    let i = c.check_identity(&id("etl-bot")).await.unwrap();
    assert!(i.checked_at.is_some(), "a check is dated");
    i
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disable_elsewhere_is_seen_at_the_next_check_and_the_re_enable_needs_a_new_token() {
    let env = Env::new().await;
    let mine = env.signed_in("check-disable", ALICE_SUPERADMIN_PAT).await;
    let other = env.signed_in("check-other", ALICE_SUPERADMIN_PAT).await;
    let etl = id("etl-bot");

    let assumed = mine.assume(&etl, None, Some(30)).await.unwrap();
    assert_eq!(seen(&assumed), LIVE);
    assert_eq!(assumed.checked_at, None, "an assume is not a check");
    assert_eq!(seen(&check(&mine).await), LIVE);

    other.disable(&etl).await.unwrap();
    let disabled = check(&mine).await;
    assert_eq!(
        seen(&disabled),
        (
            IdentityState::Refused,
            Some(RefusalReason::Disabled),
            Some(ErrorCode::PrincipalDisabled),
            false
        )
    );
    let refusal = disabled.refusal.as_ref().unwrap();
    assert!(!refusal.message.is_empty(), "the server's message is kept");

    // Enabled again, the old token stays dead: refused, but a new one can be had.
    other.enable(&etl).await.unwrap();
    let enabled = check(&mine).await;
    assert_eq!(
        seen(&enabled),
        (
            IdentityState::Refused,
            Some(RefusalReason::TokenInvalid),
            Some(ErrorCode::TokenInvalid),
            true
        )
    );

    // The refusal is kept with the identity: another client of the profile sees it.
    let reopened = Client::open(&env.paths, Some(&mine.profile().name))
        .await
        .unwrap();
    let stored = reopened.assumed_identities().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(seen(&stored[0]), seen(&enabled));

    let again = mine.reassume(&etl).await.unwrap();
    assert_eq!(seen(&again), LIVE);
    assert_eq!(again.meta.minutes, 30, "the same lifetime");
    let all = mine.check_identities().await.unwrap();
    assert_eq!(all.iter().map(seen).collect::<Vec<_>>(), [LIVE]);

    mine.forget_all().await.unwrap();
    sign_out(mine).await;
    sign_out(other).await;
    env.srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsharing_detaching_the_role_and_deleting_elsewhere_are_each_named() {
    let env = Env::new().await;
    // bob acts as etl-bot through the team-data tag share; alice changes it.
    let mine = env.signed_in("check-bob", BOB_DEFAULT_PAT).await;
    let alice = env.signed_in("check-alice", ALICE_SUPERADMIN_PAT).await;
    let etl = id("etl-bot");
    let team = TagId::parse("team-data").unwrap();
    mine.assume(&etl, Some(&role(ENGINEERS)), None)
        .await
        .unwrap();

    alice.unshare_tag(&etl, &team).await.unwrap();
    assert_eq!(
        seen(&check(&mine).await),
        (
            IdentityState::Refused,
            Some(RefusalReason::Unshared),
            Some(ErrorCode::TokenInvalid),
            false
        )
    );
    // Shared again: a check the server accepts clears the refusal.
    alice.share(&etl, &[], &[team]).await.unwrap();
    assert_eq!(seen(&check(&mine).await), LIVE);

    alice.detach_role(&etl, &role(ENGINEERS)).await.unwrap();
    assert_eq!(
        seen(&check(&mine).await),
        (
            IdentityState::Refused,
            Some(RefusalReason::RoleDetached),
            Some(ErrorCode::RoleNotAttached),
            true
        )
    );
    // Assumed again with the service user's default role.
    let again = mine.reassume(&etl).await.unwrap();
    assert_eq!(seen(&again), LIVE);
    assert_eq!(again.meta.role_id.as_str(), RoleId::DEFAULT_USERS);

    alice.disable(&etl).await.unwrap();
    alice.delete_service_user(&etl, &id("alice")).await.unwrap();
    assert_eq!(
        seen(&check(&mine).await),
        (
            IdentityState::Refused,
            Some(RefusalReason::Deleted),
            Some(ErrorCode::TokenInvalid),
            false
        )
    );
    // It stays, refused, until forgotten; a deleted service user is not asked about again.
    env.srv.shutdown().await;
    let stored = mine.check_identities().await.unwrap();
    assert_eq!(
        stored[0].refusal.as_ref().unwrap().reason,
        RefusalReason::Deleted
    );
    mine.forget(&etl).await.unwrap();
    assert!(mine.assumed_identities().await.unwrap().is_empty());

    sign_out(mine).await;
    sign_out(alice).await;
}

/// On a password session: a refused acting-as request is the identity's refusal (recorded, no
/// separate check), never the session's end; this app's own changes are checked at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_and_this_app_s_own_changes_record_the_state() {
    let env = Env::new().await;
    let mine = env
        .signed_in_with_password("check-own", "alice", ALICE_PASSWORD)
        .await;
    let other = env.signed_in("check-else", ALICE_SUPERADMIN_PAT).await;
    let etl = id("etl-bot");
    let assumed = mine.assume(&etl, None, Some(120)).await.unwrap();
    assert!(
        assumed.session_ends_first,
        "a 60-minute session, a 120-minute token"
    );
    assert!(
        !mine
            .assume(&etl, None, Some(30))
            .await
            .unwrap()
            .session_ends_first
    );

    other.disable(&etl).await.unwrap();
    let e = mine.datasources_as(&etl).await.unwrap_err();
    assert_eq!(
        e.code(),
        ErrorCode::PrincipalDisabled,
        "not session_expired: {e}"
    );
    let stored = mine.assumed_identity(&etl).await.unwrap();
    assert_eq!(
        seen(&stored),
        (
            IdentityState::Refused,
            Some(RefusalReason::Disabled),
            Some(ErrorCode::PrincipalDisabled),
            false
        )
    );

    // This app enables it: checked at once (the old token stays dead).
    mine.enable(&etl).await.unwrap();
    let after_enable = mine.assumed_identity(&etl).await.unwrap();
    assert_eq!(
        after_enable.refusal.unwrap().reason,
        RefusalReason::TokenInvalid
    );
    mine.reassume(&etl).await.unwrap();
    // A request that succeeds acting as it shows the server accepts it.
    assert!(!mine.datasources_as(&etl).await.unwrap().stale);
    let accepted = mine.assumed_identity(&etl).await.unwrap();
    assert_eq!(seen(&accepted), LIVE);
    assert!(accepted.checked_at.is_some());

    // This app disables it, then deletes it: each is seen at once.
    mine.disable(&etl).await.unwrap();
    let after_disable = mine.assumed_identity(&etl).await.unwrap();
    assert_eq!(
        after_disable.refusal.unwrap().reason,
        RefusalReason::Disabled
    );
    // Deleted here: the identity ends with it, its token wiped from the keychain.
    mine.delete_service_user(&etl, &id("alice")).await.unwrap();
    let e = mine.assumed_identity(&etl).await.unwrap_err();
    assert_eq!(e.code(), ClientCode::NotAssumed);
    let token = Vault::default()
        .get(&mine.profile().name, &SecretKind::Assumed(etl.clone()))
        .await
        .unwrap();
    assert!(token.is_none());

    mine.forget_all().await.unwrap();
    sign_out(mine).await;
    sign_out(other).await;
    env.srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_or_after_the_session_ended_nothing_is_recorded() {
    let env = Env::new().await;
    let mine = env
        .signed_in_with_password("check-ended", "alice", ALICE_PASSWORD)
        .await;
    let etl = id("etl-bot");
    mine.assume(&etl, None, None).await.unwrap();
    let checked = check(&mine).await;

    // The session ends on the server (signed out everywhere): the check and a request acting
    // as the identity say so, and the identity is not marked refused.
    let pat = amorphic_su_client::Credentials::new(amorphic_su_client::model::Secret::new(
        ALICE_SUPERADMIN_PAT,
    ));
    mine.api()
        .send_raw(
            reqwest::Method::POST,
            "/users/alice/global-signout",
            Some(&pat),
            None,
        )
        .await
        .unwrap();
    let e = mine.check_identity(&etl).await.unwrap_err();
    assert_eq!(e.code(), ClientCode::SessionExpired, "{e}");
    let e = mine.datasources_as(&etl).await.unwrap_err();
    assert_eq!(e.code(), ClientCode::SessionExpired, "{e}");
    let after = mine.assumed_identity(&etl).await.unwrap();
    assert_eq!((seen(&after), after.checked_at), (LIVE, checked.checked_at));

    // Offline: the same, and the stored state stays as it was.
    let pat_client = env.signed_in("check-offline", ALICE_SUPERADMIN_PAT).await;
    pat_client.assume(&etl, None, None).await.unwrap();
    let before = check(&pat_client).await;
    env.srv.shutdown().await;
    let e = pat_client.check_identity(&etl).await.unwrap_err();
    assert_eq!(e.code(), ClientCode::Offline);
    let e = pat_client.check_identities().await.unwrap_err();
    assert_eq!(e.code(), ClientCode::Offline);
    let stored = pat_client.assumed_identity(&etl).await.unwrap();
    assert_eq!(
        (seen(&stored), stored.checked_at),
        (LIVE, before.checked_at)
    );

    mine.forget_all().await.unwrap();
    pat_client.forget_all().await.unwrap();
    sign_out(mine).await;
    sign_out(pat_client).await;
}
