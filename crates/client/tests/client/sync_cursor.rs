//! The full pass on a server without the list's keyset cursor (`after`): a proxy renames the
//! parameter, so the server ignores it as a platform would, and answers from the start of the
//! list. The pass sees ids at or before its cursor, goes on by offsets, and loses no one.

use amorphic_su_client::model::Secret;
use amorphic_su_client::{AuthKind, Client, Credentials, Paths, Profile, UserFilter, Vault};
use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT;
use amorphic_su_server::{seed, spawn, ServerOptions, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Forwards to `target`, renaming `after=` in what the client sends to `xfter=`.
async fn cursorless_proxy(target: std::net::SocketAddr) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(outbound) = TcpStream::connect(target).await else {
                    return;
                };
                let (mut ir, mut iw) = inbound.into_split();
                let (mut or, mut ow) = outbound.into_split();
                let up = async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    while let Ok(n) = ir.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        let mut chunk = buf[..n].to_vec();
                        for i in 0..chunk.len().saturating_sub(6) {
                            if &chunk[i..i + 6] == b"after=" {
                                chunk[i] = b'x';
                            }
                        }
                        if ow.write_all(&chunk).await.is_err() {
                            break;
                        }
                    }
                    let _ = ow.shutdown().await;
                };
                let down = async move {
                    let _ = tokio::io::copy(&mut or, &mut iw).await;
                    let _ = iw.shutdown().await;
                };
                tokio::join!(up, down);
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_the_cursor_is_read_by_offsets_and_no_one_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let store = Store::open(&db).await.unwrap();
    // More than a span of pages of 5 (16), so the cursor is tried and found ignored.
    store
        .load_seed(&seed::demo_with_service_users(150))
        .await
        .unwrap();
    store.close().await;
    let srv = spawn(ServerOptions::new(&db)).await.unwrap();
    let via = cursorless_proxy(srv.addr()).await;
    let profile = Profile {
        name: "cursorless".into(),
        base_url: via,
        user_id: None,
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let client = Client::for_profile(
        &Paths::under(&dir.path().join("client")),
        profile,
        Vault::default(),
    )
    .await
    .unwrap()
    .with_sync_page(5);
    let creds = Credentials::new(Secret::new(ALICE_DEFAULT_PAT));
    let report = client.sync_as(&creds, false, &|_| {}).await.unwrap();
    assert!(report.full, "{report:?}");
    assert_eq!(report.users_cached, 157, "{report:?}");
    let cached: Vec<String> = client
        .cache()
        .users(&UserFilter {
            limit: Some(1_000),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.user_id.to_string())
        .collect();
    let mut sorted = cached.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 157, "each user once");
    assert!(sorted.contains(&"svc-000149".to_owned()));
}
