//! The tray menu (assumed identities: switch, forget), the window title naming the active
//! identity, and a desktop notification ten minutes before an assumed token expires.
//! ui/tests/window/tray.test.mjs reads and clicks the menu over D-Bus and receives the notification.
use std::time::Duration;

use amorphic_su_client::model::UserId;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tauri_specta::Event;

use crate::events::IdentitiesChanged;
use crate::identity;
use crate::state::AppState;
use crate::views::IdentityView;

const TRAY_ID: &str = "identities";
const APP_TITLE: &str = "Amorphic Service Users";
/// Announce a token's end this long before it.
const WARN_BEFORE_SECONDS: i64 = 10 * 60;
const WATCH_EVERY: Duration = Duration::from_secs(30);

/// Creates the tray icon. A desktop without a tray (no StatusNotifier host) is not an error:
/// the window's identity bar does everything the tray does.
pub fn install(app: &AppHandle) {
    let _ = app
        .state::<AppState>()
        .shell_refresh
        .set(|app| Box::pin(async move { refresh_now(&app).await }));
    let built = menu(app, &[]).and_then(|menu| {
        let mut tray = TrayIconBuilder::with_id(TRAY_ID)
            .tooltip(APP_TITLE)
            .menu(&menu)
            .on_menu_event(|app, event| on_menu(app, event.id().as_ref()));
        if let Some(icon) = app.default_window_icon() {
            tray = tray.icon(icon.clone());
        }
        tray.build(app)
    });
    if let Err(e) = built {
        eprintln!("amorphic-su-desktop: no tray icon ({e})");
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            refresh_now(&app).await;
        }
    });
}

fn until(expires_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(expires_at)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_else(|_| expires_at.to_owned())
}

fn menu(app: &AppHandle, identities: &[IdentityView]) -> tauri::Result<Menu<Wry>> {
    let mut m =
        MenuBuilder::new(app).item(&MenuItemBuilder::with_id("show", "Show window").build(app)?);
    if identities.is_empty() {
        m = m.separator().item(
            &MenuItemBuilder::with_id("none", "No assumed service users")
                .enabled(false)
                .build(app)?,
        );
    } else {
        m = m.separator();
        for i in identities {
            let state = if i.expired {
                "expired".to_owned()
            } else {
                format!("until {}", until(&i.expires_at))
            };
            let marker = if i.active { "● " } else { "" };
            let label = format!("{marker}{} as {} ({state})", i.service_user_id, i.role_id);
            let id = &i.service_user_id;
            let sub = SubmenuBuilder::new(app, label)
                .item(
                    &MenuItemBuilder::with_id(format!("act:{id}"), "Act as this service user")
                        .enabled(!i.expired)
                        .build(app)?,
                )
                .item(
                    &MenuItemBuilder::with_id(format!("forget:{id}"), "Forget (wipe its token)")
                        .build(app)?,
                )
                .build()?;
            m = m.item(&sub);
        }
        m = m.item(&MenuItemBuilder::with_id("self", "Act as yourself").build(app)?);
    }
    m.separator()
        .item(&MenuItemBuilder::with_id("quit", "Quit").build(app)?)
        .build()
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        "show" => show_window(app),
        "quit" => app.exit(0),
        _ => {
            let app = app.clone();
            let id = id.to_owned();
            tauri::async_runtime::spawn(async move {
                // Each change refreshes the tray and title itself (the identity module calls
                // the hook); a failure (signed out, no keychain) changed nothing, but the menu
                // is rebuilt from what is there.
                let outcome = if id == "self" {
                    identity::activate(&app, None).await
                } else if let Some(su) = id.strip_prefix("act:") {
                    match UserId::parse(su) {
                        Ok(su) => identity::activate(&app, Some(su)).await,
                        Err(e) => Err(e.into()),
                    }
                } else if let Some(su) = id.strip_prefix("forget:") {
                    match UserId::parse(su) {
                        Ok(su) => identity::forget(&app, su).await,
                        Err(e) => Err(e.into()),
                    }
                } else {
                    Ok(())
                };
                if outcome.is_err() {
                    refresh_now(&app).await;
                }
                let _ = IdentitiesChanged.emit(&app);
            });
        }
    }
}

fn show_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// The tray never fails: without a client (signed out, no keychain) it shows no identities.
async fn current(state: &AppState) -> Vec<IdentityView> {
    identity::views(state).await.unwrap_or_default()
}

/// Rebuilds the tray menu and the window title from the current environment's identities, and
/// announces the tokens that end within ten minutes. The watcher calls it every 30 seconds, and
/// so does every command that changes the identities: a token assumed or renewed for a few
/// minutes is announced at once rather than at the next tick.
pub async fn refresh_now(app: &AppHandle) {
    let state = app.state::<AppState>();
    let views = current(&state).await;
    announce(app, &state, &views).await;
    refresh(app, &views);
}

/// Rebuilds the tray menu and the window title from the identities.
pub fn refresh(app: &AppHandle, identities: &[IdentityView]) {
    if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY_ID), menu(app, identities)) {
        let _ = tray.set_menu(Some(menu));
    }
    if let Some(w) = app.get_webview_window("main") {
        let title = match identities.iter().find(|i| i.active) {
            Some(i) => format!("{} as {} — {APP_TITLE}", i.service_user_id, i.role_id),
            None => APP_TITLE.to_owned(),
        };
        let _ = w.set_title(&title);
    }
}

/// Announces the tokens that end within ten minutes, once each (a renewed token is a new one).
async fn announce(app: &AppHandle, state: &AppState, views: &[IdentityView]) {
    use tauri_plugin_notification::NotificationExt;
    for i in views
        .iter()
        .filter(|i| !i.expired && i64::from(i.seconds_left) <= WARN_BEFORE_SECONDS)
    {
        let key = format!("{}@{}", i.service_user_id, i.issued_at);
        if !state.expiry_announced.lock().await.insert(key) {
            continue;
        }
        let minutes = (i64::from(i.seconds_left) + 59) / 60;
        let _ = app
            .notification()
            .builder()
            .title(format!("{} expires in {minutes} min", i.service_user_id))
            .body(format!(
                "The token acting as {} with role {} ends at {}. Re-assume it from the identity bar or the tray.",
                i.service_user_id,
                i.role_id,
                until(&i.expires_at)
            ))
            .show();
    }
}
