//! The server: one unauthenticated `GET /whoami` tells whether it can be reached, whether its
//! TLS holds, how far this computer's clock is from its `Date` header, and whether the base
//! URL answers the contract (a refusal without credentials) or is a wrong path (404).

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, DATE};

use super::{Check, CheckId};
use crate::api::{classify_error, ApiClient};
use crate::error::ClientError;
use crate::token::TOKEN_LEEWAY_SECONDS;

/// A skew above this is a warning: displayed times drift, nothing breaks yet.
pub const CLOCK_WARN_SECONDS: i64 = 10;
/// A skew above this fails: it is the leeway a service-user token is checked with.
pub const CLOCK_FAIL_SECONDS: i64 = TOKEN_LEEWAY_SECONDS as i64;

/// What the probe got back.
pub(super) struct Probe {
    base: String,
    /// `host[:port]` as the URL names it.
    host: String,
    loopback: bool,
    https: bool,
    outcome: Result<Answer, Unreached>,
    /// When the base URL looks wrong: the status `/whoami` answers at the URL's origin.
    origin_status: Option<(String, u16)>,
}

struct Answer {
    status: u16,
    elapsed: Duration,
    body: bytes::Bytes,
    html: bool,
    /// The server's clock minus ours, in seconds, when it sent a readable `Date`.
    skew: Option<i64>,
}

enum Unreached {
    /// The TLS handshake failed: the finding and its fix.
    Tls(String, String),
    /// No connection or no answer: the finding and its fix.
    Down(String, String),
}

