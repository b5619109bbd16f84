//! Why a check or an install failed, typed: the window branches on `code` and shows `message`,
//! which names what failed (the endpoint, the version, the signature).
use serde::Serialize;
use tauri_plugin_updater::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum UpdateProblemCode {
    /// Updates are turned off (the environment, or a refused endpoint override).
    Disabled,
    /// The endpoint is not one the updater accepts (not https in a release build, none set).
    EndpointInvalid,
    /// The update server could not be reached or answered an error.
    Unreachable,
    /// The manifest (`latest.json`) could not be read or lists nothing for this platform.
    BadManifest,
    /// Install was asked with no update found.
    NoUpdate,
    /// The download does not match its signature and the app's public key: refused, not installed.
    SignatureInvalid,
    /// The package could not be installed (format, privileges, the package manager).
    InstallFailed,
    /// A check or an install is already running.
    Busy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct UpdateProblem {
    pub code: UpdateProblemCode,
    pub message: String,
}

impl UpdateProblem {
    pub fn new(code: UpdateProblemCode, message: impl Into<String>) -> Self {
        let p = UpdateProblem {
            code,
            message: message.into(),
        };
        tracing::warn!(code = ?p.code, "{}", p.message);
        p
    }
}

/// What the update step was doing when the plugin failed, for the message.
pub enum Step<'a> {
    Check { endpoint: &'a str },
    Install { version: &'a str, url: &'a str },
}

/// The plugin's error as a problem naming what failed.
pub fn from_plugin(e: &Error, step: &Step<'_>) -> UpdateProblem {
    use UpdateProblemCode as C;
    let signature = matches!(
        e,
        Error::Minisign(_)
            | Error::Base64(_)
            | Error::SignatureUtf8(_)
            | Error::SignedVersionMismatch { .. }
            | Error::MissingSignedVersion
    );
    match step {
        Step::Install { version, url } if signature => UpdateProblem::new(
            C::SignatureInvalid,
            format!(
                "The update to {version} was refused: its signature check failed ({e}). The file \
                 downloaded from {url} is not the one the publisher signed with this app's update \
                 key (changed on the way, or signed with another key). Nothing was installed."
            ),
        ),
        Step::Check { endpoint } => {
            let code = match e {
                Error::InsecureTransportProtocol | Error::EmptyEndpoints | Error::UrlParse(_) => {
                    C::EndpointInvalid
                }
                Error::Reqwest(_) | Error::Network(_) => C::Unreachable,
                _ => C::BadManifest,
            };
            let what = match code {
                C::EndpointInvalid => "the update endpoint is not usable",
                C::Unreachable => "the update server could not be reached",
                _ => "the update manifest could not be read",
            };
            UpdateProblem::new(
                code,
                format!("Checking for updates failed: {what} ({endpoint}): {e}."),
            )
        }
        Step::Install { version, url } => {
            let code = match e {
                Error::Reqwest(_) | Error::Network(_) => C::Unreachable,
                _ => C::InstallFailed,
            };
            let what = match code {
                C::Unreachable => format!("downloading {url} failed"),
                _ => "installing the package failed".to_owned(),
            };
            UpdateProblem::new(
                code,
                format!("The update to {version} was not installed: {what}: {e}. The current version stays."),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTALL: Step<'static> = Step::Install {
        version: "0.1.1",
        url: "http://127.0.0.1:1/app.deb",
    };

    #[test]
    fn a_bad_signature_is_refused_naming_the_version_the_file_and_the_check() {
        let e = Error::SignedVersionMismatch {
            signed: "0.1.0".into(),
            announced: "0.1.1".into(),
        };
        let p = from_plugin(&e, &INSTALL);
        assert_eq!(p.code, UpdateProblemCode::SignatureInvalid);
        for part in [
            "0.1.1",
            "signature check failed",
            "http://127.0.0.1:1/app.deb",
            "Nothing was installed",
        ] {
            assert!(p.message.contains(part), "{part} in {}", p.message);
        }
        let p = from_plugin(&Error::MissingSignedVersion, &INSTALL);
        assert_eq!(p.code, UpdateProblemCode::SignatureInvalid);
    }

    #[test]
    fn install_failures_keep_the_current_version() {
        let p = from_plugin(&Error::PackageInstallFailed, &INSTALL);
        assert_eq!(p.code, UpdateProblemCode::InstallFailed);
        assert!(p.message.contains("current version stays"), "{}", p.message);
        let p = from_plugin(&Error::Network("503".into()), &INSTALL);
        assert_eq!(p.code, UpdateProblemCode::Unreachable);
    }

    #[test]
    fn check_failures_name_the_endpoint() {
        let check = Step::Check {
            endpoint: "https://mirror.example/latest.json",
        };
        let p = from_plugin(&Error::InsecureTransportProtocol, &check);
        assert_eq!(p.code, UpdateProblemCode::EndpointInvalid);
        assert!(p.message.contains("https://mirror.example/latest.json"));
        let p = from_plugin(&Error::ReleaseNotFound, &check);
        assert_eq!(p.code, UpdateProblemCode::BadManifest);
        let p = from_plugin(&Error::TargetNotFound("linux-x86_64".into()), &check);
        assert_eq!(p.code, UpdateProblemCode::BadManifest);
        assert!(p.message.contains("linux-x86_64"));
    }
}
