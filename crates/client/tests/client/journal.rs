//! The journal against the real server: what the operations record (refusals included, the
//! lifetime asked and the token's real end), a deleted service user's history, another person
//! signing in on the same profile (their own journal, the first one's kept), and never a
//! secret in the file.

use amorphic_su_client::model::{ErrorCode, RoleId, Secret};
use amorphic_su_client::{
    expires_in_days, JournalAction, JournalQuery, JournalResult, NewAccessToken, NewServiceUser,
};

use crate::common::*;

fn actions(entries: &[amorphic_su_client::JournalEntry]) -> Vec<(JournalAction, JournalResult)> {
    entries.iter().map(|e| (e.action, e.result)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_are_journaled_kept_per_user_and_hold_no_secret() {
    let env = Env::new().await;
    let mut c = env.signed_in("journal", ALICE_SUPERADMIN_PAT).await;
    let bot = id("journal-bot");
    c.create_service_user(NewServiceUser {
        user_id: bot.to_string(),
        display_name: "Journal bot".into(),
        description: None,
    })
    .await
    .unwrap();
    // Refused by the local policy before any request: journaled with its code.
    let refused = c.delete_service_user(&bot, &id("alice")).await.unwrap_err();
    assert_eq!(refused.api_code(), Some(ErrorCode::MustDisableFirst));
    let assumed = c
        .assume(
            &id("etl-bot"),
            Some(&RoleId::parse(RoleId::DEFAULT_USERS).unwrap()),
            Some(5),
        )
        .await
        .unwrap();
    let (creds, _) = c.acting_as(&id("etl-bot")).await.unwrap();
    let token = creds
        .service_user
        .expect("the assumed token")
        .expose()
        .to_owned();
    let pat = c
        .create_access_token_as(
            &id("etl-bot"),
            NewAccessToken {
                name: "journal-pat".into(),
                description: None,
                role_id: RoleId::parse(RoleId::DEFAULT_USERS).unwrap(),
                expires_at: expires_in_days(7),
            },
        )
        .await
        .unwrap();
    c.forget(&id("etl-bot")).await.unwrap();
    c.disable(&bot).await.unwrap();
    c.delete_service_user(&bot, &id("alice")).await.unwrap();

    let all = c.history(JournalQuery::default()).await.unwrap();
    use JournalAction as A;
    use JournalResult::{Done, Refused};
    assert_eq!(
        actions(&all),
        [
            (A::Deleted, Done),
            (A::Disabled, Done),
            (A::Forgotten, Done),
            (A::AccessTokenCreated, Done),
            (A::Assumed, Done),
            (A::Deleted, Refused),
            (A::Created, Done),
            (A::SignedIn, Done),
        ],
        "newest first: {all:#?}"
    );
    let refusal = &all[5];
    assert_eq!(refusal.error_code.as_deref(), Some("MUST_DISABLE_FIRST"));
    assert!(refusal.message.as_deref().unwrap().contains("disable it"));
    let assume = &all[4];
    assert_eq!(assume.minutes_asked, Some(5));
    assert_eq!(
        assume.ends_at,
        Some(assumed.meta.expires_at),
        "when it actually ends"
    );
    assert_eq!(assume.role.as_deref(), Some(RoleId::DEFAULT_USERS));
    let deleted = &all[0];
    assert_eq!(deleted.environment, c.profile().name);
    assert_eq!(deleted.user.as_deref(), Some("alice"));
    let target = deleted.target.as_ref().unwrap();
    assert_eq!(
        (target.id.as_str(), target.name.as_deref()),
        ("journal-bot", Some("Journal bot")),
        "the name is kept with the entry"
    );

    // A deleted service user's history stays reachable.
    let history = c.activity(&bot).await.unwrap();
    let words: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(words, ["deleted", "disabled", "deleted", "created"]);
    assert!(history[2].detail.contains("MUST_DISABLE_FIRST"));

    // Filters.
    let q = JournalQuery {
        action: Some(A::Deleted),
        ..Default::default()
    };
    assert_eq!(c.history(q).await.unwrap().len(), 2);
    let q = JournalQuery {
        search: Some("journal bot".into()),
        ..Default::default()
    };
    assert_eq!(c.history(q).await.unwrap().len(), 4);

    // Never a secret: not the sign-in's PAT, the assumed token or the new PAT.
    let file = std::fs::read(c.journal_path()).unwrap();
    let text = String::from_utf8_lossy(&file);
    for secret in [ALICE_SUPERADMIN_PAT, token.as_str(), pat.token.expose()] {
        assert!(!text.contains(secret), "a secret is in the journal");
    }
    assert_eq!(c.verify_history().await.unwrap().broken, None);

    // Another person signs in on the same profile: the cache is emptied, the journal is not;
    // each reads their own entries.
    c.login_with_pat(Secret::new(BOB_DEFAULT_PAT))
        .await
        .unwrap();
    let bobs = c.history(JournalQuery::default()).await.unwrap();
    assert_eq!(actions(&bobs), [(A::SignedIn, Done)]);
    assert!(
        c.activity(&bot).await.unwrap().is_empty(),
        "alice's, not bob's"
    );
    c.login_with_pat(Secret::new(ALICE_SUPERADMIN_PAT))
        .await
        .unwrap();
    let again = c.history(JournalQuery::default()).await.unwrap();
    assert_eq!(again.len(), all.len() + 1, "alice's journal is whole");
    assert_eq!(c.verify_history().await.unwrap().entries, 10);

    // A refused sign-in is journaled too, and the credential that failed is not in it.
    let bad = "amo_pat_not_a_real_token_000000000000000000";
    assert!(c.login_with_pat(Secret::new(bad)).await.is_err());
    let last = &c.history(JournalQuery::default()).await.unwrap()[0];
    assert_eq!((last.action, last.result), (A::SignedIn, Refused));
    let text = String::from_utf8_lossy(&std::fs::read(c.journal_path()).unwrap()).to_string();
    assert!(!text.contains(bad));
    sign_out(c).await;
}
