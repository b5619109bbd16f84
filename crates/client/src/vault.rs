//! Secrets in the OS keychain (keyring crate): service `amorphic-su-desktop`, one entry per
//! profile and secret kind. Keychain calls are blocking, so they run on tokio's blocking pool
//! and time out. With no usable keychain the answer is `keychain_unavailable`: there is no
//! plaintext fallback.

use std::sync::Arc;
use std::time::Duration;

use amorphic_su_model::{Secret, UserId};

use crate::error::{ClientError, Result};

/// The keychain service name of every entry.
pub const KEYCHAIN_SERVICE: &str = "amorphic-su-desktop";

/// Windows' credential store holds at most 2,560 bytes (1,280 UTF-16 units) per secret.
pub const MAX_SECRET_CHARS: usize = 1_280;

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
}

impl SecretKind {
    /// The keychain account name: `<profile>:pat`, `<profile>:session`,
    /// `<profile>:assumed:<service user>`, `<profile>:seed-password:<user>`,
    /// `<profile>:seed-pat:<user>:<token name>`.
    pub fn account(&self, profile: &str) -> String {
        match self {
            SecretKind::Pat => format!("{profile}:pat"),
            SecretKind::Session => format!("{profile}:session"),
            SecretKind::Assumed(u) => format!("{profile}:assumed:{u}"),
            SecretKind::SeedPassword(u) => format!("{profile}:seed-password:{u}"),
            SecretKind::SeedPat { user, token_name } => {
                format!("{profile}:seed-pat:{user}:{token_name}")
            }
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

    /// The secret, or `None` when there is no entry.
    pub async fn get(&self, profile: &str, kind: &SecretKind) -> Result<Option<Secret>> {
        let entry = self.entry(profile, kind);
        self.run(move || {
            let entry = entry.open()?;
            match entry.get_password() {
                Ok(s) => Ok(Some(Secret::new(s))),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(unavailable(&e)),
            }
        })
        .await
    }

    pub async fn set(&self, profile: &str, kind: &SecretKind, secret: &Secret) -> Result<()> {
        if secret.expose().chars().count() > MAX_SECRET_CHARS {
            return Err(ClientError::invalid(format!(
                "the secret is longer than {MAX_SECRET_CHARS} characters, more than every OS keychain holds"
            )));
        }
        let (entry, secret) = (self.entry(profile, kind), secret.clone());
        self.run(move || {
            let entry = entry.open()?;
            entry
                .set_password(secret.expose())
                .map_err(|e| unavailable(&e))
        })
        .await
    }

    /// Deletes the entry; a missing entry is fine.
    pub async fn delete(&self, profile: &str, kind: &SecretKind) -> Result<()> {
        let entry = self.entry(profile, kind);
        self.run(move || {
            let entry = entry.open()?;
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(unavailable(&e)),
            }
        })
        .await
    }
}

/// Which entry to open, in which store; opened on the blocking pool.
struct EntryOf {
    backend: Option<Arc<keyring::credential::CredentialBuilder>>,
    account: String,
}

impl EntryOf {
    fn open(&self) -> Result<keyring::Entry> {
        match &self.backend {
            None => keyring::Entry::new(KEYCHAIN_SERVICE, &self.account),
            Some(b) => b
                .build(None, KEYCHAIN_SERVICE, &self.account)
                .map(keyring::Entry::new_with_credential),
        }
        .map_err(|e| unavailable(&e))
    }
}
