//! A keychain that is absent (no Secret Service) or locked (access denied): signing in and
//! syncing fail `keychain_unavailable` saying which, nothing is written anywhere else, and the
//! cache of the last good sync still answers.

use std::any::Any;
use std::sync::Arc;

use amorphic_su_client::model::{ClientCode, Code, Secret};
use amorphic_su_client::{Client, UserFilter, Vault};
use keyring::credential::{Credential, CredentialBuilderApi};

use crate::common::{sign_out, Env, ALICE_DEFAULT_PAT};

/// A credential store whose every entry fails with the error its function makes.
#[derive(Debug)]
struct Failing(fn() -> keyring::Error);

impl CredentialBuilderApi for Failing {
    fn build(&self, _: Option<&str>, _: &str, _: &str) -> keyring::Result<Box<Credential>> {
        Err((self.0)())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn absent() -> keyring::Error {
    keyring::Error::PlatformFailure("org.freedesktop.secrets was not provided".into())
}

fn locked() -> keyring::Error {
    keyring::Error::NoStorageAccess("the collection is locked".into())
}

async fn keychain_fails(tag: &str, fail: fn() -> keyring::Error, says: &str) {
    let env = Env::new().await;
    let good = env.signed_in(tag, ALICE_DEFAULT_PAT).await;
    good.sync(false, &|_| {}).await.unwrap();
    let cached = good.list_users(&UserFilter::default(), true).await.unwrap();
    let profile = good.profile().clone();

    let vault = Vault::default().with_backend(Arc::new(Failing(fail)));
    let mut c = Client::for_profile(&env.paths, profile.clone(), vault)
        .await
        .unwrap();
    let unavailable = Code::from(ClientCode::KeychainUnavailable);
    let e = c.sync(false, &|_| {}).await.unwrap_err();
    assert_eq!(e.code(), unavailable, "{e}");
    assert!(e.to_string().contains(says), "{e}");
    let kept = c.list_users(&UserFilter::default(), true).await.unwrap();
    assert_eq!(
        kept.data.len(),
        cached.data.len(),
        "the cache still answers"
    );

    // A new sign-in is refused, and the secret lands nowhere else.
    let e = c
        .login_with_pat(Secret::new(ALICE_DEFAULT_PAT))
        .await
        .unwrap_err();
    assert_eq!(e.code(), unavailable, "{e}");
    let files = [walk(&env.paths.config_dir), walk(&env.paths.data_dir)].concat();
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(ALICE_DEFAULT_PAT),
            "the secret leaked into {}",
            file.display()
        );
    }
    sign_out(good).await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn an_absent_keychain_is_keychain_unavailable_and_the_cache_still_answers() {
    keychain_fails("no-keychain", absent, "no keychain service").await;
}

#[tokio::test]
async fn a_locked_keychain_is_keychain_unavailable_saying_locked() {
    keychain_fails("locked-keychain", locked, "locked").await;
}
