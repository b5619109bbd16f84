//! A keychain in memory for the bench (the client reads its PAT through the vault).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring::credential::{Credential, CredentialApi, CredentialBuilderApi};

/// A keychain in memory: one secret per (service, account), shared by every entry built.
#[derive(Default)]
pub struct MemoryKeychain(Arc<Mutex<HashMap<String, Vec<u8>>>>);

struct MemoryEntry(Arc<Mutex<HashMap<String, Vec<u8>>>>, String);

impl CredentialApi for MemoryEntry {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        self.0
            .lock()
            .unwrap()
            .insert(self.1.clone(), secret.to_vec());
        Ok(())
    }
    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        let m = self.0.lock().unwrap();
        m.get(&self.1).cloned().ok_or(keyring::Error::NoEntry)
    }
    fn delete_credential(&self) -> keyring::Result<()> {
        let mut m = self.0.lock().unwrap();
        m.remove(&self.1).map(drop).ok_or(keyring::Error::NoEntry)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl CredentialBuilderApi for MemoryKeychain {
    fn build(
        &self,
        _: Option<&str>,
        service: &str,
        user: &str,
    ) -> keyring::Result<Box<Credential>> {
        Ok(Box::new(MemoryEntry(
            self.0.clone(),
            format!("{service}/{user}"),
        )))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
