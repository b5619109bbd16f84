//! What the shell says about an identity, in words: the tray's labels, the window title and the
//! notifications. Every text names the role by its name and shows the state as it is: a refused
//! or expired identity never reads as live, and only actions that exist are offered.
use amorphic_su_client::{IdentityState, RefusalReason};

use crate::views::IdentityView;

pub const APP_TITLE: &str = "Amorphic Service Users";

/// "HH:MM" in local time: until when a token lasts.
pub fn hhmm(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// A refusal's reason in a few words ("refused: disabled").
pub fn reason_words(reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::Disabled => "disabled",
        RefusalReason::Unshared => "not shared with you",
        RefusalReason::Deleted => "deleted",
        RefusalReason::RoleDetached => "role detached",
        RefusalReason::TokenInvalid => "token invalid",
    }
}

/// The identity's state in the tray: "until 14:05", "expiring 14:05", "refused: disabled",
/// "expired".
pub fn state_words(i: &IdentityView) -> String {
    match i.state {
        IdentityState::Live => format!("until {}", hhmm(&i.expires_at)),
        IdentityState::Expiring => format!("expiring {}", hhmm(&i.expires_at)),
        IdentityState::Expired => "expired".to_owned(),
        IdentityState::Refused => match &i.refusal {
            Some(r) => format!("refused: {}", reason_words(r.reason)),
            None => "refused".to_owned(),
        },
    }
}

/// The tray's submenu label of an identity: "● etl-bot as Data engineers (until 14:05)", the dot
/// on the one the window acts as.
pub fn menu_label(i: &IdentityView) -> String {
    let marker = if i.active { "● " } else { "" };
    format!(
        "{marker}{} as {} ({})",
        i.service_user_id,
        i.role(),
        state_words(i)
    )
}

/// Whether acting as the identity can work: the server accepted its token and it has time left.
pub fn usable(i: &IdentityView) -> bool {
    matches!(i.state, IdentityState::Live | IdentityState::Expiring)
}

/// The window title for the identity the window acts as (none: yourself).
pub fn title(active: Option<&IdentityView>) -> String {
    let Some(i) = active else {
        return APP_TITLE.to_owned();
    };
    let who = &i.service_user_id;
    match (i.state, &i.refusal) {
        (IdentityState::Refused, Some(r)) => {
            format!("{who} refused ({}) — {APP_TITLE}", reason_words(r.reason))
        }
        (IdentityState::Refused, None) => format!("{who} refused — {APP_TITLE}"),
        (IdentityState::Expired, _) => format!("{who} expired — {APP_TITLE}"),
        _ => format!("{who} as {} — {APP_TITLE}", i.role()),
    }
}

/// A desktop notification's text.
#[derive(Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// Ten minutes or less before a live token ends: when, and that Renew exists.
pub fn expiry_notice(i: &IdentityView) -> Notice {
    let minutes = (i64::from(i.seconds_left) + 59) / 60;
    let who = &i.service_user_id;
    Notice {
        title: format!("{who} expires in {minutes} min"),
        body: format!(
            "The token acting as {who} with role {} ends at {}. Renew it from the tray or the identity bar.",
            i.role(),
            hhmm(&i.expires_at)
        ),
    }
}

/// The server refused the token: what happened, and the actions that exist now (assume again
/// only when it can succeed; forget always).
pub fn refusal_notice(i: &IdentityView) -> Notice {
    let who = &i.service_user_id;
    let (words, sentence) = match &i.refusal {
        Some(r) => (reason_words(r.reason), r.sentence.clone()),
        None => (
            "refused",
            format!("The server refused the token acting as {who}."),
        ),
    };
    let actions = if i.can_assume_again {
        format!("From the tray or the identity bar: Assume {who} again, or Forget it.")
    } else {
        "From the tray or the identity bar: Forget it.".to_owned()
    };
    Notice {
        title: format!("{who} refused ({words})"),
        body: format!("{sentence} {actions}"),
    }
}

#[cfg(test)]
mod tests;
