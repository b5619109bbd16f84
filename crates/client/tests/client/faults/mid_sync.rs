//! The server gone between two pages of a large full sync (a proxy cuts every connection and
//! refuses new ones): the sync fails `offline`, the pages already stored stay, the cache file
//! stays sound, and the next sync with the server back finishes with the cache equal to it.

use std::sync::atomic::{AtomicU32, Ordering};

use amorphic_su_client::model::{ClientCode, Code};
use amorphic_su_client::{ApiClient, Paths, SyncProgress, UserFilter};
use amorphic_su_server::{seed, spawn, ServerOptions, Store};

use super::peer::{alice, client, proxy};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_gone_mid_sync_keeps_the_pages_stored_and_the_next_sync_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let store = Store::open(&db).await.unwrap();
    store
        .load_seed(&seed::demo_with_service_users(120))
        .await
        .unwrap();
    store.close().await;
    let srv = spawn(ServerOptions::new(&db)).await.unwrap();
    let target = srv
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let (via, cut) = proxy(target).await;

    let paths = Paths::under(&dir.path().join("client"));
    let c = client(&paths, "cut-mid-sync", via).await.with_sync_page(20);
    let pages = AtomicU32::new(0);
    let e = c
        .sync_as(&alice(), false, &|p| {
            if let SyncProgress::Users { .. } = p {
                if pages.fetch_add(1, Ordering::SeqCst) == 1 {
                    let _ = cut.send(true); // two pages stored, the server goes
                }
            }
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::from(ClientCode::Offline), "{e}");
    assert_eq!(c.cache().integrity_check().await.unwrap(), "ok");
    let stored = c.cache().users(&UserFilter::default()).await.unwrap().len();
    // Two pages of 20, the second starting on the first's last user: 39 at least.
    assert!(
        (39..130).contains(&stored),
        "the two stored pages stay: {stored}"
    );

    // The server is back (reached directly): the interrupted pass resumes and completes.
    let c = c.with_api(ApiClient::new(&srv.base_url()).unwrap());
    c.sync_as(&alice(), false, &|_| {}).await.unwrap();
    let all = c.list_users(&UserFilter::default(), true).await.unwrap();
    assert!(all.data.len() >= 120, "{}", all.data.len());
    assert_eq!(c.cache().integrity_check().await.unwrap(), "ok");
}
