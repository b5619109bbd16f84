//! What an assumed identity is, as a fact rather than a timer: live, expiring, expired, or
//! refused by the server (with the reason found when it was checked). Pure: the client records
//! refusals and checks, this decides what they add up to.

use amorphic_su_model::{ErrorCode, Timestamp};
use serde::{Deserialize, Serialize};

/// A token this close to its end is expiring: renew it (the tray and a notification say so).
pub const EXPIRING_SECONDS: i64 = 10 * 60;

/// The state of an assumed identity.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum IdentityState {
    /// The server accepted the token at the last check (or was never asked) and it has more
    /// than [`EXPIRING_SECONDS`] left.
    Live,
    /// Accepted, with [`EXPIRING_SECONDS`] or less left.
    Expiring,
    /// Past its end.
    Expired,
    /// The server refused it at the last check or request.
    Refused,
}

/// Why the server refused an assumed identity's token, as found when it was checked.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum RefusalReason {
    /// The service user is disabled.
    Disabled,
    /// The service user is no longer shared with the signed-in user.
    Unshared,
    /// The service user no longer exists.
    Deleted,
    /// The token's role is no longer attached to the service user.
    RoleDetached,
    /// Anything else: e.g. a token issued before a disable, dead after the re-enable.
    TokenInvalid,
}

impl RefusalReason {
    /// The reason a refusal code gives when the service user itself cannot be looked at.
    pub fn from_code(code: ErrorCode) -> Self {
        match code {
            ErrorCode::PrincipalDisabled | ErrorCode::ServiceUserDisabled => Self::Disabled,
            ErrorCode::RoleNotAttached => Self::RoleDetached,
            ErrorCode::NoAccessToServiceUser => Self::Unshared,
            ErrorCode::NotFound => Self::Deleted,
            _ => Self::TokenInvalid,
        }
    }

    /// Whether assuming the service user again can succeed: not while it is disabled, deleted
    /// or not shared with you; yes when only the token is dead or its role was detached (the
    /// service user's default role is taken).
    pub fn can_assume_again(self) -> bool {
        matches!(self, Self::TokenInvalid | Self::RoleDetached)
    }

    /// What a person reads, naming the service user.
    pub fn sentence(self, service_user: &str) -> String {
        match self {
            Self::Disabled => format!("{service_user} is disabled: an owner must enable it, then assume it again."),
            Self::Unshared => format!("{service_user} is no longer shared with you: ask one of its owners to share it again."),
            Self::Deleted => format!("{service_user} was deleted: forget this identity."),
            Self::RoleDetached => format!("The token's role is no longer attached to {service_user}: assume it again with one of its roles."),
            Self::TokenInvalid => format!("The server no longer accepts this token for {service_user}: assume it again."),
        }
    }
}

/// The server's refusal of an identity's token, as recorded at the check that found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    pub reason: RefusalReason,
    /// The server's code for the refused request.
    pub code: ErrorCode,
    /// The server's message for the refused request.
    pub message: String,
    /// When the refusal was seen.
    pub at: Timestamp,
}

/// The state of an identity whose token ends at `expires_at`, refused or not at its last check,
/// at `now` (unix seconds). A token past its end is expired whatever else is known; a refused one
/// stays refused until a check accepts it again or it is assumed anew (a new token).
pub fn identity_state(expires_at: Timestamp, refusal: Option<&Refusal>, now: i64) -> IdentityState {
    let left = expires_at.unix() - now;
    if left <= 0 {
        IdentityState::Expired
    } else if refusal.is_some() {
        IdentityState::Refused
    } else if left <= EXPIRING_SECONDS {
        IdentityState::Expiring
    } else {
        IdentityState::Live
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(unix: i64) -> Timestamp {
        Timestamp::from_unix(unix).unwrap()
    }

    fn refusal(reason: RefusalReason) -> Refusal {
        Refusal {
            reason,
            code: ErrorCode::PrincipalDisabled,
            message: "The user is disabled.".into(),
            at: at(1_000),
        }
    }

    #[test]
    fn time_alone_moves_live_to_expiring_to_expired() {
        let end = at(10_000);
        assert_eq!(
            identity_state(end, None, 10_000 - EXPIRING_SECONDS - 1),
            IdentityState::Live
        );
        assert_eq!(
            identity_state(end, None, 10_000 - EXPIRING_SECONDS),
            IdentityState::Expiring
        );
        assert_eq!(identity_state(end, None, 9_999), IdentityState::Expiring);
        assert_eq!(identity_state(end, None, 10_000), IdentityState::Expired);
        assert_eq!(identity_state(end, None, 20_000), IdentityState::Expired);
    }

    #[test]
    fn a_refusal_overrides_live_and_expiring_but_not_expired() {
        let end = at(10_000);
        let r = refusal(RefusalReason::Disabled);
        assert_eq!(identity_state(end, Some(&r), 1_000), IdentityState::Refused);
        assert_eq!(identity_state(end, Some(&r), 9_999), IdentityState::Refused);
        assert_eq!(
            identity_state(end, Some(&r), 10_000),
            IdentityState::Expired
        );
    }

    #[test]
    fn a_check_that_accepts_again_makes_it_live() {
        // Refused, then the refusal cleared (re-shared, role attached again): live once more.
        let end = at(10_000);
        let r = refusal(RefusalReason::Unshared);
        assert_eq!(identity_state(end, Some(&r), 1_000), IdentityState::Refused);
        assert_eq!(identity_state(end, None, 1_000), IdentityState::Live);
    }

    #[test]
    fn only_a_dead_token_or_a_detached_role_can_be_assumed_again() {
        use strum::VariantArray;
        let again: Vec<_> = RefusalReason::VARIANTS
            .iter()
            .filter(|r| r.can_assume_again())
            .collect();
        assert_eq!(
            again,
            [&RefusalReason::RoleDetached, &RefusalReason::TokenInvalid]
        );
    }

    #[test]
    fn codes_give_the_reason_when_the_user_cannot_be_looked_at() {
        assert_eq!(
            RefusalReason::from_code(ErrorCode::PrincipalDisabled),
            RefusalReason::Disabled
        );
        assert_eq!(
            RefusalReason::from_code(ErrorCode::RoleNotAttached),
            RefusalReason::RoleDetached
        );
        assert_eq!(
            RefusalReason::from_code(ErrorCode::TokenInvalid),
            RefusalReason::TokenInvalid
        );
        assert_eq!(
            RefusalReason::from_code(ErrorCode::TokenExpired),
            RefusalReason::TokenInvalid
        );
    }

    #[test]
    fn every_sentence_names_the_service_user() {
        use strum::VariantArray;
        for r in RefusalReason::VARIANTS {
            assert!(r.sentence("etl-bot").contains("etl-bot"), "{r}");
        }
    }
}
