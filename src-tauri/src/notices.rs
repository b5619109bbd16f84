//! Desktop notifications about the assumed identities: once per token when the server refuses
//! it, and once per token when it has ten minutes or less left (a renewed token is a new one).
//! ui/tests/window/tray.test.mjs receives them over D-Bus.
use amorphic_su_client::IdentityState;
use tauri::AppHandle;

use crate::labels::{expiry_notice, refusal_notice, Notice};
use crate::state::AppState;
use crate::views::IdentityView;

/// Announces what is new among `views`: each refused token, and each expiring one, once.
pub async fn announce(app: &AppHandle, state: &AppState, views: &[IdentityView]) {
    for i in views {
        let (kind, notice) = match i.state {
            IdentityState::Refused => ("refused", refusal_notice(i)),
            IdentityState::Expiring => ("expiring", expiry_notice(i)),
            IdentityState::Live | IdentityState::Expired => continue,
        };
        // The token is known by its service user and issue time.
        let key = format!("{kind}:{}@{}", i.service_user_id, i.issued_at);
        if state.announced.lock().await.insert(key) {
            show(app, notice);
        }
    }
}

fn show(app: &AppHandle, notice: Notice) {
    use tauri_plugin_notification::NotificationExt;
    let _ = app
        .notification()
        .builder()
        .title(notice.title)
        .body(notice.body)
        .show();
}
