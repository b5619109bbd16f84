//! Which entries a listing selects: whose, about which service user, which action, since when,
//! and a free-text search.

use amorphic_su_model::Timestamp;

use super::entry::JournalAction;
use crate::error::ClientError;

/// A selection of the journal; every field narrows it (none: everything).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalQuery {
    /// Entries of this signed-in user only.
    pub user: Option<String>,
    /// Entries about this service user (its id).
    pub service_user: Option<String>,
    pub action: Option<JournalAction>,
    /// Entries at or after this time.
    pub since: Option<Timestamp>,
    /// Text found (case-insensitively for ASCII) in the target, detail, message, code, role
    /// or user.
    pub search: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<u32>,
}

const SEARCHED: &[&str] = &[
    "target_id",
    "target_name",
    "detail",
    "message",
    "error_code",
    "role_id",
    "user_id",
    "action",
];

impl JournalQuery {
    /// The SQL `WHERE` clause and its values, in order.
    pub(crate) fn where_clause(&self) -> (String, Vec<String>) {
        let mut parts = Vec::new();
        let mut binds = Vec::new();
        if let Some(u) = &self.user {
            parts.push("user_id = ?".to_owned());
            binds.push(u.clone());
        }
        if let Some(su) = &self.service_user {
            parts.push("target_id = ?".to_owned());
            binds.push(su.clone());
        }
        if let Some(a) = self.action {
            parts.push("action = ?".to_owned());
            binds.push(a.as_str().to_owned());
        }
        if let Some(t) = self.since {
            // Every stored time has the same RFC 3339 shape (whole seconds, `Z`): text order
            // is time order.
            parts.push("at >= ?".to_owned());
            binds.push(t.to_rfc3339());
        }
        if let Some(s) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let pattern = format!("%{}%", escape_like(s));
            let any: Vec<String> = SEARCHED
                .iter()
                .map(|c| format!("{c} LIKE ? ESCAPE '\\'"))
                .collect();
            parts.push(format!("({})", any.join(" OR ")));
            binds.extend(SEARCHED.iter().map(|_| pattern.clone()));
        }
        if parts.is_empty() {
            (String::new(), binds)
        } else {
            (format!("WHERE {}", parts.join(" AND ")), binds)
        }
    }
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `since` given by a person: an RFC 3339 time, or a span back from now (`30m`, `12h`,
/// `7d`, `2w`).
pub fn parse_since(s: &str) -> Result<Timestamp, ClientError> {
    let s = s.trim();
    let bad = || {
        ClientError::invalid(format!(
            "since '{s}' is neither an RFC 3339 time nor a span like 30m, 12h, 7d or 2w"
        ))
    };
    if let Ok(t) = serde_json::from_value::<Timestamp>(serde_json::Value::String(s.to_owned())) {
        return Ok(t);
    }
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(bad()),
    };
    n.checked_mul(secs)
        .filter(|span| *span >= 0)
        .and_then(|span| Timestamp::from_unix(Timestamp::now().unix() - span))
        .ok_or_else(bad)
}

/// An action by its stored name (`assumed`, `roles_attached`...); an unknown one names the
/// known ones.
pub fn parse_action(s: &str) -> Result<JournalAction, ClientError> {
    use strum::VariantArray;
    s.trim().replace(['-', ' '], "_").parse().map_err(|_| {
        let known: Vec<&str> = JournalAction::VARIANTS.iter().map(|a| a.as_str()).collect();
        ClientError::invalid(format!("action '{s}' is not one of {}", known.join(", ")))
    })
}
