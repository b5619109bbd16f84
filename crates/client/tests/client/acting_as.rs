//! Making sure a service user is assumed: the stored token again, or a new one.

use amorphic_su_client::model::RoleId;
use amorphic_su_client::{AssumedIdentity, Client};

use crate::common::*;

fn role(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}

async fn ensure(c: &Client, su: &str, r: Option<&str>, minutes: Option<i64>) -> AssumedIdentity {
    c.ensure_assumed(&id(su), r.map(role), minutes)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stored_token_is_kept_while_fresh_and_matching_else_assumed_again() {
    let env = Env::new().await;
    let client = env.signed_in("ensure", ALICE_SUPERADMIN_PAT).await;
    let engineers = "role-data-engineers";

    // Not assumed yet: assumed with the service user's default role, for the default time.
    let first = ensure(&client, "etl-bot", None, None).await;
    assert_eq!(first.meta.role_id.as_str(), RoleId::DEFAULT_USERS);
    assert_eq!(first.meta.minutes, 60);

    // Fresh, same role (or none asked), no lifetime asked: the same token.
    assert_eq!(
        ensure(&client, "etl-bot", None, None).await.meta.jti,
        first.meta.jti
    );
    let same = ensure(&client, "etl-bot", Some(RoleId::DEFAULT_USERS), None).await;
    assert_eq!(same.meta.jti, first.meta.jti);

    // Another role: a new token, for the stored lifetime.
    let other = ensure(&client, "etl-bot", Some(engineers), None).await;
    assert_ne!(other.meta.jti, first.meta.jti);
    assert_eq!(
        (other.meta.role_id.as_str(), other.meta.minutes),
        (engineers, 60)
    );

    // A lifetime asked for: a new token, with the stored role.
    let longer = ensure(&client, "etl-bot", None, Some(5)).await;
    assert_ne!(longer.meta.jti, other.meta.jti);
    assert_eq!(
        (longer.meta.role_id.as_str(), longer.meta.minutes),
        (engineers, 5)
    );

    // Two minutes or less left: a new token, with the stored role and lifetime.
    let short = client
        .assume(&id("etl-bot"), Some(&role(engineers)), Some(1))
        .await
        .unwrap();
    let renewed = ensure(&client, "etl-bot", None, None).await;
    assert_ne!(renewed.meta.jti, short.meta.jti);
    assert_eq!(
        (renewed.meta.role_id.as_str(), renewed.meta.minutes),
        (engineers, 1)
    );

    // A refusal is the assume's own.
    let e = client
        .ensure_assumed(&id("finance-bot"), None, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "NO_ACCESS_TO_SERVICE_USER");

    client.forget_all().await.unwrap();
    sign_out(client).await;
    env.srv.shutdown().await;
}
