//! The data side of the server: an open, migrated database, its signing keys, the roles in
//! memory and the read caches of the hot path.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use amorphic_su_model::Role;

use crate::cache::ReadCache;
use crate::db::Db;
use crate::error::ServerError;
use crate::keys::KeyRing;
use crate::queries::{credentials, roles, users};
use crate::rows::{CredentialRow, StoredUser};
use crate::seed::{self, SeedOutcome};

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
        let roles = roles::roles(&mut conn).await?;
        let map = roles
            .into_iter()
            .map(|r| (r.role_id.to_string(), r))
            .collect();
        *self.roles.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(map);
        Ok(())
    }

    /// What an active role needs of a role (super-admin or not, its permissions), from memory:
    /// every authenticated request asks, so the rest of the role is not copied.
    pub(crate) fn role_grants(&self, role_id: &str) -> Option<(bool, Vec<String>)> {
        self.roles
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(role_id)
            .map(|r| (r.is_super_admin, r.permissions.clone()))
    }

    pub(crate) fn role_exists(&self, role_id: &str) -> bool {
        self.roles
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(role_id)
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
        let row = credentials::credential(&mut conn, digest).await?;
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
        let user = users::user_by_uid(&mut conn, uid).await?.map(Arc::new);
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
        let user = users::user_by_id(&mut conn, user_id).await?.map(Arc::new);
        self.cache.put_user_by_id(epoch, user_id, user.clone());
        Ok(user)
    }

    /// Closes the database pools (checkpointing the WAL).
    pub async fn close(&self) {
        self.db.close().await;
    }
}
