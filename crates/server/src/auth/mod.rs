//! Authentication: secrets and their digests, passwords, the sign-in throttle, and the
//! [`principal::Principal`] extractor that every authenticated handler takes. Only the
//! principal reads the app state; the other modules are plain functions and types.

pub mod passwords;
pub mod principal;
mod recheck;
pub mod secrets;
pub mod throttle;
