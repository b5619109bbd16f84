//! The server's state: the database, the signing keys, and the request-independent
//! configuration (issuer, `Host` check).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, RwLock};

use amorphic_su_model::Role;

use crate::auth::LoginThrottle;
use crate::cache::{CredentialRow, ReadCache};
use crate::db::Db;
use crate::error::ServerError;
use crate::keys::KeyRing;
use crate::seed::{self, SeedOutcome};
use crate::store::{self, StoredUser};

/// The data side of the server: an open, migrated database and its signing keys.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    pub(crate) keys: Arc<KeyRing>,
    /// Roles change only when a seed loads, so every request reads them from memory.
    roles: Arc<RwLock<Arc<HashMap<String, Role>>>>,
    pub(crate) cache: Arc<ReadCache>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, applies the embedded migrations
    /// and loads or creates the token-signing key.
    pub async fn open(path: &Path) -> Result<Store, ServerError> {
        let db = Db::open(path).await?;
        let mut tx = db.write().await?;
        let keys = KeyRing::load_or_create(&mut tx).await?;
        tx.commit().await?;
        let store = Store {
            db,
            keys: Arc::new(keys),
            roles: Arc::default(),
            cache: Arc::default(),
        };
        store.reload_roles().await?;
        Ok(store)
    }

    async fn reload_roles(&self) -> Result<(), ServerError> {
        let mut conn = self.db.read().await?;
        let roles = store::roles(&mut conn).await?;
        let map = roles
            .into_iter()
            .map(|r| (r.role_id.to_string(), r))
            .collect();
        *self.roles.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(map);
        Ok(())
    }

    fn roles(&self) -> Arc<HashMap<String, Role>> {
        self.roles.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A role by id, from memory.
    pub(crate) fn role(&self, role_id: &str) -> Option<Role> {
        self.roles().get(role_id).cloned()
    }

    pub(crate) fn role_exists(&self, role_id: &str) -> bool {
        self.roles().contains_key(role_id)
    }

    /// Loads a seed file into an empty database; skips it when users exist.
    pub async fn load_seed_file(&self, path: &Path) -> Result<SeedOutcome, ServerError> {
        let outcome = seed::load_file(&self.db, path).await?;
        self.reload_roles().await?;
        Ok(outcome)
    }

    /// Loads a seed file with `credentials` in place of its own passwords and PATs.
    pub async fn load_seed_file_with(
        &self,
        path: &Path,
        credentials: &seed::SeedCredentials,
    ) -> Result<SeedOutcome, ServerError> {
        let outcome = seed::load_file_with(&self.db, path, credentials).await?;
        self.reload_roles().await?;
        Ok(outcome)
    }

    /// Loads a parsed seed (see [`crate::seed::Seed`]) into an empty database.
    pub async fn load_seed(&self, seed: &seed::Seed) -> Result<SeedOutcome, ServerError> {
        let outcome = seed::load(&self.db, seed).await?;
        self.reload_roles().await?;
        Ok(outcome)
    }

    /// The credential (PAT or session) with this digest, through the read cache.
    pub(crate) async fn credential(
        &self,
        digest: &[u8; 32],
    ) -> Result<Option<CredentialRow>, sqlx::Error> {
        let epoch = self.db.epoch();
        if let Some(hit) = self.cache.credential(epoch, digest) {
            return Ok(hit);
        }
        let mut conn = self.db.conn().await?;
        let row = store::credential(&mut conn, digest).await?;
        self.cache.put_credential(epoch, *digest, row.clone());
        Ok(row)
    }

    /// A user by internal id, through the read cache.
    pub(crate) async fn user_by_uid(
        &self,
        uid: i64,
    ) -> Result<Option<Arc<StoredUser>>, sqlx::Error> {
        let epoch = self.db.epoch();
        if let Some(hit) = self.cache.user(epoch, uid) {
            return Ok(hit);
        }
        let mut conn = self.db.conn().await?;
        let user = store::user_by_uid(&mut conn, uid).await?.map(Arc::new);
        self.cache.put_user(epoch, uid, user.clone());
        Ok(user)
    }

    /// A user by `UserId`, through the read cache.
    pub(crate) async fn user_by_id(
        &self,
        user_id: &str,
    ) -> Result<Option<Arc<StoredUser>>, sqlx::Error> {
        let epoch = self.db.epoch();
        if let Some(hit) = self.cache.user_by_id(epoch, user_id) {
            return Ok(hit);
        }
        let mut conn = self.db.conn().await?;
        let user = store::user_by_id(&mut conn, user_id).await?.map(Arc::new);
        self.cache.put_user_by_id(epoch, user_id, user.clone());
        Ok(user)
    }

    /// Closes the database pools (checkpointing the WAL).
    pub async fn close(&self) {
        self.db.close().await;
    }
}

