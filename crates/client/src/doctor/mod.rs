//! `doctor`: why the active environment does not work, one check at a time, each with one line
//! saying what was found and one line saying what to do. The CLI's `doctor` and the window's
//! Diagnostics page show the same report.
//!
//! The checks, in order: the environment (`profile`), the keychain (`keychain`: written, read
//! back and deleted), the server (`server`: reachable, its TLS, the clock against its `Date`
//! header, the base URL answering the contract), the token-signing keys and the versions
//! (`endpoints`), the session (`session`) and the local cache (`cache`). A check whose
//! prerequisite failed is `skipped`, saying which. Nothing here changes the server, the
//! profile or the cache.

mod cache;
mod endpoints;
mod keychain;
mod report;
mod server;
mod session;

#[cfg(test)]
mod tests;

use std::time::Duration;

use serde::Serialize;

use crate::api::{ApiClient, ApiConfig};
use crate::profiles::{Config, Paths, Profile};
use crate::vault::Vault;

pub use server::{CLOCK_FAIL_SECONDS, CLOCK_WARN_SECONDS};

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    /// Works, but something will bite (plain HTTP off this machine, a small clock skew, a
    /// session about to end).
    Warn,
    Fail,
    /// Not run: what it needs failed first (the message says which).
    Skipped,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "fail",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// Which check; stable names for scripts (`--json`) and the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    Profile,
    Keychain,
    Server,
    Tls,
    Clock,
    BaseUrl,
    Session,
    Jwks,
    Cache,
    Versions,
}

impl CheckId {
    /// The check's name as a person reads it.
    pub fn title(self) -> &'static str {
        match self {
            CheckId::Profile => "Environment",
            CheckId::Keychain => "Keychain",
            CheckId::Server => "Server",
            CheckId::Tls => "TLS",
            CheckId::Clock => "Clock",
            CheckId::BaseUrl => "Base URL",
            CheckId::Session => "Session",
            CheckId::Jwks => "Token keys (JWKS)",
            CheckId::Cache => "Cache",
            CheckId::Versions => "Versions",
        }
    }
}

/// One check's finding: one line each for what was found and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub id: CheckId,
    pub title: String,
    pub status: CheckStatus,
    pub message: String,
    /// What to do; none when there is nothing to do.
    pub fix: Option<String>,
}

impl Check {
    fn new(id: CheckId, status: CheckStatus, message: impl Into<String>) -> Check {
        Check {
            id,
            title: id.title().to_owned(),
            status,
            message: one_line(&message.into()),
            fix: None,
        }
    }

    pub(crate) fn ok(id: CheckId, message: impl Into<String>) -> Check {
        Check::new(id, CheckStatus::Ok, message)
    }

    pub(crate) fn warn(id: CheckId, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check::new(id, CheckStatus::Warn, message).fix(fix)
    }

    pub(crate) fn fail(id: CheckId, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check::new(id, CheckStatus::Fail, message).fix(fix)
    }

    pub(crate) fn skipped(id: CheckId, because: impl Into<String>) -> Check {
        Check::new(id, CheckStatus::Skipped, because)
    }

    fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(one_line(&fix.into()));
        self
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every check of one environment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DoctorReport {
    /// The environment checked, when one was found.
    pub profile: Option<String>,
    pub base_url: Option<String>,
    /// When the checks ran (RFC 3339, UTC).
    pub checked_at: String,
    pub app_version: String,
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// True when any check failed.
    pub fn failed(&self) -> bool {
        self.first_failure().is_some()
    }

    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == CheckStatus::Fail)
    }

    pub fn get(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// How patient the checks are, and which app is asking.
#[derive(Debug, Clone)]
pub struct DoctorOptions {
    /// Each request's limit (the doctor never retries: it reports).
    pub request_timeout: Duration,
    /// The keychain's limit (a locked keychain may be showing an unlock prompt).
    pub keychain_timeout: Duration,
    /// The version the report names as the app's (the desktop app passes its own).
    pub app_version: String,
}

impl Default for DoctorOptions {
    fn default() -> Self {
        DoctorOptions {
            request_timeout: Duration::from_secs(10),
            keychain_timeout: Duration::from_secs(15),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Checks the named environment (or the current one) with the OS keychain.
pub async fn doctor(paths: &Paths, profile: Option<&str>, options: &DoctorOptions) -> DoctorReport {
    let vault = Vault::with_timeout(options.keychain_timeout);
    doctor_with(paths, profile, &vault, options).await
}

/// [`doctor`] with another keychain (the tests' failing ones).
pub async fn doctor_with(
    paths: &Paths,
    profile: Option<&str>,
    vault: &Vault,
    options: &DoctorOptions,
) -> DoctorReport {
    let mut checks = Vec::new();
    let found = find_profile(paths, profile);
    let profile = match &found {
        Ok(p) => {
            checks.push(Check::ok(
                CheckId::Profile,
                format!(
                    "environment '{}' at {}{}",
                    p.name,
                    p.base_url,
                    if p.production { " (production)" } else { "" }
                ),
            ));
            Some(p)
        }
        Err(c) => {
            checks.push(c.clone());
            None
        }
    };
    let keychain = keychain::check(vault, profile.map(|p| p.name.as_str())).await;
    let keychain_ok = keychain.status != CheckStatus::Fail;
    checks.push(keychain);

    let Some(profile) = profile else {
        let why = "no environment to check (see Environment)";
        for id in [
            CheckId::Server,
            CheckId::Tls,
            CheckId::Clock,
            CheckId::BaseUrl,
            CheckId::Jwks,
            CheckId::Session,
            CheckId::Cache,
        ] {
            checks.push(Check::skipped(id, why));
        }
        checks.push(endpoints::versions(None, &options.app_version).await);
        return report(None, checks, options);
    };

    let api = ApiClient::with_config(
        &profile.base_url,
        ApiConfig {
            connect_timeout: options.request_timeout.min(Duration::from_secs(5)),
            request_timeout: options.request_timeout,
            get_retries: 0,
            ..ApiConfig::default()
        },
    );
    let api = match api {
        Ok(api) => api,
        Err(e) => {
            checks.push(Check::fail(
                CheckId::Server,
                e.to_string(),
                format!("fix the environment's URL: `amorphic-su profile edit {} --url URL`, or edit it in the window's Environments", profile.name),
            ));
            return report(Some(profile), checks, options);
        }
    };

    let probe = server::probe(&api).await;
    checks.extend(probe.checks(&profile.name));
    let contract_ok = probe.answers_contract();
    if contract_ok {
        checks.push(endpoints::jwks(&api).await);
    } else {
        checks.push(Check::skipped(CheckId::Jwks, NO_API));
    }
    checks.push(session::check(&api, vault, profile, keychain_ok, contract_ok).await);
    checks.push(cache::check(&paths.cache_file(&profile.name)).await);
    checks.push(endpoints::versions(contract_ok.then_some(&api), &options.app_version).await);
    report(Some(profile), checks, options)
}

/// Why the checks that talk to the API were not run.
pub(crate) const NO_API: &str = "the API does not answer at this URL (see Server and Base URL)";

fn find_profile(paths: &Paths, name: Option<&str>) -> Result<Profile, Check> {
    let fail = |e: crate::ClientError, fix: &str| Check::fail(CheckId::Profile, e.to_string(), fix);
    let config = Config::load(paths).map_err(|e| {
        fail(
            e,
            "repair or delete the configuration file, then add the environment again",
        )
    })?;
    config.resolve(name).cloned().map_err(|e| {
        fail(
            e,
            "add an environment (`amorphic-su profile add NAME --url URL`, or Environments in the window), or name one with --profile",
        )
    })
}

fn report(profile: Option<&Profile>, checks: Vec<Check>, options: &DoctorOptions) -> DoctorReport {
    DoctorReport {
        profile: profile.map(|p| p.name.clone()),
        base_url: profile.map(|p| p.base_url.clone()),
        checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        app_version: options.app_version.clone(),
        checks,
    }
}
