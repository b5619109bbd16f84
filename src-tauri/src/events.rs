//! Events Rust sends to the window, typed: the bindings give the UI `events.<name>.listen`, so
//! neither side types an event name by hand.
use serde::{Deserialize, Serialize};

/// The tray switched or forgot an identity: the window refetches its identity queries.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct IdentitiesChanged;
