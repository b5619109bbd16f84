//! The cache file overwritten with garbage: the client drops it and builds it anew, a sync fills
//! it again, and the sign-in survives (secrets live only in the keychain, never in the cache).

use amorphic_su_client::model::{ClientCode, Code};
use amorphic_su_client::{Client, UserFilter};

use crate::common::{sign_out, Env, ALICE_DEFAULT_PAT};

#[tokio::test]
async fn a_cache_file_full_of_garbage_is_rebuilt_by_a_resync_and_no_secret_is_lost() {
    let env = Env::new().await;
    let c = env.signed_in("garbage-cache", ALICE_DEFAULT_PAT).await;
    let name = c.profile().name.clone();
    c.sync(false, &|_| {}).await.unwrap();
    let before = c.list_users(&UserFilter::default(), true).await.unwrap();
    let path = c.cache().path().to_owned();
    c.cache().close().await;
    drop(c);

    let garbage: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 + 13) as u8).collect();
    std::fs::write(&path, garbage).unwrap();

    let c = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert_eq!(c.cache().integrity_check().await.unwrap(), "ok");
    let e = c
        .list_users(&UserFilter::default(), true)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::from(ClientCode::NotCached), "{e}");

    // Still signed in: the resync reads the PAT from the keychain.
    c.sync(false, &|_| {}).await.unwrap();
    let after = c.list_users(&UserFilter::default(), true).await.unwrap();
    assert_eq!(after.data.len(), before.data.len());
    sign_out(c).await;
}
