//! A mutation acts on the target its permit was granted for, and on nothing else: the
//! handler cannot hand it another user, because the mutation reads the user from the permit.

use amorphic_su_model::policy::{self, ActiveRole, Actor};
use amorphic_su_model::{RoleId, TagId, TokenId, UserId, UserStatus};
use chrono::Utc;

use crate::db::Db;
use crate::queries::{roles, tokens, users};
use crate::seed::{self, Seed};
use crate::Store;

async fn demo_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("su.db")).await.unwrap();
    let outcome = store.load_seed(&Seed::demo()).await.unwrap();
    assert!(matches!(outcome, seed::SeedOutcome::Loaded { .. }));
    store
}

fn db(store: &Store) -> &Db {
    &store.db
}

/// Alice, as a request under her default role: an owner of `etl-bot` and `report-bot`.
fn alice() -> Actor {
    Actor {
        user_id: UserId::parse("alice").unwrap(),
        is_service_user: false,
        assumed_by: None,
        tags: vec![TagId::parse("team-data").unwrap()],
        roles: vec![
            RoleId::default_users(),
            RoleId::parse("role-data-engineers").unwrap(),
        ],
        active_role: ActiveRole {
            role_id: RoleId::default_users(),
            is_super_admin: false,
            permissions: vec![],
        },
    }
}

#[tokio::test]
async fn a_status_permit_for_one_service_user_changes_that_one_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir).await;
    let mut tx = db(&store).write().await.unwrap();
    let report = users::user_by_id(&mut tx, "report-bot")
        .await
        .unwrap()
        .unwrap();
    let etl = users::user_by_id(&mut tx, "etl-bot")
        .await
        .unwrap()
        .unwrap();
    assert!(report.user.is_enabled() && etl.user.is_enabled());

    let permit = policy::can_set_status(&alice(), Some(&report.user)).unwrap();
    assert_eq!(
        permit.target(),
        &report.user.user_id,
        "the permit carries report-bot"
    );
    let changed = users::set_status(&mut tx, permit, UserStatus::Disabled, Utc::now())
        .await
        .unwrap();
    assert!(changed);

    let report_after = users::user_by_uid(&mut tx, report.uid)
        .await
        .unwrap()
        .unwrap();
    let etl_after = users::user_by_uid(&mut tx, etl.uid).await.unwrap().unwrap();
    assert_eq!(report_after.user.user_status, UserStatus::Disabled);
    assert_eq!(
        report_after.disable_generation,
        report.disable_generation + 1
    );
    assert!(report_after.user.version > report.user.version);
    assert_eq!(
        etl_after.user.user_status,
        UserStatus::Enabled,
        "etl-bot untouched"
    );
    assert_eq!(etl_after.disable_generation, etl.disable_generation);
    assert_eq!(etl_after.user.version, etl.user.version);

    // Setting the status it already has is a no-op: no new version.
    let again = policy::can_set_status(&alice(), Some(&report_after.user)).unwrap();
    assert!(
        !users::set_status(&mut tx, again, UserStatus::Disabled, Utc::now())
            .await
            .unwrap()
    );
    let unchanged = users::user_by_uid(&mut tx, report.uid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.user.version, report_after.user.version);
}

#[tokio::test]
async fn a_revoke_permit_reaches_only_its_owners_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir).await;
    let mut tx = db(&store).write().await.unwrap();
    let now = Utc::now();
    let bob = users::user_by_id(&mut tx, "bob").await.unwrap().unwrap();
    let alice_row = users::user_by_id(&mut tx, "alice").await.unwrap().unwrap();
    let bobs = tokens::access_tokens_of(&mut tx, bob.uid, now)
        .await
        .unwrap();
    let alices = tokens::access_tokens_of(&mut tx, alice_row.uid, now)
        .await
        .unwrap();
    let bobs_token: &TokenId = &bobs[0].token_id;

    // Alice asks to revoke Bob's token id: her permit names her as the owner, so nothing goes.
    let permit = policy::can_revoke_access_token(&alice(), bobs_token).unwrap();
    assert_eq!(permit.target().owner.as_str(), "alice");
    assert!(!tokens::delete_access_token(&mut tx, permit).await.unwrap());
    let still = tokens::access_tokens_of(&mut tx, bob.uid, now)
        .await
        .unwrap();
    assert_eq!(still.len(), bobs.len(), "Bob's tokens untouched");

    // Her own token goes.
    let permit = policy::can_revoke_access_token(&alice(), &alices[0].token_id).unwrap();
    assert!(tokens::delete_access_token(&mut tx, permit).await.unwrap());
    let left = tokens::access_tokens_of(&mut tx, alice_row.uid, now)
        .await
        .unwrap();
    assert_eq!(left.len(), alices.len() - 1);
}

#[tokio::test]
async fn a_detach_permit_removes_the_role_it_checked_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir).await;
    let mut tx = db(&store).write().await.unwrap();
    let etl = users::user_by_id(&mut tx, "etl-bot")
        .await
        .unwrap()
        .unwrap();
    let engineers = RoleId::parse("role-data-engineers").unwrap();
    assert!(etl.user.has_role(&engineers) && etl.user.has_role(&RoleId::default_users()));

    let permit = policy::can_detach_role(&alice(), Some(&etl.user), engineers.as_str()).unwrap();
    assert_eq!(permit.target().what, engineers);
    roles::detach_role(&mut tx, permit, Utc::now())
        .await
        .unwrap();

    let after = users::user_by_uid(&mut tx, etl.uid).await.unwrap().unwrap();
    assert_eq!(after.user.roles, vec![RoleId::default_users()]);
}
