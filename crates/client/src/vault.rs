//! Secrets in the OS keychain (keyring crate): service `amorphic-su-desktop`, one entry per
//! profile and secret kind. Keychain calls are blocking, so they run on tokio's blocking pool
//! and time out. With no usable keychain the answer is `keychain_unavailable`: there is no
//! plaintext fallback. A secret longer than one Windows credential is stored in parts
//! (`split`), on every OS alike.

use std::sync::Arc;
use std::time::Duration;

use amorphic_su_model::{Secret, UserId};

use crate::error::{ClientError, Result};

#[cfg(test)]
mod memory_store;
#[cfg(test)]
mod sizes;
mod split;
#[cfg(test)]
mod tests;

use split::{join, layout, part_account, parts_named, Layout};
pub use split::{MAX_ENTRY_UTF16, MAX_SECRET_UTF16};

/// The keychain service name of every entry.
pub const KEYCHAIN_SERVICE: &str = "amorphic-su-desktop";

/// Which secret of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKind {
    /// The profile's personal access token.
    Pat,
    /// The profile's session token.
    Session,
    /// An assumed service user's token.
    Assumed(UserId),
    /// A user's password on a server this app runs itself (the built-in demo environment,
    /// whose passwords are random per installation).
    SeedPassword(UserId),
    /// A user's personal access token on a server this app runs itself, by token name.
    SeedPat { user: UserId, token_name: String },
    /// An entry `doctor` writes, reads back and deletes at once, to learn whether the
    /// keychain is usable (a read alone may not unlock it).
    Probe,
}

impl SecretKind {
    /// The keychain account name: `<profile>:pat`, `<profile>:session`,
    /// `<profile>:assumed:<service user>`, `<profile>:seed-password:<user>`,
    /// `<profile>:seed-pat:<user>:<token name>`, `<profile>:doctor-probe`.
    pub fn account(&self, profile: &str) -> String {
        match self {
            SecretKind::Pat => format!("{profile}:pat"),
            SecretKind::Session => format!("{profile}:session"),
            SecretKind::Assumed(u) => format!("{profile}:assumed:{u}"),
            SecretKind::SeedPassword(u) => format!("{profile}:seed-password:{u}"),
            SecretKind::SeedPat { user, token_name } => {
                format!("{profile}:seed-pat:{user}:{token_name}")
            }
            SecretKind::Probe => format!("{profile}:doctor-probe"),
        }
    }
}

/// The keychain.
#[derive(Debug, Clone)]
pub struct Vault {
    timeout: Duration,
    /// Another store than the platform's (a keychain that fails, in the fault tests); `None`
    /// is the OS keychain.
    backend: Option<Arc<keyring::credential::CredentialBuilder>>,
}

impl Default for Vault {
    /// Waits up to 30 s (a person may be typing the keychain's password in an unlock prompt),
    /// or `AMORPHIC_SU_KEYCHAIN_TIMEOUT_SECS`.
    fn default() -> Self {
        let secs = std::env::var("AMORPHIC_SU_KEYCHAIN_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30);
        Vault {
            timeout: Duration::from_secs(secs),
            backend: None,
        }
    }
}

fn unavailable(e: &keyring::Error) -> ClientError {
    let reason = match e {
        keyring::Error::NoStorageAccess(inner) => {
            format!("the keychain is locked or access was denied: {inner}")
        }
        // gnome-keyring refuses a write to a locked collection with `Secret.Error.IsLocked`,
        // which the keyring crate reports as a platform failure.
        keyring::Error::PlatformFailure(inner) if inner.to_string().contains("IsLocked") => {
            format!("the keychain is locked: {inner}")
        }
        keyring::Error::PlatformFailure(inner) => format!("no keychain service: {inner}"),
        other => other.to_string(),
    };
    ClientError::KeychainUnavailable {
        reason: reason.replace('\n', " "),
    }
}

impl Vault {
    pub fn with_timeout(timeout: Duration) -> Self {
        Vault {
            timeout,
            backend: None,
        }
    }

