//! The server's header parsers: `Authorization` (the credential to look up), the role header,
//! `X-Amorphic-Service-User` (its single-value rule), `Host` (the DNS-rebinding check) and
//! `Content-Type` (the JSON check). Input: one header value per line; a line's first byte picks
//! the header, so repeated headers are reached too.

use amorphic_su_model::{ErrorCode, ROLE_HEADER, SERVICE_USER_HEADER};
use amorphic_su_server::{credential_token, is_json, role_header, service_user_token, HostCheck};
use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use http::{HeaderMap, HeaderName, HeaderValue};

pub fn run(data: &[u8]) {
    let mut headers = HeaderMap::new();
    for line in data.split(|b| *b == b'\n') {
        let Some((which, value)) = line.split_first() else {
            continue;
        };
        let name = match which % 5 {
            0 => AUTHORIZATION,
            1 => HeaderName::from_static(ROLE_HEADER),
            2 => HeaderName::from_static("x-amorphic-service-user"),
            3 => HOST,
            _ => CONTENT_TYPE,
        };
        if let Ok(v) = HeaderValue::from_bytes(value) {
            headers.append(name, v);
        }
    }
    let single = |name: &str| {
        let all: Vec<&HeaderValue> = headers.get_all(name).iter().collect();
        match all.as_slice() {
            [one] => one.to_str().ok().map(str::trim),
            _ => None,
        }
    };

    match credential_token(&headers) {
        Ok(t) => {
            assert!(!t.is_empty() && t.len() <= 512);
            // What is looked up is part of the one header's value, the scheme word gone.
            let v = single(AUTHORIZATION.as_str()).expect("one readable Authorization");
            assert!(v.ends_with(t), "{t:?} is not the end of {v:?}");
            assert!(!t.starts_with(char::is_whitespace));
        }
        Err(e) => assert_eq!(e, ErrorCode::Unauthenticated),
    }
    match role_header(&headers) {
        Ok(Some(r)) => {
            assert!(!r.is_empty());
            assert_eq!(Some(r), single(ROLE_HEADER));
        }
        Ok(None) => assert!(headers.get_all(ROLE_HEADER).iter().count() <= 1),
        Err(e) => assert_eq!(e, ErrorCode::RoleNotAttached),
    }
    match service_user_token(&headers) {
        Ok(Some(t)) => assert_eq!(Some(t), single(SERVICE_USER_HEADER)),
        Ok(None) => assert!(headers.get(SERVICE_USER_HEADER).is_none()),
        Err(e) => assert_eq!(e, ErrorCode::TokenInvalid),
    }

    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let loopback = HostCheck::for_listen_addr("127.0.0.1:8787".parse().expect("addr"), &[]);
    assert!(HostCheck::Off.allows(host));
    if loopback.allows(host) {
        // Only a loopback name or address gets through (against DNS rebinding).
        let h = host.expect("a Host").trim().to_ascii_lowercase();
        let name = h.rsplit_once(':').map_or(h.as_str(), |(n, p)| {
            if p.chars().all(|c| c.is_ascii_digit()) && !n.contains(':') {
                n
            } else {
                &h
            }
        });
        let bare = name.trim_start_matches('[');
        let bare = bare.split(']').next().unwrap_or(bare);
        assert!(
            name == "localhost"
                || name.ends_with(".localhost")
                || bare
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback()),
            "allowed Host {host:?}"
        );
    }
    let ct = headers.get(CONTENT_TYPE).and_then(|h| h.to_str().ok());
    if is_json(ct) {
        let mime = ct
            .expect("a Content-Type")
            .split(';')
            .next()
            .unwrap_or("")
            .trim();
        let mime = mime.to_ascii_lowercase();
        assert!(
            mime.starts_with("application/") && mime.ends_with("json"),
            "{ct:?}"
        );
    }
}
