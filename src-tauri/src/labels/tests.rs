use amorphic_su_client::model::{Code, ErrorCode};
use amorphic_su_client::{IdentityState, RefusalReason};

use super::*;
use crate::views::{IdentityView, RefusalView};

const ENDS: &str = "2030-01-01T14:05:00+00:00";

fn identity(state: IdentityState, refusal: Option<RefusalReason>) -> IdentityView {
    IdentityView {
        service_user_id: "etl-bot".into(),
        role_id: "role-data-engineers".into(),
        role_name: Some("Data engineers".into()),
        minutes: 60,
        issued_at: "2030-01-01T13:05:00+00:00".into(),
        expires_at: ENDS.into(),
        seconds_left: 300,
        expired: state == IdentityState::Expired,
        active: false,
        state,
        refusal: refusal.map(|reason| RefusalView {
            reason,
            code: Code::from(ErrorCode::PrincipalDisabled),
            message: "The user is disabled.".into(),
            sentence: reason.sentence("etl-bot"),
            at: "2030-01-01T13:30:00+00:00".into(),
        }),
        can_assume_again: refusal.is_some_and(RefusalReason::can_assume_again)
            || state == IdentityState::Expired,
        checked_at: None,
        session_ends_first: false,
    }
}

#[test]
fn each_state_reads_as_what_it_is_in_the_tray() {
    let at = hhmm(ENDS);
    let live = identity(IdentityState::Live, None);
    assert_eq!(
        menu_label(&live),
        format!("etl-bot as Data engineers (until {at})")
    );
    let expiring = identity(IdentityState::Expiring, None);
    assert_eq!(
        menu_label(&expiring),
        format!("etl-bot as Data engineers (expiring {at})")
    );
    let refused = identity(IdentityState::Refused, Some(RefusalReason::Disabled));
    assert_eq!(
        menu_label(&refused),
        "etl-bot as Data engineers (refused: disabled)"
    );
    let expired = identity(IdentityState::Expired, None);
    assert_eq!(menu_label(&expired), "etl-bot as Data engineers (expired)");
}

#[test]
fn the_active_identity_is_marked_and_an_unknown_role_shows_its_id() {
    let mut i = identity(IdentityState::Live, None);
    i.active = true;
    i.role_name = None;
    assert!(menu_label(&i).starts_with("● etl-bot as role-data-engineers ("));
}

#[test]
fn only_live_and_expiring_identities_are_usable() {
    assert!(usable(&identity(IdentityState::Live, None)));
    assert!(usable(&identity(IdentityState::Expiring, None)));
    assert!(!usable(&identity(IdentityState::Expired, None)));
    assert!(!usable(&identity(
        IdentityState::Refused,
        Some(RefusalReason::TokenInvalid)
    )));
}

#[test]
fn the_title_names_the_role_or_says_refused_or_expired() {
    assert_eq!(title(None), APP_TITLE);
    let live = identity(IdentityState::Live, None);
    assert_eq!(
        title(Some(&live)),
        "etl-bot as Data engineers — Amorphic Service Users"
    );
    let refused = identity(IdentityState::Refused, Some(RefusalReason::Disabled));
    assert_eq!(
        title(Some(&refused)),
        "etl-bot refused (disabled) — Amorphic Service Users"
    );
    let expired = identity(IdentityState::Expired, None);
    assert_eq!(
        title(Some(&expired)),
        "etl-bot expired — Amorphic Service Users"
    );
}

#[test]
fn the_expiry_notice_says_when_and_offers_renew() {
    let n = expiry_notice(&identity(IdentityState::Expiring, None));
    assert_eq!(n.title, "etl-bot expires in 5 min");
    assert_eq!(
        n.body,
        format!(
            "The token acting as etl-bot with role Data engineers ends at {}. Renew it from the tray or the identity bar.",
            hhmm(ENDS)
        )
    );
}

#[test]
fn a_refusal_notice_offers_assume_again_only_when_it_can_succeed() {
    let disabled = refusal_notice(&identity(
        IdentityState::Refused,
        Some(RefusalReason::Disabled),
    ));
    assert_eq!(disabled.title, "etl-bot refused (disabled)");
    assert!(disabled.body.starts_with("etl-bot is disabled"));
    assert!(disabled
        .body
        .ends_with("From the tray or the identity bar: Forget it."));
    assert!(!disabled.body.contains("Assume etl-bot again"));

    let dead = refusal_notice(&identity(
        IdentityState::Refused,
        Some(RefusalReason::TokenInvalid),
    ));
    assert_eq!(dead.title, "etl-bot refused (token invalid)");
    assert!(dead
        .body
        .ends_with("From the tray or the identity bar: Assume etl-bot again, or Forget it."));
}
