//! The fuzz targets' bodies, one module each, callable without libFuzzer: the `fuzz_targets/`
//! binaries feed them libFuzzer's inputs, and `tests/corpus.rs` replays the committed corpora
//! through them on stable. Each asserts what it can beyond "no panic".

pub mod headers;
pub mod ids;
pub mod search;
pub mod seed;
pub mod token;
