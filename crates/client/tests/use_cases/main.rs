//! The use cases the desktop app and the CLI share, against the real reference server on
//! 127.0.0.1:0 with the demo seed, a real SQLite cache and the real Secret Service (run inside
//! `scripts/session.sh`). One binary, one module per feature.

mod common;

mod acting_as;
mod browse;
mod profiles;
mod service_users;
mod session;
mod sharing;
