//! The dry run's decision on one item: the model's policy over cached data, then whether the
//! change would be a no-op. Pure, so a plan over thousands of users costs no I/O per item.

use amorphic_su_model::policy::{self, Actor, ShareKey, ShareTarget};
use amorphic_su_model::{ErrorCode, Role, Tag, User, UserId};

use super::{BulkAction, PlanItem, Verdict};

/// What the decisions need besides the item itself, read once per plan.
#[derive(Debug, Clone)]
pub struct PlanContext {
    /// The signed-in user under the active role.
    pub actor: Actor,
    /// The server's roles (an attached role must exist).
    pub roles: Vec<Role>,
    /// The server's tags (a tag share's tag must exist).
    pub tags: Vec<Tag>,
    /// For a share: each named person as cached (`None`: unknown).
    pub share_users: Vec<Option<User>>,
    /// For a delete: the transfer user as cached (`None`: unknown).
    pub transfer: Option<User>,
}

/// The verdict on `user` (`None`: not in the cache) for `action`.
pub fn decide(
    ctx: &PlanContext,
    action: &BulkAction,
    id: &UserId,
    user: Option<&User>,
) -> PlanItem {
    let (verdict, code, reason) = match verdict(ctx, action, user) {
        Ok(None) => (Verdict::Allowed, None, None),
        Ok(Some(why)) => (Verdict::NoOp, None, Some(why)),
        Err((code, why)) => (Verdict::Refused, Some(code), Some(why)),
    };
    PlanItem {
        user_id: id.clone(),
        display_name: user.map(|u| u.display_name.clone()),
        verdict,
        code,
        reason,
    }
}

/// `Ok(None)`: allowed; `Ok(Some(why))`: a no-op; `Err`: refused, with a sentence.
type Decided = Result<Option<String>, (ErrorCode, String)>;

fn verdict(ctx: &PlanContext, action: &BulkAction, user: Option<&User>) -> Decided {
    let Some(su) = user else {
        return Err((
            ErrorCode::NotFound,
            "not in the local cache: no such service user, or sync first".into(),
        ));
    };
    let actor = &ctx.actor;
    match action {
        BulkAction::Enable | BulkAction::Disable => {
            allow(policy::can_set_status(actor, Some(su)), action)?;
            let want_enabled = matches!(action, BulkAction::Enable);
            Ok((su.is_enabled() == want_enabled).then(|| {
                if want_enabled {
                    "already enabled".to_owned()
                } else {
                    "already disabled".to_owned()
                }
            }))
        }
        BulkAction::AttachRole { role } => {
            let exists = ctx.roles.iter().any(|r| &r.role_id == role);
            allow(
                policy::can_attach_roles(actor, Some(su), &[(role, exists)]),
                action,
            )?;
            Ok(su
                .has_role(role)
                .then(|| format!("already has role {role}")))
        }
        BulkAction::DetachRole { role } => {
            // Not attached is the state wanted, not a refusal; access still comes first.
            allow(policy::can_set_status(actor, Some(su)), action)?;
            if !su.has_role(role) {
                return Ok(Some(format!("does not have role {role}")));
            }
            allow(
                policy::can_detach_role(actor, Some(su), role.as_str()),
                action,
            )?;
            Ok(None)
        }
        BulkAction::Share { users, tags } => {
            let mut targets: Vec<ShareTarget<'_>> = ctx
                .share_users
                .iter()
                .map(|f| ShareTarget::User {
                    found: f.as_ref(),
                    access_type: "owner",
                })
                .collect();
            targets.extend(tags.iter().map(|t| ShareTarget::Tag {
                exists: ctx.tags.iter().any(|k| &k.tag_id == t),
                access_type: "owner",
            }));
            allow(policy::can_add_shares(actor, Some(su), &targets), action)?;
            let shares = su.shares.as_ref();
            let all_there = shares.is_some_and(|s| {
                users.iter().all(|u| s.has_user(u)) && tags.iter().all(|t| s.has_tag(t))
            });
            Ok(all_there.then(|| "already shared with all of them".to_owned()))
        }
        BulkAction::UnshareUser { user } => {
            unshare(actor, su, ShareKey::User(user.as_str()), action)
        }
        BulkAction::UnshareTag { tag } => unshare(actor, su, ShareKey::Tag(tag.as_str()), action),
        BulkAction::Delete { transfer_to } => {
            allow(policy::can_delete_service_user(actor, Some(su)), action)?;
            policy::check_transfer_user(Some(transfer_to.as_str()), ctx.transfer.as_ref())
                .map_err(|c| refusal(c, action))?;
            Ok(None)
        }
    }
}

fn unshare(actor: &Actor, su: &User, key: ShareKey<'_>, action: &BulkAction) -> Decided {
    allow(policy::can_set_status(actor, Some(su)), action)?;
    match policy::can_remove_share(actor, Some(su), key) {
        Ok(_) => Ok(None),
        // No such share is the state wanted.
        Err(ErrorCode::NotFound) => Ok(Some("not shared with it".into())),
        Err(c) => Err(refusal(c, action)),
    }
}

/// A granted decision (nothing is mutated here, so its permit is dropped) or its refusal.
fn allow<P>(d: Result<P, ErrorCode>, action: &BulkAction) -> Result<(), (ErrorCode, String)> {
    d.map(drop).map_err(|c| refusal(c, action))
}

/// The policy's code with a sentence about this action.
fn refusal(code: ErrorCode, action: &BulkAction) -> (ErrorCode, String) {
    let why = match (code, action) {
        (ErrorCode::NotAServiceUser, _) => "not a service user".to_owned(),
        (ErrorCode::NoAccessToServiceUser, _) => {
            "you have no owner access to this service user".to_owned()
        }
        (ErrorCode::NoAccessToRole, BulkAction::AttachRole { role })
        | (ErrorCode::NoAccessToRole, BulkAction::DetachRole { role }) => {
            format!("you don't hold role {role}")
        }
        (ErrorCode::NotFound, BulkAction::AttachRole { role }) => format!("no such role {role}"),
        (ErrorCode::NotFound, BulkAction::Share { .. }) => {
            "a person or tag to share with does not exist".to_owned()
        }
        (ErrorCode::DefaultRoleRequired, _) => "its default role cannot be detached".to_owned(),
        (ErrorCode::LastOwner, _) => "it would be left without an owner".to_owned(),
        (ErrorCode::MustDisableFirst, _) => "must be disabled first".to_owned(),
        (ErrorCode::CannotShareWithServiceUser, _) => {
            "a service user can be shared only with regular users and tags".to_owned()
        }
        (ErrorCode::InvalidTransferUser, BulkAction::Delete { transfer_to }) => {
            format!("transfer user {transfer_to} must be an existing, enabled regular user")
        }
        (c, _) => c.default_message().to_owned(),
    };
    (code, why)
}
