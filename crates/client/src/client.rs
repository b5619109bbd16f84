//! The use cases: one [`Client`] per profile, over the API, the cache and the keychain.
//! This is what the desktop app's commands and the CLI call.

use amorphic_su_model::policy::{self, ActiveRole, Actor, ShareTarget};
use amorphic_su_model::{
    AccessToken, CreateAccessTokenRequest, CreateDatasourceRequest, CreateServiceUserRequest,
    CreatedAccessToken, Datasource, DatasourceName, DatasourceType, DeleteServiceUserResponse,
    Description, DisplayName, ErrorCode, ExpiryMinutes, OwnedResource, Role, RoleId, Secret,
    Shares, SharesRequest, Tag, TagId, TagShareRequest, Timestamp, TokenId, TokenName, User,
    UserId, UserShareRequest, UserStatus, UsersResponse, WhoAmI,
};
use serde::Serialize;

use crate::api::{ApiClient, Credentials};
use crate::cache::{
    remove_cache_files, Activity, AssumedTokenMeta, Cache, ReadKey, SyncKey, SyncStateUpdate,
    UserFilter,
};
use crate::error::{ClientError, Result};
use crate::profiles::{AuthKind, Config, Paths, Profile};
use crate::token::verify_service_user_token;
use crate::vault::{SecretKind, Vault};

/// Page size of every sync request.
pub const SYNC_PAGE: u32 = 1_000;

/// The default lifetime of an assumed token, in minutes.
pub const DEFAULT_ASSUME_MINUTES: u16 = 60;

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

/// Progress of a sync, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "phase")]
pub enum SyncProgress {
    Catalogues,
    /// Change-feed pages: users applied so far.
    Changes {
        done: u64,
    },
    /// Full pass over `GET /users`: users stored so far of `total`.
    Users {
        done: u64,
        total: u64,
    },
}

/// What a sync did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// A full pass over every user ran (first sync, `--full`, no change feed, or resuming one).
    pub full: bool,
    /// The server has a change feed.
    pub change_feed: bool,
    pub users_changed: u64,
    pub users_deleted: u64,
    pub users_cached: i64,
    pub finished_at: Timestamp,
}

/// What a sync did so far.
#[derive(Debug, Default)]
struct SyncCounts {
    changed: u64,
    deleted: u64,
}

/// An assumed identity (no token), with the time left.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssumedIdentity {
    #[serde(flatten)]
    pub meta: AssumedTokenMeta,
    pub seconds_left: i64,
    pub expired: bool,
}

impl AssumedIdentity {
    fn from_meta(meta: AssumedTokenMeta) -> Self {
        let left = meta.expires_at.unix() - chrono::Utc::now().timestamp();
        AssumedIdentity {
            meta,
            seconds_left: left.max(0),
            expired: left <= 0,
        }
    }
}

/// A new service user.
#[derive(Debug, Clone, Default)]
pub struct NewServiceUser {
    pub user_id: String,
    pub display_name: String,
    pub description: Option<String>,
}

/// A new PAT for a service user.
#[derive(Debug, Clone)]
pub struct NewAccessToken {
    pub name: String,
    pub description: Option<String>,
    pub role_id: RoleId,
    pub expires_at: Timestamp,
}

fn is_not_found(e: &ClientError) -> bool {
    e.api_code() == Some(ErrorCode::NotFound)
}