    /// The same vault over another credential store than the OS keychain.
    pub fn with_backend(mut self, backend: Arc<keyring::credential::CredentialBuilder>) -> Self {
        self.backend = Some(backend);
        self
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let task = tokio::task::spawn_blocking(f);
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(r)) => r,
            Ok(Err(join)) => Err(ClientError::KeychainUnavailable {
                reason: format!("the keychain call failed: {join}"),
            }),
            Err(_) => Err(ClientError::KeychainUnavailable {
                reason: format!(
                    "the keychain did not answer within {} s",
                    self.timeout.as_secs()
                ),
            }),
        }
    }

    fn entry(&self, profile: &str, kind: &SecretKind) -> EntryOf {
        EntryOf {
            backend: self.backend.clone(),
            account: kind.account(profile),
        }
    }

    /// The secret, or `None` when there is no entry (or only the parts of a write cut short).
    pub async fn get(&self, profile: &str, kind: &SecretKind) -> Result<Option<Secret>> {
        let entry = self.entry(profile, kind);
        self.run(move || {
            let Some(head) = entry.read(&entry.account)? else {
                return Ok(None);
            };
            let Some(n) = parts_named(&head) else {
                return Ok(Some(Secret::new(head)));
            };
            let mut parts = Vec::with_capacity(n);
            for i in 1..=n {
                match entry.read(&part_account(&entry.account, i))? {
                    Some(part) => parts.push(part),
                    None => return Ok(None),
                }
            }
            Ok(join(&head, &parts).map(Secret::new))
        })
        .await
    }

    pub async fn set(&self, profile: &str, kind: &SecretKind, secret: &Secret) -> Result<()> {
        let Some(layout) = layout(secret.expose()) else {
            return Err(ClientError::invalid(format!(
                "the secret is longer than {MAX_SECRET_UTF16} UTF-16 characters, more than this app keeps in the keychain"
            )));
        };
        let (entry, secret) = (self.entry(profile, kind), secret.clone());
        self.run(move || {
            let before = entry.read(&entry.account)?;
            let parts_before = before.as_deref().and_then(parts_named).unwrap_or(0);
            let parts_now = match layout {
                Layout::Whole => {
                    entry.write(&entry.account, secret.expose())?;
                    0
                }
                Layout::Split { manifest, parts } => {
                    for (i, part) in parts.iter().enumerate() {
                        entry.write(&part_account(&entry.account, i + 1), part)?;
                    }
                    entry.write(&entry.account, &manifest)?;
                    parts.len()
                }
            };
            for i in parts_now + 1..=parts_before {
                entry.remove(&part_account(&entry.account, i))?;
            }
            Ok(())
        })
        .await
    }

    /// Deletes the entry and its parts; a missing entry is fine.
    pub async fn delete(&self, profile: &str, kind: &SecretKind) -> Result<()> {
        let entry = self.entry(profile, kind);
        self.run(move || {
            let parts = entry.read(&entry.account)?.as_deref().and_then(parts_named);
            entry.remove(&entry.account)?;
            for i in 1..=parts.unwrap_or(0) {
                entry.remove(&part_account(&entry.account, i))?;
            }
            Ok(())
        })
        .await
    }
}

/// Which entry (and its parts) to open, in which store; opened on the blocking pool.
struct EntryOf {
    backend: Option<Arc<keyring::credential::CredentialBuilder>>,
    account: String,
}

impl EntryOf {
    fn open(&self, account: &str) -> Result<keyring::Entry> {
        match &self.backend {
            None => keyring::Entry::new(KEYCHAIN_SERVICE, account),
            Some(b) => b
                .build(None, KEYCHAIN_SERVICE, account)
                .map(keyring::Entry::new_with_credential),
        }
        .map_err(|e| unavailable(&e))
    }

    fn read(&self, account: &str) -> Result<Option<String>> {
        match self.open(account)?.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(&e)),
        }
    }

    fn write(&self, account: &str, value: &str) -> Result<()> {
        self.open(account)?
            .set_password(value)
            .map_err(|e| unavailable(&e))
    }

    fn remove(&self, account: &str) -> Result<()> {
        match self.open(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(&e)),
        }
    }
}
