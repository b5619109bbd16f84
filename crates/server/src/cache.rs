//! Read caches for the hot path (authentication, user lookups, token verification).
//!
//! Correctness rule: an entry holds what the database said during one write epoch (see
//! [`crate::db::WriteTx`]). The epoch is read before the database, and an entry is used only
//! while the epoch is unchanged, so any committed write (a revoked PAT, a disable, a detached
//! role, a removed share) makes every later request read the database again. Time-based rules
//! (expiry, `nbf`) are never cached: the policy re-checks them with `now` on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::keys::Claims;
use crate::rows::{CredentialRow, StoredUser};

/// Bound on each map: past it the map is emptied (random ids cannot grow memory).
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
struct EpochMaps {
    epoch: u64,
    credentials: HashMap<[u8; 32], Option<CredentialRow>>,
    users: HashMap<i64, Option<Arc<StoredUser>>>,
    by_id: HashMap<String, Option<Arc<StoredUser>>>,
    /// The number of users, and of service users: the list's `TotalCount` on every page.
    user_counts: [Option<u64>; 2],
}

impl EpochMaps {
    /// Readies the maps for a write of data read at `epoch`; false when that data is stale.
    fn accept(&mut self, epoch: u64) -> bool {
        if epoch > self.epoch {
            *self = EpochMaps {
                epoch,
                ..EpochMaps::default()
            };
        }
        epoch == self.epoch
    }
}

fn bounded_insert<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, k: K, v: V) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(k, v);
}

#[derive(Default)]
pub struct ReadCache {
    maps: Mutex<EpochMaps>,
    /// Verified service-user tokens by the SHA-256 of the whole token. Signature, header,
    /// `iss` and `aud` do not change with time or writes (the key ring is fixed while the
    /// server runs), so these entries need no epoch.
    tokens: Mutex<HashMap<[u8; 32], Arc<Claims>>>,
}

impl ReadCache {
    fn maps(&self) -> std::sync::MutexGuard<'_, EpochMaps> {
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn credential(&self, epoch: u64, digest: &[u8; 32]) -> Option<Option<CredentialRow>> {
        let m = self.maps();
        (m.epoch == epoch)
            .then(|| m.credentials.get(digest).cloned())
            .flatten()
    }

    pub fn put_credential(&self, epoch: u64, digest: [u8; 32], row: Option<CredentialRow>) {
        let mut m = self.maps();
        if m.accept(epoch) {
            bounded_insert(&mut m.credentials, digest, row);
        }
    }

    pub fn user(&self, epoch: u64, uid: i64) -> Option<Option<Arc<StoredUser>>> {
        let m = self.maps();
        (m.epoch == epoch)
            .then(|| m.users.get(&uid).cloned())
            .flatten()
    }

    pub fn put_user(&self, epoch: u64, uid: i64, user: Option<Arc<StoredUser>>) {
        let mut m = self.maps();
        if m.accept(epoch) {
            bounded_insert(&mut m.users, uid, user);
        }
    }

    pub fn user_by_id(&self, epoch: u64, user_id: &str) -> Option<Option<Arc<StoredUser>>> {
        let m = self.maps();
        (m.epoch == epoch)
            .then(|| m.by_id.get(user_id).cloned())
            .flatten()
    }

    pub fn put_user_by_id(&self, epoch: u64, user_id: &str, user: Option<Arc<StoredUser>>) {
        let mut m = self.maps();
        if m.accept(epoch) {
            if let Some(u) = &user {
                bounded_insert(&mut m.users, u.uid, Some(u.clone()));
            }
            bounded_insert(&mut m.by_id, user_id.to_owned(), user);
        }
    }

    pub fn user_count(&self, epoch: u64, service_only: bool) -> Option<u64> {
        let m = self.maps();
        (m.epoch == epoch)
            .then(|| m.user_counts[usize::from(service_only)])
            .flatten()
    }

    pub fn put_user_count(&self, epoch: u64, service_only: bool, count: u64) {
        let mut m = self.maps();
        if m.accept(epoch) {
            m.user_counts[usize::from(service_only)] = Some(count);
        }
    }

    pub fn verified_token(&self, key: &[u8; 32]) -> Option<Arc<Claims>> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    pub fn put_verified_token(&self, key: [u8; 32], claims: Arc<Claims>) {
        let mut t = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        bounded_insert(&mut t, key, claims);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(uid: i64) -> CredentialRow {
        CredentialRow {
            uid,
            pat_role: None,
            created_us: 0,
            expires_us: 1,
            disable_generation: 0,
        }
    }

    #[test]
    fn entries_live_for_one_epoch() {
        let c = ReadCache::default();
        c.put_credential(0, [1; 32], Some(row(7)));
        assert_eq!(c.credential(0, &[1; 32]).unwrap().unwrap().uid, 7);
        // A write committed: the entry is gone for readers of the new epoch.
        assert!(c.credential(1, &[1; 32]).is_none());
        c.put_credential(1, [2; 32], None);
        assert!(
            c.credential(0, &[1; 32]).is_none(),
            "the old epoch's entries were dropped"
        );
        // Data read before the write is not stored.
        c.put_credential(0, [3; 32], Some(row(9)));
        assert!(c.credential(1, &[3; 32]).is_none());
        assert_eq!(c.credential(1, &[2; 32]), Some(None), "a cached miss");
    }
}
