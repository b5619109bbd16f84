//! Events Rust sends to the window, typed: the bindings give the UI `events.<name>.listen`, so
//! neither side types an event name by hand.
use serde::{Deserialize, Serialize};

/// The assumed identities changed outside the window's own call: the tray switched, renewed or
/// forgot one, a change to a service user was checked, or a check (focus, period) found a state
/// other than the one last told (refused, expiring, expired, accepted again). The window
/// refetches its identity queries (`identities_list`, not `identities_check`, which asks the
/// server).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct IdentitiesChanged;

/// The sign-in session's state changed without the window asking: it ended on the server (expired,
/// global sign-out), the server stopped or started answering. Found by the same checks as the
/// identities (focus, period). The window refetches the session (`session_status`).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SessionChanged;
