//! The proof a decision granted an action on one target ([`Permit`]), which only the policy
//! makes.
//!
//! A permit carries the action (its type) and the target the decision examined (its value):
//! a permit to disable service user A cannot disable B, because the mutation reads the user
//! from the permit. It is not `Clone`, so one decision authorises one mutation.
//!
//! Only the policy constructs one. Outside it neither the constructor nor the fields are
//! reachable, so this does not build:
//!
//! ```compile_fail,E0624
//! use amorphic_su_model::policy::{action, Permit};
//! use amorphic_su_model::UserId;
//! fn forge(someone: UserId) -> Permit<action::SetStatus> {
//!     Permit::granted(someone) // private to the policy
//! }
//! ```
//!
//! nor does a struct literal:
//!
//! ```compile_fail,E0451
//! use amorphic_su_model::policy::{action, Permit};
//! use amorphic_su_model::UserId;
//! fn forge(someone: UserId) -> Permit<action::SetStatus> {
//!     Permit { target: someone, _action: std::marker::PhantomData }
//! }
//! ```
//!
//! while asking the policy does (the same function with the legitimate call, so the two
//! above fail for the reason they claim, not a typo):
//!
//! ```
//! use amorphic_su_model::policy::{self, action, Permit};
//! use amorphic_su_model::{ErrorCode, User};
//! fn ask(actor: &policy::Actor, someone: &User) -> Result<Permit<action::SetStatus>, ErrorCode> {
//!     let permit = policy::can_set_status(actor, Some(someone))?;
//!     assert_eq!(permit.target(), &someone.user_id); // bound to what was decided on
//!     Ok(permit)
//! }
//! ```
//!
//! (The error codes on these blocks name the intended failure; stable rustdoc does not check
//! them, so each is paired with a twin that compiles.)
//!
//! A permit for one action is not a permit for another:
//!
//! ```compile_fail,E0308
//! use amorphic_su_model::policy::{self, action, Permit};
//! use amorphic_su_model::{ErrorCode, User};
//! fn disable(_: Permit<action::SetStatus>) {}
//! fn misuse(actor: &policy::Actor, su: &User) -> Result<(), ErrorCode> {
//!     disable(policy::can_view_service_user(actor, Some(su))?); // a read's permit
//!     Ok(())
//! }
//! ```
//!
//! ```
//! use amorphic_su_model::policy::{self, action, Permit};
//! use amorphic_su_model::{ErrorCode, User};
//! fn disable(_: Permit<action::SetStatus>) {}
//! fn legitimate(actor: &policy::Actor, su: &User) -> Result<(), ErrorCode> {
//!     disable(policy::can_set_status(actor, Some(su))?);
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::marker::PhantomData;

use crate::{TagId, UserId};

/// What an action is done to: the value its [`Permit`] carries.
pub trait ActsOn {
    type Target: fmt::Debug;
}

/// Something created or owned by a user: a new service user and its creator, a datasource
/// or a PAT and its owner. A mutation on it touches only rows of `owner`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owned<I> {
    pub id: I,
    pub owner: UserId,
}

/// Something of a service user a decision checked: the roles to attach, the role to detach, the
/// share to remove. The mutation changes exactly `what`, on `user_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnUser<T> {
    pub user_id: UserId,
    pub what: T,
}

/// A share of a service user, by whom it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareId {
    User(UserId),
    Tag(TagId),
}

/// Proof that a decision granted action `A` on [`Permit::target`]. Only the policy module
/// constructs it; it is neither `Clone` nor `Copy`.
#[must_use = "a permit is the proof a mutation needs; pass it on"]
pub struct Permit<A: ActsOn> {
    target: A::Target,
    _action: PhantomData<fn() -> A>,
}

impl<A: ActsOn> Permit<A> {
    pub(in crate::policy) fn granted(target: A::Target) -> Self {
        Permit {
            target,
            _action: PhantomData,
        }
    }

    /// What the decision was about; the mutation acts on this and nothing else.
    pub fn target(&self) -> &A::Target {
        &self.target
    }
}

impl<A: ActsOn> fmt::Debug for Permit<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Permit<{}>({:?})",
            std::any::type_name::<A>(),
            self.target
        )
    }
}

/// The outcome of a decision.
pub type Decision<A> = Result<Permit<A>, crate::ErrorCode>;

/// Marker types naming what a [`Permit`] allows, each with the type of its target.
pub mod action {
    use super::{ActsOn, OnUser, Owned, ShareId};
    use crate::{DatasourceId, RoleId, SessionId, TokenId, UserId};

    macro_rules! actions {
        ($($(#[$doc:meta])* $name:ident => $target:ty),* $(,)?) => {
            $(
                $(#[$doc])*
                #[derive(Debug)]
                pub enum $name {}
                impl ActsOn for $name {
                    type Target = $target;
                }
            )*
        };
    }
    actions!(
        /// The new service user's id, and its creator (its first owner).
        CreateServiceUser => Owned<UserId>,
        ViewServiceUser => UserId,
        ManageServiceUser => UserId,
        SetStatus => UserId,
        AddShares => UserId,
        /// The service user and the share that was found present, and not its last.
        RemoveShare => OnUser<ShareId>,
        /// The service user and the roles checked (each exists and the actor holds it).
        AttachRoles => OnUser<Vec<RoleId>>,
        /// The service user and the attached, non-default role checked.
        DetachRole => OnUser<RoleId>,
        /// The service user a token is signed for.
        Assume => UserId,
        DeleteServiceUser => UserId,
        /// The regular user whose sessions are listed or ended.
        ViewSessions => UserId,
        /// The whole catalogue: nothing in particular.
        ReadDatasources => (),
        /// The new datasource's id, and its owner (the caller).
        CreateDatasource => Owned<DatasourceId>,
        DeleteDatasource => Owned<DatasourceId>,
        UseVerticalApp => (),
        /// The new PAT's id, and the principal it belongs to.
        CreateAccessToken => Owned<TokenId>,
        /// A PAT and its owner: the caller's own, or a service user's.
        RevokeAccessToken => Owned<TokenId>,
        /// The user a session is created for, after its password matched.
        SignIn => UserId,
        /// The calling session, and the regular user it belongs to.
        EndSession => Owned<SessionId>,
    );
}
