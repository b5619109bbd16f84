//! The journal: every action this app and the CLI did in an environment (sign in and out, role
//! switch, assume, renew, forget, the changes to service users, their access tokens, bulk
//! runs), with who, as which role, to what, for how long and how it ended. One SQLite file per
//! environment, apart from the cache, so another person signing in (which empties the cache)
//! or a rebuilt cache never loses it. Entries are chained by hash: `verify` finds the first one
//! edited after it was written. Never a secret: entries hold ids, names, codes and messages.

mod entry;
mod export;
mod query;
mod store;

#[cfg(test)]
mod tests;

pub use entry::{Draft, JournalAction, JournalEntry, JournalResult, JournalTarget};
pub use export::{cells, export, to_csv, to_json, ExportFormat, CSV_COLUMNS};
pub use query::{parse_action, parse_since, JournalQuery};
pub use store::{BrokenEntry, JournalStore, Verification};
