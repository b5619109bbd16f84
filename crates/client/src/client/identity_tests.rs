//! An assumed identity's state as the window and the CLI show it: when it can be assumed again
//! and when the password session ends first (pure: no server, no keychain).

use amorphic_su_model::{ErrorCode, RoleId, Timestamp, UserId};

use super::AssumedIdentity;
use crate::cache::{AssumedRecord, AssumedTokenMeta};
use crate::identity_state::{IdentityState, Refusal, RefusalReason};

fn at(unix: i64) -> Timestamp {
    Timestamp::from_unix(unix).unwrap()
}

fn record(refusal: Option<RefusalReason>) -> AssumedRecord {
    AssumedRecord {
        meta: AssumedTokenMeta {
            service_user_id: UserId::parse("etl-bot").unwrap(),
            role_id: RoleId::default_users(),
            minutes: 60,
            issued_at: at(10_000),
            expires_at: at(13_600),
            jti: "jti".into(),
            assumed_by: UserId::parse("alice").unwrap(),
        },
        refusal: refusal.map(|reason| Refusal {
            reason,
            code: ErrorCode::TokenInvalid,
            message: "The token is not valid.".into(),
            at: at(11_000),
        }),
        checked_at: refusal.map(|_| at(11_000)),
    }
}

#[test]
fn only_a_refusal_that_allows_it_or_an_expiry_offers_assuming_again() {
    let cases = [
        (None, 12_000, IdentityState::Live, false),
        (None, 13_000, IdentityState::Expiring, false),
        (None, 13_600, IdentityState::Expired, true),
        (
            Some(RefusalReason::TokenInvalid),
            12_000,
            IdentityState::Refused,
            true,
        ),
        (
            Some(RefusalReason::RoleDetached),
            12_000,
            IdentityState::Refused,
            true,
        ),
        (
            Some(RefusalReason::Disabled),
            12_000,
            IdentityState::Refused,
            false,
        ),
        (
            Some(RefusalReason::Unshared),
            12_000,
            IdentityState::Refused,
            false,
        ),
        (
            Some(RefusalReason::Deleted),
            12_000,
            IdentityState::Refused,
            false,
        ),
        // Past its end, a refusal that forbids a new token still does.
        (
            Some(RefusalReason::Disabled),
            14_000,
            IdentityState::Expired,
            false,
        ),
        (
            Some(RefusalReason::TokenInvalid),
            14_000,
            IdentityState::Expired,
            true,
        ),
    ];
    for (reason, now, state, again) in cases {
        let i = AssumedIdentity::at(record(reason), None, now);
        assert_eq!(
            (i.state, i.can_assume_again),
            (state, again),
            "{reason:?} at {now}"
        );
        assert_eq!(i.refusal.map(|r| r.reason), reason);
        assert_eq!(i.expired, state == IdentityState::Expired);
        assert_eq!(i.seconds_left, (13_600 - now).max(0));
    }
}

#[test]
fn a_session_ending_before_the_token_is_flagged() {
    let i = |session: Option<i64>| AssumedIdentity::at(record(None), session.map(at), 12_000);
    assert!(i(Some(13_000)).session_ends_first);
    assert!(
        !i(Some(13_600)).session_ends_first,
        "the same second is not first"
    );
    assert!(!i(Some(20_000)).session_ends_first);
    assert!(
        !i(None).session_ends_first,
        "a PAT has no end to reach first"
    );
}

#[test]
fn it_serialises_with_the_token_metadata_flattened() {
    let v = serde_json::to_value(AssumedIdentity::at(
        record(Some(RefusalReason::Disabled)),
        None,
        12_000,
    ))
    .unwrap();
    assert_eq!(v["serviceUserId"], "etl-bot");
    assert_eq!(v["state"], "refused");
    assert_eq!(v["refusal"]["reason"], "disabled");
    assert_eq!(v["refusal"]["code"], "TOKEN_INVALID");
    assert_eq!(v["canAssumeAgain"], false);
    assert_eq!(v["sessionEndsFirst"], false);
    assert!(v["checkedAt"].is_string());
}
