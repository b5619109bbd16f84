//! One module per command noun; each takes the shared `Context` and its own arguments.

pub mod access_tokens;
pub mod access_tokens_all;
pub mod assume;
pub mod bulk;
pub mod bulk_view;
pub mod doctor;
pub mod exec;
pub mod history;
pub mod profile;
pub mod role;
pub mod roles;
pub mod service_users;
pub mod session;
pub mod sync;
pub mod tokens;
pub mod users;
