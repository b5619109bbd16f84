//! The SQL of the server, one module per table. Reads take any connection; every mutation
//! takes the transaction it runs in and the policy's [`Permit`] for it, and reads its target
//! (the user, the owner, the new id) from the permit, so no handler can reach a change without
//! a decision or aim a decision about one user at another. The seed loader's inserts take a
//! `Seeding` instead (no request, no actor); `touch` and the plain inserts are private here.
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

#[cfg(test)]
mod tests;
