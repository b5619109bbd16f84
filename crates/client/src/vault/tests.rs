//! The vault over a store with Windows' limits (every OS), and over the OS keychain itself:
//! the Secret Service inside `scripts/session.sh`, the Keychain on macOS, the Credential
//! Manager on Windows (CI runs these on each).

use std::sync::Arc;

use amorphic_su_model::{ClientCode, Code, Secret, UserId};

use super::memory_store::MemoryStore;
use super::split::{MAX_ENTRY_UTF16, MAX_SECRET_UTF16};
use super::{SecretKind, Vault};

fn vault_over(store: &MemoryStore) -> Vault {
    Vault::default().with_backend(Arc::new(store.clone()))
}

fn assumed() -> SecretKind {
    SecretKind::Assumed(UserId::parse("etl-bot").unwrap())
}

#[tokio::test]
async fn a_secret_too_long_for_one_windows_credential_is_stored_in_parts_and_read_back() {
    let store = MemoryStore::default();
    let vault = vault_over(&store);
    // 3,000 characters: the Credential Manager refuses it in one entry.
    let long = Secret::new("eyJ".to_owned() + &"x".repeat(2_997));
    vault.set("p", &assumed(), &long).await.unwrap();
    assert_eq!(
        store.accounts(),
        [
            "p:assumed:etl-bot",
            "p:assumed:etl-bot#1",
            "p:assumed:etl-bot#2",
            "p:assumed:etl-bot#3"
        ]
    );
    assert_eq!(vault.get("p", &assumed()).await.unwrap(), Some(long));

    // A shorter secret replaces it whole and leaves no part behind.
    let short = Secret::new("amo_ses_short");
    vault.set("p", &assumed(), &short).await.unwrap();
    assert_eq!(store.accounts(), ["p:assumed:etl-bot"]);
    assert_eq!(vault.get("p", &assumed()).await.unwrap(), Some(short));
}

#[tokio::test]
async fn fewer_parts_replace_more_and_delete_removes_every_part() {
    let store = MemoryStore::default();
    let vault = vault_over(&store);
    let kind = SecretKind::Session;
    vault
        .set("p", &kind, &Secret::new("a".repeat(4 * MAX_ENTRY_UTF16)))
        .await
        .unwrap();
    assert_eq!(store.accounts().len(), 5);
    let two = Secret::new("b".repeat(MAX_ENTRY_UTF16 + 1));
    vault.set("p", &kind, &two).await.unwrap();
    assert_eq!(
        store.accounts(),
        ["p:session", "p:session#1", "p:session#2"]
    );
    assert_eq!(vault.get("p", &kind).await.unwrap(), Some(two));
    vault.delete("p", &kind).await.unwrap();
    assert!(store.accounts().is_empty());
    assert_eq!(vault.get("p", &kind).await.unwrap(), None);
    vault.delete("p", &kind).await.unwrap();
}

#[tokio::test]
async fn a_write_cut_short_reads_as_no_secret_never_a_wrong_one() {
    let store = MemoryStore::default();
    let vault = vault_over(&store);
    vault
        .set("p", &SecretKind::Pat, &Secret::new("c".repeat(3_000)))
        .await
        .unwrap();
    // A later write that stopped after its first part.
    store
        .entries
        .lock()
        .unwrap()
        .insert("p:pat#1".into(), "d".repeat(MAX_ENTRY_UTF16));
    assert_eq!(vault.get("p", &SecretKind::Pat).await.unwrap(), None);
    store.entries.lock().unwrap().remove("p:pat#2");
    assert_eq!(vault.get("p", &SecretKind::Pat).await.unwrap(), None);
}

#[tokio::test]
async fn utf16_length_decides_not_characters() {
    let store = MemoryStore::default();
    let vault = vault_over(&store);
    // 1,000 characters but 2,000 UTF-16 units: one Windows credential cannot hold them.
    let password = Secret::new("\u{1F511}".repeat(1_000));
    let kind = SecretKind::SeedPassword(UserId::parse("alice").unwrap());
    vault.set("p", &kind, &password).await.unwrap();
    assert_eq!(store.accounts().len(), 3);
    assert_eq!(vault.get("p", &kind).await.unwrap(), Some(password));
}

#[tokio::test]
async fn past_the_limit_a_secret_is_refused_naming_it() {
    let vault = vault_over(&MemoryStore::default());
    let e = vault
        .set(
            "p",
            &SecretKind::Pat,
            &Secret::new("e".repeat(MAX_SECRET_UTF16 + 1)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::from(ClientCode::InvalidInput), "{e}");
    assert!(e.to_string().contains("20480"), "{e}");
}

#[tokio::test]
async fn the_longest_account_names_fit_a_windows_credential() {
    let store = MemoryStore::default();
    let vault = vault_over(&store);
    let profile = "p".repeat(64);
    let user = UserId::parse("u".repeat(64)).unwrap();
    let secret = Secret::new("f".repeat(MAX_SECRET_UTF16));
    for kind in [
        SecretKind::Pat,
        SecretKind::Session,
        SecretKind::Assumed(user.clone()),
        SecretKind::SeedPassword(user.clone()),
        SecretKind::SeedPat {
            user: user.clone(),
            token_name: "t".repeat(128),
        },
    ] {
        vault.set(&profile, &kind, &secret).await.unwrap();
        assert_eq!(
            vault.get(&profile, &kind).await.unwrap().as_ref(),
            Some(&secret)
        );
        vault.delete(&profile, &kind).await.unwrap();
    }
    assert!(store.accounts().is_empty());
}

/// The OS keychain itself, with a secret of three parts and characters outside the BMP.
#[tokio::test]
async fn the_os_keychain_keeps_a_secret_longer_than_one_windows_credential() {
    let vault = Vault::default();
    let profile = format!(
        "vault-split-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    let long = Secret::new(format!(
        "{}\u{1F511}{}",
        "g".repeat(2_000),
        "h".repeat(1_000)
    ));
    vault
        .set(&profile, &SecretKind::Session, &long)
        .await
        .unwrap();
    assert_eq!(
        vault.get(&profile, &SecretKind::Session).await.unwrap(),
        Some(long)
    );
    let short = Secret::new("amo_ses_short");
    vault
        .set(&profile, &SecretKind::Session, &short)
        .await
        .unwrap();
    assert_eq!(
        vault.get(&profile, &SecretKind::Session).await.unwrap(),
        Some(short)
    );
    vault.delete(&profile, &SecretKind::Session).await.unwrap();
    assert_eq!(
        vault.get(&profile, &SecretKind::Session).await.unwrap(),
        None
    );
}
