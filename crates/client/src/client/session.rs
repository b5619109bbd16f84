//! Signing in and out: a PAT or a password session checked with `/whoami` and kept in the
//! keychain, `/whoami` itself, and removing a profile altogether.

use amorphic_su_model::{RoleId, Secret, Timestamp, UserId, WhoAmI};
use serde::Serialize;

use super::Client;
use crate::api::Credentials;
use crate::cache::{remove_cache_files, Cache, ReadKey};
use crate::error::{ClientError, Result};
use crate::profiles::{AuthKind, Config, Paths};
use crate::vault::{SecretKind, Vault};

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
    /// Signs in with a personal access token: checks it with `/whoami`, then keeps it in the
    /// keychain.
    pub async fn login_with_pat(&mut self, pat: Secret) -> Result<SignedIn> {
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

    /// Signs out: wipes the profile's credential and assumed tokens from the keychain.
    pub async fn logout(&mut self) -> Result<()> {
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

/// Removes a profile: its keychain entries, its cache file and its config entry.
pub async fn remove_profile(paths: &Paths, name: &str) -> Result<()> {
    let mut config = Config::load(paths)?;
    let profile = config.resolve(Some(name))?.clone();
    let vault = Vault::default();
    let cache_file = paths.cache_file(name);
    if cache_file.exists() {
        let cache = Cache::open(&cache_file).await?;
        for m in cache.assumed().await? {
            vault
                .delete(&profile.name, &SecretKind::Assumed(m.service_user_id))
                .await?;
        }
        cache.close().await;
    }
    vault.delete(&profile.name, &SecretKind::Pat).await?;
    vault.delete(&profile.name, &SecretKind::Session).await?;
    remove_cache_files(&cache_file);
    config.remove(name)?;
    config.save(paths)
}
