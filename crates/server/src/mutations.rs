//! Every change the server makes to its data, public only so that the proofs below can name
//! them: each takes the policy's [`Permit`] for its action and reads its target from it (the
//! service user, the owner, the new id), so a handler can neither skip the decision nor aim
//! a permit for one user at another. None has an unchecked twin. Two writers are not request
//! decisions and take an authority of their own: the seed loader (a `Seeding` only it makes,
//! crate-private) and sign-in ([`policy::can_sign_in`]).
//!
//! A mutation without a permit does not build:
//!
//! ```compile_fail,E0061
//! use amorphic_su_model::UserStatus;
//! use amorphic_su_server::mutations;
//! async fn disable(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
//!     mutations::set_status(conn, UserStatus::Disabled, chrono::Utc::now()).await
//! }
//! ```
//!
//! nor does the old unchecked revoke, by a bare owner and token id:
//!
//! ```compile_fail,E0061
//! use amorphic_su_server::mutations;
//! async fn revoke(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
//!     mutations::delete_access_token(conn, 7, "pat-1").await
//! }
//! ```
//!
//! nor one with the permit of another action (here a delete's, for the same user):
//!
//! ```compile_fail,E0308
//! use amorphic_su_model::policy::{self, Actor};
//! use amorphic_su_model::{User, UserStatus};
//! use amorphic_su_server::mutations;
//! async fn disable(conn: &mut sqlx::SqliteConnection, actor: &Actor, su: &User) -> Result<bool, sqlx::Error> {
//!     let permit = policy::can_delete_service_user(actor, Some(su)).expect("granted");
//!     mutations::set_status(conn, permit, UserStatus::Disabled, chrono::Utc::now()).await
//! }
//! ```
//!
//! while the same code with the decision's permit does (so the three above fail for the
//! reason they claim):
//!
//! ```no_run
//! use amorphic_su_model::policy::{self, Actor};
//! use amorphic_su_model::{TokenId, User, UserStatus};
//! use amorphic_su_server::mutations;
//! async fn disable(conn: &mut sqlx::SqliteConnection, actor: &Actor, su: &User) -> Result<bool, sqlx::Error> {
//!     let permit = policy::can_set_status(actor, Some(su)).expect("granted");
//!     mutations::set_status(conn, permit, UserStatus::Disabled, chrono::Utc::now()).await
//! }
//! async fn revoke(conn: &mut sqlx::SqliteConnection, actor: &Actor, id: &TokenId) -> Result<bool, sqlx::Error> {
//!     let permit = policy::can_revoke_access_token(actor, id).expect("granted");
//!     mutations::delete_access_token(conn, permit).await
//! }
//! ```
//!
//! The error codes name the intended failure; stable rustdoc does not check them, the
//! compiling twin is what keeps these honest.
//!
//! [`Permit`]: amorphic_su_model::policy::Permit
//! [`policy::can_sign_in`]: amorphic_su_model::policy::can_sign_in

pub use crate::queries::datasources::{create_datasource, delete_datasource};
pub use crate::queries::roles::{attach_roles, detach_role};
pub use crate::queries::sessions::{end_session, end_sessions, insert_session};
pub use crate::queries::shares::{add_shares, remove_share};
pub use crate::queries::tokens::{create_access_token, delete_access_token, NewAccessToken};
pub use crate::queries::users::{create_service_user, delete_service_user, set_status};
