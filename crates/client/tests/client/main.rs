//! The client's integration tests, one binary: the use cases the desktop app and the CLI share
//! (one module per feature), the first sync under concurrent changes (`sync`) and the `exec`
//! proxy (`proxy`), the faults it must survive (`faults`), against the real reference server on
//! 127.0.0.1:0 with the demo seed, a real SQLite cache and the real Secret Service (run inside
//! `scripts/session.sh`).

mod common;

mod acting_as;
mod browse;
mod bulk;
mod doctor;
mod faults;
mod fleet_tokens;
mod identity_checks;
mod journal;
mod profiles;
mod proxy;
mod roles;
mod search;
mod service_users;
mod session;
mod sharing;
mod sign_out;
mod sync;
mod sync_cursor;
