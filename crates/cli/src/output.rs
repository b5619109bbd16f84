//! What the commands print: JSON for `--json`, else tables and one-line messages; and how a
//! failed command is reported on stderr.

use std::io::Write;

use amorphic_su_client::model::{Shares, User};
use amorphic_su_client::{ClientError, Fetched};
use comfy_table::{presets, Table};
use serde::Serialize;

/// Where a command's result goes: JSON (`--json`) or human-readable text.
pub struct Out {
    pub json: bool,
}

impl Out {
    pub fn json<T: Serialize>(&self, v: &T) {
        println!(
            "{}",
            serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into())
        );
    }

    /// Warns on stderr (text output only) that a read came from the cache while offline.
    pub fn stale_note<T>(&self, f: &Fetched<T>) {
        if f.stale && !self.json {
            let at = f
                .as_of
                .map(|t| t.to_string())
                .unwrap_or_else(|| "an unknown time".into());
            eprintln!("offline: showing cached data as of {at} (stale)");
        }
    }

    /// A note about the result on stderr (text output only), e.g. that it was not checked.
    pub fn note(&self, line: &str) {
        if !self.json {
            eprintln!("{line}");
        }
    }

    /// A result: as JSON, or as the text `text` prints.
    pub fn show<T: Serialize>(&self, v: &T, text: impl FnOnce(&T)) {
        if self.json {
            self.json(v);
        } else {
            text(v);
        }
    }

    /// A read with its stale note: the whole `Fetched` as JSON, or its data as text.
    pub fn fetched<T: Serialize>(&self, f: &Fetched<T>, text: impl FnOnce(&T)) {
        self.show(f, |f| {
            self.stale_note(f);
            text(&f.data);
        });
    }

    /// A user a command changed: JSON, or what was done and the user's card.
    pub fn changed_user(&self, u: &User, what: &str) {
        self.show(u, |u| {
            println!("{what} {}", u.user_id);
            print_user(u);
        });
    }

    /// The one stderr line of a failed command: JSON `{"error":{"code","message"}}` or text.
    pub fn error(&self, e: &ClientError) {
        let line = if self.json {
            serde_json::json!({ "error": e }).to_string()
        } else {
            // The client's words fit the window and the CLI; the command to run is the CLI's own.
            let hint = match e {
                ClientError::SessionExpired { profile } => {
                    format!(" (`amorphic-su --profile {profile} login`)")
                }
                _ => String::new(),
            };
            format!(
                "error: {}{hint} [{}]",
                e.to_string().replace('\n', " "),
                e.code()
            )
        };
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// A table in the CLI's one style, with its header row.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_header(header.to_vec());
    t
}

/// Time left on an assumed token, e.g. `12m05s`.
pub fn time_left(secs: i64) -> String {
    if secs <= 0 {
        "expired".into()
    } else {
        format!("{}m{:02}s", secs / 60, secs % 60)
    }
}

/// Ids joined for one table cell.
pub fn joined<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter().collect::<Vec<_>>().join(", ")
}

/// One user's card: a FIELD/VALUE table.
pub fn print_user(u: &User) {
    let mut t = table(&["FIELD", "VALUE"]);
    t.add_row(vec!["UserId".to_string(), u.user_id.to_string()]);
    t.add_row(vec![
        "Service user".to_string(),
        u.is_service_user.to_string(),
    ]);
    t.add_row(vec!["Display name".to_string(), u.display_name.clone()]);
    t.add_row(vec![
        "Description".to_string(),
        u.description.clone().unwrap_or_default(),
    ]);
    t.add_row(vec![
        "Status".to_string(),
        u.user_status.as_str().to_owned(),
    ]);
    t.add_row(vec![
        "Default role".to_string(),
        u.default_role_id.to_string(),
    ]);
    t.add_row(vec![
        "Roles".to_string(),
        joined(u.roles.iter().map(|r| r.as_str())),
    ]);
    if !u.tags.is_empty() {
        t.add_row(vec![
            "Tags".to_string(),
            joined(u.tags.iter().map(|r| r.as_str())),
        ]);
    }
    if let Some(s) = &u.shares {
        t.add_row(vec!["Shared with".to_string(), shares_text(s)]);
    }
    if let Some(a) = &u.caller_access {
        t.add_row(vec![
            "Your access".to_string(),
            if a.is_some() {
                "owner".into()
            } else {
                "none".into()
            },
        ]);
    }
    t.add_row(vec![
        "Created by".to_string(),
        u.created_by
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default(),
    ]);
    t.add_row(vec![
        "Modified".to_string(),
        u.last_modified_time.to_string(),
    ]);
    t.add_row(vec!["Version".to_string(), u.version.to_string()]);
    println!("{t}");
}

/// Who a service user is shared with, e.g. `user bob, tag team-data`.
pub fn shares_text(s: &Shares) -> String {
    let mut parts: Vec<String> = s
        .users
        .iter()
        .map(|u| format!("user {}", u.user_id))
        .collect();
    parts.extend(s.tags.iter().map(|t| format!("tag {}", t.tag_id)));
    parts.join(", ")
}
