//! A test aid: every answer's `Date` header moved by a fixed number of seconds
//! (`--date-offset-seconds`, [`crate::ServerOptions::date_offset_seconds`]), so that a client's
//! clock-skew check can be tested against a real server without touching any clock. Zero, the
//! default, leaves the header to hyper; nothing else about the server changes (tokens are
//! still signed with the true time).

use axum::extract::{Request, State};
use axum::http::header::DATE;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Sets `Date` to now plus the configured offset (hyper writes its own only when none is set).
pub(crate) async fn skew_date(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    if let Some(v) = http_date(state.config().date_offset_seconds) {
        resp.headers_mut().insert(DATE, v);
    }
    resp
}

/// An IMF-fixdate (RFC 9110) `offset` seconds from now.
fn http_date(offset: i64) -> Option<HeaderValue> {
    let at = chrono::Utc::now().checked_add_signed(chrono::Duration::try_seconds(offset)?)?;
    HeaderValue::from_str(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_an_imf_fixdate_moved_by_the_offset() {
        let v = http_date(3_600).unwrap();
        let parsed = chrono::DateTime::parse_from_rfc2822(v.to_str().unwrap()).unwrap();
        let skew = parsed.timestamp() - chrono::Utc::now().timestamp();
        assert!((3_598..=3_601).contains(&skew), "{skew}");
        assert!(http_date(i64::MAX).is_none(), "an absurd offset is ignored");
    }
}
