use amorphic_su_client::model::{ClientCode, RoleId, Timestamp, UserId};
use amorphic_su_client::{AuthKind, Profile, SessionStatus};

use super::{SessionView, SignInKind};
use crate::error::IpcError;

fn alice(auth: AuthKind) -> Profile {
    Profile {
        name: "demo".into(),
        base_url: "http://127.0.0.1:8787".into(),
        user_id: Some(UserId::parse("alice".to_owned()).unwrap()),
        default_role: Some(RoleId::parse("SystemRole-SuperAdmin".to_owned()).unwrap()),
        color: None,
        production: false,
        auth: Some(auth),
        session_expires_at: Timestamp::from_unix(Timestamp::now().unix() + 3600),
    }
}

fn failed(profile: Profile, code: ClientCode) -> SessionView {
    SessionView::checked(SessionStatus {
        profile,
        whoami: Err(IpcError::new(code, "as the client says it")),
    })
}

#[test]
fn offline_the_stored_session_stands_with_its_user_and_role() {
    let v = failed(alice(AuthKind::Session), ClientCode::Offline);
    assert!(!v.online);
    assert_eq!(v.user_id.as_deref(), Some("alice"));
    assert_eq!(v.role_id.as_deref(), Some("SystemRole-SuperAdmin"));
    assert_eq!(v.auth, Some(SignInKind::Session));
    assert!(v.session_expires_at.is_some());
    assert_eq!(v.problem.map(|p| p.code), Some(ClientCode::Offline.into()));
}

#[test]
fn an_ended_session_says_so_and_claims_no_role() {
    let v = failed(alice(AuthKind::Session), ClientCode::SessionExpired);
    assert!(v.online, "the server answered");
    assert_eq!(v.user_id.as_deref(), Some("alice"));
    assert_eq!(v.role_id, None);
    assert_eq!(
        v.problem.map(|p| p.code),
        Some(ClientCode::SessionExpired.into())
    );
}

#[test]
fn a_pat_sign_in_is_named_as_such_and_no_environment_is_nothing() {
    let v = SessionView::stored(Some(&alice(AuthKind::Pat)));
    assert_eq!(v.auth, Some(SignInKind::Pat));
    assert!(v.problem.is_none());
    let none = SessionView::stored(None);
    assert!(none.environment.is_none() && none.auth.is_none() && none.user_id.is_none());
}
