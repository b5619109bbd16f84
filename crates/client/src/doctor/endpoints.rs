//! The token-signing keys (`GET /.well-known/jwks.json`: a service-user token is checked
//! against them before it is kept) and the versions of the app and the server (the server's
//! from its OpenAPI document, which the reference server serves; a platform may not).

use super::{Check, CheckId};
use crate::api::ApiClient;

pub(super) async fn jwks(api: &ApiClient) -> Check {
    match api.jwks().await {
        Ok(set) if set.keys.is_empty() => Check::fail(
            CheckId::Jwks,
            format!("{}/.well-known/jwks.json has no keys: no service-user token can be checked", api.base_url()),
            "tell the server's administrators: its token-signing keys are missing",
        ),
        Ok(set) => Check::ok(
            CheckId::Jwks,
            format!(
                "{} token-signing key{} at /.well-known/jwks.json",
                set.keys.len(),
                if set.keys.len() == 1 { "" } else { "s" }
            ),
        ),
        Err(e) => Check::fail(
            CheckId::Jwks,
            format!("{}/.well-known/jwks.json: {e}", api.base_url()),
            "assuming service users needs these keys: tell the server's administrators, or check a proxy that filters /.well-known",
        ),
    }
}

pub(super) async fn versions(api: Option<&ApiClient>, app: &str) -> Check {
    let server = match api {
        Some(api) => server_version(api).await,
        None => None,
    };
    let msg = match server {
        Some(s) => format!("app {app}, server {s}"),
        None if api.is_some() => format!("app {app}; the server does not say its version"),
        None => format!("app {app}"),
    };
    Check::ok(CheckId::Versions, msg)
}

async fn server_version(api: &ApiClient) -> Option<String> {
    let resp = api
        .http()
        .get(format!("{}/openapi.json", api.base_url()))
        .send()
        .await
        .ok()?;
    if !resp.status().is_success() {
        return None;
    }
    let doc: serde_json::Value = resp.json().await.ok()?;
    let info = doc.get("info")?;
    let version = info.get("version")?.as_str()?;
    let title = info.get("title").and_then(|t| t.as_str()).unwrap_or("");
    Some(if title.contains("reference server") {
        format!("{version} (reference server)")
    } else {
        version.to_owned()
    })
}
