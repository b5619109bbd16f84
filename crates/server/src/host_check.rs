//! The `Host` check: on a loopback listen address, only requests addressed to a loopback
//! name are answered, so a web page that rebinds its DNS name to 127.0.0.1 cannot reach the
//! server.

use std::net::{IpAddr, SocketAddr};

/// Which `Host` headers the server answers (against DNS rebinding from web pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    /// Any `Host`: the server listens on a non-loopback address.
    Off,
    /// Loopback names and addresses only, plus these extra names (lowercase, no port).
    Loopback { extra: Vec<String> },
}

impl HostCheck {
    /// On a loopback listen address only loopback `Host`s are answered, plus `extra`.
    pub fn for_listen_addr(addr: SocketAddr, extra: &[String]) -> HostCheck {
        if addr.ip().is_loopback() {
            HostCheck::Loopback {
                extra: extra
                    .iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect(),
            }
        } else {
            HostCheck::Off
        }
    }

    /// Whether a request with this `Host` header value is answered.
    pub fn allows(&self, host_header: Option<&str>) -> bool {
        let HostCheck::Loopback { extra } = self else {
            return true;
        };
        let Some(host) = host_header.map(str::trim).filter(|h| !h.is_empty()) else {
            return false;
        };
        let name = strip_port(host).to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
            return true;
        }
        extra.contains(&name)
    }
}

/// `host`, `host:port`, `[v6]`, `[v6]:port` -> the host part.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    match host.rsplit_once(':') {
        // A bare IPv6 address has several colons and no brackets: keep it whole.
        Some((h, port)) if !h.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_check() {
        let check =
            HostCheck::for_listen_addr("127.0.0.1:8787".parse().unwrap(), &["devbox".into()]);
        for ok in [
            "127.0.0.1:8787",
            "localhost",
            "LOCALHOST:1",
            "app.localhost:80",
            "[::1]:8787",
            "[::1]",
            "127.1.2.3",
            "devbox:8787",
        ] {
            assert!(check.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8787",
            "127.0.0.1.evil.example",
            "10.0.0.1:8787",
            "localhost.evil",
            "",
        ] {
            assert!(!check.allows(Some(bad)), "{bad}");
        }
        assert!(!check.allows(None));
        let open = HostCheck::for_listen_addr("0.0.0.0:8787".parse().unwrap(), &[]);
        assert!(open.allows(Some("anything")));
    }
}
