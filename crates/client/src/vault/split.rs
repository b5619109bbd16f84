//! Secrets longer than one keychain entry holds. Windows' Credential Manager keeps at most
//! 2,560 bytes per credential (`CRED_MAX_CREDENTIAL_BLOB_SIZE`), and the keyring crate stores a
//! password there as UTF-16: 1,280 code units. Tokens of the reference server stay far below
//! (see the `sizes` tests), but a platform's session or service-user token, or a typed password,
//! may not; so a longer secret is stored in parts, the same way on every OS (one code path,
//! tested everywhere): parts 1..=n under `<account>#<i>`, written first, then the entry itself
//! holding a manifest `amorphic-su-split:v1:<n>:<sha-256 prefix>`. The manifest is the commit
//! point: a write cut short leaves the old secret or a manifest whose hash no longer matches,
//! which reads as no secret (sign in again), never as a wrong one.

use sha2::{Digest, Sha256};

/// UTF-16 code units one Windows credential holds (2,560 bytes).
pub const MAX_ENTRY_UTF16: usize = 1_280;
/// The most parts one secret is stored in.
pub const MAX_PARTS: usize = 16;
/// The longest secret stored, in UTF-16 code units (20,480).
pub const MAX_SECRET_UTF16: usize = MAX_ENTRY_UTF16 * MAX_PARTS;

const MANIFEST_PREFIX: &str = "amorphic-su-split:v1:";

/// How a secret is laid out in the keychain.
#[derive(Debug, PartialEq, Eq)]
pub enum Layout {
    /// In the entry itself.
    Whole,
    /// In `parts`, with `manifest` in the entry.
    Split {
        manifest: String,
        parts: Vec<String>,
    },
}

/// The secret's length as Windows counts it.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The keychain account of part `i` (1-based) of `account`'s secret.
pub fn part_account(account: &str, i: usize) -> String {
    format!("{account}#{i}")
}

fn digest(s: &str) -> String {
    let hash = Sha256::digest(s.as_bytes());
    hash[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The layout of `secret`, or `None` when it is longer than [`MAX_SECRET_UTF16`]. A secret that
/// itself looks like a manifest is always split, so that reading never mistakes one for the other.
pub fn layout(secret: &str) -> Option<Layout> {
    if utf16_len(secret) > MAX_SECRET_UTF16 {
        return None;
    }
    if utf16_len(secret) <= MAX_ENTRY_UTF16 && !secret.starts_with(MANIFEST_PREFIX) {
        return Some(Layout::Whole);
    }
    // Cut at character boundaries: a surrogate pair never straddles two parts.
    let mut parts = vec![String::new()];
    let mut units = 0;
    for c in secret.chars() {
        if units + c.len_utf16() > MAX_ENTRY_UTF16 {
            parts.push(String::new());
            units = 0;
        }
        units += c.len_utf16();
        parts.last_mut().expect("one part at least").push(c);
    }
    Some(Layout::Split {
        manifest: format!("{MANIFEST_PREFIX}{}:{}", parts.len(), digest(secret)),
        parts,
    })
}

/// The number of parts a stored entry names, or `None` for a secret stored whole.
pub fn parts_named(entry: &str) -> Option<usize> {
    let rest = entry.strip_prefix(MANIFEST_PREFIX)?;
    let (n, _) = rest.split_once(':')?;
    n.parse().ok().filter(|n| (1..=MAX_PARTS).contains(n))
}

/// The secret put together from its parts, or `None` when they do not match the manifest (a
/// write cut short).
pub fn join(manifest: &str, parts: &[String]) -> Option<String> {
    let joined = parts.concat();
    let expected = manifest.strip_prefix(MANIFEST_PREFIX)?.split_once(':')?.1;
    (parts_named(manifest) == Some(parts.len()) && digest(&joined) == expected).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(secret: &str) -> Layout {
        let layout = layout(secret).expect("within the limit");
        if let Layout::Split { manifest, parts } = &layout {
            assert!(parts.iter().all(|p| utf16_len(p) <= MAX_ENTRY_UTF16));
            assert!(utf16_len(manifest) <= MAX_ENTRY_UTF16);
            assert_eq!(join(manifest, parts).as_deref(), Some(secret));
        }
        layout
    }

    #[test]
    fn a_secret_up_to_one_entry_is_stored_whole() {
        assert_eq!(round_trip("amo_pat_x"), Layout::Whole);
        assert_eq!(round_trip(&"a".repeat(MAX_ENTRY_UTF16)), Layout::Whole);
    }

    #[test]
    fn a_longer_secret_is_split_into_parts_of_at_most_one_entry() {
        let long = "j".repeat(MAX_ENTRY_UTF16 + 1);
        match round_trip(&long) {
            Layout::Split { parts, .. } => assert_eq!(parts.len(), 2),
            Layout::Whole => panic!("a 1,281-unit secret must be split"),
        }
    }

    #[test]
    fn length_is_counted_in_utf16_units_and_pairs_stay_together() {
        // 700 characters outside the BMP are 1,400 UTF-16 units: over one entry.
        let emoji = "\u{1F511}".repeat(700);
        assert_eq!(utf16_len(&emoji), 1_400);
        match round_trip(&emoji) {
            Layout::Split { parts, .. } => {
                assert_eq!(parts.len(), 2);
                assert_eq!(utf16_len(&parts[0]), MAX_ENTRY_UTF16);
            }
            Layout::Whole => panic!("1,400 units do not fit one entry"),
        }
        let odd = format!("x{}", "\u{1F511}".repeat(700));
        round_trip(&odd);
    }

    #[test]
    fn a_secret_that_looks_like_a_manifest_is_never_stored_whole() {
        let tricky = "amorphic-su-split:v1:2:0000000000000000";
        assert!(matches!(round_trip(tricky), Layout::Split { .. }));
    }

    #[test]
    fn past_the_limit_there_is_no_layout() {
        assert!(layout(&"a".repeat(MAX_SECRET_UTF16)).is_some());
        assert!(layout(&"a".repeat(MAX_SECRET_UTF16 + 1)).is_none());
    }

    #[test]
    fn parts_that_do_not_match_the_manifest_join_to_nothing() {
        let Some(Layout::Split {
            manifest,
            mut parts,
        }) = layout(&"s".repeat(3_000))
        else {
            panic!("split")
        };
        assert_eq!(parts_named(&manifest), Some(3));
        parts[1].replace_range(0..1, "t");
        assert_eq!(join(&manifest, &parts), None, "a changed part");
        parts.pop();
        assert_eq!(join(&manifest, &parts), None, "a missing part");
        assert_eq!(parts_named("amo_pat_x"), None);
        assert_eq!(parts_named("amorphic-su-split:v1:999:00"), None);
    }
}
