use super::*;
use crate::*;
use serde_json::json;

fn service_user() -> User {
    User {
        user_id: UserId::parse("etl-bot").unwrap(),
        is_service_user: true,
        display_name: "ETL bot".into(),
        description: None,
        email: None,
        user_status: UserStatus::Enabled,
        default_role_id: RoleId::default_users(),
        roles: vec![RoleId::default_users()],
        tags: vec![],
        created_by: Some(UserId::parse("alice").unwrap()),
        creation_time: Timestamp::from_unix(0).unwrap(),
        last_modified_time: Timestamp::from_unix(0).unwrap(),
        version: 3,
        shares: Some(Shares::default()),
        caller_access: Some(None),
    }
}

#[test]
fn service_user_serializes_caller_access_null() {
    let v = serde_json::to_value(service_user()).unwrap();
    assert_eq!(v["CallerAccess"], json!(null));
    assert!(v.as_object().unwrap().contains_key("CallerAccess"));
    assert_eq!(v["Shares"], json!({"Users": [], "Tags": []}));
    assert_eq!(v["UserStatus"], json!("enabled"));
    let back: User = serde_json::from_value(v).unwrap();
    assert_eq!(back, service_user());
}

#[test]
fn regular_user_has_no_shares_keys() {
    let mut u = service_user();
    u.is_service_user = false;
    u.shares = None;
    u.caller_access = None;
    let v = serde_json::to_value(&u).unwrap();
    assert!(!v.as_object().unwrap().contains_key("Shares"));
    assert!(!v.as_object().unwrap().contains_key("CallerAccess"));
    assert_eq!(serde_json::from_value::<User>(v).unwrap(), u);
}

#[test]
fn requests_refuse_unknown_fields_and_bad_ids() {
    let ok = json!({"UserId": "new-bot", "DisplayName": "New"});
    assert!(serde_json::from_value::<CreateServiceUserRequest>(ok).is_ok());
    let extra = json!({"UserId": "new-bot", "DisplayName": "New", "Email": "x@y"});
    assert!(serde_json::from_value::<CreateServiceUserRequest>(extra).is_err());
    let bad_id = json!({"UserId": "no", "DisplayName": "New"});
    assert!(serde_json::from_value::<CreateServiceUserRequest>(bad_id).is_err());
}

#[test]
fn created_access_token_flattens_the_record() {
    let t = CreatedAccessToken {
        record: AccessToken {
            token_id: TokenId::parse("pat-1").unwrap(),
            token_name: "ci".into(),
            description: None,
            role_id: RoleId::default_users(),
            expires_at: Timestamp::from_unix(100).unwrap(),
            creation_time: Timestamp::from_unix(0).unwrap(),
            created_by: UserId::parse("alice").unwrap(),
            status: TokenStatus::Active,
        },
        token: Secret::new("amo_pat_x"),
    };
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(v["TokenId"], json!("pat-1"));
    assert_eq!(v["Token"], json!("amo_pat_x"));
    assert_eq!(v["Status"], json!("active"));
}

#[test]
fn users_response_tells_feed_from_list() {
    let feed = json!({"Users": [], "Deleted": [], "NextSince": 4, "HasMore": false});
    assert!(matches!(
        serde_json::from_value::<UsersResponse>(feed).unwrap(),
        UsersResponse::Feed(_)
    ));
    let list = json!({"Users": [], "TotalCount": 0});
    assert!(matches!(
        serde_json::from_value::<UsersResponse>(list).unwrap(),
        UsersResponse::List(_)
    ));
}
