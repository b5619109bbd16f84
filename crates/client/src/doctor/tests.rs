use super::server::{clock, tls_finding};
use super::*;

#[test]
fn the_clock_is_ok_then_warns_then_fails_past_the_token_leeway() {
    assert_eq!(clock(Some(3)).status, CheckStatus::Ok);
    assert_eq!(
        clock(Some(-(CLOCK_WARN_SECONDS + 1))).status,
        CheckStatus::Warn
    );
    let far = clock(Some(3_600));
    assert_eq!(far.status, CheckStatus::Fail);
    assert!(far.message.contains("3600 s behind"), "{}", far.message);
    assert!(clock(Some(-3_600)).message.contains("ahead of"));
    assert_eq!(clock(None).status, CheckStatus::Skipped);
    assert_eq!(
        CLOCK_FAIL_SECONDS,
        crate::token::TOKEN_LEEWAY_SECONDS as i64
    );
}

#[test]
fn tls_failures_are_told_apart() {
    let (what, _) = tls_finding("invalid peer certificate: expired", "h");
    assert!(what.contains("expired"));
    let (what, _) = tls_finding("invalid peer certificate: notvalidforname", "h");
    assert!(what.contains("not valid for the name h"));
    let (what, _) = tls_finding("invalid peer certificate: unknownissuer", "h");
    assert!(what.contains("not issued by an authority"));
    let (what, _) = tls_finding("received fatal alert: handshakefailure", "h");
    assert!(what.contains("handshake"));
}

#[test]
fn the_keychain_failures_are_told_apart() {
    let locked = keychain::unavailable("the keychain is locked or access was denied: x");
    assert_eq!(locked.status, CheckStatus::Fail);
    assert!(locked.message.contains("locked"), "{}", locked.message);
    let waiting = keychain::unavailable("the keychain did not answer within 15 s");
    assert!(waiting.message.contains("unlock prompt"));
    let absent =
        keychain::unavailable("no keychain service: org.freedesktop.secrets was not provided");
    assert!(absent.fix.is_some());
    #[cfg(all(unix, not(target_os = "macos")))]
    assert!(absent.message.contains("Secret Service") || absent.message.contains("D-Bus"));
}

#[test]
fn the_backend_is_the_platforms() {
    let b = keychain::backend();
    #[cfg(windows)]
    assert_eq!(b, "Windows Credential Manager");
    #[cfg(target_os = "macos")]
    assert_eq!(b, "macOS Keychain");
    #[cfg(all(unix, not(target_os = "macos")))]
    assert_eq!(b, "Secret Service");
}

#[test]
fn the_report_text_has_a_line_per_check_and_the_fixes() {
    let r = DoctorReport {
        profile: Some("demo".into()),
        base_url: Some("http://127.0.0.1:1".into()),
        checked_at: "2026-12-08T00:00:00Z".into(),
        app_version: "0.1.0".into(),
        checks: vec![
            Check::ok(CheckId::Keychain, "fine"),
            Check::fail(CheckId::Server, "down", "start it"),
        ],
    };
    let text = r.to_string();
    assert!(text.contains("[ok]    Keychain"), "{text}");
    assert!(text.contains("fix: start it"), "{text}");
    assert!(
        text.ends_with("1 ok, 0 warning(s), 1 failed, 0 skipped"),
        "{text}"
    );
    assert!(r.failed());
    assert_eq!(r.first_failure().unwrap().id, CheckId::Server);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["checks"][1]["status"], "fail");
    assert_eq!(json["checks"][1]["id"], "server");
    assert_eq!(cache::bytes(2_048), "2 KiB");
}
