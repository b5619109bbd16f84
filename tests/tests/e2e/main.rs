//! End-to-end tests, one binary: the real reference server on 127.0.0.1:0 with the real client
//! (`client`) and the real `amorphic-su` binary (`cli`; your role, profile edits and the
//! identities' states in `cli_identity`), against the real Secret Service (run inside
//! `scripts/session.sh`).

mod cli;
mod cli_access_tokens;
mod cli_bulk;
mod cli_doctor;
mod cli_identity;
mod cli_journal;
mod client;
mod common;
mod platform;
