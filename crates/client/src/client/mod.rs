//! The use cases: one [`Client`] per profile, over the API, the cache and the keychain.
//! This is what the desktop app's commands and the CLI call.
//!
//! By feature: the profiles as a whole (`profiles`), signing in and out (`session`), your own
//! role (`roles`), the sync (`sync`), reads that fall back to the cache (`reads`), browsing the
//! cache a window at a time (`browse`), service users (`service_users`), their shares
//! (`sharing`), acting as a service user (`acting_as`), whether the server still accepts an
//! assumed identity (`identity_checks`) and its access tokens (`access_tokens`). Every change on
//! the server goes through `Client::mutate`.

mod access_tokens;
mod acting_as;
mod browse;
mod fleet_tokens;
mod identity_checks;
mod journaling;
mod profiles;
mod reads;
mod roles;
mod service_users;
mod session;
mod sharing;
mod sign_out;
mod sync;
mod sync_pages;

#[cfg(test)]
mod identity_tests;
#[cfg(test)]
mod tests;

use amorphic_su_model::policy::{ActiveRole, Actor};
use amorphic_su_model::{ErrorCode, RoleId, Secret, Timestamp, UserId};
use serde::Serialize;

use crate::api::{ApiClient, Credentials};
use crate::cache::Cache;
use crate::error::{ClientError, Result};
use crate::journal::{JournalAction, JournalStore};
use crate::profiles::{AuthKind, Config, Paths, Profile};
use crate::vault::{SecretKind, Vault};

use journaling::Journal;

pub use access_tokens::{expires_in_days, NewAccessToken};
pub use acting_as::{AssumedIdentity, DEFAULT_ASSUME_MINUTES};
pub use browse::{SyncOutcome, UsersWindow, MAX_WINDOW};
pub use fleet_tokens::{
    days_left, is_high_privilege, FleetFilter, FleetToken, RevokeOutcome, TokenRef,
};
pub use profiles::{
    add_profile, current_profile, edit_profile, remove_profile, use_profile, AddedProfile,
    EditedProfile, ProfileEdit,
};
pub use roles::{MyRoles, RoleChoice};
pub use service_users::NewServiceUser;
pub use session::{session_status, LoginWith, SessionStatus, SignedIn};
pub use sharing::{ShareChange, SharesWithMembers, TagShareWithMembers};
pub use sign_out::{logout_current, ServerSignOut, SignedOut};
pub use sync::{SyncProgress, SyncReport, SYNC_PAGE};
pub use sync_pages::{fetch_user_pages, IN_FLIGHT as SYNC_IN_FLIGHT};

/// A read's answer: fresh from the server, or from the cache (`stale`) as of a time.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fetched<T> {
    pub data: T,
    /// True when the server could not be reached and the data comes from the cache.
    pub stale: bool,
    /// When the data was fetched from the server.
    pub as_of: Option<Timestamp>,
}

/// The client of one profile.
#[derive(Debug)]
pub struct Client {
    paths: Paths,
    profile: Profile,
    api: ApiClient,
    vault: Vault,
    cache: Cache,
    /// The environment's journal (its own file: the cache is emptied when another person
    /// signs in, the journal is not).
    journal: JournalStore,
    role_override: Option<RoleId>,
    sync_page: u32,
    /// The profile's credential once read from the keychain: a long-running app asks the
    /// keychain once, not on every request (each read is a D-Bus round trip with key exchange).
    principal_secret: std::sync::Mutex<Option<Secret>>,
}

/// Whose credentials a mutation carries.
#[derive(Debug, Clone, Copy)]
enum Acting<'a> {
    /// The profile's own (PAT or session), with the active role.
    Myself,
    /// An assumed service user's, through its stored token.
    As(&'a UserId),
}

fn is_not_found(e: &ClientError) -> bool {
    e.api_code() == Some(ErrorCode::NotFound)
}

impl Client {
    /// Opens the named profile (or the current one) with the OS keychain.
    pub async fn open(paths: &Paths, profile: Option<&str>) -> Result<Client> {
        let config = Config::load(paths)?;
        let profile = config.resolve(profile)?.clone();
        Self::for_profile(paths, profile, Vault::default()).await
    }

    pub async fn for_profile(paths: &Paths, profile: Profile, vault: Vault) -> Result<Client> {
        let api = ApiClient::new(&profile.base_url)?;
        let cache = Cache::open(&paths.cache_file(&profile.name)).await?;
        let journal = JournalStore::open(&paths.journal_file(&profile.name)).await?;
        Ok(Client {
            paths: paths.clone(),
            profile,
            api,
            vault,
            cache,
            journal,
            role_override: None,
            sync_page: SYNC_PAGE,
            principal_secret: std::sync::Mutex::new(None),
        })
    }

    /// Uses `role` as the active role (`role_id`) instead of the profile's default.
    pub fn with_role(mut self, role: Option<RoleId>) -> Self {
        self.role_override = role;
        self
    }

    /// Page size of sync requests (1-1000; default [`SYNC_PAGE`]).
    pub fn with_sync_page(mut self, n: u32) -> Self {
        self.sync_page = n.clamp(1, 1_000);
        self
    }