/// The client of one profile.
#[derive(Debug)]
pub struct Client {
    paths: Paths,
    profile: Profile,
    api: ApiClient,
    vault: Vault,
    cache: Cache,
    role_override: Option<RoleId>,
    sync_page: u32,
    /// The profile's credential once read from the keychain: a long-running app asks the
    /// keychain once, not on every request (each read is a D-Bus round trip with key exchange).
    principal_secret: std::sync::Mutex<Option<Secret>>,
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
        Ok(Client {
            paths: paths.clone(),
            profile,
            api,
            vault,
            cache,
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

    // ---- sign-in ----------------------------------------------------------------------------

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

    /// Credentials acting as an assumed service user: the profile's credential plus the
    /// stored token, no `role_id` (the token's role applies).
    pub async fn acting_as(&self, su: &UserId) -> Result<(Credentials, AssumedTokenMeta)> {
        let meta = self
            .cache
            .assumed_one(su)
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        if meta.expires_at <= Timestamp::now() {
            return Err(ClientError::AssumedTokenExpired {
                user: su.to_string(),
                expired_at: meta.expires_at.to_string(),
            });
        }
        let token = self
            .vault
            .get(&self.profile.name, &SecretKind::Assumed(su.clone()))
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        let mut creds = self.principal().await?.acting_as(token);
        creds.role_id = None;
        Ok((creds, meta))
    }

    fn not_assumed(&self, su: &UserId) -> ClientError {
        ClientError::NotAssumed {
            profile: self.profile.name.clone(),
            user: su.to_string(),
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

    /// `GET /whoami` for the profile.
    pub async fn whoami(&self) -> Result<WhoAmI> {
        let c = self.principal().await?;
        self.api.whoami(&c).await.map_err(|e| self.map_auth(e))
    }

    // ---- sync -------------------------------------------------------------------------------

    /// Brings the cache up to date: roles and tags, then the users. The first sync (and one
    /// with `full`, one resuming an interrupted full pass, or any when the server has no change
    /// feed) reads every user once through `GET /users`, after recording where the change feed
    /// stands; then the change feed from that position catches up with whatever changed
    /// meanwhile. Later syncs read only the change feed. Each page is one transaction with
    /// the position reached, so an interrupted sync leaves the last good state and resumes.
    pub async fn sync(
        &self,
        full: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let creds = self.principal().await?;
        self.sync_with(&creds, full, progress)
            .await
            .map_err(|e| self.map_auth(e))
    }

    /// [`Client::sync`] with the given credentials instead of the profile's keychain entry
    /// (automation that holds its own PAT, benchmarks).
    pub async fn sync_as(
        &self,
        creds: &Credentials,
        full: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        self.sync_with(creds, full, progress).await
    }

    async fn sync_with(
        &self,
        c: &Credentials,
        full: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        progress(SyncProgress::Catalogues);
        let roles = self.api.roles(c).await?;
        let tags = self.api.tags(c).await?;
        self.cache.replace_roles(&roles).await?;
        self.cache.replace_tags(&tags).await?;

        let pending = self.cache.sync_state(SyncKey::FullPending).await? == Some(true);
        let never_full = self
            .cache
            .stored_state(SyncKey::FullSyncAt)
            .await?
            .is_none();
        let feed_known = self.cache.sync_state(SyncKey::FeedSupported).await? != Some(false);
        let mut run_full = full || pending || never_full || !feed_known;
        let mut counts = SyncCounts::default();
        let mut feed = feed_known;
        if run_full {
            feed = self.full_pass(c, !pending, progress, &mut counts).await?;
        }
        if feed {
            // Incremental, or the catch-up after a full pass: every change since the feed
            // position recorded when the pass began.
            if !self.feed_pass(c, progress, &mut counts).await? {
                // The server answers a plain list now: no change feed.
                self.cache
                    .set_sync_state(SyncKey::FeedSupported, false)
                    .await?;
                feed = false;
                if !run_full {
                    run_full = true;
                    self.full_pass(c, true, progress, &mut counts).await?;
                }
            }
        }
        self.cache.reorder_if_needed().await?;
        let finished_at = Timestamp::now();
        self.cache
            .set_sync_state(SyncKey::LastSyncAt, finished_at)
            .await?;
        Ok(SyncReport {
            full: run_full,
            change_feed: feed,
            users_changed: counts.changed,
            users_deleted: counts.deleted,
            users_cached: self.cache.count_users().await?,
            finished_at,
        })
    }

    /// A full pass over `GET /users`, new (`fresh`) or resuming an interrupted one. A new pass
    /// first records where the change feed stands, so the catch-up after the pass replays
    /// every change made while it ran (users are read once, through the list, not a second
    /// time through the feed). Returns whether the server has a change feed.
    async fn full_pass(
        &self,
        c: &Credentials,
        fresh: bool,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
        counts: &mut SyncCounts,
    ) -> Result<bool> {
        let mut generation = self.cache.generation().await?;
        if fresh {
            generation += 1;
            let head = self.feed_head(c).await?;
            self.cache
                .update_sync_state(
                    SyncStateUpdate::default()
                        .set(SyncKey::Generation, generation)
                        .set(SyncKey::FullPending, true)
                        .set(SyncKey::FullOffset, 0u64)
                        .remove(SyncKey::FullLastId)
                        .set(SyncKey::FeedCursor, head.unwrap_or(0))
                        .set(SyncKey::FeedSupported, head.is_some()),
                )
                .await?;
        }
        self.cache.bulk_writes(true).await?;
        let listed = self.list_pass(c, generation, progress).await;
        let ended = self.cache.bulk_writes(false).await;
        counts.changed += listed?;
        ended?;
        counts.deleted += self.cache.finish_full_pass(generation, true).await?;
        Ok(self.cache.sync_state(SyncKey::FeedSupported).await? != Some(false))
    }

    /// Pages through `GET /users` from where the running pass stopped, each page one
    /// transaction with the pass's position. Offsets shift when users are created or deleted
    /// meanwhile, so every page after the first starts one row early and must contain the
    /// last user stored: when it does not, the pass looks one page back, then starts over,
    /// rather than skip anyone. Returns how many users it stored.
    async fn list_pass(
        &self,
        c: &Credentials,
        generation: i64,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<u64> {
        const RESTARTS: u32 = 3;
        let page_size = u64::from(self.sync_page);
        let mut offset: u64 = self
            .cache
            .sync_state(SyncKey::FullOffset)
            .await?
            .unwrap_or(0);
        let mut last: Option<String> = self.cache.sync_state(SyncKey::FullLastId).await?;
        let (mut stored, mut restarts, mut looked_back) = (0u64, 0u32, false);
        // Bounded: enough requests for every page the server reports (at most 10 million
        // users) and a few restarts; a list that never ends stops the sync.
        let (mut requests, mut cap) = (0u64, 64u64);
        // The next page, requested while this one is stored.
        let mut prefetched = None;
        loop {
            requests += 1;
            if requests > cap {
                return Err(ClientError::ServerError {
                    status: 200,
                    detail: "the user list does not end; the sync stopped".into(),
                });
            }
            let overlap = last.is_some() && offset > 0;
            let start = if overlap { offset - 1 } else { offset };
            let page = match prefetched.take() {
                Some((at, page)) if at == start => page?,
                _ => self.api.list_users(c, false, start, self.sync_page).await?,
            };
            let n = page.users.len() as u64;
            let pages = page.total_count.min(10_000_000).div_ceil(page_size);
            cap = cap.max((u64::from(RESTARTS) + 2) * pages + 64);
            let skip = match (&last, overlap) {
                (Some(l), true) => page
                    .users
                    .iter()
                    .position(|u| u.user_id.as_str() == l)
                    .map(|i| i + 1),
                _ => Some(0),
            };
            let Some(skip) = skip else {
                // The last stored user is not where it was: users before it were deleted (or
                // it was). Look one page back once, then start the pass over.
                if !looked_back && offset > page_size {
                    looked_back = true;
                    offset -= page_size;
                    continue;
                }
                restarts += 1;
                if restarts > RESTARTS {
                    return Err(ClientError::ServerError {
                        status: 200,
                        detail: "the user list kept changing during the sync; try again".into(),
                    });
                }
                (offset, last, looked_back) = (0, None, false);
                continue;
            };
            looked_back = false;
            let next = start + n;
            let end = n < page_size || next >= page.total_count;
            let fresh = &page.users[skip.min(page.users.len())..];
            let last_id = page.users.last().map(|u| u.user_id.as_str());
            let store = self.cache.store_full_page(fresh, generation, next, last_id);
            if end {
                store.await?;
            } else {
                // The next page starts one row early (see above).
                let at = next - 1;
                let (done, page) =
                    tokio::join!(store, self.api.list_users(c, false, at, self.sync_page));
                done?;
                prefetched = Some((at, page));
            }
            stored += fresh.len() as u64;
            offset = next;
            if let Some(l) = last_id {
                last = Some(l.to_owned());
            }
            progress(SyncProgress::Users {
                done: next,
                total: page.total_count.max(next),
            });
            if end {
                return Ok(stored);
            }
        }
    }

    /// Where the change feed stands now: the highest `Version` in it (0 when it is empty),
    /// found with one-row pages (a doubling search, then a bisection), a few dozen small
    /// requests even for millions of changes. `None` when the server has no change feed.
    async fn feed_head(&self, c: &Credentials) -> Result<Option<i64>> {
        // (first version after `since`, whether more follow), or None: no feed.
        let probe = |since: i64| async move {
            Ok::<_, ClientError>(match self.api.service_users_since(c, since, 1).await? {
                UsersResponse::Feed(p) => Some((
                    p.users
                        .first()
                        .map(|u| u.version)
                        .or_else(|| p.deleted.first().map(|t| t.version)),
                    p.has_more,
                )),
                UsersResponse::List(_) => None,
            })
        };
        let Some((first, more)) = probe(0).await? else {
            return Ok(None);
        };
        // `lo` is the version of a change in the feed; nothing follows `hi`.
        let mut lo = match (first, more) {
            (None, _) => return Ok(Some(0)),
            (Some(v), false) => return Ok(Some(v)),
            (Some(v), true) => v,
        };
        let (mut hi, mut step) = (None::<i64>, 1_024i64);
        for _ in 0..256 {
            let since = match hi {
                None => lo.saturating_add(step),
                Some(h) => lo + (h - lo) / 2,
            };
            match probe(since).await? {
                None => return Ok(None),
                Some((None, _)) if since <= lo => return Ok(Some(lo)),
                Some((None, _)) => hi = Some(since),
                Some((Some(v), false)) => return Ok(Some(v)),
                Some((Some(v), true)) => {
                    lo = v;
                    if hi.is_some_and(|h| h <= lo) {
                        hi = None;
                    }
                    step = step.saturating_mul(2);
                }
            }
        }
        Err(ClientError::ServerError {
            status: 200,
            detail: "the change feed's position could not be found; the sync stopped".into(),
        })
    }

    /// Applies change-feed pages after the stored cursor, each page one transaction with its
    /// cursor. Returns false when the server answered a plain list (no change feed).
    async fn feed_pass(
        &self,
        c: &Credentials,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
        counts: &mut SyncCounts,
    ) -> Result<bool> {
        let mut cursor: i64 = self
            .cache
            .sync_state(SyncKey::FeedCursor)
            .await?
            .unwrap_or(0);
        let mut done = 0u64;
        // Bounded: a feed that keeps answering "more" forever stops the sync.
        for _ in 0..10_000_000u64 / u64::from(self.sync_page) + 100 {
            match self
                .api
                .service_users_since(c, cursor, self.sync_page)
                .await?
            {
                UsersResponse::Feed(page) => {
                    self.cache.apply_feed_page(&page).await?;
                    counts.changed += page.users.len() as u64;
                    counts.deleted += page.deleted.len() as u64;
                    done += (page.users.len() + page.deleted.len()) as u64;
                    progress(SyncProgress::Changes { done });
                    if !page.has_more
                        || page.next_since <= cursor
                            && page.users.is_empty()
                            && page.deleted.is_empty()
                    {
                        return Ok(true);
                    }
                    cursor = page.next_since;
                }
                UsersResponse::List(_) => return Ok(false),
            }
        }
        Err(ClientError::ServerError {
            status: 200,
            detail: "the change feed does not end; the sync stopped".into(),
        })
    }

    /// When the cache was last synced.
    pub async fn last_sync_at(&self) -> Result<Option<Timestamp>> {
        self.cache.last_sync_at().await
    }

    // ---- reads (fall back to the cache when offline) ----------------------------------------

    /// Lists users: syncs first (unless `offline`), then answers from the cache; when the server
    /// cannot be reached the answer is the cache, marked stale, as of the last sync.
    pub async fn list_users(
        &self,
        filter: &UserFilter,
        offline: bool,
    ) -> Result<Fetched<Vec<User>>> {
        let mut stale = offline;
        if !offline {
            match self.sync(false, &|_| {}).await {
                Ok(_) => {}
                Err(e) if e.is_offline() => stale = true,
                Err(e) => return Err(e),
            }
        }
        let as_of = self.cache.last_sync_at().await?;
        if as_of.is_none() {
            return Err(ClientError::NotCached {
                what: "the user list".into(),
            });
        }
        Ok(Fetched {
            data: self.cache.users(filter).await?,
            stale,
            as_of,
        })
    }

    /// One user, fresh, or from the cache when offline.
    pub async fn user(&self, id: &UserId) -> Result<Fetched<User>> {
        let c = self.principal().await?;
        match self.api.get_user(&c, id).await {
            Ok(u) => {
                self.cache.upsert_user(&u).await?;
                Ok(Fetched {
                    data: u,
                    stale: false,
                    as_of: Some(Timestamp::now()),
                })
            }
            Err(e) if e.is_offline() => match self.cache.user(id).await? {
                Some((u, at)) => Ok(Fetched {
                    data: u,
                    stale: true,
                    as_of: Some(at),
                }),
                None => Err(ClientError::NotCached {
                    what: format!("user '{id}'"),
                }),
            },
            Err(e) => {
                if is_not_found(&e) {
                    let _ = self.cache.remove_user(id).await;
                }
                Err(self.map_auth(e))
            }
        }
    }

    /// A read kept in the cache's `reads` table, answered from there when offline.
    async fn cached_read<T, F, Fut>(&self, key: ReadKey, fetch: F) -> Result<Fetched<T>>
    where
        T: Serialize + serde::de::DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        match fetch().await {
            Ok(v) => {
                self.cache.put_read(&key, &v).await?;
                Ok(Fetched {
                    data: v,
                    stale: false,
                    as_of: Some(Timestamp::now()),
                })
            }
            Err(e) if e.is_offline() => match self.cache.get_read::<T>(&key).await? {
                Some((v, at)) => Ok(Fetched {
                    data: v,
                    stale: true,
                    as_of: Some(at),
                }),
                None => Err(ClientError::NotCached {
                    what: key.describe(),
                }),
            },
            Err(e) => Err(self.map_auth(e)),
        }
    }

    pub async fn roles(&self) -> Result<Fetched<Vec<Role>>> {
        let c = self.principal().await?;
        let fetched = self.api.roles(&c).await;
        if let Ok(r) = &fetched {
            self.cache.replace_roles(r).await?;
        }
        self.catalogue(fetched, self.cache.roles()).await
    }

    pub async fn tags(&self) -> Result<Fetched<Vec<Tag>>> {
        let c = self.principal().await?;
        let fetched = self.api.tags(&c).await;
        if let Ok(t) = &fetched {
            self.cache.replace_tags(t).await?;
        }
        self.catalogue(fetched, self.cache.tags()).await
    }

    /// A catalogue (roles, tags) just fetched and cached, or the cached one, as of the last
    /// sync, when the server cannot be reached.
    async fn catalogue<T>(
        &self,
        fetched: Result<Vec<T>>,
        cached: impl std::future::Future<Output = Result<Vec<T>>>,
    ) -> Result<Fetched<Vec<T>>> {
        match fetched {
            Ok(data) => Ok(Fetched {
                data,
                stale: false,
                as_of: Some(Timestamp::now()),
            }),
            Err(e) if e.is_offline() => Ok(Fetched {
                data: cached.await?,
                stale: true,
                as_of: self.cache.last_sync_at().await?,
            }),
            Err(e) => Err(self.map_auth(e)),
        }
    }

    /// What deleting the service user would transfer (the preview before a delete).
    pub async fn owned_resources(&self, id: &UserId) -> Result<Fetched<Vec<OwnedResource>>> {
        let c = self.principal().await?;
        self.cached_read(ReadKey::Owned(id.clone()), || async {
            Ok(self.api.owned_resources(&c, id).await?.resources)
        })
        .await
    }

    /// Who can act as the service user: its shares (from the user record).
    pub async fn shares(&self, id: &UserId) -> Result<Fetched<Shares>> {
        let c = self.principal().await?;
        self.cached_read(ReadKey::Shares(id.clone()), || async {
            self.api.get_shares(&c, id).await
        })
        .await
    }

    // ---- mutations (never queued: offline is an error) --------------------------------------

    async fn refresh_user(&self, c: &Credentials, id: &UserId) {
        if let Ok(u) = self.api.get_user(c, id).await {
            let _ = self.cache.upsert_user(&u).await;
        }
    }

    async fn stored(&self, r: Result<User>) -> Result<User> {
        let u = r.map_err(|e| self.map_auth(e))?;
        self.cache.upsert_user(&u).await?;
        Ok(u)
    }

    /// Notes in the local history what this app did to a service user. The operation already
    /// happened on the server, so a history that cannot be written does not fail it.
    async fn record(&self, su: &UserId, action: &str, detail: String) {
        let entry = Activity {
            at: Timestamp::now(),
            service_user_id: su.clone(),
            action: action.to_owned(),
            detail,
            actor: self.profile.user_id.clone(),
        };
        let _ = self.cache.record_activity(&entry).await;
    }

    /// What this app did to a service user, newest first.
    pub async fn activity(&self, su: &UserId) -> Result<Vec<Activity>> {
        self.cache.activity(su, 200).await
    }

    /// `POST /users` (needs a super-admin active role).
    pub async fn create_service_user(&self, new: NewServiceUser) -> Result<User> {
        let req = CreateServiceUserRequest {
            user_id: UserId::parse(new.user_id)?,
            display_name: DisplayName::parse(new.display_name)?,
            description: new.description.map(Description::parse).transpose()?,
        };
        let c = self.principal().await?;
        let u = self
            .stored(self.api.create_service_user(&c, &req).await)
            .await?;
        self.record(
            &u.user_id,
            "created",
            format!("created \"{}\"", u.display_name),
        )
        .await;
        Ok(u)
    }

    pub async fn attach_roles(&self, id: &UserId, roles: &[RoleId]) -> Result<User> {
        if roles.is_empty() {
            return Err(ClientError::invalid("name at least one role to attach"));
        }
        let c = self.principal().await?;
        let u = self
            .stored(self.api.attach_roles(&c, id, roles).await)
            .await?;
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        self.record(
            id,
            "roles_attached",
            format!("attached {}", names.join(", ")),
        )
        .await;
        Ok(u)
    }

    pub async fn detach_role(&self, id: &UserId, role: &RoleId) -> Result<User> {
        if role.as_str() == RoleId::DEFAULT_USERS {
            return Err(ClientError::refused(ErrorCode::DefaultRoleRequired));
        }
        let c = self.principal().await?;
        let u = self
            .stored(self.api.detach_role(&c, id, role).await)
            .await?;
        self.record(id, "role_detached", format!("detached {role}"))
            .await;
        Ok(u)
    }

    pub async fn enable(&self, id: &UserId) -> Result<User> {
        let c = self.principal().await?;
        let u = self
            .stored(self.api.set_status(&c, id, UserStatus::Enabled).await)
            .await?;
        self.record(id, "enabled", "enabled".into()).await;
        Ok(u)
    }

    /// Disables the service user: every credential of it stops working at once.
    pub async fn disable(&self, id: &UserId) -> Result<User> {
        let c = self.principal().await?;
        let u = self
            .stored(self.api.set_status(&c, id, UserStatus::Disabled).await)
            .await?;
        self.record(id, "disabled", "disabled".into()).await;
        Ok(u)
    }

    /// The policy's view of the signed-in principal, from fresh server data.
    /// The signed-in user as the policy sees them: roles, tags, the active role's permissions.
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

    async fn find_user(&self, c: &Credentials, id: &UserId) -> Result<Option<User>> {
        match self.api.get_user(c, id).await {
            Ok(u) => Ok(Some(u)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Shares the service user with people and tags (owner access). Sharing with a service
    /// user is refused before the request, by the model's policy.
    pub async fn share(&self, id: &UserId, users: &[UserId], tags: &[TagId]) -> Result<Shares> {
        if users.is_empty() && tags.is_empty() {
            return Err(ClientError::invalid(
                "name at least one user or tag to share with",
            ));
        }
        let c = self.principal().await?;
        let run = async {
            let su = self.api.get_user(&c, id).await?;
            let actor = self.actor(&c).await?;
            let mut found = Vec::new();
            for u in users {
                found.push(self.find_user(&c, u).await?);
            }
            let known_tags = self.api.tags(&c).await?;
            let mut targets: Vec<ShareTarget<'_>> = found
                .iter()
                .map(|f| ShareTarget::User {
                    found: f.as_ref(),
                    access_type: "owner",
                })
                .collect();
            targets.extend(tags.iter().map(|t| ShareTarget::Tag {
                exists: known_tags.iter().any(|k| &k.tag_id == t),
                access_type: "owner",
            }));
            if let Err(
                code @ (ErrorCode::CannotShareWithServiceUser | ErrorCode::AccessTypeNotAllowed),
            ) = policy::can_add_shares(&actor, Some(&su), &targets)
            {
                let who = found
                    .iter()
                    .flatten()
                    .find(|u| u.is_service_user)
                    .map(|u| u.user_id.to_string());
                let message = match (code, who) {
                    (ErrorCode::CannotShareWithServiceUser, Some(w)) => format!(
                        "'{w}' is a service user; a service user can be shared only with regular users and tags"
                    ),
                    _ => code.default_message().to_owned(),
                };
                return Err(ClientError::Refused { code, message });
            }
            let req = SharesRequest {
                users: users
                    .iter()
                    .map(|u| UserShareRequest {
                        user_id: u.clone(),
                        access_type: "owner".into(),
                    })
                    .collect(),
                tags: tags
                    .iter()
                    .map(|t| TagShareRequest {
                        tag_id: t.clone(),
                        access_type: "owner".into(),
                    })
                    .collect(),
            };
            self.api.add_shares(&c, id, &req).await
        };
        let shares = run.await.map_err(|e| self.map_auth(e))?;
        self.refresh_user(&c, id).await;
        let names: Vec<String> = users
            .iter()
            .map(|u| u.to_string())
            .chain(tags.iter().map(|t| format!("tag {t}")))
            .collect();
        self.record(
            id,
            "shared",
            format!("shared with {} (owner access)", names.join(", ")),
        )
        .await;
        Ok(shares)
    }

    pub async fn unshare_user(&self, id: &UserId, user: &UserId) -> Result<Shares> {
        let c = self.principal().await?;
        let shares = self
            .api
            .remove_user_share(&c, id, user)
            .await
            .map_err(|e| self.map_auth(e))?;
        self.refresh_user(&c, id).await;
        self.record(id, "unshared", format!("stopped sharing with {user}"))
            .await;
        Ok(shares)
    }

    pub async fn unshare_tag(&self, id: &UserId, tag: &TagId) -> Result<Shares> {
        let c = self.principal().await?;
        let shares = self
            .api
            .remove_tag_share(&c, id, tag)
            .await
            .map_err(|e| self.map_auth(e))?;
        self.refresh_user(&c, id).await;
        self.record(id, "unshared", format!("stopped sharing with tag {tag}"))
            .await;
        Ok(shares)
    }

    /// Deletes a disabled service user, moving what it owns to `transfer_to`. Refused before
    /// the request while it is enabled, or when `transfer_to` is not an enabled regular user.
    /// Call [`Client::owned_resources`] first to show what moves.
    pub async fn delete_service_user(
        &self,
        id: &UserId,
        transfer_to: &UserId,
    ) -> Result<DeleteServiceUserResponse> {
        let c = self.principal().await?;
        let run = async {
            let su = self.api.get_user(&c, id).await?;
            let actor = self.actor(&c).await?;
            if let Err(ErrorCode::MustDisableFirst) =
                policy::can_delete_service_user(&actor, Some(&su))
            {
                return Err(ClientError::Refused {
                    code: ErrorCode::MustDisableFirst,
                    message: format!("'{id}' is enabled; disable it before deleting it"),
                });
            }
            let target = self.find_user(&c, transfer_to).await?;
            if let Err(code) =
                policy::check_transfer_user(Some(transfer_to.as_str()), target.as_ref())
            {
                return Err(ClientError::Refused {
                    code,
                    message: format!(
                        "transfer user '{transfer_to}' must be an existing, enabled regular user"
                    ),
                });
            }
            self.api.delete_service_user(&c, id, transfer_to).await
        };
        let out = run.await.map_err(|e| self.map_auth(e))?;
        self.cache.remove_user(id).await?;
        self.record(
            id,
            "deleted",
            format!(
                "deleted; {} resource(s) transferred to {transfer_to}",
                out.transferred_resources.len()
            ),
        )
        .await;
        let _ = self
            .vault
            .delete(&self.profile.name, &SecretKind::Assumed(id.clone()))
            .await;
        Ok(out)
    }

    // ---- personal access tokens -------------------------------------------------------------

    /// The PATs of an assumed service user (acting as it).
    pub async fn access_tokens_as(&self, su: &UserId) -> Result<Fetched<Vec<AccessToken>>> {
        let (c, _) = self.acting_as(su).await?;
        self.cached_read(ReadKey::AccessTokensAs(su.clone()), || async {
            self.api.access_tokens(&c).await
        })
        .await
    }

    /// Creates a PAT for an assumed service user; the secret is in the answer, this once only.
    pub async fn create_access_token_as(
        &self,
        su: &UserId,
        new: NewAccessToken,
    ) -> Result<CreatedAccessToken> {
        let req = CreateAccessTokenRequest {
            token_name: TokenName::parse(new.name)?,
            description: new.description.map(Description::parse).transpose()?,
            role_id: new.role_id,
            expires_at: new.expires_at,
        };
        if req.expires_at <= Timestamp::now() {
            return Err(ClientError::Refused {
                code: ErrorCode::InvalidExpiry,
                message: "the token's expiry must be in the future".into(),
            });
        }
        let (c, _) = self.acting_as(su).await?;
        let created = self
            .api
            .create_access_token(&c, &req)
            .await
            .map_err(|e| self.map_auth(e))?;
        self.record(
            su,
            "access_token_created",
            format!(
                "access token \"{}\" created for role {}, expires {}",
                req.token_name, req.role_id, req.expires_at
            ),
        )
        .await;
        Ok(created)
    }

    pub async fn delete_access_token_as(&self, su: &UserId, token: &TokenId) -> Result<()> {
        let (c, _) = self.acting_as(su).await?;
        self.api
            .delete_access_token(&c, token)
            .await
            .map_err(|e| self.map_auth(e))?;
        self.record(
            su,
            "access_token_revoked",
            format!("access token {token} revoked"),
        )
        .await;
        Ok(())
    }

    /// The datasources the service user can see, acting as it.
    pub async fn datasources_as(&self, su: &UserId) -> Result<Fetched<Vec<Datasource>>> {
        let (c, _) = self.acting_as(su).await?;
        self.cached_read(ReadKey::DatasourcesAs(su.clone()), || async {
            self.api.datasources(&c).await
        })
        .await
    }

    /// Creates a datasource acting as the service user: the service user owns it.
    pub async fn create_datasource_as(
        &self,
        su: &UserId,
        name: &str,
        kind: &str,
    ) -> Result<Datasource> {
        let req = CreateDatasourceRequest {
            datasource_name: DatasourceName::parse(name.trim().to_owned())?,
            datasource_type: DatasourceType::parse(kind.trim().to_owned())?,
        };
        let (c, _) = self.acting_as(su).await?;
        let created = self
            .api
            .create_datasource(&c, &req)
            .await
            .map_err(|e| self.map_auth(e))?;
        self.record(
            su,
            "datasource_created",
            format!(
                "datasource \"{}\" ({}) created as {su}",
                created.datasource_name, created.datasource_type
            ),
        )
        .await;
        Ok(created)
    }

    /// The PATs of a service user, for its owners, without assuming it.
    pub async fn access_tokens_of(&self, su: &UserId) -> Result<Fetched<Vec<AccessToken>>> {
        let c = self.principal().await?;
        self.cached_read(ReadKey::AccessTokensOf(su.clone()), || async {
            self.api.access_tokens_of(&c, su).await
        })
        .await
    }

    /// Revokes one of a service user's PATs without assuming it.
    pub async fn delete_access_token_of(&self, su: &UserId, token: &TokenId) -> Result<()> {
        let c = self.principal().await?;
        self.api
            .delete_access_token_of(&c, su, token)
            .await
            .map_err(|e| self.map_auth(e))?;
        self.record(
            su,
            "access_token_revoked",
            format!("access token {token} revoked"),
        )
        .await;
        Ok(())
    }

    // ---- assume -----------------------------------------------------------------------------

    /// Assumes a service user: requests a token for `role` (default: its default role) for
    /// `minutes` (1-180, default 60), verifies it against the server's JWKS, then keeps it in
    /// the keychain and its metadata in the cache.
    pub async fn assume(
        &self,
        su: &UserId,
        role: Option<&RoleId>,
        minutes: Option<i64>,
    ) -> Result<AssumedIdentity> {
        let minutes = minutes.unwrap_or(i64::from(DEFAULT_ASSUME_MINUTES));
        let expiry = ExpiryMinutes::new(minutes).map_err(|_| ClientError::Refused {
            code: ErrorCode::InvalidExpiry,
            message: format!("expiry {minutes} is out of range: minutes must be from 1 to 180"),
        })?;
        let c = self.principal().await?;
        let me = self
            .profile
            .user_id
            .clone()
            .ok_or_else(|| ClientError::NotSignedIn {
                profile: self.profile.name.clone(),
            })?;
        let run = async {
            let role = match role {
                Some(r) => r.clone(),
                None => self.api.get_user(&c, su).await?.default_role_id,
            };
            let tok = self.api.assume(&c, su, &role, expiry.minutes()).await?;
            let jwks = self.api.jwks().await?;
            let v = verify_service_user_token(
                tok.token.expose(),
                &jwks,
                su,
                &me,
                chrono::Utc::now().timestamp(),
            )?;
            if tok.user_id != *su
                || v.expires_at != tok.expires_at
                || v.role_id.as_deref().is_some_and(|r| r != role.as_str())
            {
                return Err(ClientError::TokenVerification(
                    "the answer does not match the token's claims".into(),
                ));
            }
            Ok((tok, v, role))
        };
        let (tok, v, role) = run.await.map_err(|e| self.map_auth(e))?;
        self.vault
            .set(
                &self.profile.name,
                &SecretKind::Assumed(su.clone()),
                &tok.token,
            )
            .await?;
        let meta = AssumedTokenMeta {
            service_user_id: su.clone(),
            role_id: role,
            minutes: expiry.minutes(),
            issued_at: v.issued_at,
            expires_at: v.expires_at,
            jti: v.jti,
            assumed_by: me,
        };
        self.cache.put_assumed(&meta).await?;
        self.record(
            su,
            "assumed",
            format!(
                "assumed with role {} for {} minutes",
                meta.role_id, meta.minutes
            ),
        )
        .await;
        Ok(AssumedIdentity::from_meta(meta))
    }

    /// Assumes again with the same role and lifetime.
    pub async fn reassume(&self, su: &UserId) -> Result<AssumedIdentity> {
        let meta = self
            .cache
            .assumed_one(su)
            .await?
            .ok_or_else(|| self.not_assumed(su))?;
        self.assume(su, Some(&meta.role_id), Some(i64::from(meta.minutes)))
            .await
    }

    /// The assumed identities of this profile, with the time left (local; no request).
    pub async fn assumed_identities(&self) -> Result<Vec<AssumedIdentity>> {
        Ok(self
            .cache
            .assumed()
            .await?
            .into_iter()
            .map(AssumedIdentity::from_meta)
            .collect())
    }

    /// Forgets one assumed identity: the keychain entry is wiped.
    pub async fn forget(&self, su: &UserId) -> Result<()> {
        if self.cache.assumed_one(su).await?.is_none() {
            return Err(self.not_assumed(su));
        }
        self.vault
            .delete(&self.profile.name, &SecretKind::Assumed(su.clone()))
            .await?;
        self.cache.remove_assumed(su).await?;
        self.record(su, "forgotten", "token wiped from the keychain".into())
            .await;
        Ok(())
    }

    /// Forgets every assumed identity of the profile; returns how many.
    pub async fn forget_all(&self) -> Result<usize> {
        let all = self.cache.assumed().await?;
        for m in &all {
            self.vault
                .delete(
                    &self.profile.name,
                    &SecretKind::Assumed(m.service_user_id.clone()),
                )
                .await?;
            self.cache.remove_assumed(&m.service_user_id).await?;
        }
        Ok(all.len())
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
