//! The SQL of the server, one module per table. Reads take any connection; every mutation
//! takes the transaction it runs in and the policy's [`Permit`] for it, so no handler can
//! reach a change without a decision.
//!
//! [`Permit`]: amorphic_su_model::policy::Permit

pub mod credentials;
pub mod datasources;
pub mod feed;
pub mod roles;
pub mod sessions;
pub mod shares;
pub mod tags;
pub mod tokens;
pub mod users;
