//! Signing in to a profile and making it current, the session's status, signing out.

use std::sync::Arc;

use amorphic_su_client::model::{ClientCode, Secret};
use amorphic_su_client::{
    current_profile, logout_current, session_status, AuthKind, Client, ClientError, LoginWith,
    SessionStatus,
};

use crate::common::*;

/// The session's status through an open client.
async fn status(paths: &amorphic_su_client::Paths, c: &Arc<Client>) -> SessionStatus {
    session_status(paths, async || Ok::<_, ClientError>(c.clone()))
        .await
        .unwrap()
        .expect("a current profile")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_makes_the_profile_current_and_the_status_asks_the_server() {
    let env = Env::new().await;

    // No current profile: no status, and no client is opened for it.
    let none = session_status(&env.paths, async || -> Result<Arc<Client>, ClientError> {
        panic!("nothing to open without a profile")
    })
    .await
    .unwrap();
    assert!(none.is_none());

    let first = env.profile("first");
    let name = env.profile("session");
    let fresh = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert_eq!(
        fresh.login_user(None),
        None,
        "no user id to sign in with yet"
    );
    assert_eq!(fresh.login_user(Some("bob")).as_deref(), Some("bob"));
    assert_eq!(current_profile(&env.paths).unwrap().unwrap().name, first);

    let password = LoginWith::Password {
        user_id: "alice".into(),
        password: Secret::new(ALICE_PASSWORD),
    };
    let client = Client::login_and_use(&env.paths, &name, password)
        .await
        .unwrap();
    assert_eq!(client.profile().auth, Some(AuthKind::Session));
    assert_eq!(client.login_user(None).as_deref(), Some("alice"));
    assert_eq!(current_profile(&env.paths).unwrap().unwrap().name, name);

    let client = Arc::new(client);
    let signed_in = status(&env.paths, &client).await;
    assert_eq!(signed_in.profile.name, name);
    assert_eq!(signed_in.whoami.unwrap().user_id.as_str(), "alice");

    // Failing to open the client is the status's answer.
    let unopened = session_status(&env.paths, async || {
        Err::<Arc<Client>, _>(ClientError::Io("cannot open".into()))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(unopened.whoami.unwrap_err().code(), ClientCode::IoError);

    // A PAT sign-in on the same profile replaces the session.
    let mut client = Arc::into_inner(client).unwrap();
    let signed = client
        .login(LoginWith::Pat(Secret::new(ALICE_DEFAULT_PAT)))
        .await
        .unwrap();
    assert_eq!(
        (signed.auth, signed.user_id.as_str()),
        (AuthKind::Pat, "alice")
    );

    // A wrong password changes nothing.
    let wrong = LoginWith::Password {
        user_id: "alice".into(),
        password: Secret::new("not-the-password"),
    };
    assert!(Client::login_and_use(&env.paths, &first, wrong)
        .await
        .is_err());
    assert_eq!(current_profile(&env.paths).unwrap().unwrap().name, name);

    let client = Arc::new(client);
    env.srv.shutdown().await;
    let offline = status(&env.paths, &client).await;
    assert_eq!(offline.whoami.unwrap_err().code(), ClientCode::Offline);

    // Signing out of the current profile: the status says so.
    logout_current(&env.paths).await.unwrap();
    let reopened = Arc::new(Client::open(&env.paths, None).await.unwrap());
    let signed_out = status(&env.paths, &reopened).await;
    assert_eq!(signed_out.profile.auth, None);
    assert_eq!(
        signed_out.whoami.unwrap_err().code(),
        ClientCode::NotSignedIn
    );
}
