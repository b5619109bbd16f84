//! Tauri commands: thin adapters over the client crate. Each takes the state, calls one client
//! function and maps its answer to a view the UI shows (metadata only, never a secret).
pub mod access_tokens;
pub mod app;
pub mod bulk;
pub mod diagnostics;
pub mod downloads;
pub mod environments;
pub mod identities;
pub mod journal;
pub mod roles;
pub mod service_users;
pub mod session;
pub mod users;
