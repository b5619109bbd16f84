//! Every granted permit carries the target its decision examined, so a mutation reading the
//! target from the permit acts on that one and no other.

use super::*;

fn ds(id: &str) -> DatasourceId {
    dsid(id)
}

#[test]
fn a_permit_for_a_service_user_carries_that_service_user() {
    let (owner, _, _) = actor(Owner);
    let a = target(State::Enabled).unwrap();
    let mut b = user("other-bot", true, State::Enabled).unwrap();
    b.shares = a.shares.clone();
    for su in [&a, &b] {
        let id = &su.user_id;
        assert_eq!(
            can_view_service_user(&owner, Some(su)).unwrap().target(),
            id
        );
        assert_eq!(
            can_manage_service_user(&owner, Some(su)).unwrap().target(),
            id
        );
        assert_eq!(can_set_status(&owner, Some(su)).unwrap().target(), id);
        let bob = user("bob", false, State::Enabled);
        let share = ShareTarget::User {
            found: bob.as_ref(),
            access_type: "owner",
        };
        assert_eq!(
            can_add_shares(&owner, Some(su), &[share]).unwrap().target(),
            id
        );
        let on = |what| OnUser {
            user_id: id.clone(),
            what,
        };
        let key = ShareKey::User("olivia");
        assert_eq!(
            can_remove_share(&owner, Some(su), key).unwrap().target(),
            &on(ShareId::User(uid("olivia")))
        );
        let key = ShareKey::Tag("team-data");
        assert_eq!(
            can_remove_share(&owner, Some(su), key).unwrap().target(),
            &on(ShareId::Tag(tid("team-data")))
        );
        let engineers = rid(ENGINEERS);
        let roles = [(&engineers, true)];
        assert_eq!(
            can_attach_roles(&owner, Some(su), &roles).unwrap().target(),
            &OnUser {
                user_id: id.clone(),
                what: vec![engineers.clone()],
            }
        );
        assert_eq!(
            can_detach_role(&owner, Some(su), ENGINEERS)
                .unwrap()
                .target(),
            &OnUser {
                user_id: id.clone(),
                what: engineers.clone(),
            }
        );
        let role = RoleId::default_users();
        assert_eq!(
            can_assume(&owner, Some(su), &role, true).unwrap().target(),
            id
        );
        let token = tokid("pat-1");
        let revoke = can_revoke_service_user_token(&owner, Some(su), &token).unwrap();
        assert_eq!(
            revoke.target(),
            &Owned {
                id: token,
                owner: id.clone()
            }
        );
    }
    let mut disabled = a.clone();
    disabled.user_status = UserStatus::Disabled;
    assert_eq!(
        can_delete_service_user(&owner, Some(&disabled))
            .unwrap()
            .target(),
        &a.user_id
    );
}

#[test]
fn revoking_a_service_users_token_needs_access_to_it() {
    let (stranger, _, _) = actor(Unrelated);
    let t = target(State::Enabled);
    let token = tokid("pat-1");
    assert_eq!(
        can_revoke_service_user_token(&stranger, t.as_ref(), &token).unwrap_err(),
        ErrorCode::NoAccessToServiceUser
    );
    assert_eq!(
        can_revoke_service_user_token(&stranger, None, &token).unwrap_err(),
        ErrorCode::NotFound
    );
}

#[test]
fn creations_carry_the_new_id_and_the_actor_as_owner() {
    let (sam, _, _) = actor(SuperAdminActive);
    let new = uid("new-bot");
    assert_eq!(
        can_create_service_user(&sam, &new, None).unwrap().target(),
        &Owned {
            id: new,
            owner: sam.user_id.clone()
        }
    );
    let (owner, _, _) = actor(Owner);
    let d = ds("ds-new");
    assert_eq!(
        can_create_datasource(&sam, &d).unwrap().target(),
        &Owned {
            id: d.clone(),
            owner: sam.user_id.clone()
        }
    );
    let mut mine = datasource(&owner.user_id);
    mine.datasource_id = d.clone();
    assert_eq!(
        can_delete_datasource(&owner, Some(&mine)).unwrap().target(),
        &Owned {
            id: d,
            owner: owner.user_id.clone()
        }
    );
    let p = tokid("pat-new");
    let expiry = now() + Duration::days(1);
    let create = can_create_access_token(&owner, &p, &RoleId::default_users(), true, expiry, now());
    assert_eq!(
        create.unwrap().target(),
        &Owned {
            id: p.clone(),
            owner: owner.user_id.clone()
        }
    );
    assert_eq!(
        can_revoke_access_token(&owner, &p).unwrap().target(),
        &Owned {
            id: p,
            owner: owner.user_id.clone()
        }
    );
}

#[test]
fn the_sessions_permit_carries_the_user_whose_sessions_end() {
    let (sam, _, _) = actor(SuperAdminActive);
    let rita = user("rita", false, State::Enabled).unwrap();
    assert_eq!(
        can_view_sessions(&sam, Some(&rita)).unwrap().target(),
        &rita.user_id
    );
}

#[test]
fn sign_in_only_for_an_enabled_regular_user_with_the_right_password() {
    let id = uid("olivia");
    let account = |is_service_user, status| {
        Some(SignInAccount {
            is_service_user,
            status,
        })
    };
    let ok = can_sign_in(&id, account(false, UserStatus::Enabled), true).unwrap();
    assert_eq!(ok.target(), &id);
    for (found, password_ok) in [
        (account(false, UserStatus::Enabled), false),
        (account(false, UserStatus::Disabled), true),
        (account(true, UserStatus::Enabled), true),
        (None, true),
        (None, false),
    ] {
        assert_eq!(
            can_sign_in(&id, found, password_ok).unwrap_err(),
            ErrorCode::Unauthenticated,
            "{found:?} {password_ok}"
        );
    }
}

#[test]
fn ending_a_session_needs_a_regular_users_own_session() {
    let sid = SessionId::parse("ses_calling").unwrap();
    for kind in [SuperAdminActive, Owner, Unrelated] {
        let (a, _, _) = actor(kind);
        assert_eq!(
            can_end_session(&a, Some(&sid)).unwrap().target(),
            &Owned {
                id: sid.clone(),
                owner: a.user_id.clone()
            }
        );
        assert_eq!(
            can_end_session(&a, None).unwrap_err(),
            ErrorCode::NotASession,
            "{kind:?} with a PAT"
        );
    }
    let (acting, _, _) = actor(ServiceUserActing);
    for session in [Some(&sid), None] {
        assert_eq!(
            can_end_session(&acting, session).unwrap_err(),
            ErrorCode::ServiceUserNotAllowed
        );
    }
    let (bot, _, _) = actor(ServiceUserViaPat);
    assert_eq!(
        can_end_session(&bot, None).unwrap_err(),
        ErrorCode::NoSessionsForServiceUsers
    );
}
