//! The tray menu (each assumed identity with its state: act as it, renew it, assume it again,
//! forget it) and the window title naming the identity the window acts as. The watcher rebuilds
//! both; ui/tests/window/tray.test.mjs reads and clicks the menu over D-Bus.
use amorphic_su_client::model::UserId;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::error::IpcResult;
use crate::identity;
use crate::labels::{menu_label, title, usable, APP_TITLE};
use crate::views::IdentityView;

const TRAY_ID: &str = "identities";

/// Creates the tray icon. A desktop without a tray (no StatusNotifier host) is not an error:
/// the window's identity bar does everything the tray does.
pub fn install(app: &AppHandle) {
    // The menu built here has no identities.
    app.manage(Shown(std::sync::Mutex::new(Some(Vec::new()))));
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
}

/// The actions an identity offers, as (menu id prefix, label): act as it while usable, renew it
/// while live or expiring, assume it again only when that can succeed, forget it always.
fn actions(i: &IdentityView) -> Vec<(&'static str, String)> {
    let su = &i.service_user_id;
    let mut out = Vec::new();
    if usable(i) {
        out.push(("act", "Act as this service user".to_owned()));
        out.push(("renew", format!("Renew {su}")));
    } else if i.can_assume_again {
        out.push(("again", format!("Assume {su} again")));
    }
    out.push(("forget", "Forget (wipe its token)".to_owned()));
    out
}

/// One identity's submenu: its label, and its items as (menu id, label).
#[derive(PartialEq, Eq)]
struct Entry {
    label: String,
    items: Vec<(String, String)>,
}

fn entries(identities: &[IdentityView]) -> Vec<Entry> {
    identities
        .iter()
        .map(|i| Entry {
            label: menu_label(i),
            items: actions(i)
                .into_iter()
                .map(|(action, label)| (format!("{action}:{}", i.service_user_id), label))
                .collect(),
        })
        .collect()
}

/// The entries the tray menu was last built from: a pass that finds the same ones leaves the
/// menu alone (a rebuild renumbers its items under a panel's pointer).
struct Shown(std::sync::Mutex<Option<Vec<Entry>>>);

fn menu(app: &AppHandle, identities: &[Entry]) -> tauri::Result<Menu<Wry>> {
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
        for entry in identities {
            let mut sub = SubmenuBuilder::new(app, &entry.label);
            for (id, label) in &entry.items {
                sub = sub.item(&MenuItemBuilder::with_id(id, label).build(app)?);
            }
            m = m.item(&sub.build()?);
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
                // Each change refreshes the tray and title and tells the window (the identity
                // module calls the hook); a failure (signed out, no keychain, the server
                // refusing) changed nothing, but the menu is rebuilt from what is there.
                if act(&app, &id).await.is_err() {
                    identity::changed(&app).await;
                }
            });
        }
    }
}

/// Runs the tray item `id` ("self", or "<action>:<service user>").
async fn act(app: &AppHandle, id: &str) -> IpcResult<()> {
    if id == "self" {
        return identity::activate(app, None).await;
    }
    let Some((action, su)) = id.split_once(':') else {
        return Ok(());
    };
    let su = UserId::parse(su)?;
    match action {
        "act" => identity::activate(app, Some(su)).await,
        "renew" | "again" => identity::reassume(app, su).await.map(|_| ()),
        "forget" => identity::forget(app, su).await,
        _ => Ok(()),
    }
}

fn show_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Rebuilds the tray menu (when its entries changed) and the window title from the identities.
pub fn show(app: &AppHandle, identities: &[IdentityView]) {
    let entries = entries(identities);
    let shown = app.state::<Shown>();
    let mut last = shown.0.lock().unwrap_or_else(|e| e.into_inner());
    if last.as_ref() != Some(&entries) {
        if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY_ID), menu(app, &entries)) {
            let _ = tray.set_menu(Some(menu));
        }
        *last = Some(entries);
    }
    drop(last);
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_title(&title(identities.iter().find(|i| i.active)));
    }
}
