//! What the commands share: where the app keeps its files, the client of the current
//! environment (opened on first use), and which assumed identity the window acts as.
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use amorphic_su_client::model::UserId;
use amorphic_su_client::{Client, Paths};
use tauri::AppHandle;
use tokio::sync::Mutex;

use crate::error::IpcResult;

/// Refreshes whatever shows the identities outside the page and tells the page: the watcher
/// registers it, the identity module calls it after each change.
pub type ShellRefresh = fn(AppHandle) -> Pin<Box<dyn Future<Output = ()> + Send>>;

pub struct AppState {
    paths: Paths,
    current: Mutex<Option<Arc<Client>>>,
    /// The assumed service user the window acts as (the title and identity bar name it).
    pub active_identity: Mutex<Option<UserId>>,
    /// What the notifications already announced (a token refused, a token expiring), so each
    /// is announced once.
    pub announced: Mutex<HashSet<String>>,
    /// Refreshes the tray, the window title and the notifications after the identities changed,
    /// and tells the window (set by the watcher).
    pub shell_refresh: OnceLock<ShellRefresh>,
}

impl AppState {
    pub fn new(paths: Paths) -> Self {
        AppState {
            paths,
            current: Mutex::new(None),
            active_identity: Mutex::new(None),
            announced: Mutex::new(HashSet::new()),
            shell_refresh: OnceLock::new(),
        }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The client of the current environment (profile).
    pub async fn client(&self) -> IpcResult<Arc<Client>> {
        let mut current = self.current.lock().await;
        if let Some(client) = current.as_ref() {
            return Ok(client.clone());
        }
        let client = Arc::new(Client::open(&self.paths, None).await?);
        *current = Some(client.clone());
        Ok(client)
    }

    /// Drops the open client: the next command opens the (new) current environment afresh.
    pub async fn reset(&self) {
        *self.current.lock().await = None;
        *self.active_identity.lock().await = None;
    }

    /// Installs a new client of the same environment and sign-in (e.g. with another role): the
    /// window keeps acting as the identity it acts as.
    pub async fn replace_client(&self, client: Client) {
        *self.current.lock().await = Some(Arc::new(client));
    }

    /// Drops the open client but not the active identity: the next command reads the edited
    /// environment afresh.
    pub async fn reopen(&self) {
        *self.current.lock().await = None;
    }

    /// Installs a client just signed in.
    pub async fn set_client(&self, client: Client) {
        *self.current.lock().await = Some(Arc::new(client));
        *self.active_identity.lock().await = None;
    }
}
