//! The policy table: every actor kind x every action x target state, with the expected
//! decision in each cell. Cells read `[enabled, disabled, deleted]` for the target.

use chrono::TimeZone;

use super::*;
use crate::{SessionId, Shares, TagId, TagShare, Timestamp, UserShare, UserStatus};

const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";
const ENGINEERS: &str = "role-data-engineers";
const ANALYSTS: &str = "role-analysts";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn uid(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

fn rid(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}

fn tid(s: &str) -> TagId {
    TagId::parse(s).unwrap()
}

fn dsid(s: &str) -> DatasourceId {
    DatasourceId::parse(s).unwrap()
}

fn tokid(s: &str) -> TokenId {
    TokenId::parse(s).unwrap()
}

fn datasource(owner: &UserId) -> crate::Datasource {
    crate::Datasource {
        datasource_id: dsid("ds-1"),
        datasource_name: "Sales".into(),
        datasource_type: "postgres".into(),
        owner: owner.clone(),
        creation_time: Timestamp::from_unix(now().timestamp()).unwrap(),
    }
}

fn permissions(role: &str) -> Vec<String> {
    let p: &[&str] = match role {
        RoleId::DEFAULT_USERS => &["datasources.read", "vertical_apps.access"],
        SUPER_ADMIN => &[
            "datasources.read",
            "datasources.create",
            "datasources.delete",
            "vertical_apps.access",
        ],
        ENGINEERS => &["datasources.read", "datasources.create"],
        _ => &[],
    };
    p.iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActorKind {
    /// A regular user whose active role is super-admin.
    SuperAdminActive,
    /// The same user under their default role.
    SuperAdminInactive,
    /// Named in the target's `Shares.Users`.
    Owner,
    /// Carries a tag that is in the target's `Shares.Tags`.
    OwnerViaTag,
    /// A regular user with no access.
    Unrelated,
    /// A service user assumed by the owner (`X-Amorphic-Service-User`).
    ServiceUserActing,
    /// A service user through its own PAT, no human involved.
    ServiceUserViaPat,
    /// A service user with the super-admin role attached and active.
    ServiceUserSuperAdmin,
    /// A service user that is disabled.
    DisabledServiceUser,
}
use ActorKind::*;

const ACTORS: [ActorKind; 9] = [
    SuperAdminActive,
    SuperAdminInactive,
    Owner,
    OwnerViaTag,
    Unrelated,
    ServiceUserActing,
    ServiceUserViaPat,
    ServiceUserSuperAdmin,
    DisabledServiceUser,
];

fn actor(kind: ActorKind) -> (Actor, AccountState, CredentialKind) {
    let regular = |id: &str, tags: &[&str], roles: &[&str], active: &str| Actor {
        user_id: uid(id),
        is_service_user: false,
        assumed_by: None,
        tags: tags.iter().map(|t| tid(t)).collect(),
        roles: roles.iter().map(|r| rid(r)).collect(),
        active_role: ActiveRole {
            role_id: rid(active),
            is_super_admin: active == SUPER_ADMIN,
            permissions: permissions(active),
        },
    };
    let enabled = AccountState {
        status: UserStatus::Enabled,
        disable_generation: 0,
    };
    let helper = |assumed_by: Option<&str>, active: &str| Actor {
        user_id: uid("helper-bot"),
        is_service_user: true,
        assumed_by: assumed_by.map(uid),
        tags: vec![],
        roles: vec![RoleId::default_users(), rid(ENGINEERS)],
        active_role: ActiveRole {
            role_id: rid(active),
            is_super_admin: false,
            permissions: permissions(active),
        },
    };
    match kind {
        SuperAdminActive => (
            regular(
                "sam",
                &[],
                &[RoleId::DEFAULT_USERS, SUPER_ADMIN],
                SUPER_ADMIN,
            ),
            enabled,
            CredentialKind::Session,
        ),
        SuperAdminInactive => (
            regular(
                "sam",
                &[],
                &[RoleId::DEFAULT_USERS, SUPER_ADMIN],
                RoleId::DEFAULT_USERS,
            ),
            enabled,
            CredentialKind::Session,
        ),
        Owner => (
            regular(
                "olivia",
                &[],
                &[RoleId::DEFAULT_USERS, ENGINEERS],
                RoleId::DEFAULT_USERS,
            ),
            enabled,
            CredentialKind::AccessToken,
        ),
        OwnerViaTag => (
            regular(
                "tom",
                &["team-data"],
                &[RoleId::DEFAULT_USERS],
                RoleId::DEFAULT_USERS,
            ),
            enabled,
            CredentialKind::Session,
        ),
        Unrelated => (
            regular(
                "uma",
                &["team-finance"],
                &[RoleId::DEFAULT_USERS, ENGINEERS],
                ENGINEERS,
            ),
            enabled,
            CredentialKind::Session,
        ),
        ServiceUserActing => (
            helper(Some("olivia"), ENGINEERS),
            enabled,
            CredentialKind::ServiceUserToken,
        ),
        ServiceUserViaPat => (
            helper(None, RoleId::DEFAULT_USERS),
            enabled,
            CredentialKind::AccessToken,
        ),
        ServiceUserSuperAdmin => {
            let mut a = helper(None, SUPER_ADMIN);
            a.user_id = uid("admin-bot");
            a.roles = vec![RoleId::default_users(), rid(SUPER_ADMIN)];
            a.active_role.is_super_admin = true;
            (a, enabled, CredentialKind::AccessToken)
        }
        DisabledServiceUser => (
            helper(None, RoleId::DEFAULT_USERS),
            AccountState {
                status: UserStatus::Disabled,
                disable_generation: 1,
            },
            CredentialKind::AccessToken,
        ),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Enabled,
    Disabled,
    Deleted,
}
const STATES: [State; 3] = [State::Enabled, State::Disabled, State::Deleted];

fn user(id: &str, service: bool, state: State) -> Option<User> {
    if state == State::Deleted {
        return None;
    }
    let t = Timestamp::from_unix(now().timestamp() - 3600).unwrap();
    Some(User {
        user_id: uid(id),
        is_service_user: service,
        display_name: id.to_owned(),
        description: None,
        email: None,
        user_status: if state == State::Enabled {
            UserStatus::Enabled
        } else {
            UserStatus::Disabled
        },
        default_role_id: RoleId::default_users(),
        roles: vec![RoleId::default_users(), rid(ENGINEERS)],
        tags: vec![],
        created_by: Some(uid("sam")),
        creation_time: t,
        last_modified_time: t,
        version: 7,
        shares: service.then(|| Shares {
            users: vec![UserShare {
                user_id: uid("olivia"),
                access_type: AccessType::Owner,
            }],
            tags: vec![TagShare {
                tag_id: tid("team-data"),
                access_type: AccessType::Owner,
            }],
        }),
        caller_access: None,
    })
}

/// The service user every action targets.
fn target(state: State) -> Option<User> {
    user("target-bot", true, state)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    CreateServiceUserWithTargetsId,
    ViewShares,
    ManageServiceUser,
    SetStatus,
    ShareWithRegularUser,
    ShareAsEditor,
    ShareWithServiceUser,
    ShareWithUnknownUser,
    UnshareOwner,
    UnshareAbsentTag,
    AttachOwnRole,
    AttachUnknownRole,
    DetachRole,
    DetachDefaultRole,
    Assume,
    AssumeUnattachedRole,
    Delete,
    ViewSessionsOfRegularUser,
    ViewSessionsOfServiceUser,
    ReadDatasources,
    CreateDatasource,
    DeleteOwnDatasource,
    DeleteTargetsDatasource,
    UseVerticalApp,
    CreateAccessTokenDefaultRole,
    CreateAccessTokenSuperAdminRole,
}

fn ok<A: ActsOn>(d: Decision<A>) -> Result<(), ErrorCode> {
    d.map(|_| ())
}

/// Runs the server's pipeline for one cell: authenticate the actor, then the decision.
fn decide(kind: ActorKind, action: Action, state: State) -> Result<(), ErrorCode> {
    let (a, account, cred_kind) = actor(kind);
    let cred = Credential {
        kind: cred_kind,
        issued_at: now() - Duration::minutes(1),
        expires_at: now() + Duration::minutes(30),
        disable_generation: 0,
    };
    authenticate(&cred, &account, now())?;
    let t = target(state);
    let t = t.as_ref();
    let bob = user("bob", false, State::Enabled);
    let other_bot = user("other-bot", true, State::Enabled);
    let expiry = now() + Duration::days(30);
    use Action::*;
    match action {
        CreateServiceUserWithTargetsId => ok(can_create_service_user(&a, &uid("new-bot"), t)),
        ViewShares => ok(can_view_service_user(&a, t)),
        ManageServiceUser => ok(can_manage_service_user(&a, t)),
        SetStatus => ok(can_set_status(&a, t)),
        ShareWithRegularUser => ok(can_add_shares(
            &a,
            t,
            &[ShareTarget::User {
                found: bob.as_ref(),
                access_type: "owner",
            }],
        )),
        ShareAsEditor => ok(can_add_shares(
            &a,
            t,
            &[ShareTarget::User {
                found: bob.as_ref(),
                access_type: "editor",
            }],
        )),
        ShareWithServiceUser => ok(can_add_shares(
            &a,
            t,
            &[ShareTarget::User {
                found: other_bot.as_ref(),
                access_type: "owner",
            }],
        )),
        ShareWithUnknownUser => ok(can_add_shares(
            &a,
            t,
            &[ShareTarget::User {
                found: None,
                access_type: "owner",
            }],
        )),
        UnshareOwner => ok(can_remove_share(&a, t, ShareKey::User("olivia"))),
        UnshareAbsentTag => ok(can_remove_share(&a, t, ShareKey::Tag("team-finance"))),
        AttachOwnRole => ok(can_attach_roles(&a, t, &[(&rid(ENGINEERS), true)])),
        AttachUnknownRole => ok(can_attach_roles(&a, t, &[(&rid("role-nope"), false)])),
        DetachRole => ok(can_detach_role(&a, t, ENGINEERS)),
        DetachDefaultRole => ok(can_detach_role(&a, t, RoleId::DEFAULT_USERS)),
        Assume => ok(can_assume(&a, t, &RoleId::default_users(), true)),
        AssumeUnattachedRole => ok(can_assume(&a, t, &rid(ANALYSTS), true)),
        Delete => ok(can_delete_service_user(&a, t)),
        ViewSessionsOfRegularUser => ok(can_view_sessions(&a, user("rita", false, state).as_ref())),
        ViewSessionsOfServiceUser => ok(can_view_sessions(&a, t)),
        ReadDatasources => ok(can_read_datasources(&a)),
        CreateDatasource => ok(can_create_datasource(&a, &dsid("ds-new"))),
        DeleteOwnDatasource => ok(can_delete_datasource(&a, Some(&datasource(&a.user_id)))),
        // After a delete the datasource belongs to the transfer user, still not the actor.
        DeleteTargetsDatasource => ok(can_delete_datasource(
            &a,
            Some(&datasource(&uid(if t.is_some() {
                "target-bot"
            } else {
                "bob"
            }))),
        )),
        UseVerticalApp => ok(can_use_vertical_app(&a)),
        CreateAccessTokenDefaultRole => ok(can_create_access_token(
            &a,
            &tokid("pat-new"),
            &RoleId::default_users(),
            true,
            expiry,
            now(),
        )),
        CreateAccessTokenSuperAdminRole => ok(can_create_access_token(
            &a,
            &tokid("pat-new"),
            &rid(SUPER_ADMIN),
            true,
            expiry,
            now(),
        )),
    }
}

type Cell = Option<ErrorCode>;
const OK: Cell = None;
const NF: Cell = Some(ErrorCode::NotFound);
const AE: Cell = Some(ErrorCode::AlreadyExists);
const SAR: Cell = Some(ErrorCode::SuperAdminRequired);
const NA: Cell = Some(ErrorCode::NoAccessToServiceUser);
const NAR: Cell = Some(ErrorCode::NoAccessToRole);
const RNA: Cell = Some(ErrorCode::RoleNotAttached);
const SUNA: Cell = Some(ErrorCode::ServiceUserNotAllowed);
const SUD: Cell = Some(ErrorCode::ServiceUserDisabled);
const MDF: Cell = Some(ErrorCode::MustDisableFirst);
const DRR: Cell = Some(ErrorCode::DefaultRoleRequired);
const ATNA: Cell = Some(ErrorCode::AccessTypeNotAllowed);
const CSSU: Cell = Some(ErrorCode::CannotShareWithServiceUser);
const NSSU: Cell = Some(ErrorCode::NoSessionsForServiceUsers);
const FB: Cell = Some(ErrorCode::Forbidden);
const PD: Cell = Some(ErrorCode::PrincipalDisabled);

/// Rows: one per actor in [`ACTORS`] order; columns: target enabled, disabled, deleted.
type Block = [[Cell; 3]; 9];

/// The table. Each row is one action; each cell is one actor (in [`ACTORS`] order, named in the
/// header) and holds the expected decisions for a target that is `[enabled, disabled, deleted]`.
/// `OK` is granted; anything else is the `ErrorCode` the server answers.
#[rustfmt::skip]
fn table() -> Vec<(Action, Block)> {
    use Action::*;
    vec![
        //                                   super-admin on      super-admin off     owner               owner via tag       unrelated           SU acting           SU via its PAT      SU w/ SA role       SU disabled
        (CreateServiceUserWithTargetsId,  [[  AE,   AE,   OK], [ SAR,  SAR,  SAR], [ SAR,  SAR,  SAR], [ SAR,  SAR,  SAR], [ SAR,  SAR,  SAR], [ SAR,  SAR,  SAR], [ SAR,  SAR,  SAR], [ SAR,  SAR,  SAR], [  PD,   PD,   PD]]),
        (ViewShares,                      [[  OK,   OK,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  PD,   PD,   PD]]),
        (ManageServiceUser,               [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (SetStatus,                       [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (ShareWithRegularUser,            [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (ShareAsEditor,                   [[  NA,   NA,   NF], [  NA,   NA,   NF], [ATNA, ATNA,   NF], [ATNA, ATNA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (ShareWithServiceUser,            [[  NA,   NA,   NF], [  NA,   NA,   NF], [CSSU, CSSU,   NF], [CSSU, CSSU,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (ShareWithUnknownUser,            [[  NA,   NA,   NF], [  NA,   NA,   NF], [  NF,   NF,   NF], [  NF,   NF,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (UnshareOwner,                    [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,   OK,   NF], [  OK,   OK,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (UnshareAbsentTag,                [[  NA,   NA,   NF], [  NA,   NA,   NF], [  NF,   NF,   NF], [  NF,   NF,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (AttachOwnRole,                   [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,   OK,   NF], [ NAR,  NAR,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (AttachUnknownRole,               [[  NA,   NA,   NF], [  NA,   NA,   NF], [  NF,   NF,   NF], [  NF,   NF,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (DetachRole,                      [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,   OK,   NF], [ NAR,  NAR,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (DetachDefaultRole,               [[  NA,   NA,   NF], [  NA,   NA,   NF], [ DRR,  DRR,   NF], [ DRR,  DRR,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (Assume,                          [[  NA,   NA,   NF], [  NA,   NA,   NF], [  OK,  SUD,   NF], [  OK,  SUD,   NF], [  NA,   NA,   NF], [SUNA, SUNA,   NF], [SUNA, SUNA,   NF], [SUNA, SUNA,   NF], [  PD,   PD,   PD]]),
        (AssumeUnattachedRole,            [[  NA,   NA,   NF], [  NA,   NA,   NF], [ RNA,  RNA,   NF], [ RNA,  RNA,   NF], [  NA,   NA,   NF], [SUNA, SUNA,   NF], [SUNA, SUNA,   NF], [SUNA, SUNA,   NF], [  PD,   PD,   PD]]),
        (Delete,                          [[  NA,   NA,   NF], [  NA,   NA,   NF], [ MDF,   OK,   NF], [ MDF,   OK,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  NA,   NA,   NF], [  PD,   PD,   PD]]),
        (ViewSessionsOfRegularUser,       [[  OK,   OK,   NF], [  FB,   FB,   NF], [  FB,   FB,   NF], [  FB,   FB,   NF], [  FB,   FB,   NF], [  FB,   FB,   NF], [  FB,   FB,   NF], [  FB,   FB,   NF], [  PD,   PD,   PD]]),
        (ViewSessionsOfServiceUser,       [[NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [NSSU, NSSU,   NF], [  PD,   PD,   PD]]),
        (ReadDatasources,                 [[  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  PD,   PD,   PD]]),
        (CreateDatasource,                [[  OK,   OK,   OK], [  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  OK,   OK,   OK], [  OK,   OK,   OK], [  FB,   FB,   FB], [  OK,   OK,   OK], [  PD,   PD,   PD]]),
        (DeleteOwnDatasource,             [[  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  PD,   PD,   PD]]),
        (DeleteTargetsDatasource,         [[  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  FB,   FB,   FB], [  PD,   PD,   PD]]),
        (UseVerticalApp,                  [[  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  FB,   FB,   FB], [SUNA, SUNA, SUNA], [SUNA, SUNA, SUNA], [SUNA, SUNA, SUNA], [  PD,   PD,   PD]]),
        (CreateAccessTokenDefaultRole,    [[  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  OK,   OK,   OK], [  PD,   PD,   PD]]),
        (CreateAccessTokenSuperAdminRole, [[  OK,   OK,   OK], [  OK,   OK,   OK], [ RNA,  RNA,  RNA], [ RNA,  RNA,  RNA], [ RNA,  RNA,  RNA], [ RNA,  RNA,  RNA], [ RNA,  RNA,  RNA], [  OK,   OK,   OK], [  PD,   PD,   PD]]),
    ]
}

#[test]
fn policy_table() {
    let table = table();
    let mut failures = Vec::new();
    let mut cells = 0;
    for (action, block) in &table {
        for (row, kind) in ACTORS.iter().enumerate() {
            for (col, state) in STATES.iter().enumerate() {
                cells += 1;
                let expected = block[row][col];
                let got = decide(*kind, *action, *state).err();
                if got != expected {
                    failures.push(format!(
                        "{action:?} by {kind:?} on {state:?} target: expected {expected:?}, got {got:?}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every action appears exactly once.
    let mut seen: Vec<String> = table.iter().map(|(a, _)| format!("{a:?}")).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), table.len());
    assert_eq!(table.len(), 26, "every Action variant has a row block");
}

// ---------------------------------------------------------------------------------------
// Decisions outside the table

#[test]
fn last_share_cannot_be_removed() {
    let (owner, _, _) = actor(Owner);
    let mut t = target(State::Enabled).unwrap();
    t.shares.as_mut().unwrap().tags.clear();
    assert_eq!(
        can_remove_share(&owner, Some(&t), ShareKey::User("olivia")).unwrap_err(),
        ErrorCode::LastOwner
    );
}

#[test]
fn a_user_sees_their_own_sessions() {
    let (owner, _, _) = actor(Owner);
    let me = user("olivia", false, State::Enabled);
    assert!(can_view_sessions(&owner, me.as_ref()).is_ok());
}

#[test]
fn transfer_user_rules() {
    let bob = user("bob", false, State::Enabled);
    let dave = user("dave", false, State::Disabled);
    let bot = user("other-bot", true, State::Enabled);
    assert_eq!(
        check_transfer_user(None, None),
        Err(ErrorCode::TransferUserRequired)
    );
    assert_eq!(
        check_transfer_user(Some(""), None),
        Err(ErrorCode::TransferUserRequired)
    );
    assert_eq!(
        check_transfer_user(Some("ghost"), None),
        Err(ErrorCode::InvalidTransferUser)
    );
    assert_eq!(
        check_transfer_user(Some("dave"), dave.as_ref()),
        Err(ErrorCode::InvalidTransferUser)
    );
    assert_eq!(
        check_transfer_user(Some("other-bot"), bot.as_ref()),
        Err(ErrorCode::InvalidTransferUser)
    );
    assert_eq!(check_transfer_user(Some("bob"), bob.as_ref()), Ok(()));
}

#[test]
fn caller_access_is_owner_or_null_for_service_users_only() {
    let (owner, _, _) = actor(Owner);
    let (stranger, _, _) = actor(Unrelated);
    let t = target(State::Enabled).unwrap();
    assert_eq!(caller_access(&owner, &t), Some(Some(AccessType::Owner)));
    assert_eq!(caller_access(&stranger, &t), Some(None));
    assert_eq!(
        caller_access(&owner, &user("bob", false, State::Enabled).unwrap()),
        None
    );
}

#[test]
fn access_token_expiry_bounds() {
    let (owner, _, _) = actor(Owner);
    let d = RoleId::default_users();
    let new = tokid("pat-new");
    let check = |at| can_create_access_token(&owner, &new, &d, true, at, now()).map(|_| ());
    assert_eq!(check(now()), Err(ErrorCode::InvalidExpiry));
    assert_eq!(
        check(now() - Duration::days(1)),
        Err(ErrorCode::InvalidExpiry)
    );
    assert_eq!(check(now() + Duration::days(365)), Ok(()));
    assert_eq!(
        check(now() + Duration::days(365) + Duration::seconds(1)),
        Err(ErrorCode::InvalidExpiry)
    );
    assert_eq!(
        can_create_access_token(&owner, &new, &rid("role-nope"), false, now(), now()).map(|_| ()),
        Err(ErrorCode::NotFound),
        "an unknown role is step 7, before the expiry"
    );
}

#[test]
fn active_role_selection() {
    let attached = [RoleId::default_users(), rid(ENGINEERS)];
    let d = RoleId::default_users();
    let e = rid(ENGINEERS);
    let session = RoleSource::Session { default_role: &d };
    assert_eq!(select_active_role(&attached, session, None), Ok(d.clone()));
    assert_eq!(
        select_active_role(&attached, session, Some(ENGINEERS)),
        Ok(e.clone())
    );
    assert_eq!(
        select_active_role(&attached, session, Some(SUPER_ADMIN)),
        Err(ErrorCode::RoleNotAttached)
    );
    let pat = RoleSource::AccessToken { bound_role: &e };
    assert_eq!(select_active_role(&attached, pat, None), Ok(e.clone()));
    assert_eq!(
        select_active_role(&attached, pat, Some(ENGINEERS)),
        Ok(e.clone())
    );
    assert_eq!(
        select_active_role(&attached, pat, Some(RoleId::DEFAULT_USERS)),
        Err(ErrorCode::RoleNotAttached)
    );
    // A role detached after the PAT was made: refused at once.
    assert_eq!(
        select_active_role(std::slice::from_ref(&d), pat, None),
        Err(ErrorCode::RoleNotAttached)
    );
    let jwt = RoleSource::ServiceUserToken { claim_role: &e };
    assert_eq!(select_active_role(&attached, jwt, None), Ok(e.clone()));
    assert_eq!(
        select_active_role(&attached, jwt, Some(RoleId::DEFAULT_USERS)),
        Ok(d.clone())
    );
    assert_eq!(
        select_active_role(std::slice::from_ref(&d), jwt, None),
        Err(ErrorCode::RoleNotAttached)
    );
}

#[test]
fn authentication_after_disable_and_re_enable() {
    // Disabled once (generation 0 -> 1) and enabled again.
    let enabled_again = AccountState {
        status: UserStatus::Enabled,
        disable_generation: 1,
    };
    let before = now() - Duration::minutes(20);
    let after = now() - Duration::minutes(5);
    let exp = now() + Duration::minutes(30);
    let cred = |kind, issued_at, disable_generation| Credential {
        kind,
        issued_at,
        expires_at: exp,
        disable_generation,
    };
    // PATs work again; sessions and service-user tokens from before the disable stay dead.
    assert_eq!(
        authenticate(
            &cred(CredentialKind::AccessToken, before, 0),
            &enabled_again,
            now()
        ),
        Ok(())
    );
    assert_eq!(
        authenticate(
            &cred(CredentialKind::Session, before, 0),
            &enabled_again,
            now()
        ),
        Err(ErrorCode::Unauthenticated)
    );
    assert_eq!(
        authenticate(
            &cred(CredentialKind::ServiceUserToken, before, 0),
            &enabled_again,
            now()
        ),
        Err(ErrorCode::TokenInvalid)
    );
    // The generation decides, not the time: a session stamped after the disable but created
    // under the old generation (it raced the disable) is dead; one created under the new one
    // lives, whatever its time says.
    assert_eq!(
        authenticate(
            &cred(CredentialKind::Session, after, 0),
            &enabled_again,
            now()
        ),
        Err(ErrorCode::Unauthenticated)
    );
    assert_eq!(
        authenticate(
            &cred(CredentialKind::Session, after, 1),
            &enabled_again,
            now()
        ),
        Ok(())
    );
    assert_eq!(
        authenticate(
            &cred(CredentialKind::Session, before, 1),
            &enabled_again,
            now()
        ),
        Ok(())
    );
    let disabled = AccountState {
        status: UserStatus::Disabled,
        disable_generation: 1,
    };
    assert_eq!(
        authenticate(
            &cred(CredentialKind::AccessToken, before, 0),
            &disabled,
            now()
        ),
        Err(ErrorCode::PrincipalDisabled)
    );
    assert_eq!(
        authenticate(&cred(CredentialKind::Session, after, 1), &disabled, now()),
        Err(ErrorCode::PrincipalDisabled)
    );
    let expired = Credential {
        kind: CredentialKind::AccessToken,
        issued_at: before,
        expires_at: now(),
        disable_generation: 0,
    };
    assert_eq!(
        authenticate(&expired, &enabled_again, now()),
        Err(ErrorCode::TokenExpired)
    );
}

#[test]
fn disable_generation_decides_not_the_clock() {
    assert!(!disabled_since_issue(0, 0));
    assert!(!disabled_since_issue(7, 7));
    // Disabled once or more since issue (whatever the times said).
    assert!(disabled_since_issue(0, 1));
    assert!(disabled_since_issue(3, 5));
    // A generation the server never reached is not a live one either.
    assert!(disabled_since_issue(2, 1));
    assert!(disabled_since_issue(i64::MAX, 0));
}

fn claims(iat: i64, exp: i64) -> ServiceUserClaims {
    ServiceUserClaims {
        sub: "target-bot".into(),
        uid: 42,
        act_sub: "olivia".into(),
        iat,
        nbf: iat,
        exp,
        disable_generation: 2,
    }
}

#[test]
fn service_user_token_acceptance() {
    let (owner, _, _) = actor(Owner);
    let (stranger, _, _) = actor(Unrelated);
    let (acting, _, _) = actor(ServiceUserActing);
    let n = now().timestamp();
    let su = target(State::Enabled).unwrap();
    let assumed = AssumedUser {
        user: &su,
        uid: 42,
        disable_generation: 2,
    };
    let good = claims(n - 60, n + 600);
    assert_eq!(
        accept_service_user_token(&good, &owner, Some(&assumed), now()),
        Ok(())
    );
    // Expired, lifetime over 180 minutes, issued or valid in the future.
    assert_eq!(
        accept_service_user_token(&claims(n - 700, n - 1), &owner, Some(&assumed), now()),
        Err(ErrorCode::TokenExpired)
    );
    assert_eq!(
        accept_service_user_token(
            &claims(n - 60, n - 60 + 10_801),
            &owner,
            Some(&assumed),
            now()
        ),
        Err(ErrorCode::TokenInvalid)
    );
    assert_eq!(
        accept_service_user_token(&claims(n + 30, n + 600), &owner, Some(&assumed), now()),
        Err(ErrorCode::TokenInvalid)
    );
    let mut nbf_future = good.clone();
    nbf_future.nbf = n + 10;
    assert_eq!(
        accept_service_user_token(&nbf_future, &owner, Some(&assumed), now()),
        Err(ErrorCode::TokenInvalid)
    );
    // Extreme times must not overflow (i64::MIN - anything).
    for (iat, exp) in [(i64::MIN, n + 600), (n - 5, i64::MAX), (i64::MAX, i64::MIN)] {
        let c = ServiceUserClaims {
            nbf: iat.min(n),
            ..claims(iat, exp)
        };
        assert!(accept_service_user_token(&c, &owner, Some(&assumed), now()).is_err());
    }
    // act.sub must be the caller; no chains.
    assert_eq!(
        accept_service_user_token(&good, &stranger, Some(&assumed), now()),
        Err(ErrorCode::TokenInvalid)
    );
    assert_eq!(
        accept_service_user_token(&good, &acting, Some(&assumed), now()),
        Err(ErrorCode::TokenInvalid)
    );
    // Deleted, or re-created with a new uid.
    assert_eq!(
        accept_service_user_token(&good, &owner, None, now()),
        Err(ErrorCode::TokenInvalid)
    );
    let recreated = AssumedUser {
        user: &su,
        uid: 43,
        disable_generation: 2,
    };
    assert_eq!(
        accept_service_user_token(&good, &owner, Some(&recreated), now()),
        Err(ErrorCode::TokenInvalid)
    );
    // Disabled now; disabled after iat and re-enabled.
    let off = target(State::Disabled).unwrap();
    let disabled = AssumedUser {
        user: &off,
        uid: 42,
        disable_generation: 3,
    };
    assert_eq!(
        accept_service_user_token(&good, &owner, Some(&disabled), now()),
        Err(ErrorCode::PrincipalDisabled)
    );
    let reenabled = AssumedUser {
        user: &su,
        uid: 42,
        disable_generation: 3,
    };
    assert_eq!(
        accept_service_user_token(&good, &owner, Some(&reenabled), now()),
        Err(ErrorCode::TokenInvalid)
    );
    // Disabled and re-enabled within the second the token was issued in: still dead, the
    // time plays no part (a token from the same second as the re-enable is no exception).
    let same_second = claims(n, n + 600);
    assert_eq!(
        accept_service_user_token(&same_second, &owner, Some(&reenabled), now()),
        Err(ErrorCode::TokenInvalid)
    );
    // Issued after the re-enable (under the new generation): accepted.
    let after = ServiceUserClaims {
        disable_generation: 3,
        ..same_second
    };
    assert_eq!(
        accept_service_user_token(&after, &owner, Some(&reenabled), now()),
        Ok(())
    );
    // A forged or confused generation from the future is not accepted.
    let ahead = ServiceUserClaims {
        disable_generation: 4,
        ..good.clone()
    };
    assert_eq!(
        accept_service_user_token(&ahead, &owner, Some(&reenabled), now()),
        Err(ErrorCode::TokenInvalid)
    );
    // Access lost since issue.
    let mut unshared = su.clone();
    unshared.shares.as_mut().unwrap().users.clear();
    let lost = AssumedUser {
        user: &unshared,
        uid: 42,
        disable_generation: 2,
    };
    assert_eq!(
        accept_service_user_token(&good, &owner, Some(&lost), now()),
        Err(ErrorCode::TokenInvalid)
    );
}

#[test]
fn login_lockout_after_five_failures_in_fifteen_minutes() {
    let f = |mins_ago: i64| now() - Duration::minutes(mins_ago);
    assert_eq!(login_allowed(&[f(1), f(2), f(3), f(4)], now()), Ok(()));
    assert_eq!(
        login_allowed(&[f(1), f(2), f(3), f(4), f(14)], now()),
        Err(ErrorCode::TooManyAttempts)
    );
    assert_eq!(
        login_allowed(&[f(1), f(2), f(3), f(4), f(15)], now()),
        Ok(()),
        "the window passed"
    );
}

#[test]
fn super_admin_powers_need_a_regular_user() {
    let (sa, _, _) = actor(SuperAdminActive);
    let (sua, _, _) = actor(ServiceUserSuperAdmin);
    assert!(sa.is_super_admin());
    assert!(!sua.is_super_admin());
}

/// Each permit carries the target its decision examined.
mod permits;
