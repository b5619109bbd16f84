//! Your own role: listing the roles attached to you, switching (kept across reopening), and
//! what cannot be switched to.

use amorphic_su_client::model::{ClientCode, ErrorCode, RoleId};
use amorphic_su_client::{Client, MyRoles, NewServiceUser};

use crate::common::*;

const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";

fn role(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}

/// `(id, name, super-admin, default, active)` of each role.
fn rows(m: &MyRoles) -> Vec<(String, String, bool, bool, bool)> {
    m.roles
        .iter()
        .map(|r| {
            (
                r.role_id.to_string(),
                r.role_name.clone(),
                r.is_super_admin,
                r.is_default,
                r.active,
            )
        })
        .collect()
}

fn bot(id: &str) -> NewServiceUser {
    NewServiceUser {
        user_id: id.into(),
        display_name: "Role switch bot".into(),
        description: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_session_switches_to_the_super_admin_role_and_keeps_it() {
    let env = Env::new().await;
    let mut client = env
        .signed_in_with_password("roles", "alice", ALICE_PASSWORD)
        .await;
    let name = client.profile().name.clone();

    let mine = client.my_roles().await.unwrap();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        rows(&mine),
        [
            (
                s(RoleId::DEFAULT_USERS),
                s("Default users"),
                false,
                true,
                true
            ),
            (s(SUPER_ADMIN), s("Super admin"), true, false, false),
            (
                s("SystemRole-SystemAdministrators"),
                s("System administrators"),
                false,
                false,
                false
            ),
            (
                s("role-data-engineers"),
                s("Data engineers"),
                false,
                false,
                false
            ),
        ]
    );
    assert!(mine.switchable && mine.bound_reason.is_none());
    assert_eq!(mine.active.as_str(), RoleId::DEFAULT_USERS);

    let e = client
        .create_service_user(bot("switch-bot-1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::SuperAdminRequired);

    let switched = client.use_role(Some(role(SUPER_ADMIN))).await.unwrap();
    assert_eq!(switched.active.as_str(), SUPER_ADMIN);
    assert_eq!(
        switched.active_choice().map(|r| r.role_name.as_str()),
        Some("Super admin")
    );
    assert_eq!(client.whoami().await.unwrap().role_id.as_str(), SUPER_ADMIN);
    client
        .create_service_user(bot("switch-bot-1"))
        .await
        .unwrap();

    // The choice is the profile's: a client opened later (a restart) sends it too.
    let reopened = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert_eq!(
        reopened.profile().default_role.as_ref().map(|r| r.as_str()),
        Some(SUPER_ADMIN)
    );
    assert_eq!(
        reopened.whoami().await.unwrap().role_id.as_str(),
        SUPER_ADMIN
    );
    reopened
        .create_service_user(bot("switch-bot-2"))
        .await
        .unwrap();

    // Back to the credential's default.
    let back = client.use_role(None).await.unwrap();
    assert_eq!(back.active.as_str(), RoleId::DEFAULT_USERS);
    let reopened = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert_eq!(reopened.profile().default_role, None);

    // A role not attached to you, or no such role: refused, naming it; nothing changes.
    for missing in ["role-analysts", "role-nope"] {
        let e = client.use_role(Some(role(missing))).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::RoleNotAttached, "{e}");
        assert!(e.to_string().contains(missing), "{e}");
        assert!(e.to_string().contains(SUPER_ADMIN), "names yours: {e}");
    }
    assert_eq!(client.profile().default_role, None);
    assert_eq!(
        client.whoami().await.unwrap().role_id.as_str(),
        RoleId::DEFAULT_USERS
    );

    sign_out(client).await;
    env.srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_token_is_bound_to_its_role() {
    let env = Env::new().await;
    let mut client = env.signed_in("roles-pat", ALICE_DEFAULT_PAT).await;

    let mine = client.my_roles().await.unwrap();
    assert!(!mine.switchable);
    assert_eq!(mine.active.as_str(), RoleId::DEFAULT_USERS);
    let why = mine.bound_reason.unwrap();
    assert!(why.contains("personal access token"), "{why}");

    let e = client.use_role(Some(role(SUPER_ADMIN))).await.unwrap_err();
    assert_eq!(e.code(), ClientCode::RoleBoundToAccessToken);
    assert!(e.to_string().contains(RoleId::DEFAULT_USERS), "{e}");
    assert_eq!(client.profile().default_role, None, "nothing changed");

    // Its own role, or none, is fine.
    let same = client
        .use_role(Some(role(RoleId::DEFAULT_USERS)))
        .await
        .unwrap();
    assert_eq!(same.active.as_str(), RoleId::DEFAULT_USERS);
    client.use_role(None).await.unwrap();

    sign_out(client).await;
    env.srv.shutdown().await;
}
