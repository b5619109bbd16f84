//! `/healthz`, `/.well-known/jwks.json`, `/openapi.json`, `/roles`, `/tags`.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn healthz_answers_ok_without_credentials() {
    let s = Srv::start().await;
    let r = s.get("/healthz").send().await;
    r.expect(200);
    assert_eq!(r.body, json!({"Status": "ok"}));
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn jwks_publishes_one_okp_ed25519_key() {
    let s = Srv::start().await;
    let r = s.get("/.well-known/jwks.json").send().await;
    r.expect(200);
    let keys = r.body["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    let k = &keys[0];
    assert_eq!(k["kty"], "OKP");
    assert_eq!(k["crv"], "Ed25519");
    assert_eq!(k["alg"], "EdDSA");
    assert_eq!(k["x"].as_str().unwrap().len(), 43, "32 bytes, base64url");
    assert!(k.get("d").is_none(), "never the private part");
    assert_eq!(
        k["kid"].as_str().unwrap().len(),
        43,
        "an RFC 7638 thumbprint"
    );
}

#[tokio::test]
async fn openapi_document_describes_every_endpoint_and_value_rule() {
    let s = Srv::start().await;
    let r = s.get("/openapi.json").send().await;
    r.expect(200);
    let doc = &r.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let expected: &[(&str, &[&str])] = &[
        ("/healthz", &["get"]),
        ("/.well-known/jwks.json", &["get"]),
        ("/openapi.json", &["get"]),
        ("/auth/sessions", &["post"]),
        ("/auth/sessions/current", &["delete"]),
        ("/users", &["get", "post"]),
        ("/users/{id}", &["get", "delete"]),
        ("/whoami", &["get"]),
        ("/users/{id}/roles", &["post"]),
        ("/users/{id}/roles/{role_id}", &["delete"]),
        ("/users/{id}/auth-token", &["post"]),
        ("/users/{id}/shares", &["get", "put"]),
        ("/users/{id}/shares/users/{user_id}", &["delete"]),
        ("/users/{id}/shares/tags/{tag_id}", &["delete"]),
        ("/users/{id}/status", &["put"]),
        ("/users/{id}/owned-resources", &["get"]),
        ("/users/{id}/access-tokens", &["get"]),
        ("/users/{id}/access-tokens/{token_id}", &["delete"]),
        ("/users/{id}/sessions", &["get"]),
        ("/users/{id}/global-signout", &["post"]),
        ("/roles", &["get"]),
        ("/tags", &["get"]),
        ("/access-tokens", &["get", "post"]),
        ("/fleet/access-tokens", &["get"]),
        ("/access-tokens/{token_id}", &["delete"]),
        ("/datasources", &["get", "post"]),
        ("/datasources/{id}", &["get", "delete"]),
        ("/mdm/{path}", &["get"]),
        ("/bi/{path}", &["get"]),
    ];
    for (path, methods) in expected {
        let item = paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is not described"));
        for m in *methods {
            let op = item
                .get(*m)
                .unwrap_or_else(|| panic!("{m} {path} is not described"));
            assert!(!op["responses"].as_object().unwrap().is_empty());
        }
    }
    assert_eq!(
        paths.len(),
        expected.len(),
        "no undocumented or extra paths"
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["CreateServiceUserRequest"]["additionalProperties"],
        json!(false)
    );
    let user_id = &schemas["UserId"];
    assert_eq!(user_id["pattern"], "^[A-Za-z0-9._-]{3,64}$");
    assert_eq!(schemas["ExpiryMinutes"]["minimum"], json!(1));
    assert_eq!(schemas["ExpiryMinutes"]["maximum"], json!(180));
    assert_eq!(schemas["AccessType"]["enum"], json!(["owner"]));
    assert_eq!(
        schemas["UserStatus"]["enum"],
        json!(["enabled", "disabled"])
    );
    let codes = schemas["ErrorCode"]["enum"].as_array().unwrap();
    for c in [
        "INVALID_REQUEST",
        "NO_SESSIONS_FOR_SERVICE_USERS",
        "PRINCIPAL_DISABLED",
        "SERVICE_USER_NOT_ALLOWED",
        "DEFAULT_ROLE_REQUIRED",
        "TOO_MANY_ATTEMPTS",
    ] {
        assert!(codes.contains(&json!(c)), "{c}");
    }
    assert!(doc["components"]["securitySchemes"]["Authorization"].is_object());
    // The error answers of an endpoint are described with their codes.
    let create = &paths["/users"]["post"]["responses"];
    assert!(create["403"]["description"]
        .as_str()
        .unwrap()
        .contains("SUPER_ADMIN_REQUIRED"));
    assert!(create["409"]["description"]
        .as_str()
        .unwrap()
        .contains("ALREADY_EXISTS"));
}

/// Every local `$ref` under `node`, as (where it was found, the reference).
fn local_refs(node: &serde_json::Value, at: &str, out: &mut Vec<(String, String)>) {
    match node {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => out.push((at.to_string(), r.to_string())),
                    _ => local_refs(v, &format!("{at}/{k}"), out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                local_refs(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn openapi_document_has_no_unresolved_reference() {
    let s = Srv::start().await;
    let r = s.get("/openapi.json").send().await;
    r.expect(200);
    let mut refs = vec![];
    local_refs(&r.body, "", &mut refs);
    assert!(
        refs.len() > 10,
        "the document names its schemas by reference"
    );
    for (at, reference) in refs {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{at}: {reference} is not a local reference"));
        assert!(
            r.body.pointer(pointer).is_some(),
            "{at}: {reference} names nothing in the document"
        );
    }
}

/// A rule a schema can state is stated: a parameter the server requires is required, a
/// parameter's enum is in the document.
#[tokio::test]
async fn openapi_document_states_required_and_enumerated_parameters() {
    let s = Srv::start().await;
    let r = s.get("/openapi.json").send().await;
    r.expect(200);
    let param = |path: &str, method: &str, name: &str| {
        r.body["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"))
            .clone()
    };
    let transfer = param("/users/{id}", "delete", "transfer_user_id");
    assert_eq!(transfer["required"], json!(true));
    assert_eq!(transfer["schema"]["minLength"], json!(1));
    let action = param("/users", "get", "action");
    assert_eq!(action["schema"]["enum"], json!(["get_service_users"]));
}

#[tokio::test]
async fn roles_and_tags_are_listed_sorted() {
    let s = Srv::start().await;
    let r = s.get("/roles").auth(BOB_DEFAULT).send().await;
    r.expect(200);
    let ids: Vec<&str> = r.body["Roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["RoleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "SystemRole-DefaultUsers",
            "SystemRole-SuperAdmin",
            "SystemRole-SystemAdministrators",
            "role-analysts",
            "role-data-engineers"
        ]
    );
    let sa = &r.body["Roles"][1];
    assert_eq!(sa["IsSuperAdmin"], json!(true));
    assert_eq!(sa["IsSystemRole"], json!(true));
    assert!(sa["Permissions"]
        .as_array()
        .unwrap()
        .contains(&json!("datasources.create")));
    let r = s.get("/tags").auth(BOB_DEFAULT).send().await;
    r.expect(200);
    assert_eq!(
        r.body["Tags"],
        json!([
            {"TagId": "team-data", "TagKey": "team", "TagValue": "data", "Description": "Data platform team"},
            {"TagId": "team-finance", "TagKey": "team", "TagValue": "finance", "Description": "Finance analytics"}
        ])
    );
    s.get("/roles")
        .send()
        .await
        .expect_error(401, "UNAUTHENTICATED");
}
