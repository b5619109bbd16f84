//! Faults the client must survive: a misbehaving peer (5xx, bad bodies, a slow answer, a
//! connection cut mid-sync), a keychain that fails, a cache file overwritten with garbage. The
//! peers here are the faults; the client is real, with a real SQLite cache. Each answer is a
//! clear error naming the fault, the last good cache kept, never a panic.

mod bad_answers;
mod cache_file;
mod crash;
mod keychain;
mod mid_sync;
mod peer;
