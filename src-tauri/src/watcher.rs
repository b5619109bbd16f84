//! Keeps what the window, the tray and the title say about the assumed identities true while
//! the app runs. The server is asked about each identity (`/whoami` acting as it) when the
//! window regains focus and every `AMORPHIC_SU_IDENTITY_CHECK_SECONDS` (default 180); the stored
//! state is re-read every 30 seconds (time alone makes a token expiring, then expired). When any
//! identity's state changed the window hears `IdentitiesChanged` (it refetches); the tray, the
//! title and the notifications are refreshed on every pass. The same checks ask the server about
//! the sign-in session itself (`/whoami`): when it ended or the server stopped answering, the
//! window hears `SessionChanged`.
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, WindowEvent};
use tauri_specta::Event;
use tokio::sync::Mutex;

use crate::error::IpcResult;
use amorphic_su_client::model::{ClientCode, Code};

use crate::events::{IdentitiesChanged, SessionChanged};
use crate::identity;
use crate::state::AppState;
use crate::views::IdentityView;
use crate::{notices, tray};

/// Seconds between two checks with the server (a positive whole number).
pub const CHECK_SECONDS_ENV: &str = "AMORPHIC_SU_IDENTITY_CHECK_SECONDS";
const DEFAULT_CHECK_SECONDS: u64 = 180;
/// The stored state is re-read this often: cheap (no server), and the tray's "until" stays right.
const TICK: Duration = Duration::from_secs(30);
/// Focus comes and goes in bursts (a dialog, switching windows): one focus check per this long.
const FOCUS_GAP: Duration = Duration::from_secs(5);

/// What the window was last told about each identity: a pass that finds something else tells it
/// again.
#[derive(Default)]
struct Watcher {
    told: Mutex<Option<Vec<Seen>>>,
    /// Held while the server is asked, so that checks never overlap; when the last one began.
    checking: Mutex<Option<Instant>>,
    /// What the server last said of the sign-in session.
    session: Mutex<Option<SessionSeen>>,
}

/// The sign-in session as a check found it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SessionSeen {
    SignedIn,
    /// Expired, or ended on the server (global sign-out): only signing in again helps.
    Ended,
    /// The server did not answer.
    Offline,
    /// Not signed in, no keychain, or an answer of another kind.
    Other,
}

impl SessionSeen {
    fn of(answer: &Result<(), Code>) -> Self {
        match answer {
            Ok(()) => SessionSeen::SignedIn,
            Err(Code::Client(ClientCode::SessionExpired)) => SessionSeen::Ended,
            Err(Code::Client(ClientCode::Offline)) => SessionSeen::Offline,
            Err(_) => SessionSeen::Other,
        }
    }
}

/// What a change of makes the window refetch.
#[derive(PartialEq, Eq)]
struct Seen {
    service_user_id: String,
    issued_at: String,
    state: amorphic_su_client::IdentityState,
    refusal: Option<amorphic_su_client::RefusalReason>,
    active: bool,
}

impl From<&IdentityView> for Seen {
    fn from(i: &IdentityView) -> Self {
        Seen {
            service_user_id: i.service_user_id.clone(),
            issued_at: i.issued_at.clone(),
            state: i.state,
            refusal: i.refusal.as_ref().map(|r| r.reason),
            active: i.active,
        }
    }
}

/// The check period from the environment: the default when unset; a value that is not a
/// positive number of seconds is named and the default used.
fn check_every(raw: Option<&str>) -> Duration {
    let seconds = match raw.map(str::trim) {
        None | Some("") => DEFAULT_CHECK_SECONDS,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!(
                    "amorphic-su-desktop: {CHECK_SECONDS_ENV}={v} is not a positive number of seconds; checking every {DEFAULT_CHECK_SECONDS} s"
                );
                DEFAULT_CHECK_SECONDS
            }
        },
    };
    Duration::from_secs(seconds)
}

/// Registers the shell's refresh hook, the focus check and the two timers.
pub fn install(app: &AppHandle) {
    app.manage(Watcher::default());
    let _ = app
        .state::<AppState>()
        .shell_refresh
        .set(|app| Box::pin(async move { pass(&app, Source::Changed).await }));
    if let Some(window) = app.get_webview_window("main") {
        let app = app.clone();
        window.on_window_event(move |event| {
            if let WindowEvent::Focused(true) = event {
                let app = app.clone();
                tauri::async_runtime::spawn(async move { pass(&app, Source::Focus).await });
            }
        });
    }
    let every = check_every(std::env::var(CHECK_SECONDS_ENV).ok().as_deref());
    let ticking = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(TICK).await;
            pass(&ticking, Source::Tick).await;
        }
    });
    let checking = app.clone();
    tauri::async_runtime::spawn(async move {
        // The first check at once: identities assumed in an earlier run may have been refused
        // since.
        loop {
            pass(&checking, Source::Period).await;
            tokio::time::sleep(every).await;
        }
    });
}

