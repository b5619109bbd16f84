//! Whether the app may look for updates, and where: the user's setting, the managed desktop's
//! environment variables (which win) and the configured endpoint. Pure, so every combination is
//! a unit test.
use url::Url;

/// `off` turns updates off altogether (no check at start, daily or by hand); `on` keeps the
/// automatic checks on whatever the setting says. For managed desktops.
pub const ENV_UPDATES: &str = "AMORPHIC_SU_UPDATES";
/// Replaces the configured endpoint (a mirror, or the update test's loopback server).
pub const ENV_ENDPOINT: &str = "AMORPHIC_SU_UPDATE_ENDPOINT";

/// What the environment variable says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Managed {
    /// Unset or empty: the user's setting decides.
    No,
    On,
    Off,
    /// A value that is neither: updates stay off (fail closed) and the window says which value.
    Unreadable(String),
}

impl Managed {
    pub fn from_env_value(value: Option<&str>) -> Self {
        let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Managed::No;
        };
        match v.to_ascii_lowercase().as_str() {
            "on" | "1" | "true" | "yes" | "enabled" => Managed::On,
            "off" | "0" | "false" | "no" | "disabled" => Managed::Off,
            _ => Managed::Unreadable(v.to_owned()),
        }
    }
}

/// Where the update manifest (`latest.json`) is fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `plugins.updater.endpoints` of the app's configuration.
    Configured,
    /// The environment's override.
    Override(Url),
}

/// The decision, for the checks and for the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Checks by hand and installs are allowed.
    pub enabled: bool,
    /// Checks at start and daily.
    pub automatic: bool,
    /// The environment decided (the window shows the setting as locked).
    pub managed: bool,
    /// Why updates are off, for the window; `None` while enabled.
    pub disabled_reason: Option<String>,
    pub endpoint: Endpoint,
}

/// The environment's endpoint: an `https` URL anywhere (a mirror; the signature still has to
/// match the app's built-in public key, so a mirror cannot serve anything else), or plain `http`
/// on this machine only (the update test's server). Anything else is refused, naming it.
pub fn parse_endpoint(value: &str) -> Result<Url, String> {
    let refused = |why: &str| format!("{ENV_ENDPOINT} is {value:?}: {why}");
    let url = Url::parse(value.trim()).map_err(|e| refused(&format!("not a URL ({e})")))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(refused(
            "plain http is only accepted on this machine (127.0.0.1, ::1 or localhost); use https",
        )),
        other => Err(refused(&format!(
            "the scheme {other:?} is not http or https"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Decides from the environment's two variables and the user's "check automatically" setting.
pub fn decide(
    updates_var: Option<&str>,
    endpoint_var: Option<&str>,
    automatic_setting: bool,
) -> Policy {
    let off = |managed: bool, reason: String| Policy {
        enabled: false,
        automatic: false,
        managed,
        disabled_reason: Some(reason),
        endpoint: Endpoint::Configured,
    };
    let managed = Managed::from_env_value(updates_var);
    match &managed {
        Managed::Off => {
            return off(
                true,
                format!("Updates are turned off on this computer ({ENV_UPDATES}=off); your administrator installs new versions."),
            )
        }
        Managed::Unreadable(v) => {
            return off(
                true,
                format!("Updates are off: {ENV_UPDATES} is {v:?}, which is neither on nor off."),
            )
        }
        Managed::No | Managed::On => {}
    }
    let endpoint = match endpoint_var.map(str::trim).filter(|v| !v.is_empty()) {
        None => Endpoint::Configured,
        Some(v) => match parse_endpoint(v) {
            Ok(url) => Endpoint::Override(url),
            // Never fall back to the public endpoint when a managed one was meant.
            Err(why) => return off(true, format!("Updates are off: {why}.")),
        },
    };
    let forced_on = managed == Managed::On;
    Policy {
        enabled: true,
        automatic: forced_on || automatic_setting,
        managed: forced_on,
        disabled_reason: None,
        endpoint,
    }
}

/// The decision for this process, from its environment.
pub fn from_env(automatic_setting: bool) -> Policy {
    let var = |name| std::env::var(name).ok();
    decide(
        var(ENV_UPDATES).as_deref(),
        var(ENV_ENDPOINT).as_deref(),
        automatic_setting,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_decides_when_the_environment_says_nothing() {
        for unset in [None, Some(""), Some("  ")] {
            let on = decide(unset, None, true);
            assert!(on.enabled && on.automatic && !on.managed, "{unset:?}");
            assert_eq!(on.endpoint, Endpoint::Configured);
            let manual_only = decide(unset, None, false);
            assert!(manual_only.enabled && !manual_only.automatic && !manual_only.managed);
            assert_eq!(manual_only.disabled_reason, None);
        }
    }

    #[test]
    fn off_in_the_environment_wins_over_the_setting() {
        for value in ["off", "OFF", "0", "false", "no", "disabled", " off "] {
            let p = decide(
                Some(value),
                Some("https://mirror.example/latest.json"),
                true,
            );
            assert!(!p.enabled && !p.automatic && p.managed, "{value}");
            assert!(p
                .disabled_reason
                .unwrap()
                .contains("AMORPHIC_SU_UPDATES=off"));
        }
    }

    #[test]
    fn on_in_the_environment_keeps_the_automatic_checks_whatever_the_setting() {
        for value in ["on", "1", "true", "yes", "Enabled"] {
            let p = decide(Some(value), None, false);
            assert!(p.enabled && p.automatic && p.managed, "{value}");
        }
    }

    #[test]
    fn an_unreadable_value_turns_updates_off_naming_it() {
        let p = decide(Some("of"), None, true);
        assert!(!p.enabled && !p.automatic && p.managed);
        let reason = p.disabled_reason.unwrap();
        assert!(
            reason.contains("\"of\"") && reason.contains("AMORPHIC_SU_UPDATES"),
            "{reason}"
        );
    }

    #[test]
    fn the_endpoint_override_takes_https_anywhere_and_http_only_on_loopback() {
        for ok in [
            "https://mirror.example.org/amorphic/latest.json",
            "http://127.0.0.1:8123/latest.json",
            "http://127.9.0.1/latest.json?current={{current_version}}",
            "http://[::1]:9000/latest.json",
            "http://localhost:9000/latest.json",
        ] {
            let p = decide(None, Some(ok), true);
            assert!(p.enabled, "{ok}: {:?}", p.disabled_reason);
            assert!(matches!(p.endpoint, Endpoint::Override(_)), "{ok}");
        }
    }

    #[test]
    fn a_refused_endpoint_turns_updates_off_rather_than_falling_back() {
        for (bad, why) in [
            ("http://updates.example.org/latest.json", "plain http"),
            ("http://10.0.0.8/latest.json", "plain http"),
            ("ftp://127.0.0.1/latest.json", "\"ftp\""),
            ("latest.json", "not a URL"),
        ] {
            let p = decide(None, Some(bad), true);
            assert!(!p.enabled && !p.automatic, "{bad}");
            let reason = p.disabled_reason.unwrap();
            assert!(
                reason.contains("AMORPHIC_SU_UPDATE_ENDPOINT") && reason.contains(why),
                "{reason}"
            );
            assert!(reason.contains(bad), "the reason names the value: {reason}");
        }
    }

    #[test]
    fn off_wins_over_a_bad_endpoint_too() {
        let p = decide(Some("off"), Some("nonsense"), true);
        assert!(p
            .disabled_reason
            .unwrap()
            .contains("AMORPHIC_SU_UPDATES=off"));
    }
}
