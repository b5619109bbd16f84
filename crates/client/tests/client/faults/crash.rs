//! Crash safety: a client process killed (SIGKILL) at a random moment of a large first sync,
//! again and again on the same cache file. After each kill the file passes
//! `PRAGMA integrity_check` and the sync's position matches the rows: an unfinished full pass
//! holds exactly the users before its recorded offset (the list is static and in id order), a
//! finished one all of them. `AMORPHIC_SU_CRASH_RUNS` sets the number of kills (a few by
//! default; `make soak` asks for 100).

use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::Duration;

use amorphic_su_client::Paths;
use amorphic_su_server::{seed, spawn, ServerOptions, Store};
use rand::Rng;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Row};

use super::peer::{alice, client};

const CHILD_ENV: &str = "AMORPHIC_SU_CRASH_CHILD";
const PROFILE: &str = "crash";
const SERVICE_USERS: usize = 3_000;

/// The process that gets killed: one sync into the cache under the given folder.
#[tokio::test]
#[ignore = "run by the crash test in a child process"]
async fn crash_child_syncs_once() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (base, dir) = spec.split_once('|').unwrap();
    let paths = Paths::under(std::path::Path::new(dir));
    let c = client(&paths, PROFILE, base.to_owned())
        .await
        .with_sync_page(50);
    c.sync_as(&alice(), false, &|_| {}).await.unwrap();
}

/// What the killed run left: (users, full_offset, full_last_id, highest user id, finished).
async fn left(path: &std::path::Path) -> (i64, Option<i64>, Option<String>, Option<String>, bool) {
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(check, "ok", "the cache survived the kill");
    let state =
        |key: &'static str| sqlx::query("SELECT value FROM sync_state WHERE key = ?").bind(key);
    let offset = state("full_offset")
        .fetch_optional(&mut conn)
        .await
        .unwrap();
    let last = state("full_last_id")
        .fetch_optional(&mut conn)
        .await
        .unwrap();
    let done = state("full_sync_at")
        .fetch_optional(&mut conn)
        .await
        .unwrap();
    let pending = state("full_pending")
        .fetch_optional(&mut conn)
        .await
        .unwrap();
    let row = sqlx::query("SELECT count(*), max(user_id) FROM users")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let text = |r: Option<sqlx::sqlite::SqliteRow>| r.map(|r| r.get::<String, _>(0));
    (
        row.get(0),
        text(offset).and_then(|s| s.parse().ok()),
        text(last),
        row.get(1),
        done.is_some() && text(pending).is_none_or(|p| p != "1"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_killed_during_a_large_sync_leaves_a_sound_cache_whose_position_matches_its_rows()
{
    let runs: u32 = std::env::var("AMORPHIC_SU_CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let store = Store::open(&db).await.unwrap();
    store
        .load_seed(&seed::demo_with_service_users(SERVICE_USERS))
        .await
        .unwrap();
    store.close().await;
    let srv = spawn(ServerOptions::new(&db)).await.unwrap();
    let client_dir = dir.path().join("client");
    let cache = Paths::under(&client_dir).cache_file(PROFILE);
    let child = || {
        Command::new(std::env::current_exe().unwrap())
            .args([
                "faults::crash::crash_child_syncs_once",
                "--exact",
                "--ignored",
            ])
            .env(
                CHILD_ENV,
                format!("{}|{}", srv.base_url(), client_dir.display()),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole run takes here, so the kills land throughout it.
    let started = std::time::Instant::now();
    assert!(
        child().wait().unwrap().success(),
        "an unkilled sync succeeds"
    );
    let whole = started.elapsed().as_millis() as u64;
    remove_cache(&cache);

    let (mut mid_pass, mut finished) = (0, 0);
    for run in 0..runs {
        let mut child = child();
        let wait = rand::thread_rng().gen_range(whole / 10..=whole);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if !cache.exists() {
            continue; // killed before the cache was created
        }
        let (rows, offset, last, highest, done) = left(&cache).await;
        if done {
            assert!(
                rows as usize >= SERVICE_USERS,
                "run {run}: {rows} rows after a finished sync"
            );
            finished += 1;
            // Start over, so the next kill lands in a first sync again.
            remove_cache(&cache);
        } else {
            assert_eq!(
                Some(rows),
                offset.or(Some(0)),
                "run {run}: rows against the offset"
            );
            assert_eq!(highest, last, "run {run}: the last stored id");
            mid_pass += 1;
        }
    }
    eprintln!(
        "{runs} kills over {whole} ms runs: {mid_pass} mid-pass, {finished} after it finished"
    );
}

fn remove_cache(cache: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", cache.display()));
    }
}
