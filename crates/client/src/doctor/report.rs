//! The report as text: what the CLI prints and what the window's "Copy report" copies. One
//! line per check (status, name, finding), the fix indented under it.

use std::fmt;

use super::{CheckStatus, DoctorReport};

impl fmt::Display for DoctorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "amorphic-su doctor: environment {} ({}), app {}, {}",
            self.profile.as_deref().unwrap_or("(none)"),
            self.base_url.as_deref().unwrap_or("no URL"),
            self.app_version,
            self.checked_at
        )?;
        for c in &self.checks {
            writeln!(f, "{:<7} {:<18} {}", mark(c.status), c.title, c.message)?;
            if let Some(fix) = &c.fix {
                writeln!(f, "{:<7} {:<18} fix: {fix}", "", "")?;
            }
        }
        let count = |s| self.checks.iter().filter(|c| c.status == s).count();
        write!(
            f,
            "{} ok, {} warning(s), {} failed, {} skipped",
            count(CheckStatus::Ok),
            count(CheckStatus::Warn),
            count(CheckStatus::Fail),
            count(CheckStatus::Skipped)
        )
    }
}

fn mark(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Ok => "[ok]",
        CheckStatus::Warn => "[warn]",
        CheckStatus::Fail => "[FAIL]",
        CheckStatus::Skipped => "[skip]",
    }
}
