//! The TypeScript bindings of the window (`ui/src/gen/bindings.ts`): every command, event and
//! contract constant, generated from the Rust types; a test fails when the checked-in file
//! drifts, and `make bindings` rewrites it.
use amorphic_su_client::model::{
    policy, ClientCode, Description, DisplayName, ErrorCode, ExpiryMinutes, RoleId, UserId,
};
use amorphic_su_client::{JournalAction, RefusalReason, DEFAULT_ASSUME_MINUTES, EXPIRING_SECONDS};

use crate::{commands, events};

/// Every command the UI may call; the TypeScript bindings in `ui/src/gen/` are generated from it.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        // The UI only reads what Rust serialises: one TypeScript type per Rust type.
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::app::app_info,
            commands::session::session_stored,
            commands::session::session_status,
            commands::session::my_access,
            commands::environments::environments_list,
            commands::environments::environment_add,
            commands::environments::environment_edit,
            commands::environments::environment_use,
            commands::environments::environment_remove,
            commands::session::sign_in,
            commands::session::sign_out,
            commands::roles::role_list,
            commands::roles::role_use,
            commands::users::sync_now,
            commands::users::users_page,
            commands::users::users_count,
            commands::users::user_get,
            commands::users::roles_list,
            commands::users::tags_list,
            commands::service_users::service_user_create,
            commands::service_users::service_user_attach_roles,
            commands::service_users::service_user_detach_role,
            commands::service_users::service_user_enable,
            commands::service_users::service_user_disable,
            commands::service_users::service_user_shares,
            commands::service_users::service_user_share,
            commands::service_users::service_user_unshare,
            commands::service_users::service_user_owned_resources,
            commands::service_users::service_user_delete,
            commands::service_users::service_user_access_tokens,
            commands::service_users::service_user_access_token_revoke,
            commands::service_users::service_user_history,
            commands::access_tokens::fleet_access_tokens,
            commands::access_tokens::fleet_access_tokens_revoke,
            commands::journal::journal_list,
            commands::journal::journal_export,
            commands::journal::journal_verify,
            commands::downloads::save_download,
            commands::identities::identities_list,
            commands::identities::identities_check,
            commands::identities::assume,
            commands::identities::identity_reassume,
            commands::identities::identity_forget,
            commands::identities::identity_activate,
            commands::identities::datasources_as,
            commands::identities::datasource_create_as,
            commands::identities::access_tokens_as,
            commands::identities::access_token_create_as,
            commands::identities::access_token_delete_as,
            commands::identities::clipboard_copy_secret,
            commands::bulk::bulk_plan,
            commands::bulk::bulk_run,
            commands::bulk::bulk_cancel,
            crate::updates::commands::update_status,
            crate::updates::commands::update_check,
            crate::updates::commands::update_install,
            crate::updates::commands::update_set_automatic,
            commands::diagnostics::diagnostics_run,
        ])
        .events(tauri_specta::collect_events![
            events::IdentitiesChanged,
            events::SessionChanged,
            commands::bulk::BulkProgressEvent,
            crate::updates::views::UpdateAvailable,
            crate::updates::views::UpdateProgress
        ])
        .constant("CONTRACT", contract())
}

/// The contract's figures the window checks before sending (the server checks again), so the
/// UI never retypes them: id pattern and lengths, text limits, the expiry range, the default
/// role, the session and access-token lifetimes, when a token is expiring, every code, each
/// server code's default message, and per refusal reason its words, its sentence (a template
/// with `{serviceUser}`) and whether assuming again can succeed; the journal's action names.
fn contract() -> serde_json::Value {
    use strum::VariantArray;
    let refusal_reasons: serde_json::Map<String, serde_json::Value> = RefusalReason::VARIANTS
        .iter()
        .map(|r| {
            let about = serde_json::json!({
                "words": crate::labels::reason_words(*r),
                "sentence": r.sentence("{serviceUser}"),
                "canAssumeAgain": r.can_assume_again(),
            });
            (r.to_string(), about)
        })
        .collect();
    let journal_actions: Vec<&str> = JournalAction::VARIANTS.iter().map(|a| a.as_str()).collect();
    let default_messages: serde_json::Map<String, serde_json::Value> = ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.default_message().into()))
        .collect();
    serde_json::json!({
        "userIdPattern": UserId::PATTERN,
        "userIdMinLength": UserId::MIN_LEN,
        "userIdMaxLength": UserId::MAX_LEN,
        "displayNameMaxChars": DisplayName::MAX_CHARS,
        "descriptionMaxChars": Description::MAX_CHARS,
        "expiryMinutesMin": ExpiryMinutes::MIN,
        "expiryMinutesMax": ExpiryMinutes::MAX,
        "defaultAssumeMinutes": DEFAULT_ASSUME_MINUTES,
        "defaultRoleId": RoleId::DEFAULT_USERS,
        "sessionMinutes": policy::SESSION_MINUTES,
        "maxAccessTokenDays": policy::MAX_ACCESS_TOKEN_DAYS,
        "expiringSeconds": EXPIRING_SECONDS,
        "errorCodes": ErrorCode::ALL,
        "clientCodes": ClientCode::ALL,
        "defaultMessages": default_messages,
        "refusalReasons": refusal_reasons,
        "journalActions": journal_actions,
    })
}

/// Where the generated bindings live, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/gen/bindings.ts";

pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from the Rust commands by tauri-specta: do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The checked-in bindings must match the commands: regenerate with `make bindings`.
    #[test]
    fn typescript_bindings_are_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked_in = root.join(super::BINDINGS_PATH);
        if std::env::var_os("AMORPHIC_SU_WRITE_BINDINGS").is_some() {
            super::export_bindings(&checked_in).expect("write bindings");
        }
        let fresh = std::env::temp_dir().join(format!("bindings-{}.ts", std::process::id()));
        super::export_bindings(&fresh).expect("export bindings");
        let want = std::fs::read_to_string(&fresh).expect("read fresh bindings");
        let have = std::fs::read_to_string(&checked_in).unwrap_or_default();
        let _ = std::fs::remove_file(&fresh);
        assert!(
            want == have,
            "{} is out of date: run `make bindings`",
            super::BINDINGS_PATH
        );
    }
}
