//! One journal entry: what was done (a typed action with a stable name), by whom, as which
//! role, to which service user, for how long, and how it ended; and its place in the hash chain.

use amorphic_su_model::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What this app or the CLI did; stored by its snake-case name. The names of what the old
/// per-service-user history recorded are kept (`roles_attached`, `assumed`...), so a reader of
/// one reads the other.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::AsRefStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum JournalAction {
    SignedIn,
    SignedOut,
    RoleSwitched,
    Assumed,
    Renewed,
    Forgotten,
    Created,
    RolesAttached,
    RoleDetached,
    Shared,
    Unshared,
    Enabled,
    Disabled,
    Deleted,
    AccessTokenCreated,
    AccessTokenRevoked,
    DatasourceCreated,
    BulkRun,
}

impl JournalAction {
    /// The stored name (`"roles_attached"`).
    pub fn as_str(&self) -> &str {
        self.as_ref()
    }

    /// The words a person reads (`"roles attached"`).
    pub fn words(&self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// How an action ended.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::AsRefStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum JournalResult {
    Done,
    /// Refused by the server or by the local policy, or failed (offline...): the entry's
    /// `error_code` and `message` say which.
    Refused,
}

/// The service user an action was about: its id and its name as known then, so the entry
/// still reads after it is deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalTarget {
    pub id: String,
    pub name: Option<String>,
}

/// An entry before it is written (the journal gives it its number, time and hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub environment: String,
    pub user: Option<String>,
    pub role: Option<String>,
    pub action: JournalAction,
    pub target: Option<JournalTarget>,
    pub minutes_asked: Option<u32>,
    pub ends_at: Option<Timestamp>,
    pub result: JournalResult,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub detail: String,
}

/// One written entry. Field order is the canonical order the hash covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Its number in the journal, from 1.
    pub seq: i64,
    pub at: Timestamp,
    /// The profile (environment) it was done in.
    pub environment: String,
    /// The signed-in user (none before the sign-in said who).
    pub user: Option<String>,
    /// The role the request carried (none: the credential's default).
    pub role: Option<String>,
    pub action: JournalAction,
    pub target: Option<JournalTarget>,
    /// The lifetime asked for (assume, renew), in minutes.
    pub minutes_asked: Option<u32>,
    /// When the credential actually ends (assume, renew: the token's `exp`).
    pub ends_at: Option<Timestamp>,
    pub result: JournalResult,
    /// The typed code of a refusal (`MUST_DISABLE_FIRST`, `OFFLINE`...).
    pub error_code: Option<String>,
    pub message: Option<String>,
    /// What was done, in words.
    pub detail: String,
    /// sha256(previous entry's hash || this entry's canonical bytes), in hex.
    pub hash: String,
}

/// The stored text of an entry, as read back: what the hash covers, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct StoredEntry {
    pub seq: i64,
    pub at: String,
    pub environment: String,
    pub user: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub target_id: Option<String>,
    pub target_name: Option<String>,
    pub minutes_asked: Option<i64>,
    pub ends_at: Option<String>,
    pub result: String,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub detail: String,
    #[serde(skip)]
    pub hash: String,
}

impl StoredEntry {
    /// The entry as it is stored, numbered `seq`, at `at`, chained after `prev`.
    pub fn from_draft(d: &Draft, seq: i64, at: Timestamp, prev: &str) -> Self {
        let mut s = StoredEntry {
            seq,
            at: at.to_rfc3339(),
            environment: d.environment.clone(),
            user: d.user.clone(),
            role: d.role.clone(),
            action: d.action.as_str().to_owned(),
            target_id: d.target.as_ref().map(|t| t.id.clone()),
            target_name: d.target.as_ref().and_then(|t| t.name.clone()),
            minutes_asked: d.minutes_asked.map(i64::from),
            ends_at: d.ends_at.map(|t| t.to_rfc3339()),
            result: d.result.as_ref().to_owned(),
            error_code: d.error_code.clone(),
            message: d.message.clone(),
            detail: d.detail.clone(),
            hash: String::new(),
        };
        s.hash = s.chained_hash(prev);
        s
    }

    /// The bytes the hash covers: the fields (not the hash) as compact JSON in a fixed order.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("plain strings and numbers serialise")
    }

    /// sha256(prev || canonical bytes), in hex.
    pub fn chained_hash(&self, prev: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(self.canonical_bytes());
        hex(&h.finalize())
    }

    /// The typed entry, or why the stored text is not one.
    pub fn typed(&self) -> Result<JournalEntry, String> {
        let ts = |s: &str| -> Result<Timestamp, String> {
            serde_json::from_value(serde_json::Value::String(s.to_owned()))
                .map_err(|_| format!("time '{s}' is not a valid time"))
        };
        Ok(JournalEntry {
            seq: self.seq,
            at: ts(&self.at)?,
            environment: self.environment.clone(),
            user: self.user.clone(),
            role: self.role.clone(),
            action: self
                .action
                .parse()
                .map_err(|_| format!("action '{}' is not a known action", self.action))?,
            target: self.target_id.as_ref().map(|id| JournalTarget {
                id: id.clone(),
                name: self.target_name.clone(),
            }),
            minutes_asked: self
                .minutes_asked
                .map(|m| u32::try_from(m).map_err(|_| format!("minutes {m} out of range")))
                .transpose()?,
            ends_at: self.ends_at.as_deref().map(ts).transpose()?,
            result: self
                .result
                .parse()
                .map_err(|_| format!("result '{}' is not done or refused", self.result))?,
            error_code: self.error_code.clone(),
            message: self.message.clone(),
            detail: self.detail.clone(),
            hash: self.hash.clone(),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
