//! The journal as CSV or JSON: the same rows and columns either way. In CSV a cell that starts
//! like a spreadsheet formula is prefixed with `'`, so opening the file never runs one (a
//! service user's name is another person's text).

use serde::Serialize;

use super::entry::JournalEntry;
use crate::error::{ClientError, Result};

/// The CSV header, in the order of every row.
pub const CSV_COLUMNS: &[&str] = &[
    "seq",
    "at",
    "environment",
    "user",
    "role",
    "action",
    "target_id",
    "target_name",
    "minutes_asked",
    "ends_at",
    "result",
    "error_code",
    "message",
    "detail",
    "hash",
];

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString)]
#[strum(serialize_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// One row's cells, in [`CSV_COLUMNS`] order.
pub fn cells(e: &JournalEntry) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        e.seq.to_string(),
        e.at.to_rfc3339(),
        e.environment.clone(),
        opt(&e.user),
        opt(&e.role),
        e.action.as_str().to_owned(),
        e.target.as_ref().map(|t| t.id.clone()).unwrap_or_default(),
        e.target
            .as_ref()
            .and_then(|t| t.name.clone())
            .unwrap_or_default(),
        e.minutes_asked.map(|m| m.to_string()).unwrap_or_default(),
        e.ends_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        e.result.as_ref().to_owned(),
        opt(&e.error_code),
        opt(&e.message),
        e.detail.clone(),
        e.hash.clone(),
    ]
}

/// RFC 4180 CSV with a header row, CRLF line ends.
pub fn to_csv(entries: &[JournalEntry]) -> String {
    let mut out = String::new();
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for e in entries {
        let row: Vec<String> = cells(e).iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{c}")
    } else {
        c.to_owned()
    };
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

/// A JSON array of the entries (the same fields as the CSV columns, camelCase, nested target).
pub fn to_json(entries: &[JournalEntry]) -> Result<String> {
    to_pretty(entries)
}

fn to_pretty<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| ClientError::Cache(e.to_string()))
}

/// The entries in `format`.
pub fn export(entries: &[JournalEntry], format: ExportFormat) -> Result<String> {
    match format {
        ExportFormat::Csv => Ok(to_csv(entries)),
        ExportFormat::Json => to_json(entries),
    }
}