pub(super) async fn probe(api: &ApiClient) -> Probe {
    let base = api.base_url().to_owned();
    let url = reqwest::Url::parse(&base).ok();
    // host:port as the URL names it, which is what a person compares with their settings.
    let host = url
        .as_ref()
        .and_then(|u| {
            let h = u.host_str()?;
            Some(match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_default();
    let https = url.as_ref().is_some_and(|u| u.scheme() == "https");
    let loopback = url
        .as_ref()
        .and_then(|u| u.host_str())
        .is_some_and(is_loopback);
    let outcome = get_whoami(api, &base, &host).await;
    let origin_status = match (&outcome, &url) {
        (Ok(a), Some(u)) if wrong_path(a) && u.path() != "/" => {
            let origin = u.origin().ascii_serialization();
            get_whoami(api, &origin, &host)
                .await
                .ok()
                .filter(|a| matches!(a.status, 401 | 403) && !wrong_path(a))
                .map(|a| (origin, a.status))
        }
        _ => None,
    };
    Probe {
        base,
        host,
        loopback,
        https,
        outcome,
        origin_status,
    }
}

async fn get_whoami(api: &ApiClient, base: &str, host: &str) -> Result<Answer, Unreached> {
    let started = Instant::now();
    let sent_at = chrono::Utc::now();
    let resp = api
        .http()
        .get(format!("{base}/whoami"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| unreached(&e, host, api.config().request_timeout))?;
    let elapsed = started.elapsed();
    let status = resp.status().as_u16();
    let html = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("html"));
    let skew = resp
        .headers()
        .get(DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        .map(|server| {
            // The server stamped its answer about halfway through the round trip.
            let ours = sent_at + chrono::Duration::from_std(elapsed / 2).unwrap_or_default();
            server.timestamp() - ours.timestamp()
        });
    let body = resp.bytes().await.unwrap_or_default();
    Ok(Answer {
        status,
        elapsed,
        body,
        html,
        skew,
    })
}

/// The innermost cause of a failed request says most ("Connection refused", a rustls error).
fn innermost(e: &reqwest::Error) -> String {
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut last = e.to_string();
    while let Some(s) = src {
        last = s.to_string();
        src = s.source();
    }
    last.replace('\n', " ")
}

fn unreached(e: &reqwest::Error, host: &str, timeout: Duration) -> Unreached {
    let cause = innermost(e);
    let lower = cause.to_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        let (what, fix) = tls_finding(&lower, host);
        return Unreached::Tls(format!("{what} ({cause})"), fix);
    }
    let check_url = "check the environment's URL (`amorphic-su profile edit {profile} --url URL`, or Environments in the window)";
    if e.is_timeout() {
        return Unreached::Down(
            format!("{host} did not answer within {} s", timeout.as_secs()),
            format!("check your network, VPN or proxy; or {check_url}"),
        );
    }
    if lower.contains("dns") || lower.contains("lookup") || lower.contains("name or service") {
        return Unreached::Down(
            format!("the name {host} does not resolve ({cause})"),
            format!("check the host name, your network or VPN; or {check_url}"),
        );
    }
    if lower.contains("refused") {
        return Unreached::Down(
            format!("nothing accepts connections at {host} ({cause}): the server is down or the port is wrong"),
            format!("start the server, or {check_url}"),
        );
    }
    Unreached::Down(
        format!("cannot reach {host}: {cause}"),
        format!("check your network, VPN or proxy; or {check_url}"),
    )
}

/// Which certificate problem a rustls error names, and what to do about it.
pub(crate) fn tls_finding(lower: &str, host: &str) -> (String, String) {
    if lower.contains("expired") {
        (
            format!("the certificate of {host} has expired"),
            "the server's administrators must renew its certificate; check also that this computer's date is right".into(),
        )
    } else if lower.contains("notvalidforname") || lower.contains("not valid for name") {
        (
            format!("the certificate is not valid for the name {host}"),
            "use the host name the certificate is issued for (the API gateway URL, not an alias)"
                .into(),
        )
    } else if lower.contains("unknownissuer")
        || lower.contains("unknown issuer")
        || lower.contains("self")
    {
        (
            format!("the certificate of {host} is not issued by an authority this computer trusts"),
            "install your organisation's root certificate in the system's trust store, or use the platform's public URL".into(),
        )
    } else {
        (
            format!("the TLS handshake with {host} failed"),
            "check that the URL is https:// to a TLS endpoint and that no proxy intercepts it"
                .into(),
        )
    }
}

/// A 404 at `/whoami` (or API Gateway's 403 "Missing Authentication Token", its answer for
/// an unknown path) means no API lives under this base.
fn wrong_path(a: &Answer) -> bool {
    a.status == 404
        || (a.status == 403
            && String::from_utf8_lossy(&a.body).contains("Missing Authentication Token"))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Probe {
    /// The base URL answers the contract (an API error refusing a request without
    /// credentials): the checks that talk to the API can run.
    pub(super) fn answers_contract(&self) -> bool {
        matches!(&self.outcome, Ok(a) if contract_answer(a).is_some())
    }

    pub(super) fn checks(&self, profile: &str) -> Vec<Check> {
        let a = match &self.outcome {
            Ok(a) => a,
            Err(Unreached::Down(what, fix)) => {
                let why = "the server cannot be reached (see Server)";
                return vec![
                    Check::fail(CheckId::Server, what, fix.replace("{profile}", profile)),
                    Check::skipped(CheckId::Tls, why),
                    Check::skipped(CheckId::Clock, why),
                    Check::skipped(CheckId::BaseUrl, why),
                ];
            }
            Err(Unreached::Tls(what, fix)) => {
                let why = "no answer over TLS (see TLS)";
                return vec![
                    Check::ok(
                        CheckId::Server,
                        format!(
                            "{} accepts connections, but the TLS handshake failed",
                            self.host
                        ),
                    ),
                    Check::fail(CheckId::Tls, what, fix),
                    Check::skipped(CheckId::Clock, why),
                    Check::skipped(CheckId::BaseUrl, why),
                ];
            }
        };
        vec![
            Check::ok(
                CheckId::Server,
                format!(
                    "{} answered HTTP {} in {} ms",
                    self.host,
                    a.status,
                    a.elapsed.as_millis()
                ),
            ),
            self.tls(),
            clock(a.skew),
            self.base_url(a, profile),
        ]
    }

    fn tls(&self) -> Check {
        if self.https {
            Check::ok(
                CheckId::Tls,
                format!(
                    "HTTPS: the certificate is trusted, in date and valid for {}",
                    self.host
                ),
            )
        } else if self.loopback {
            Check::ok(
                CheckId::Tls,
                "plain HTTP to a loopback address: nothing leaves this computer",
            )
        } else {
            Check::warn(
                CheckId::Tls,
                format!(
                    "plain HTTP to {}: tokens and passwords cross the network unencrypted",
                    self.host
                ),
                "use the environment's https:// URL",
            )
        }
    }

    fn base_url(&self, a: &Answer, profile: &str) -> Check {
        let edit = |url: &str| {
            format!("`amorphic-su profile edit {profile} --url {url}` (or edit the environment in the window)")
        };
        if let Some(answer) = contract_answer(a) {
            return Check::ok(
                CheckId::BaseUrl,
                format!(
                    "{} answers the contract (/whoami without credentials: {answer})",
                    self.base
                ),
            );
        }
        if wrong_path(a) {
            let found = format!(
                "{}/whoami answered HTTP {}: no API under this URL, its path (the API gateway stage) is wrong",
                self.base, a.status
            );
            let fix = match &self.origin_status {
                Some((origin, _)) => format!("the API answers at {origin}: {}", edit(origin)),
                None => format!(
                    "use the API gateway URL with its stage (e.g. https://abc123.execute-api.us-east-1.amazonaws.com/stage): {}",
                    edit("URL")
                ),
            };
            return Check::fail(CheckId::BaseUrl, found, fix);
        }
        if a.html {
            return Check::fail(
                CheckId::BaseUrl,
                format!(
                    "{} answers with a web page, not the API (HTTP {})",
                    self.base, a.status
                ),
                format!(
                    "use the API gateway URL, not the web console's: {}",
                    edit("URL")
                ),
            );
        }
        if a.status >= 500 {
            return Check::fail(
                CheckId::BaseUrl,
                format!(
                    "{}/whoami failed with HTTP {}: the server is failing",
                    self.base, a.status
                ),
                "try again later, or tell the server's administrators",
            );
        }
        Check::fail(
            CheckId::BaseUrl,
            format!(
                "{}/whoami answered HTTP {} without the API's error body: not the service-user API",
                self.base, a.status
            ),
            format!("check the URL: {}", edit("URL")),
        )
    }
}

/// How `/whoami` answered when it answered as the contract says: refused without credentials
/// with the API's error body (401 and its code), or answered (a gateway adding a credential).
fn contract_answer(a: &Answer) -> Option<String> {
    if a.status == 200 {
        return Some("200".into());
    }
    if !matches!(a.status, 401 | 403) || wrong_path(a) || a.body.is_empty() {
        return None;
    }
    match classify_error(a.status, &a.body) {
        ClientError::Api { code, .. } => Some(format!("{} {}", a.status, code.as_str())),
        _ => None,
    }
}

/// The skew as a finding: `skew` is the server's clock minus ours.
pub(crate) fn clock(skew: Option<i64>) -> Check {
    let Some(skew) = skew else {
        return Check::skipped(CheckId::Clock, "the server sent no readable Date header");
    };
    let off = skew.abs();
    let side = if skew > 0 { "behind" } else { "ahead of" };
    let fix = "set the clock automatically (NTP): `timedatectl set-ntp true` on Linux, Date & Time settings on Windows and macOS";
    if off > CLOCK_FAIL_SECONDS {
        Check::fail(
            CheckId::Clock,
            format!("this computer's clock is {off} s {side} the server's (its Date header): more than the {CLOCK_FAIL_SECONDS} s tokens allow, so token times and expiry checks go wrong"),
            fix,
        )
    } else if off > CLOCK_WARN_SECONDS {
        Check::warn(
            CheckId::Clock,
            format!("this computer's clock is {off} s {side} the server's (its Date header); tokens allow {CLOCK_FAIL_SECONDS} s"),
            fix,
        )
    } else {
        Check::ok(
            CheckId::Clock,
            format!("within {off} s of the server's clock (its Date header)"),
        )
    }
}
