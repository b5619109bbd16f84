//! The platform-specific paths (`cfg(unix)` / `cfg(not(unix))`), run on every OS CI covers:
//! private files and folders (owner-only modes on Unix; created with the default ACL, which
//! is the user's own profile folder, on Windows), and `exec` passing on the child's exit
//! status (a signal as 128+N on Unix, the exit code everywhere).

use crate::common::{signed_in_env, Env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_and_server_files_are_private_to_their_owner() {
    let (env, srv) = signed_in_env("private").await;
    let o = env.cli(&["--profile", &env.profile, "sync"], None).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    srv.shutdown().await;

    // The config, the cache and the journal (their SQLite -wal/-shm files come and go).
    let mut files: Vec<_> = env
        .client_files()
        .into_iter()
        .filter(|p| {
            !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
        })
        .collect();
    let named = |dir: &str| {
        files
            .iter()
            .any(|p| p.parent().is_some_and(|d| d.ends_with(dir)))
    };
    assert!(
        named("config") && named("cache") && named("journal"),
        "config, cache and journal among {files:?}"
    );
    // The folders holding them: the config folder, data/cache and data/journal.
    let folders: Vec<_> = files
        .iter()
        .filter_map(|f| f.parent())
        .map(|d| d.to_owned())
        .collect();
    files.push(env.db());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        for f in &files {
            assert_eq!(mode(f), 0o600, "{} is the owner's only", f.display());
        }
        for d in &folders {
            assert_eq!(mode(d), 0o700, "{} is the owner's only", d.display());
        }
    }
    #[cfg(not(unix))]
    {
        for f in &files {
            assert!(f.is_file(), "{} exists", f.display());
        }
        for d in &folders {
            assert!(d.is_dir(), "{} exists", d.display());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_passes_on_the_childs_exit_status() {
    let (env, _srv) = signed_in_env("exitcode").await;
    let exec = |child: &'static [&'static str]| {
        let env: &Env = &env;
        async move {
            let mut args = vec![
                "--profile",
                env.profile.as_str(),
                "exec",
                "etl-bot",
                "--role",
                "role-data-engineers",
                "--minutes",
                "5",
                "--",
            ];
            args.extend_from_slice(child);
            env.cli(&args, None).await
        }
    };
    #[cfg(unix)]
    {
        let o = exec(&["sh", "-c", "exit 3"]).await;
        assert_eq!(
            o.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // Killed by SIGTERM (15): 128 + 15, as a shell reports it.
        let o = exec(&["sh", "-c", "kill -TERM $$"]).await;
        assert_eq!(
            o.status.code(),
            Some(143),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    #[cfg(windows)]
    {
        let o = exec(&["cmd", "/C", "exit 3"]).await;
        assert_eq!(
            o.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
