//! The journal from the use cases: the one helper every operation records through (what was
//! done, to which service user, for how long, and how it ended, failures included), and the
//! journal as the signed-in user reads it (listing, export, the chain's check, a service
//! user's history).

use std::path::{Path, PathBuf};

use amorphic_su_model::{RoleId, Timestamp, UserId};

use super::Client;
use crate::cache::Activity;
use crate::error::{ClientError, Result};
use crate::journal::{
    export, Draft, ExportFormat, JournalAction, JournalEntry, JournalQuery, JournalResult,
    JournalTarget, Verification,
};

/// What an operation leaves in the journal: the action, the service user it was about, what,
/// in words, and for an assumed token the lifetime asked and when it ends.
#[derive(Debug, Clone)]
pub(super) struct Journal {
    pub kind: JournalAction,
    pub su: Option<UserId>,
    name: Option<String>,
    detail: String,
    minutes: Option<u32>,
    ends_at: Option<Timestamp>,
    role: Option<RoleId>,
    user: Option<String>,
}

impl Journal {
    /// An action about a service user.
    pub fn new(su: &UserId, kind: JournalAction, detail: impl Into<String>) -> Self {
        Journal {
            su: Some(su.clone()),
            ..Journal::about_me(kind, detail)
        }
    }

    /// An action about the signed-in user's own session (sign in or out, role switch).
    pub fn about_me(kind: JournalAction, detail: impl Into<String>) -> Self {
        Journal {
            kind,
            su: None,
            name: None,
            detail: detail.into(),
            minutes: None,
            ends_at: None,
            role: None,
            user: None,
        }
    }

    /// The service user's name, when the caller knows it better than the cache (just created).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The lifetime asked for and, once issued, when the credential ends.
    pub fn lasting(mut self, minutes: u32, ends_at: Option<Timestamp>) -> Self {
        self.minutes = Some(minutes);
        self.ends_at = ends_at;
        self
    }

    /// The role the request carried, when it is not the profile's active role.
    pub fn with_role(mut self, role: Option<RoleId>) -> Self {
        if role.is_some() {
            self.role = role;
        }
        self
    }

    /// Whose entry it is, when not the profile's user (a refused sign-in as someone else).
    pub fn by(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }
}

impl Client {
    /// Writes an operation's line: done, or refused with the error's typed code and message.
    /// The operation's outcome stands whatever happens here, so a journal that cannot be
    /// written never fails it.
    pub(super) async fn record(&self, line: Journal, failure: Option<&ClientError>) {
        let name = match (&line.name, &line.su) {
            (Some(n), _) => Some(n.clone()),
            (None, Some(su)) => self
                .cache
                .user(su)
                .await
                .ok()
                .flatten()
                .map(|(u, _)| u.display_name.to_string()),
            (None, None) => None,
        };
        let draft = Draft {
            environment: self.profile.name.clone(),
            user: line
                .user
                .or_else(|| self.profile.user_id.as_ref().map(|u| u.to_string())),
            role: line
                .role
                .or_else(|| self.active_role())
                .map(|r| r.to_string()),
            action: line.kind,
            target: line.su.map(|su| JournalTarget {
                id: su.to_string(),
                name,
            }),
            minutes_asked: line.minutes,
            ends_at: line.ends_at,
            result: match failure {
                None => JournalResult::Done,
                Some(_) => JournalResult::Refused,
            },
            error_code: failure.map(|e| e.code().as_str().to_owned()),
            message: failure.map(|e| e.to_string()),
            detail: line.detail,
        };
        let _ = self.journal.append(&draft).await;
    }

    /// Runs an operation that is not a server change through `mutate` (sign-in, role switch,
    /// forget) and records its line, with its result.
    pub(super) async fn journaled<T>(
        &self,
        line: Journal,
        op: impl AsyncFnOnce() -> Result<T>,
    ) -> Result<T> {
        let out = op().await;
        self.record(line, out.as_ref().err()).await;
        out
    }

    /// The signed-in user's entries in this environment that `q` selects, newest first (an
    /// entry of another person who signed in here is theirs, not listed).
    pub async fn history(&self, mut q: JournalQuery) -> Result<Vec<JournalEntry>> {
        q.user = self.profile.user_id.as_ref().map(|u| u.to_string());
        self.journal.entries(&q).await
    }

    /// The selected entries as CSV or JSON (the same rows either way).
    pub async fn export_history(&self, q: JournalQuery, format: ExportFormat) -> Result<String> {
        export(&self.history(q).await?, format)
    }

    /// Writes the export to a new file: `path` (absolute, ending in `.csv` or `.json` as the
    /// format, not there yet: an export never overwrites a file), else a new file named after
    /// the environment and the time in the downloads folder (or home). Returns where, and how
    /// many entries it holds.
    pub async fn export_history_to(
        &self,
        q: JournalQuery,
        format: ExportFormat,
        path: Option<&Path>,
    ) -> Result<(PathBuf, usize)> {
        let path = match path {
            Some(p) => p.to_owned(),
            None => self.default_export_path(format)?,
        };
        let ext = format.to_string();
        if !path.is_absolute() || path.extension().and_then(|e| e.to_str()) != Some(&ext) {
            return Err(ClientError::invalid(format!(
                "export path '{}' must be absolute and end in .{ext}",
                path.display()
            )));
        }
        let entries = self.history(q).await?;
        let text = export(&entries, format)?;
        crate::downloads::write_new(&path, &text)?;
        Ok((path, entries.len()))
    }

    fn default_export_path(&self, format: ExportFormat) -> Result<PathBuf> {
        let dir = crate::downloads::downloads_folder()?;
        let stamp = Timestamp::now().to_rfc3339().replace(':', "-");
        Ok(dir.join(format!(
            "amorphic-su-journal-{}-{stamp}.{format}",
            self.profile.name
        )))
    }

    /// Walks the whole journal file of this environment: the first entry edited after it was
    /// written, if any.
    pub async fn verify_history(&self) -> Result<Verification> {
        self.journal.verify().await
    }

    /// The journal file of this environment.
    pub fn journal_path(&self) -> &Path {
        self.journal.path()
    }

    /// Records a bulk run (one entry for the run; its items are recorded one by one by the
    /// operations it calls).
    pub async fn record_bulk_run(&self, detail: impl Into<String>, failure: Option<&ClientError>) {
        self.record(Journal::about_me(JournalAction::BulkRun, detail), failure)
            .await;
    }

    /// What this app did to a service user, newest first (its journal entries, refusals
    /// included), kept after it is deleted.
    pub async fn activity(&self, su: &UserId) -> Result<Vec<Activity>> {
        let q = JournalQuery {
            service_user: Some(su.to_string()),
            limit: Some(200),
            ..Default::default()
        };
        Ok(self
            .history(q)
            .await?
            .into_iter()
            .map(|e| Activity {
                at: e.at,
                service_user_id: su.clone(),
                action: e.action.as_str().to_owned(),
                detail: match (&e.result, &e.error_code, &e.message) {
                    (JournalResult::Refused, code, message) => format!(
                        "{}: refused ({}) {}",
                        e.detail,
                        code.as_deref().unwrap_or("?"),
                        message.as_deref().unwrap_or("")
                    ),
                    _ => e.detail,
                },
                actor: e.user.and_then(|u| UserId::parse(u).ok()),
            })
            .collect())
    }
}
