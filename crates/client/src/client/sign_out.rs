//! Signing out: the session is ended on the server first, best-effort, then the profile's
//! credential and assumed tokens leave the keychain whatever the server said.

use amorphic_su_model::{ErrorCode, Timestamp};
use serde::Serialize;

use super::{Client, Journal};
use crate::api::Credentials;
use crate::error::{ClientError, Result};
use crate::journal::JournalAction;
use crate::profiles::{AuthKind, Config, Paths};
use crate::vault::SecretKind;

/// What signing out did to the credential on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ServerSignOut {
    /// The session ended on the server: its token is refused from now on.
    Ended,
    /// The session had already ended or expired on the server.
    AlreadyEnded,
    /// A PAT sign-in: the PAT stays valid on the server until it is revoked or expires.
    AccessTokenKept,
    /// Nothing was signed in.
    NotSignedIn,
    /// The server did not end the session (offline, a server without the call, an error): it
    /// stays valid there until the answer's `valid_until`.
    StillValid,
}

/// The outcome of a sign-out; the keychain is wiped in every case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignedOut {
    pub server: ServerSignOut,
    /// Until when the credential stays valid on the server (`still_valid`: the session's
    /// expiry, when the profile kept it). RFC 3339 on the wire.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub valid_until: Option<Timestamp>,
    /// One sentence saying what happened on the server, for people.
    pub message: String,
}

impl SignedOut {
    fn new(server: ServerSignOut, valid_until: Option<Timestamp>, why: Option<&str>) -> Self {
        let message = match server {
            ServerSignOut::Ended => "The session ended on the server.".to_owned(),
            ServerSignOut::AlreadyEnded => {
                "The session had already ended on the server.".to_owned()
            }
            ServerSignOut::AccessTokenKept => {
                "The access token stays valid on the server until it is revoked or expires."
                    .to_owned()
            }
            ServerSignOut::NotSignedIn => "Nothing was signed in.".to_owned(),
            ServerSignOut::StillValid => {
                let until = valid_until.map_or_else(
                    || "until it expires (at most 60 minutes)".to_owned(),
                    |t| format!("until {t}"),
                );
                format!(
                    "The session could not be ended on the server ({}); it stays valid there {until}.",
                    why.unwrap_or("no answer")
                )
            }
        };
        SignedOut {
            server,
            valid_until,
            message,
        }
    }
}

impl Client {
    /// Signs out: ends the session on the server (best-effort), then wipes the profile's
    /// credential and assumed tokens from the keychain.
    pub async fn logout(&mut self) -> Result<SignedOut> {
        let server = self.end_server_session().await;
        let out = self.sign_out().await.map(|()| server);
        let detail = match &out {
            Ok(s) => format!("credential and assumed tokens wiped; {}", s.message),
            Err(_) => "credential and assumed tokens wiped".to_owned(),
        };
        let line = Journal::about_me(JournalAction::SignedOut, detail);
        self.record(line, out.as_ref().err()).await;
        out
    }

    /// Asks the server to end the profile's session. Never fails: whatever goes wrong is the
    /// answer's [`ServerSignOut::StillValid`], and the local sign-out goes on.
    async fn end_server_session(&self) -> SignedOut {
        let expires_at = self.profile.session_expires_at;
        match self.profile.auth {
            None => return SignedOut::new(ServerSignOut::NotSignedIn, None, None),
            Some(AuthKind::Pat) => {
                return SignedOut::new(ServerSignOut::AccessTokenKept, None, None)
            }
            Some(AuthKind::Session) => {}
        }
        if expires_at.is_some_and(|t| t <= Timestamp::now()) {
            return SignedOut::new(ServerSignOut::AlreadyEnded, None, None);
        }
        let secret = match self
            .vault
            .get(&self.profile.name, &SecretKind::Session)
            .await
        {
            Ok(Some(s)) => s,
            Ok(None) => return SignedOut::new(ServerSignOut::NotSignedIn, None, None),
            Err(e) => {
                let why = e.to_string();
                return SignedOut::new(ServerSignOut::StillValid, expires_at, Some(&why));
            }
        };
        // No role header: a role detached since sign-in must not keep the session alive.
        match self.api.end_session(&Credentials::new(secret)).await {
            Ok(()) => SignedOut::new(ServerSignOut::Ended, None, None),
            Err(e) => {
                let (server, why) = classify(&e);
                SignedOut::new(server, expires_at, Some(&why))
            }
        }
    }
}

/// What a failed server sign-out means for the session.
fn classify(e: &ClientError) -> (ServerSignOut, String) {
    match e {
        ClientError::Api { status: 401, .. } | ClientError::SessionExpired { .. } => {
            (ServerSignOut::AlreadyEnded, String::new())
        }
        ClientError::Offline { .. } => (
            ServerSignOut::StillValid,
            "the server could not be reached".to_owned(),
        ),
        ClientError::Api {
            status: 404 | 405, ..
        }
        | ClientError::Api {
            code: ErrorCode::NotFound | ErrorCode::MethodNotAllowed,
            ..
        } => (
            ServerSignOut::StillValid,
            "the server has no call that ends one session".to_owned(),
        ),
        other => (ServerSignOut::StillValid, other.to_string()),
    }
}

/// Signs out of the current profile (see [`Client::logout`]).
pub async fn logout_current(paths: &Paths) -> Result<SignedOut> {
    let name = Config::load(paths)?.resolve(None)?.name.clone();
    Client::open(paths, Some(&name)).await?.logout().await
}
