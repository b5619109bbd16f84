//! Least privilege in the webview, checked: the generated bindings, the app manifest (built from
//! `APP_COMMANDS`) and the window's capability name the same commands, and the ACL the app is
//! built with (tauri-build's output, resolved by Tauri's own code) allows exactly those and
//! refuses every other command.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tauri::ipc::{Origin, RuntimeAuthority};
use tauri::utils::acl::{
    capability::Capability, manifest::Manifest, resolved::Resolved, APP_ACL_KEY,
};
use tauri::utils::platform::Target;

use crate::app_commands::APP_COMMANDS;

/// The plugin permissions the window uses: listening to the app's events and stopping.
const PLUGIN_PERMISSIONS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];
/// The runtime names of the plugin commands those permissions allow.
const PLUGIN_COMMANDS: &[&str] = &["plugin:event|listen", "plugin:event|unlisten"];
const CAPABILITY_PATH: &str = "src-tauri/capabilities/default.json";
const WINDOW: &str = "main";

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn allow_permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The command names the generated TypeScript invokes, from a fresh export of the bindings.
fn bound_commands() -> Vec<String> {
    let path = std::env::temp_dir().join(format!("acl-bindings-{}.ts", std::process::id()));
    crate::bindings::export_bindings(&path).expect("export bindings");
    let ts = std::fs::read_to_string(&path).expect("read bindings");
    let _ = std::fs::remove_file(&path);
    // Each call reads `__TAURI_INVOKE("name"` or `__TAURI_INVOKE<Type>("name"`.
    ts.split("__TAURI_INVOKE")
        .skip(1)
        .filter(|rest| rest.starts_with('(') || rest.starts_with('<'))
        .filter_map(|rest| {
            let start = rest.find("(\"")? + 2;
            let len = rest[start..].find('"')?;
            Some(rest[start..start + len].to_owned())
        })
        .collect()
}

/// The ACL manifests the app was compiled with (tauri-build's output).
fn built_acl() -> BTreeMap<String, Manifest> {
    read_json(&Path::new(env!("OUT_DIR")).join("acl-manifests.json"))
}

/// The app's ACL as Tauri checks each call: the built manifests and capabilities, resolved.
fn built_authority() -> RuntimeAuthority {
    let capabilities: BTreeMap<String, Capability> =
        read_json(&Path::new(env!("OUT_DIR")).join("capabilities.json"));
    let acl = built_acl();
    let resolved = Resolved::resolve(&acl, capabilities, Target::Linux).expect("resolve the ACL");
    assert!(
        resolved.has_app_acl,
        "the app manifest must make Tauri check app commands"
    );
    RuntimeAuthority::new(acl, resolved)
}

fn allowed(authority: &RuntimeAuthority, command: &str, window: &str, origin: &Origin) -> bool {
    authority
        .resolve_access(command, window, window, origin)
        .is_some()
}

#[test]
fn manifest_lists_exactly_the_bound_commands() {
    let listed: BTreeSet<&str> = APP_COMMANDS.iter().copied().collect();
    assert_eq!(
        listed.len(),
        APP_COMMANDS.len(),
        "APP_COMMANDS names a command twice"
    );
    let bound = bound_commands();
    let bound_set: BTreeSet<&str> = bound.iter().map(String::as_str).collect();
    assert_eq!(
        bound_set.len(),
        bound.len(),
        "the bindings invoke a command twice"
    );
    assert!(
        !bound.is_empty(),
        "no command found in the generated bindings"
    );
    assert_eq!(
        bound_set, listed,
        "src-tauri/src/app_commands.rs must list every command of the bindings (bindings.rs)"
    );
}

#[test]
fn capability_grants_the_app_commands_and_event_listening_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let capability: serde_json::Value = read_json(&root.join(CAPABILITY_PATH));
    assert_eq!(capability["windows"], serde_json::json!([WINDOW]));
    assert!(
        capability.get("remote").is_none(),
        "no remote page may call the app"
    );
    assert!(
        capability.get("webviews").is_none(),
        "the capability names its window only"
    );
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .map(|p| p.as_str().expect("plain permission identifiers").to_owned())
        .collect();
    let want: BTreeSet<String> = APP_COMMANDS
        .iter()
        .map(|c| allow_permission(c))
        .chain(PLUGIN_PERMISSIONS.iter().map(|p| (*p).to_owned()))
        .collect();
    assert_eq!(granted, want, "{CAPABILITY_PATH} must grant exactly these");
}

#[test]
fn built_manifest_declares_each_command() {
    let acl = built_acl();
    let app = acl
        .get(APP_ACL_KEY)
        .expect("the app manifest in the built ACL");
    for command in APP_COMMANDS {
        let id = allow_permission(command);
        let permission = app
            .permissions
            .get(&id)
            .unwrap_or_else(|| panic!("no {id}"));
        assert_eq!(
            permission.commands.allow,
            vec![(*command).to_owned()],
            "{id}"
        );
    }
}

#[test]
fn built_acl_allows_exactly_the_granted_commands() {
    let authority = built_authority();
    let local = Origin::Local;
    for command in APP_COMMANDS.iter().chain(PLUGIN_COMMANDS) {
        assert!(
            allowed(&authority, command, WINDOW, &local),
            "{command} is refused"
        );
    }
    // Commands the capability does not grant: the plugins' others and an undeclared app command.
    for command in [
        "plugin:event|emit",
        "plugin:event|emit_to",
        "plugin:clipboard-manager|read_text",
        "plugin:clipboard-manager|write_text",
        // The window updates through the app's own update commands, never the plugin's.
        "plugin:updater|check",
        "plugin:updater|download",
        "plugin:updater|install",
        "plugin:updater|download_and_install",
        "plugin:notification|notify",
        "plugin:window|close",
        "plugin:webview|create_webview_window",
        "plugin:app|version",
        "plugin:path|resolve_directory",
        "not_an_app_command",
    ] {
        assert!(
            !allowed(&authority, command, WINDOW, &local),
            "{command} is allowed"
        );
    }
    // The app's commands answer the main window's own pages only.
    let remote = Origin::Remote {
        url: "https://example.invalid/".parse().expect("a URL"),
    };
    assert!(
        !allowed(&authority, "app_info", WINDOW, &remote),
        "a remote page may call app_info"
    );
    assert!(
        !allowed(&authority, "app_info", "other", &local),
        "another window may call app_info"
    );
}