/// Which `Host` headers the server answers (against DNS rebinding from web pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    /// Any `Host`: the server listens on a non-loopback address.
    Off,
    /// Loopback names and addresses only, plus these extra names (lowercase, no port).
    Loopback { extra: Vec<String> },
}

impl HostCheck {
    /// On a loopback listen address only loopback `Host`s are answered, plus `extra`.
    pub fn for_listen_addr(addr: SocketAddr, extra: &[String]) -> HostCheck {
        if addr.ip().is_loopback() {
            HostCheck::Loopback {
                extra: extra
                    .iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect(),
            }
        } else {
            HostCheck::Off
        }
    }

    /// Whether a request with this `Host` header value is answered.
    pub fn allows(&self, host_header: Option<&str>) -> bool {
        let HostCheck::Loopback { extra } = self else {
            return true;
        };
        let Some(host) = host_header.map(str::trim).filter(|h| !h.is_empty()) else {
            return false;
        };
        let name = strip_port(host).to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
            return true;
        }
        extra.contains(&name)
    }
}

/// `host`, `host:port`, `[v6]`, `[v6]:port` -> the host part.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    match host.rsplit_once(':') {
        // A bare IPv6 address has several colons and no brackets: keep it whole.
        Some((h, port)) if !h.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    }
}

/// Request-independent settings.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The `iss` of issued tokens and the only one accepted.
    pub issuer: String,
    pub host_check: HostCheck,
    /// Whether `GET /users?action=get_service_users&since=V` answers the change feed. Without
    /// it the server behaves like a platform without the change feed: `since` is ignored like
    /// any query parameter the platform does not know, and the answer is the plain list.
    pub change_feed: bool,
}

pub(crate) struct Inner {
    pub store: Store,
    pub config: AppConfig,
    pub logins: LoginThrottle,
}

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl AppState {
    pub fn new(store: Store, config: AppConfig) -> AppState {
        AppState(Arc::new(Inner {
            store,
            config,
            logins: LoginThrottle::default(),
        }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &AppConfig {
        &self.0.config
    }

    pub(crate) fn db(&self) -> &Db {
        &self.0.store.db
    }

    pub(crate) fn keys(&self) -> &KeyRing {
        &self.0.store.keys
    }

    pub(crate) fn logins(&self) -> &LoginThrottle {
        &self.0.logins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_check() {
        let check =
            HostCheck::for_listen_addr("127.0.0.1:8787".parse().unwrap(), &["devbox".into()]);
        for ok in [
            "127.0.0.1:8787",
            "localhost",
            "LOCALHOST:1",
            "app.localhost:80",
            "[::1]:8787",
            "[::1]",
            "127.1.2.3",
            "devbox:8787",
        ] {
            assert!(check.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8787",
            "127.0.0.1.evil.example",
            "10.0.0.1:8787",
            "localhost.evil",
            "",
        ] {
            assert!(!check.allows(Some(bad)), "{bad}");
        }
        assert!(!check.allows(None));
        let open = HostCheck::for_listen_addr("0.0.0.0:8787".parse().unwrap(), &[]);
        assert!(open.allows(Some("anything")));
    }
}
