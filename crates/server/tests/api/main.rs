//! Integration tests of the reference server: real HTTP on 127.0.0.1, real SQLite files, the
//! demo seed. One test (at least) per endpoint and per error `Code` of the contract.

mod common;

mod access_tokens;
mod auth;
mod datasources;
mod disable_migration;
mod disable_race;
mod feed;
mod fleet;
mod interop;
mod malicious_tokens;
mod meta;
mod order;
mod paging;
mod program;
mod protocol;
mod races;
mod service_users;
mod shares;
mod sign_out;
mod tokens;
mod users;
