//! The keychain: which backend, and whether it can be used now. An entry is written, read back
//! and deleted: a read alone may answer without unlocking a locked keychain.

use amorphic_su_model::Secret;

use super::{Check, CheckId};
use crate::error::ClientError;
use crate::vault::{SecretKind, Vault};

/// The OS keychain the keyring crate uses on this platform.
pub(crate) fn backend() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(windows) {
        "Windows Credential Manager"
    } else {
        "Secret Service"
    }
}

pub(super) async fn check(vault: &Vault, profile: Option<&str>) -> Check {
    let owner = profile.unwrap_or("doctor");
    let probe = Secret::new(format!("probe-{:016x}", rand::random::<u64>()));
    let result = async {
        vault.set(owner, &SecretKind::Probe, &probe).await?;
        let read = vault.get(owner, &SecretKind::Probe).await?;
        vault.delete(owner, &SecretKind::Probe).await?;
        Ok::<_, ClientError>(read.is_some_and(|s| s.expose() == probe.expose()))
    }
    .await;
    match result {
        Ok(true) => Check::ok(
            CheckId::Keychain,
            format!("{}: unlocked (an entry was written, read back and deleted)", backend()),
        ),
        Ok(false) => Check::fail(
            CheckId::Keychain,
            format!("{}: an entry written was not read back the same", backend()),
            "restart the keychain service (or sign out of the desktop and in again), then run again",
        ),
        Err(ClientError::KeychainUnavailable { reason }) => unavailable(&reason),
        Err(e) => Check::fail(CheckId::Keychain, format!("{}: {e}", backend()), "run again"),
    }
}

/// What a failed keychain call says, as a finding and a fix: locked, not answering, or (on
/// Linux) no D-Bus session bus or nothing providing the Secret Service on it.
pub(crate) fn unavailable(reason: &str) -> Check {
    let id = CheckId::Keychain;
    let b = backend();
    let lower = reason.to_lowercase();
    if lower.contains("did not answer") {
        return Check::fail(
            id,
            format!("{b}: {reason} (an unlock prompt may be waiting)"),
            "answer the keychain's unlock prompt, or unlock the keychain, then run again",
        );
    }
    if lower.contains("locked") || lower.contains("denied") {
        let fix = if cfg!(target_os = "macos") {
            "unlock the login keychain (Keychain Access > File > Unlock), then run again"
        } else if cfg!(windows) {
            "sign in to Windows with your own account (Credential Manager needs it), then run again"
        } else {
            "unlock the 'login' keyring (Passwords and Keys, or sign out of the desktop and in again), then run again"
        };
        return Check::fail(
            id,
            format!("{b}: the keychain is locked or access was denied ({reason})"),
            fix,
        );
    }
    if cfg!(all(unix, not(target_os = "macos"))) {
        if no_session_bus() {
            return Check::fail(
                id,
                format!("{b}: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset), so no keychain can be reached"),
                "run inside a desktop session, or start one with `dbus-run-session` and gnome-keyring-daemon",
            );
        }
        return Check::fail(
            id,
            format!("{b}: nothing provides the Secret Service (org.freedesktop.secrets) on the D-Bus session bus ({reason})"),
            "install and start gnome-keyring (or KeePassXC with its Secret Service integration), unlock it, then run again",
        );
    }
    Check::fail(
        id,
        format!("{b}: not available ({reason})"),
        "check that you are signed in to the desktop with your own account, then run again",
    )
}

/// No session bus address, and none at the default place.
fn no_session_bus() -> bool {
    let set = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty());
    let default = std::env::var_os("XDG_RUNTIME_DIR")
        .map(|d| std::path::Path::new(&d).join("bus").exists())
        .unwrap_or(false);
    !set && !default
}
