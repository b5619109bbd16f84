//! The full sync over a simulated slow link (`scripts/bench-wan.sh` sets it up and runs this).
//!
//! The script makes a network namespace joined to this one by a veth pair whose two ends are
//! shaped by `tc`'s token bucket (`tbf`, 50 Mbit/s each way). The server runs in that
//! namespace: this bench starts itself again there (`ip netns exec`) in the serving role.
//! Round trips come from a delaying TCP proxy here, in front of the link: every chunk read in
//! either direction is written on 20 ms later, in order (netem, the kernel's delay, is not
//! on every kernel). The client syncs through the proxy into a fresh cache.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use amorphic_su_client::model::Secret;
use amorphic_su_client::{
    fetch_user_pages, ApiClient, ApiConfig, AuthKind, Client, Credentials, Paths, Profile, Vault,
    SYNC_IN_FLIGHT,
};
use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT;
use amorphic_su_server::{seed, spawn, ServerOptions, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use crate::support;

/// The serving role: seeds a fresh database with the demo seed plus `n` service users,
/// listens on `listen`, prints `LISTENING <addr>` and serves until stdin closes.
pub fn serve(listen: &str, n: usize) {
    let listen: SocketAddr = listen.parse().expect("BENCH_WAN_SERVE is HOST:PORT");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.db");
    let rt = support::runtime("server");
    let t = Instant::now();
    let server = rt.block_on(async {
        let seed = seed::demo_with_service_users(n);
        let store = Store::open(&db).await.expect("server database");
        store.load_seed(&seed).await.expect("seed loads");
        store.close().await;
        spawn(ServerOptions::new(&db).listen(listen))
            .await
            .expect("server starts")
    });
    eprintln!(
        "wan: server seeded with {n} service users in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    println!("LISTENING {}", server.addr());
    std::io::stdout().flush().expect("stdout");
    // Until the bench closes our stdin (or dies).
    let mut sink = String::new();
    while std::io::stdin().read_line(&mut sink).is_ok_and(|r| r > 0) {}
    rt.block_on(server.shutdown());
}

/// The bench's role: the server in namespace `ns` at `ip`, the client here through the proxy.
pub fn run(ns: &str, ip: &str, n: usize) {
    let load = support::load_average();
    let delay = Duration::from_millis(support::env_usize("BENCH_WAN_DELAY_MS", 20) as u64);
    let exe = std::env::current_exe().expect("this bench's path");
    let mut child = Command::new("ip")
        .args(["netns", "exec", ns])
        .arg(&exe)
        .env("BENCH_WAN_SERVE", format!("{ip}:0"))
        .env_remove("BENCH_NETNS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts in the namespace (ip netns exec)");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let upstream: SocketAddr = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .expect("a line");
        if let Some(addr) = line.strip_prefix("LISTENING ") {
            break addr.parse().expect("an address");
        }
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rt = support::runtime("client");
    let result = rt.block_on(sync_through_link(dir.path(), upstream, delay, n));
    drop(child.stdin.take()); // the server stops
    let _ = child.wait();
    let (rtt, full, fetch, before) = result;
    let tag = support::size_tag(n);
    println!();
    println!(
        "Full sync over the simulated link (50 Mbit/s each way, {} ms added each way), {} \
         service users, load average at start {load}",
        delay.as_millis(),
        n
    );
    println!();
    println!("| measure | result |");
    println!("|---|---|");
    println!("| round trip through the link (`/healthz`, median of 9) | {rtt:.1} ms |");
    println!("| full sync, end to end | {full:.2} s |");
    println!("| of which: fetch only ({SYNC_IN_FLIGHT} in flight, compressed) | {fetch:.2} s |");
    if let Some(b) = before {
        println!("| before: fetch only by offsets, one at a time, uncompressed | {b:.2} s |");
    }
    support::figure(
        "wan_rtt_ms",
        rtt,
        "ms",
        "round trip through the simulated link",
    )
    .print();
    let label = "full sync over 50 Mbit/s with 40 ms round trips";
    if n == 100_000 {
        support::figure("full_sync_100k_wan_s", full, "s", label)
            .goal_abs("<= 5")
            .print();
    }
    support::figure(&format!("full_sync_wan_s_{tag}"), full, "s", label).print();
    support::figure(
        &format!("full_sync_wan_fetch_only_s_{tag}"),
        fetch,
        "s",
        "fetch only over the simulated link",
    )
    .print();
}

/// (round trip in ms, full sync s, fetch only s, the old way's fetch only s).
async fn sync_through_link(
    root: &Path,
    upstream: SocketAddr,
    delay: Duration,
    n: usize,
) -> (f64, f64, f64, Option<f64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
    let base = format!("http://{}", listener.local_addr().expect("proxy address"));
    tokio::spawn(proxy(listener, upstream, delay));

    let http = reqwest::Client::new();
    let mut rtts = Vec::new();
    for _ in 0..9 {
        let t = Instant::now();
        let r = http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz");
        assert!(r.status().is_success());
        r.bytes().await.expect("body");
        rtts.push(t.elapsed().as_secs_f64() * 1e3);
    }
    rtts.sort_by(f64::total_cmp);

    let creds = Credentials::new(Secret::new(ALICE_DEFAULT_PAT));
    let profile = Profile {
        name: "wan".into(),
        base_url: base.clone(),
        user_id: None,
        default_role: None,
        color: None,
        production: false,
        auth: Some(AuthKind::Pat),
        session_expires_at: None,
    };
    let client = Client::for_profile(
        &Paths::under(&root.join("client")),
        profile,
        Vault::default(),
    )
    .await
    .expect("client opens");
    let t = Instant::now();
    let report = client
        .sync_as(&creds, false, &|_| {})
        .await
        .expect("full sync over the link");
    let full = t.elapsed().as_secs_f64();
    assert!(report.full);
    assert!(report.users_cached as usize > n, "every user cached");
    eprintln!("wan: full sync {full:.2} s ({report:?})");

    let api = ApiClient::new(&base).expect("API client");
    let t = Instant::now();
    let pages = fetch_user_pages(&api, &creds, 1_000, SYNC_IN_FLIGHT)
        .await
        .expect("every page");
    let fetch = t.elapsed().as_secs_f64();
    assert_eq!(
        pages.iter().map(Vec::len).sum::<usize>(),
        report.users_cached as usize
    );

    // The old way is slow over the link (tens of seconds at 100k): on request only.
    let before = if std::env::var_os("BENCH_VARIANTS").is_some() {
        let plain = ApiClient::with_config(
            &base,
            ApiConfig {
                compressed: false,
                ..ApiConfig::default()
            },
        )
        .expect("API client");
        let t = Instant::now();
        let mut offset = 0u64;
        loop {
            let page = plain
                .list_users(&creds, false, offset, 1_000)
                .await
                .expect("a page");
            offset += page.users.len() as u64;
            if page.users.is_empty() || offset >= page.total_count {
                break;
            }
        }
        Some(t.elapsed().as_secs_f64())
    } else {
        None
    };
    (rtts[rtts.len() / 2], full, fetch, before)
}

/// Forwards every connection to `upstream`, each direction's chunks `delay` late, in order.
async fn proxy(listener: TcpListener, upstream: SocketAddr, delay: Duration) {
    while let Ok((down, _)) = listener.accept().await {
        tokio::spawn(async move {
            let Ok(up) = TcpStream::connect(upstream).await else {
                return;
            };
            let _ = (down.set_nodelay(true), up.set_nodelay(true));
            // A new connection costs a round trip before its first byte (the handshake).
            let open_at = tokio::time::Instant::now() + 2 * delay;
            let (dr, dw) = down.into_split();
            let (ur, uw) = up.into_split();
            tokio::join!(
                delayed(dr, uw, delay, open_at),
                delayed(ur, dw, delay, open_at)
            );
        });
    }
}

/// Copies `from` to `to`, each chunk written `delay` after it was read (or after `open_at`).
async fn delayed(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
    open_at: tokio::time::Instant,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(tokio::time::Instant, Vec<u8>)>();
    let read = async move {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = from.read(&mut buf).await {
            let at = tokio::time::Instant::now().max(open_at) + delay;
            if n == 0 || tx.send((at, buf[..n].to_vec())).is_err() {
                break;
            }
        }
    };
    let write = async move {
        while let Some((at, chunk)) = rx.recv().await {
            tokio::time::sleep_until(at).await;
            if to.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(read, write);
}
