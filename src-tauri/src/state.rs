//! What the commands share: where the app keeps its files, and the client of the current
//! environment, opened on first use.
use std::sync::Arc;

use amorphic_su_client::{Client, Paths};
use tokio::sync::Mutex;

use crate::error::IpcResult;

pub struct AppState {
    paths: Paths,
    current: Mutex<Option<Arc<Client>>>,
}

impl AppState {
    pub fn new(paths: Paths) -> Self {
        AppState {
            paths,
            current: Mutex::new(None),
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
}
