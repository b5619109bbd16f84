//! End to end through the `amorphic-su` binary: `exec` and its proxy, and bad input giving
//! one-line errors with documented exit codes.

use std::io::{Read, Write};
use std::net::TcpListener;

use crate::common::*;
use amorphic_su_client::model::UserId;
use amorphic_su_client::{SecretKind, Vault};

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

// The child is a bash script that speaks HTTP over /dev/tcp; Windows has neither.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_child_reaches_the_server_through_the_proxy_without_a_real_secret() {
    let (env, srv) = signed_in_env("exec").await;
    let p = env.profile.as_str();

    // The child: dumps its AMORPHIC_* environment, calls /whoami through the proxy with the
    // one-time credential, once more with a wrong one, and exits 7.
    let script = r#"
env | grep '^AMORPHIC_' | sort
hp=${AMORPHIC_BASE_URL#http://}
req() {
  exec 3<>/dev/tcp/${hp%%:*}/${hp##*:}
  printf 'GET /whoami HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nConnection: close\r\n\r\n' "$hp" "$1" >&3
  cat <&3
  exec 3<&-
}
echo "---ok"; req "$AMORPHIC_AUTHORIZATION_TOKEN"
echo; echo "---wrong"; req "amo_exec_wrong"
exit 7
"#;
    let o = env
        .cli_with(
            &[
                "--profile",
                p,
                "exec",
                "etl-bot",
                "--role",
                "role-data-engineers",
                "--minutes",
                "5",
                "--",
                "bash",
                "-c",
                script,
            ],
            None,
            &[("AMORPHIC_SU_SECRET_LEAK_CHECK", ALICE_SUPERADMIN_PAT)],
        )
        .await;
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(
        code(&o),
        7,
        "exit code passed on; stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let token = Vault::default()
        .get(p, &SecretKind::Assumed(UserId::parse("etl-bot").unwrap()))
        .await
        .unwrap()
        .expect("assumed token in the keychain");
    assert!(
        !out.contains(token.expose()),
        "no service-user token in the child"
    );
    assert!(
        !out.contains(ALICE_SUPERADMIN_PAT),
        "no PAT in the child (other AMORPHIC_* removed)"
    );
    let vars: Vec<&str> = out.lines().take_while(|l| !l.starts_with("---")).collect();
    let names: Vec<&str> = vars.iter().map(|l| l.split('=').next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "AMORPHIC_AUTHORIZATION_TOKEN",
            "AMORPHIC_BASE_URL",
            "AMORPHIC_ROLE_ID",
            "AMORPHIC_SERVICE_USER_EXPIRES_AT"
        ]
    );
    assert!(vars.contains(&"AMORPHIC_ROLE_ID=role-data-engineers"));
    assert!(vars
        .iter()
        .any(|v| v.starts_with("AMORPHIC_BASE_URL=http://127.0.0.1:")));
    let ok = out
        .split("---ok")
        .nth(1)
        .unwrap()
        .split("---wrong")
        .next()
        .unwrap();
    assert!(ok.starts_with("\nHTTP/1.1 200"), "{ok}");
    assert!(
        ok.contains(r#""UserId":"etl-bot""#) && ok.contains(r#""ActorUserId":"alice""#),
        "{ok}"
    );
    let wrong = out.split("---wrong").nth(1).unwrap();
    assert!(wrong.contains("HTTP/1.1 401"), "{wrong}");

    // The proxy is gone with the child.
    let base = vars
        .iter()
        .find_map(|v| v.strip_prefix("AMORPHIC_BASE_URL=http://"))
        .unwrap();
    assert!(std::net::TcpStream::connect(base).is_err(), "proxy stopped");
    srv.shutdown().await;
}

/// A one-shot HTTP responder for what a real server would not send.
fn fake_server(response: &'static str) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let mut s = s;
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(response.as_bytes());
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gives_one_line_errors_and_exit_codes() {
    let env = Env::new("bad");
    let srv = server(&env.db()).await;
    let p = env.profile.clone();
    let o = env
        .cli(&["profile", "add", &p, "--url", &srv.base_url()], None)
        .await;
    assert!(o.status.success());
    let o = env
        .cli(
            &["--profile", &p, "login", "--token-stdin"],
            Some(ALICE_SUPERADMIN_PAT),
        )
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["--profile", "no-such-profile", "users", "list"],
            6,
            "unknown_profile",
        ),
        (
            vec!["profile", "add", "x", "--url", "localhost:8787"],
            9,
            "invalid_input",
        ),
        (
            vec!["--profile", &p, "assume", "etl-bot", "--minutes", "0"],
            9,
            "INVALID_EXPIRY",
        ),
        (
            vec!["--profile", &p, "assume", "etl-bot", "--minutes", "181"],
            9,
            "INVALID_EXPIRY",
        ),
        (
            vec![
                "--profile",
                &p,
                "assume",
                "etl-bot",
                "--role",
                "role-analysts",
            ],
            5,
            "ROLE_NOT_ATTACHED",
        ),
        (
            vec!["--profile", &p, "users", "show", "nobody-here"],
            6,
            "NOT_FOUND",
        ),
        (
            vec![
                "--profile",
                &p,
                "service-users",
                "share",
                "etl-bot",
                "--user",
                "report-bot",
            ],
            9,
            "CANNOT_SHARE_WITH_SERVICE_USER",
        ),
        (
            vec![
                "--profile",
                &p,
                "service-users",
                "delete",
                "etl-bot",
                "--transfer-to",
                "bob",
            ],
            7,
            "MUST_DISABLE_FIRST",
        ),
        (
            vec!["--profile", &p, "tokens", "forget", "etl-bot"],
            4,
            "not_assumed",
        ),
    ];
    for (args, exit, code_str) in &cases {
        let o = env.cli(args, None).await;
        let line = stderr_line(&o);
        assert_eq!(code(&o), *exit, "{args:?}: {line}");
        assert!(
            line.starts_with("error: ") && line.contains(code_str),
            "{args:?}: {line}"
        );
    }
    // The server's own message comes through.
    let o = env
        .cli(
            &[
                "--profile",
                &p,
                "assume",
                "etl-bot",
                "--role",
                "role-analysts",
            ],
            None,
        )
        .await;
    assert!(
        stderr_line(&o).to_lowercase().contains("role"),
        "server message shown"
    );

    // --json errors are one JSON line with code and message.
    let o = env
        .cli(
            &[
                "--json",
                "--profile",
                &p,
                "assume",
                "etl-bot",
                "--minutes",
                "0",
            ],
            None,
        )
        .await;
    let v: serde_json::Value = serde_json::from_str(&stderr_line(&o)).unwrap();
    assert_eq!(v["error"]["code"], "INVALID_EXPIRY");

    // Server down: offline (3); cached reads still answer, marked stale.
    let o = env.cli(&["--profile", &p, "sync"], None).await;
    assert!(o.status.success());
    srv.shutdown().await;
    let o = env
        .cli(
            &["--profile", &p, "service-users", "disable", "etl-bot"],
            None,
        )
        .await;
    assert_eq!(code(&o), 3, "{}", stderr_line(&o));
    assert!(stderr_line(&o).contains("offline"));
    let o = env
        .cli(&["--profile", &p, "users", "list", "--search", "etl"], None)
        .await;
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("stale"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("etl-bot"));
    // The search syntax of the window, parsed by the client: keys, phrases and words.
    let search = ["--profile", &p, "users", "list", "--search"];
    let o = env
        .cli(
            &[&search[..], &["bot owner:carol status:enabled"]].concat(),
            None,
        )
        .await;
    let listed = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        listed.contains("finance-bot") && listed.contains("report-bot"),
        "{listed}"
    );
    assert!(!listed.contains("etl-bot"), "{listed}");
    let o = env
        .cli(&[&search[..], &["colour:red"]].concat(), None)
        .await;
    let line = stderr_line(&o);
    assert_eq!(code(&o), 9, "{line}");
    assert!(line.contains("unknown search key 'colour:'"), "{line}");

    // A 500 with an HTML page and a 200 with malformed JSON: server_error (10), one line.
    for (name, response) in [
        ("five", "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: 18\r\nConnection: close\r\n\r\n<h1>oops\nboom</h1>"),
        ("malformed", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{\"UserId\": ["),
    ] {
        let url = fake_server(response);
        let prof = format!("{p}-{name}");
        assert!(env.cli(&["profile", "add", &prof, "--url", &url], None).await.status.success());
        let o = env.cli(&["--profile", &prof, "login", "--token-stdin"], Some(ALICE_SUPERADMIN_PAT)).await;
        let line = stderr_line(&o);
        assert_eq!(code(&o), 10, "{line}");
        assert!(line.contains("server_error"), "{line}");
    }
}

// Linux only: a missing or locked Secret Service is faked through the D-Bus session; Windows'
// Credential Manager and macOS' Keychain cannot be taken away from a test.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_usable_keychain_is_a_clear_error_and_nothing_is_written() {
    let env = Env::new("nokeychain");
    let srv = server(&env.db()).await;
    let p = env.profile.clone();
    assert!(env
        .cli(&["profile", "add", &p, "--url", &srv.base_url()], None)
        .await
        .status
        .success());

    // No Secret Service at all.
    let o = env
        .cli_with(
            &["--profile", &p, "login", "--token-stdin"],
            Some(ALICE_SUPERADMIN_PAT),
            &[(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/amorphic-su-test-bus",
            )],
        )
        .await;
    let line = stderr_line(&o);
    assert_eq!(code(&o), 8, "{line}");
    assert!(line.contains("keychain_unavailable"), "{line}");

    // A locked keychain: a fresh session bus whose gnome-keyring was never unlocked.
    if std::process::Command::new("dbus-run-session")
        .arg("--version")
        .output()
        .is_ok()
    {
        let bin = cli_bin();
        let o = tokio::process::Command::new("dbus-run-session")
            .args([
                "--",
                bin.to_str().unwrap(),
                "--profile",
                &p,
                "login",
                "--token-stdin",
            ])
            .env("AMORPHIC_SU_CONFIG_DIR", &env.paths.config_dir)
            .env("AMORPHIC_SU_DATA_DIR", &env.paths.data_dir)
            .env("AMORPHIC_SU_KEYCHAIN_TIMEOUT_SECS", "3")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let o = {
            let mut o = o;
            use tokio::io::AsyncWriteExt;
            let mut i = o.stdin.take().unwrap();
            i.write_all(ALICE_SUPERADMIN_PAT.as_bytes()).await.unwrap();
            drop(i);
            tokio::time::timeout(std::time::Duration::from_secs(30), o.wait_with_output())
                .await
                .unwrap()
                .unwrap()
        };
        let err = String::from_utf8_lossy(&o.stderr);
        // gnome-keyring may print its own notes; ours is the one error line.
        let line = err
            .lines()
            .filter(|l| l.contains("error: "))
            .collect::<Vec<_>>();
        assert_eq!(line.len(), 1, "{err}");
        assert!(line[0].contains("keychain_unavailable"), "{err}");
        assert_eq!(code(&o), 8, "{err}");
    }

    // Nothing written in plaintext, the profile is still there and signed out.
    for f in env.client_files() {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes
                .windows(ALICE_SUPERADMIN_PAT.len())
                .any(|w| w == ALICE_SUPERADMIN_PAT.as_bytes()),
            "{}",
            f.display()
        );
    }
    let o = env.cli(&["--json", "profile", "list"], None).await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["profiles"][0]["name"], p.as_str());
    assert!(v["profiles"][0].get("auth").is_none());
    srv.shutdown().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_into_a_closed_pipe_ends_quietly_without_a_panic() {
    let (env, _server) = signed_in_env("pipe").await;
    let p = env.profile.as_str();

    // The reader goes away before the list is written, as `... | head -0` would.
    let mut child = std::process::Command::new(cli_bin())
        .args(["--profile", p, "--json", "users", "list"])
        .env("AMORPHIC_SU_CONFIG_DIR", &env.paths.config_dir)
        .env("AMORPHIC_SU_DATA_DIR", &env.paths.data_dir)
        .env_remove("AMORPHIC_SU_PROFILE")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run amorphic-su");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait for amorphic-su");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        o.status.signal(),
        Some(13),
        "ended by SIGPIPE: {:?} {stderr}",
        o.status
    );
}
