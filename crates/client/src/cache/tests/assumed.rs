//! Assumed identities: a refusal recorded for the token that was refused, cleared by a check
//! the server accepts or by a new token, and kept across reopening the file.

use amorphic_su_model::ErrorCode;

use super::*;
use crate::identity_state::{Refusal, RefusalReason};

fn meta(jti: &str) -> AssumedTokenMeta {
    AssumedTokenMeta {
        service_user_id: UserId::parse("etl-bot").unwrap(),
        role_id: RoleId::default_users(),
        minutes: 60,
        issued_at: Timestamp::from_unix(1_000).unwrap(),
        expires_at: Timestamp::from_unix(4_600).unwrap(),
        jti: jti.into(),
        assumed_by: UserId::parse("alice").unwrap(),
    }
}

fn disabled(at: i64) -> Refusal {
    Refusal {
        reason: RefusalReason::Disabled,
        code: ErrorCode::PrincipalDisabled,
        message: "The user is disabled; ask an owner to enable it.".into(),
        at: Timestamp::from_unix(at).unwrap(),
    }
}

#[tokio::test]
async fn refusals_are_recorded_per_token_and_cleared_by_a_check_or_a_new_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let c = Cache::open(&path).await.unwrap();
    let etl = UserId::parse("etl-bot").unwrap();
    c.put_assumed(&meta("jti-1")).await.unwrap();
    let fresh = c.assumed_record(&etl).await.unwrap().unwrap();
    assert_eq!((fresh.refusal, fresh.checked_at), (None, None));

    // A refusal of another token (replaced since) changes nothing.
    assert!(!c
        .record_refusal(&etl, "jti-0", &disabled(2_000))
        .await
        .unwrap());
    assert!(c
        .record_refusal(&etl, "jti-1", &disabled(2_000))
        .await
        .unwrap());
    c.close().await;

    // Kept across reopening.
    let c = Cache::open(&path).await.unwrap();
    let refused = c.assumed_record(&etl).await.unwrap().unwrap();
    assert_eq!(refused.refusal, Some(disabled(2_000)));
    assert_eq!(refused.checked_at, Timestamp::from_unix(2_000));
    assert_eq!(
        c.assumed_records().await.unwrap(),
        std::slice::from_ref(&refused)
    );
    assert_eq!(c.assumed_one(&etl).await.unwrap(), Some(meta("jti-1")));

    // A check the server accepts clears it.
    let at = Timestamp::from_unix(3_000).unwrap();
    assert!(c.clear_refusal(&etl, "jti-1", at).await.unwrap());
    let accepted = c.assumed_record(&etl).await.unwrap().unwrap();
    assert_eq!((accepted.refusal, accepted.checked_at), (None, Some(at)));

    // A new token starts unchecked, with no refusal.
    c.record_refusal(&etl, "jti-1", &disabled(3_500))
        .await
        .unwrap();
    c.put_assumed(&meta("jti-2")).await.unwrap();
    let renewed = c.assumed_record(&etl).await.unwrap().unwrap();
    assert_eq!(
        (
            renewed.meta.jti.as_str(),
            renewed.refusal,
            renewed.checked_at
        ),
        ("jti-2", None, None)
    );

    c.remove_assumed(&etl).await.unwrap();
    assert!(c.assumed_record(&etl).await.unwrap().is_none());
    assert!(!c.clear_refusal(&etl, "jti-2", at).await.unwrap());
}
