//! Signing in and out: a PAT or a password session checked with `/whoami` and kept in the
//! keychain, signing in to a profile and making it current, signing out of the current one, and
//! the session's status: the stored profile, and `/whoami`.

use std::ops::Deref;

use amorphic_su_model::{RoleId, Secret, Timestamp, UserId, WhoAmI};
use serde::Serialize;

use super::profiles::{current_profile, use_profile};
use super::{Client, Journal};
use crate::api::Credentials;
use crate::cache::ReadKey;
use crate::error::{ClientError, Result};
use crate::journal::JournalAction;
use crate::profiles::{AuthKind, Paths, Profile};
use crate::vault::SecretKind;

/// What a sign-in is made with.
#[derive(Debug, Clone)]
pub enum LoginWith {
    /// A personal access token.
    Pat(Secret),
    /// User id and password, for a 60-minute session.
    Password { user_id: String, password: Secret },
}

/// The current profile's session: the profile as stored, and who the server says it acts as.
#[derive(Debug)]
pub struct SessionStatus<E = ClientError> {
    pub profile: Profile,
    /// `/whoami`, or why it could not be asked or answered (offline, signed out, ended).
    pub whoami: std::result::Result<WhoAmI, E>,
}

/// Who is signed in.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    pub profile: String,
    pub user_id: UserId,
    pub is_service_user: bool,
    pub role_id: RoleId,
    pub auth: AuthKind,
    /// When the session ends (session sign-in only).
    pub expires_at: Option<Timestamp>,
}

impl Client {
    /// Opens the named profile, signs in to it and makes it the current one.
    pub async fn login_and_use(paths: &Paths, name: &str, with: LoginWith) -> Result<Client> {
        let mut client = Client::open(paths, Some(name)).await?;
        client.login(with).await?;
        use_profile(paths, name)?;
        Ok(client)
    }

    /// Signs in with a PAT or a password (see [`Client::login_with_pat`] and
    /// [`Client::login_with_password`]).
    pub async fn login(&mut self, with: LoginWith) -> Result<SignedIn> {
        match with {
            LoginWith::Pat(pat) => self.login_with_pat(pat).await,
            LoginWith::Password { user_id, password } => {
                self.login_with_password(&user_id, password).await
            }
        }
    }

    /// The user id a password sign-in uses: the one given, else the profile's.
    pub fn login_user(&self, given: Option<&str>) -> Option<String> {
        given
            .map(str::to_owned)
            .or_else(|| self.profile.user_id.as_ref().map(|u| u.to_string()))
    }

    /// Signs in with a personal access token: checks it with `/whoami`, then keeps it in the
    /// keychain.
    pub async fn login_with_pat(&mut self, pat: Secret) -> Result<SignedIn> {
        let out = self.pat_login(pat).await;
        let line = Journal::about_me(JournalAction::SignedIn, "with an access token");
        self.record(line, out.as_ref().err()).await;
        out
    }

    async fn pat_login(&mut self, pat: Secret) -> Result<SignedIn> {
        if pat.expose().trim().is_empty() {
            return Err(ClientError::invalid("the access token is empty"));
        }
        let creds =
            Credentials::new(Secret::new(pat.expose().trim())).with_role(self.active_role());
        let who = self.api.whoami(&creds).await?;
        self.vault
            .set(&self.profile.name, &SecretKind::Pat, &creds.authorization)
            .await?;
        self.remember_principal(Some(creds.authorization.clone()));
        self.vault
            .delete(&self.profile.name, &SecretKind::Session)
            .await?;
        self.after_login(&who, AuthKind::Pat, None).await
    }

    /// Signs in with user id and password for a 60-minute session.
    pub async fn login_with_password(
        &mut self,
        user_id: &str,
        password: Secret,
    ) -> Result<SignedIn> {
        let out = self.password_login(user_id, password).await;
        let mut line = Journal::about_me(
            JournalAction::SignedIn,
            format!("with a password as {}", user_id.trim()),
        );
        if out.is_err() && !user_id.trim().is_empty() {
            line = line.by(user_id.trim());
        }
        self.record(line, out.as_ref().err()).await;
        out
    }

    async fn password_login(&mut self, user_id: &str, password: Secret) -> Result<SignedIn> {
        if user_id.trim().is_empty() {
            return Err(ClientError::invalid("the user id is empty"));
        }
        let session = self.api.create_session(user_id.trim(), password).await?;
        let creds = Credentials::new(session.session_token.clone()).with_role(self.active_role());
        let who = self.api.whoami(&creds).await?;
        self.vault
            .set(
                &self.profile.name,
                &SecretKind::Session,
                &session.session_token,
            )
            .await?;
        self.remember_principal(Some(session.session_token.clone()));
        self.vault
            .delete(&self.profile.name, &SecretKind::Pat)
            .await?;
        self.after_login(&who, AuthKind::Session, Some(session.expires_at))
            .await
    }

    async fn after_login(
        &mut self,
        who: &WhoAmI,
        auth: AuthKind,
        expires_at: Option<Timestamp>,
    ) -> Result<SignedIn> {
        let changed_user = self
            .profile
            .user_id
            .as_ref()
            .is_some_and(|u| u != &who.user_id);
        if changed_user {
            // Another person's view (CallerAccess, assumed identities) must not leak across.
            self.forget_all().await?;
            self.cache.clear().await?;
        }
        self.profile.user_id = Some(who.user_id.clone());
        self.profile.auth = Some(auth);
        self.profile.session_expires_at = expires_at;
        self.save_profile()?;
        let _ = self.cache.put_read(&ReadKey::WhoAmI, who).await;
        Ok(SignedIn {
            profile: self.profile.name.clone(),
            user_id: who.user_id.clone(),
            is_service_user: who.is_service_user,
            role_id: who.role_id.clone(),
            auth,
            expires_at,
        })
    }

    /// Wipes the profile's credential and assumed tokens from the keychain (the local half of
    /// [`Client::logout`]).
    pub(super) async fn sign_out(&mut self) -> Result<()> {
        self.remember_principal(None);
        self.forget_all().await?;
        self.vault
            .delete(&self.profile.name, &SecretKind::Pat)
            .await?;
        self.vault
            .delete(&self.profile.name, &SecretKind::Session)
            .await?;
        self.profile.auth = None;
        self.profile.session_expires_at = None;
        self.save_profile()
    }

    /// `GET /whoami` for the profile.
    pub async fn whoami(&self) -> Result<WhoAmI> {
        let c = self.principal().await?;
        self.api.whoami(&c).await.map_err(|e| self.map_auth(e))
    }
}

/// The current profile's session, or `None` when no profile is current (then `open` is not
/// called). `open` gives the profile's client (an app keeps one open): failing to open it is
/// the status's answer, as a failed `/whoami` is.
pub async fn session_status<C, E>(
    paths: &Paths,
    open: impl AsyncFnOnce() -> std::result::Result<C, E>,
) -> Result<Option<SessionStatus<E>>>
where
    C: Deref<Target = Client>,
    E: From<ClientError>,
{
    let Some(profile) = current_profile(paths)? else {
        return Ok(None);
    };
    let whoami = match open().await {
        Ok(client) => client.whoami().await.map_err(E::from),
        Err(e) => Err(e),
    };
    Ok(Some(SessionStatus { profile, whoami }))
}
