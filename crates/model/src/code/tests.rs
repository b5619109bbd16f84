use super::*;

#[test]
fn codes_serialize_as_the_contract_spells_them() {
    for &code in ErrorCode::ALL {
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert_eq!(code.as_str().parse::<ErrorCode>().unwrap(), code);
        assert!(code
            .as_str()
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_'));
    }
}

#[test]
fn statuses_follow_the_table() {
    assert_eq!(ErrorCode::NoSessionsForServiceUsers.status(), 400);
    assert_eq!(ErrorCode::NotASession.status(), 400);
    assert_eq!(ErrorCode::PrincipalDisabled.status(), 401);
    assert_eq!(ErrorCode::RoleNotAttached.status(), 403);
    assert_eq!(ErrorCode::DefaultRoleRequired.status(), 409);
    assert_eq!(ErrorCode::PayloadTooLarge.status(), 413);
    assert_eq!(ErrorCode::TooManyAttempts.status(), 429);
}

#[test]
fn client_codes_are_lowercase_and_never_collide_with_the_contract() {
    for &code in ClientCode::ALL {
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert_eq!(code.as_str().parse::<ClientCode>().unwrap(), code);
        assert!(code
            .as_str()
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(code.as_str().parse::<ErrorCode>().is_err());
    }
}

#[test]
fn a_code_is_the_bare_string_of_either_vocabulary() {
    let server = Code::from(ErrorCode::RoleNotAttached);
    let client = Code::from(ClientCode::SessionExpired);
    assert_eq!(
        serde_json::to_string(&server).unwrap(),
        "\"ROLE_NOT_ATTACHED\""
    );
    assert_eq!(
        serde_json::to_string(&client).unwrap(),
        "\"session_expired\""
    );
    assert_eq!(
        serde_json::from_str::<Code>("\"offline\"").unwrap(),
        ClientCode::Offline
    );
    assert_eq!(
        serde_json::from_str::<Code>("\"NOT_FOUND\"").unwrap(),
        ErrorCode::NotFound
    );
    assert!(serde_json::from_str::<Code>("\"not_a_code\"").is_err());
    assert_eq!(server.server(), Some(ErrorCode::RoleNotAttached));
    assert_eq!(client.server(), None);
    assert_eq!(client, "session_expired");
}

#[test]
fn a_pat_bound_role_has_its_own_client_code() {
    let code = Code::from(ClientCode::RoleBoundToAccessToken);
    assert_eq!(
        serde_json::to_string(&code).unwrap(),
        "\"role_bound_to_access_token\""
    );
    assert!(ClientCode::ALL.contains(&ClientCode::RoleBoundToAccessToken));
}
