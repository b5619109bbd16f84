//! A keychain in memory with Windows' Credential Manager limits (the keyring crate's checks on
//! Windows: at most 2,560 bytes of UTF-16 per secret, 513 bytes of account name), so that the
//! tests on every OS fail where Windows would.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring::credential::{Credential, CredentialApi, CredentialBuilderApi};

const CRED_MAX_CREDENTIAL_BLOB_SIZE: usize = 2_560;
const CRED_MAX_USERNAME_LENGTH: usize = 513;

/// The store: account -> secret, shared by every entry it builds.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    pub entries: Arc<Mutex<HashMap<String, String>>>,
}

impl MemoryStore {
    pub fn accounts(&self) -> Vec<String> {
        let mut v: Vec<String> = self.entries.lock().unwrap().keys().cloned().collect();
        v.sort();
        v
    }
}

#[derive(Debug)]
struct Entry {
    store: MemoryStore,
    account: String,
}

impl CredentialApi for Entry {
    fn set_password(&self, password: &str) -> keyring::Result<()> {
        if password.encode_utf16().count() * 2 > CRED_MAX_CREDENTIAL_BLOB_SIZE {
            return Err(keyring::Error::TooLong(
                "password".into(),
                CRED_MAX_CREDENTIAL_BLOB_SIZE as u32,
            ));
        }
        let mut entries = self.store.entries.lock().unwrap();
        entries.insert(self.account.clone(), password.to_owned());
        Ok(())
    }

    fn set_secret(&self, _: &[u8]) -> keyring::Result<()> {
        unimplemented!("the vault stores passwords only")
    }

    fn get_password(&self) -> keyring::Result<String> {
        let entries = self.store.entries.lock().unwrap();
        entries
            .get(&self.account)
            .cloned()
            .ok_or(keyring::Error::NoEntry)
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.get_password().map(String::into_bytes)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        let mut entries = self.store.entries.lock().unwrap();
        entries
            .remove(&self.account)
            .map(drop)
            .ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialBuilderApi for MemoryStore {
    fn build(
        &self,
        _target: Option<&str>,
        _service: &str,
        user: &str,
    ) -> keyring::Result<Box<Credential>> {
        if user.len() > CRED_MAX_USERNAME_LENGTH {
            return Err(keyring::Error::TooLong(
                "user".into(),
                CRED_MAX_USERNAME_LENGTH as u32,
            ));
        }
        Ok(Box::new(Entry {
            store: self.clone(),
            account: user.to_owned(),
        }))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
