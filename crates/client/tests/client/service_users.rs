//! Creating a service user with extra roles.

use amorphic_su_client::model::{ClientCode, ErrorCode, RoleId};
use amorphic_su_client::{ClientError, NewServiceUser};

use crate::common::*;

fn new(user_id: &str) -> NewServiceUser {
    NewServiceUser {
        user_id: user_id.into(),
        display_name: "Test bot".into(),
        description: None,
    }
}

fn role(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_user_is_created_with_its_extra_roles_or_the_error_says_it_exists_without() {
    let env = Env::new().await;
    let client = env.signed_in("create", ALICE_SUPERADMIN_PAT).await;

    // The default role is not attached twice; the extra one is attached.
    let u = client
        .create_service_user_with_roles(
            new("roles-bot"),
            &[role(RoleId::DEFAULT_USERS), role("role-data-engineers")],
        )
        .await
        .unwrap();
    let roles: Vec<_> = u.roles.iter().map(|r| r.as_str()).collect();
    assert_eq!(roles, [RoleId::DEFAULT_USERS, "role-data-engineers"]);
    let history = client.activity(&id("roles-bot")).await.unwrap();
    assert_eq!(
        history.len(),
        2,
        "created, then roles attached: {history:?}"
    );

    // No extra role: created, nothing attached.
    let u = client
        .create_service_user_with_roles(new("plain-bot"), &[])
        .await
        .unwrap();
    assert_eq!(u.roles.len(), 1);

    // Alice does not hold role-analysts: the user exists, without it.
    let e = client
        .create_service_user_with_roles(new("half-bot"), &[role("role-analysts")])
        .await
        .unwrap_err();
    assert_eq!(e.code(), ClientCode::CreatedWithoutRoles);
    let ClientError::CreatedWithoutRoles { user, source } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(user.as_str(), "half-bot");
    assert_eq!(source.api_code(), Some(ErrorCode::NoAccessToRole));
    assert_eq!(
        e.to_string(),
        format!("'half-bot' was created, but attaching its roles failed: {source}")
    );
    let half = client.user(&id("half-bot")).await.unwrap().data;
    assert_eq!(half.roles.len(), 1, "only the default role");

    // A refused create is the create's own error, not "created without roles".
    let e = client
        .create_service_user_with_roles(new("half-bot"), &[role("role-data-engineers")])
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlreadyExists);
    sign_out(client).await;
    env.srv.shutdown().await;
}
