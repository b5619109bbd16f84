//! The session: a credential in the keychain, the server accepting it (`/whoami`), and when a
//! password session ends.

use amorphic_su_model::Timestamp;

use super::{Check, CheckId};
use crate::api::{ApiClient, Credentials};
use crate::error::ClientError;
use crate::profiles::{AuthKind, Profile};
use crate::vault::{SecretKind, Vault};

/// A session with less than this left is a warning.
const ENDING_SOON_SECONDS: i64 = 5 * 60;

pub(super) async fn check(
    api: &ApiClient,
    vault: &Vault,
    profile: &Profile,
    keychain_ok: bool,
    contract_ok: bool,
) -> Check {
    let id = CheckId::Session;
    let login = format!(
        "sign in: `amorphic-su --profile {} login` (or Sign in in the window)",
        profile.name
    );
    let auth = match profile.sign_in_kind() {
        Ok(a) => a,
        Err(e) => return Check::fail(id, e.to_string(), login),
    };
    if !keychain_ok {
        return Check::skipped(
            id,
            "the credential is in the keychain, which cannot be used (see Keychain)",
        );
    }
    let kind = match auth {
        AuthKind::Pat => SecretKind::Pat,
        AuthKind::Session => SecretKind::Session,
    };
    let secret = match vault.get(&profile.name, &kind).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Check::fail(
                id,
                format!(
                    "profile '{}' has no credential in the keychain",
                    profile.name
                ),
                login,
            )
        }
        Err(e) => return Check::fail(id, e.to_string(), "see Keychain"),
    };
    if !contract_ok {
        return Check::skipped(id, super::NO_API);
    }
    let creds = Credentials::new(secret).with_role(profile.default_role.clone());
    let who = match api.whoami(&creds).await {
        Ok(w) => w,
        Err(ClientError::Api {
            status: 401,
            code,
            message,
        }) => {
            return Check::fail(
                id,
                format!(
                    "the server refused the stored credential ({}: {message})",
                    code.as_str()
                ),
                login,
            )
        }
        Err(ClientError::Api {
            status: 403,
            code,
            message,
        }) => {
            return Check::fail(
                id,
                format!(
                    "the server refused the role {} ({}: {message})",
                    profile
                        .default_role
                        .as_ref()
                        .map(|r| r.as_str())
                        .unwrap_or("(default)"),
                    code.as_str()
                ),
                format!(
                    "choose a role you hold: `amorphic-su --profile {} role use --default`",
                    profile.name
                ),
            )
        }
        Err(e) => {
            return Check::fail(
                id,
                e.to_string(),
                "run again; if it persists, see the checks above",
            )
        }
    };
    let who_text = format!("signed in as {} (role {})", who.user_id, who.role_id);
    match (auth, profile.session_expires_at) {
        (AuthKind::Session, Some(end)) => {
            let left = end.unix() - Timestamp::now().unix();
            let text = format!(
                "{who_text} with a password session ending {} (in {})",
                end,
                span(left)
            );
            if left <= ENDING_SOON_SECONDS {
                Check::warn(id, text, format!("sign in again soon: {login}"))
            } else {
                Check::ok(id, text)
            }
        }
        (AuthKind::Session, None) => Check::ok(id, format!("{who_text} with a password session")),
        (AuthKind::Pat, _) => Check::ok(
            id,
            format!("{who_text} with a personal access token (no session to end)"),
        ),
    }
}

/// `42 min`, `1 h 05 min`.
fn span(secs: i64) -> String {
    let m = secs.max(0) / 60;
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}