    /// Replaces the API client (other timeouts or retries).
    pub fn with_api(mut self, api: ApiClient) -> Self {
        self.api = api;
        self
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    fn save_profile(&self) -> Result<()> {
        let mut config = Config::load(&self.paths)?;
        let p = config
            .get_mut(&self.profile.name)
            .ok_or_else(|| ClientError::UnknownProfile(self.profile.name.clone()))?;
        *p = self.profile.clone();
        config.save(&self.paths)
    }

    fn active_role(&self) -> Option<RoleId> {
        self.role_override
            .clone()
            .or_else(|| self.profile.default_role.clone())
    }

    // ---- the principal ------------------------------------------------------------------

    /// The profile's own credentials (PAT or session), with the active role.
    pub async fn principal(&self) -> Result<Credentials> {
        let name = &self.profile.name;
        let not_signed_in = || ClientError::NotSignedIn {
            profile: name.clone(),
        };
        let auth = self.profile.sign_in_kind()?;
        let remembered = self.principal_secret.lock().ok().and_then(|s| s.clone());
        if let Some(secret) = remembered {
            return Ok(Credentials::new(secret).with_role(self.active_role()));
        }
        let secret = match auth {
            AuthKind::Pat => self
                .vault
                .get(name, &SecretKind::Pat)
                .await?
                .ok_or_else(not_signed_in)?,
            AuthKind::Session => self
                .vault
                .get(name, &SecretKind::Session)
                .await?
                .ok_or_else(not_signed_in)?,
        };
        self.remember_principal(Some(secret.clone()));
        Ok(Credentials::new(secret).with_role(self.active_role()))
    }

    fn remember_principal(&self, secret: Option<Secret>) {
        if let Ok(mut s) = self.principal_secret.lock() {
            *s = secret;
        }
    }

    /// A 401 on the profile's own session means it ended (expired or signed out globally).
    fn map_auth(&self, e: ClientError) -> ClientError {
        match (&e, self.profile.auth) {
            (
                ClientError::Api {
                    status: 401,
                    code:
                        ErrorCode::TokenExpired | ErrorCode::Unauthenticated | ErrorCode::TokenInvalid,
                    ..
                },
                Some(AuthKind::Session),
            ) => ClientError::SessionExpired {
                profile: self.profile.name.clone(),
            },
            _ => e,
        }
    }

    /// The signed-in user as the policy sees them (roles, tags, the active role's
    /// permissions), from fresh server data.
    pub async fn me(&self) -> Result<Actor> {
        let c = self.principal().await?;
        self.actor(&c).await.map_err(|e| self.map_auth(e))
    }

    async fn actor(&self, c: &Credentials) -> Result<Actor> {
        let who = self.api.whoami(c).await?;
        let me = self.api.get_user(c, &who.user_id).await?;
        let roles = self.api.roles(c).await?;
        let active = roles.iter().find(|r| r.role_id == who.role_id);
        Ok(Actor {
            user_id: who.user_id.clone(),
            is_service_user: who.is_service_user,
            assumed_by: who.actor_user_id.clone(),
            tags: me.tags.clone(),
            roles: me.roles.clone(),
            active_role: ActiveRole {
                role_id: who.role_id.clone(),
                is_super_admin: active.is_some_and(|r| r.is_super_admin),
                permissions: active.map(|r| r.permissions.clone()).unwrap_or_default(),
            },
        })
    }

    // ---- the one path of every mutation -------------------------------------------------

    /// A change on the server, in the steps every mutation takes: the credentials (`acting`),
    /// the request (with any policy checks before it), a 401 on the session turned into
    /// `session_expired` (acting as a service user, a refusal is the identity's: it is checked
    /// and recorded), the journal line, the assumed identity of the service user changed
    /// checked again, then the cache (and keychain) brought in line with the answer. Mutations
    /// are never queued: offline is an error. A refusal or failure is journaled too (the line
    /// then has no answer: `journal(None)`). A cache step that fails fails the call; the
    /// journal and the check never do (the change already happened).
    async fn mutate<T>(
        &self,
        acting: Acting<'_>,
        request: impl AsyncFnOnce(&Credentials) -> Result<T>,
        keep: impl AsyncFnOnce(&Credentials, &T) -> Result<()>,
        journal: impl FnOnce(Option<&T>) -> Journal,
    ) -> Result<T> {
        let mut journal = Some(journal);
        let mut token_role = None;
        let out = async {
            let (c, token_id) = match acting {
                Acting::Myself => (self.principal().await?, None),
                Acting::As(su) => {
                    let (c, meta) = self.acting_as(su).await?;
                    token_role = Some(meta.role_id);
                    (c, Some(meta.jti))
                }
            };
            let answer = match (request(&c).await, acting) {
                (Ok(answer), _) => answer,
                (Err(e), Acting::As(su)) => return Err(self.refused_as(su, e).await),
                (Err(e), Acting::Myself) => return Err(self.map_auth(e)),
            };
            let line = journal.take().map(|j| j(Some(&answer)));
            if let Some(line) = line {
                let su = line.su.clone();
                let kind = line.kind;
                // Before the cache step: a deleted service user's name is still there.
                self.record(line.with_role(token_role.clone()), None).await;
                match (acting, token_id, su) {
                    (Acting::As(su), Some(jti), _) => self.accepted_as(su, &jti).await,
                    // A new token was just issued and verified, or the identity ends with its
                    // service user: nothing to ask the server about.
                    (Acting::Myself, _, _)
                        if matches!(
                            kind,
                            JournalAction::Assumed
                                | JournalAction::Renewed
                                | JournalAction::Deleted
                        ) => {}
                    (_, _, Some(su)) => self.recheck_after_change(&su).await,
                    _ => {}
                }
            }
            keep(&c, &answer).await?;
            Ok(answer)
        }
        .await;
        if let (Err(e), Some(journal)) = (&out, journal.take()) {
            self.record(journal(None).with_role(token_role), Some(e))
                .await;
        }
        out
    }
}
