//! The server's state: the store, the request-independent configuration (issuer, `Host`
//! check) and the sign-in throttle.

use std::sync::Arc;

use crate::auth::throttle::LoginThrottle;
use crate::db::Db;
use crate::host_check::HostCheck;
use crate::keys::KeyRing;
use crate::store::Store;

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
    /// Seconds added to every answer's `Date` header: a test aid for clients' clock-skew
    /// checks (`date_skew`); 0 in normal use.
    pub date_offset_seconds: i64,
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