/// Why a pass runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// This app changed the identities (the commands, the tray): the window is told anyway.
    Changed,
    /// The stored state, re-read.
    Tick,
    /// The window regained focus: ask the server, unless it was asked a moment ago.
    Focus,
    /// The check period passed: ask the server.
    Period,
}

/// One pass: the identities (asked of the server for a focus or a period), the window told when
/// they changed, the tray, title and notifications refreshed.
async fn pass(app: &AppHandle, source: Source) {
    let state = app.state::<AppState>();
    let views = match source {
        Source::Changed | Source::Tick => identity::views(&state).await,
        Source::Focus | Source::Period => {
            let watcher = app.state::<Watcher>();
            let Ok(mut last) = watcher.checking.try_lock() else {
                return; // a check is under way; it refreshes everything when done
            };
            if source == Source::Focus && last.is_some_and(|t| t.elapsed() < FOCUS_GAP) {
                return;
            }
            *last = Some(Instant::now());
            check_session(app, &state).await;
            match identity::checked_views(&state).await {
                // The session ended, or the keychain failed: the identities as stored.
                Err(_) => identity::views(&state).await,
                checked => checked,
            }
        }
    };
    // Signed out or no keychain: no identities to show.
    settle(app, &views.unwrap_or_default(), source == Source::Changed).await;
}

/// Asks the server about the session (`/whoami` as yourself) and tells the window when the
/// answer differs from the last one: with no identity assumed nothing else would notice that the
/// session ended.
async fn check_session(app: &AppHandle, state: &AppState) {
    let answer = match state.client().await {
        Ok(client) => client.whoami().await.map(|_| ()).map_err(|e| e.code()),
        Err(e) => Err(e.code),
    };
    let seen = SessionSeen::of(&answer);
    let watcher = app.state::<Watcher>();
    let mut last = watcher.session.lock().await;
    let changed = last.is_some_and(|l| l != seen);
    *last = Some(seen);
    if changed {
        let _ = SessionChanged.emit(app);
    }
}

/// Asks the server about every identity now (the window's own check), then tells and shows
/// what changed like any other pass.
pub async fn check(app: &AppHandle) -> IpcResult<Vec<IdentityView>> {
    let views = {
        let watcher = app.state::<Watcher>();
        let mut last = watcher.checking.lock().await;
        *last = Some(Instant::now());
        identity::checked_views(&app.state::<AppState>()).await?
    };
    settle(app, &views, false).await;
    Ok(views)
}

/// Tells the window when the identities differ from what it was last told (or `always`), and
/// refreshes the notifications, the tray and the title.
async fn settle(app: &AppHandle, views: &[IdentityView], always: bool) {
    let seen: Vec<Seen> = views.iter().map(Seen::from).collect();
    let differs = {
        let watcher = app.state::<Watcher>();
        let mut told = watcher.told.lock().await;
        let differs = told.as_ref() != Some(&seen);
        *told = Some(seen);
        differs
    };
    if differs || always {
        let _ = IdentitiesChanged.emit(app);
    }
    notices::announce(app, &app.state::<AppState>(), views).await;
    tray::show(app, views);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_period_defaults_to_three_minutes_and_takes_whole_seconds() {
        assert_eq!(check_every(None), Duration::from_secs(180));
        assert_eq!(check_every(Some("")), Duration::from_secs(180));
        assert_eq!(check_every(Some("5")), Duration::from_secs(5));
        assert_eq!(check_every(Some(" 20 ")), Duration::from_secs(20));
    }

    #[test]
    fn the_session_is_read_from_the_answer_of_whoami() {
        use amorphic_su_client::model::ErrorCode;
        assert_eq!(SessionSeen::of(&Ok(())), SessionSeen::SignedIn);
        let ended = Err(Code::Client(ClientCode::SessionExpired));
        assert_eq!(SessionSeen::of(&ended), SessionSeen::Ended);
        let offline = Err(Code::Client(ClientCode::Offline));
        assert_eq!(SessionSeen::of(&offline), SessionSeen::Offline);
        let other = Err(Code::Server(ErrorCode::Internal));
        assert_eq!(SessionSeen::of(&other), SessionSeen::Other);
    }

    #[test]
    fn a_period_that_is_not_a_positive_number_falls_back_to_the_default() {
        for bad in ["0", "-3", "1.5", "soon"] {
            assert_eq!(check_every(Some(bad)), Duration::from_secs(180), "{bad}");
        }
    }
}
