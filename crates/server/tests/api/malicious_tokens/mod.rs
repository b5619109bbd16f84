//! Malicious service-user tokens: every forged, tampered, malformed, oversized or
//! stale `X-Amorphic-Service-User` value, sent with a valid human PAT to a real server on
//! 127.0.0.1 (fresh SQLite file, demo seed), must be answered 401 with the contract's `Code`
//! (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `PRINCIPAL_DISABLED`), or 431 when the header itself is
//! over the server's limit, and never 200 or 500.
//!
//! Every case is sent to three requests: `GET /whoami`, `GET /users/{unknown}` (authentication
//! must answer before the 404) and `POST /datasources` (a write). Cases that need a valid
//! signature on a malicious header or claims set are signed with the server's own key, read
//! from its database file as an attacker holding the file could; a positive control (a forged
//! token with correct contents is accepted) proves each refusal is about the one deviation.

mod forge;
mod harness;

mod claims;
mod headers;
mod lifecycle;
mod malformed;
mod signatures;
