//! `amorphic-su doctor` end to end: the real binary, the real server, the real keychain. The
//! healthy case exits 0 with every check ok; each broken set-up exits with its documented code
//! and names the trouble: a locked keychain (the session's own gnome-keyring, locked over
//! D-Bus), no Secret Service (a D-Bus session bus that can start no service), a clock off the
//! server's `Date` (the server's test aid), a wrong base-URL path, the server down. And the
//! errors of other commands that used to leave a user guessing now name the URL or the id.

#[cfg(target_os = "linux")]
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::*;
use amorphic_su_server::{spawn, ServerOptions};

/// A session bus like the desktop's, but with no service directories to start services from.
#[cfg(target_os = "linux")]
const BUS_WITHOUT_SERVICES: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn report(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor --json printed no JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn check<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} check in {r}"))
}

fn assert_check(r: &Value, id: &str, status: &str, words: &str) {
    let c = check(r, id);
    assert_eq!(c["status"], status, "{id}: {c}");
    let text = format!("{} {}", c["message"], c["fix"]);
    assert!(text.contains(words), "{id} should say '{words}': {c}");
}

#[cfg(target_os = "linux")]
/// `doctor --json` in a D-Bus session of its own, made by `session` (a shell snippet run
/// before the CLI, inside `dbus-run-session` with `bus_config`, or the default session bus).
async fn doctor_in_bus(env: &Env, bus_config: Option<&Path>, session: &str) -> Output {
    let args = ["--profile", &env.profile, "--json", "doctor"];
    cli_in_bus(env, bus_config, session, &args, None).await
}

/// The CLI with `args` (and `stdin`) in a D-Bus session of its own (see [`doctor_in_bus`]).
#[cfg(target_os = "linux")]
async fn cli_in_bus(
    env: &Env,
    bus_config: Option<&Path>,
    session: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    use tokio::io::AsyncWriteExt;
    let runtime = env.dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut cmd = tokio::process::Command::new("dbus-run-session");
    if let Some(c) = bus_config {
        cmd.arg(format!("--config-file={}", c.display()));
    }
    let script = format!("{session}\nexec \"$@\"");
    cmd.args(["--", "bash", "-c", &script, "doctor"])
        .arg(cli_bin())
        .args(args)
        .env("AMORPHIC_SU_CONFIG_DIR", &env.paths.config_dir)
        .env("AMORPHIC_SU_DATA_DIR", &env.paths.data_dir)
        .env("XDG_DATA_HOME", env.dir.path().join("xdg-data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("AMORPHIC_SU_KEYCHAIN_TIMEOUT_SECS", "10")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("run dbus-run-session");
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).await.unwrap();
    }
    drop(input);
    tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the CLI finished in time")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_environment_exits_0_with_every_check_ok() {
    let (env, srv) = signed_in_env("doctor-ok").await;
    let p = env.profile.as_str();
    assert!(env
        .cli(&["--profile", p, "sync"], None)
        .await
        .status
        .success());
    let o = env.cli(&["--profile", p, "doctor", "--json"], None).await;
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let r = report(&o);
    assert_eq!(r["profile"], p);
    for c in r["checks"].as_array().unwrap() {
        assert_eq!(c["status"], "ok", "{c}");
        assert!(c["fix"].is_null(), "{c}");
    }
    assert_eq!(r["checks"].as_array().unwrap().len(), 10);

    let o = env.cli(&["--profile", p, "doctor"], None).await;
    assert_eq!(code(&o), 0);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("[ok]")).count(),
        10,
        "{text}"
    );
    assert!(
        text.contains("10 ok, 0 warning(s), 0 failed, 0 skipped"),
        "{text}"
    );
    env.cli(&["--profile", p, "logout"], None).await;
    srv.shutdown().await;
}

// Linux only (as the two keychain tests below): a locked or missing Secret Service is made
// with a D-Bus session of its own; the Credential Manager and the Keychain cannot be taken
// away from a test.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_keychain_exits_8_saying_locked() {
    let (env, srv) = signed_in_env("doctor-locked").await;
    // A keyring of its own, unlocked, then locked over D-Bus as a screen lock would; the
    // unlock prompt cannot show without a display, so the write is refused.
    let lock = r#"
echo -n doctor-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 1 100); do
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true && break
  sleep 0.05
done
echo -n x | secret-tool store --label=doctor-test service doctor-test account a
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null
unset DISPLAY WAYLAND_DISPLAY"#;
    let o = doctor_in_bus(&env, None, lock).await;
    let r = report(&o);
    assert_eq!(code(&o), 8, "{r}");
    assert_check(&r, "keychain", "fail", "locked");
    assert_check(&r, "keychain", "fail", "unlock");
    assert_eq!(check(&r, "session")["status"], "skipped");
    assert_eq!(
        check(&r, "server")["status"],
        "ok",
        "the other checks still run"
    );

    // Signing in there fails the same way, saying locked (not "no keychain service").
    let login = ["--profile", env.profile.as_str(), "login", "--token-stdin"];
    let pat = format!("{ALICE_SUPERADMIN_PAT}\n");
    let o = cli_in_bus(&env, None, lock, &login, Some(&pat)).await;
    assert_eq!(code(&o), 8, "{}", String::from_utf8_lossy(&o.stderr));
    // The bus and the prompter it tried to start talk on stderr too: the CLI's line is last.
    let stderr = String::from_utf8_lossy(&o.stderr);
    let line = stderr.lines().last().unwrap_or_default();
    assert!(
        line.contains("the keychain is locked") && line.contains("amorphic-su doctor"),
        "{line}"
    );
    env.cli(&["--profile", &env.profile, "logout"], None).await;
    srv.shutdown().await;
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_service_exits_8_saying_what_to_install() {
    let (env, srv) = signed_in_env("doctor-no-ss").await;
    // A session bus with no service files: nothing can provide org.freedesktop.secrets.
    let conf = env.dir.path().join("bus-without-services.conf");
    std::fs::write(&conf, BUS_WITHOUT_SERVICES).unwrap();
    let o = doctor_in_bus(&env, Some(&conf), "").await;
    let r = report(&o);
    assert_eq!(code(&o), 8, "{r}");
    assert_check(&r, "keychain", "fail", "org.freedesktop.secrets");
    assert_check(&r, "keychain", "fail", "gnome-keyring");
    env.cli(&["--profile", &env.profile, "logout"], None).await;
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_off_the_servers_exits_4_naming_the_skew() {
    let env = Env::new("doctor-clock");
    let srv = spawn(
        ServerOptions::new(env.db())
            .demo_seed()
            .date_offset_seconds(-600),
    )
    .await
    .unwrap();
    env.add_profile(&srv.base_url());
    let o = env
        .cli(&["--profile", &env.profile, "doctor", "--json"], None)
        .await;
    let r = report(&o);
    assert_check(&r, "clock", "fail", "600 s ahead of the server's");
    assert_check(&r, "clock", "fail", "NTP");
    // Not signed in fails too, but the clock comes first.
    assert_eq!(code(&o), 4, "{r}");
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_base_url_path_exits_6_and_other_commands_point_to_doctor() {
    let (env, srv) = signed_in_env("doctor-path").await;
    let p = env.profile.as_str();
    let wrong = format!("{}/prod", srv.base_url());
    env.set_base_url(&wrong);
    let o = env.cli(&["--profile", p, "doctor", "--json"], None).await;
    let r = report(&o);
    assert_eq!(code(&o), 6, "{r}");
    assert_check(&r, "base_url", "fail", "stage");
    assert_check(&r, "base_url", "fail", &format!("--url {}", srv.base_url()));

    // Any other command names the URL and points to doctor, with the same code.
    let o = env.cli(&["--profile", p, "whoami"], None).await;
    assert_eq!(code(&o), 6);
    let line = stderr_line(&o);
    assert!(line.contains(&format!("{wrong}/whoami")), "{line}");
    assert!(
        line.contains("amorphic-su doctor") && line.contains("[NOT_FOUND]"),
        "{line}"
    );

    // An unknown service user is named.
    env.set_base_url(&srv.base_url());
    let o = env
        .cli(&["--profile", p, "users", "show", "etl-botx"], None)
        .await;
    assert_eq!(code(&o), 6);
    let line = stderr_line(&o);
    assert!(
        line.contains("'etl-botx'") && line.contains("[NOT_FOUND]"),
        "{line}"
    );
    env.cli(&["--profile", p, "logout"], None).await;
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_down_exits_3() {
    let (env, srv) = signed_in_env("doctor-down").await;
    srv.shutdown().await;
    let o = env
        .cli(&["--profile", &env.profile, "doctor", "--json"], None)
        .await;
    let r = report(&o);
    assert_eq!(code(&o), 3, "{r}");
    assert_check(&r, "server", "fail", "nothing accepts connections");
    for id in ["tls", "clock", "base_url", "jwks", "session"] {
        assert_eq!(check(&r, id)["status"], "skipped", "{id}");
    }
    assert_check(&r, "keychain", "ok", "unlocked");
    // Signing out locally still works with the server gone.
    env.cli(&["--profile", &env.profile, "logout"], None).await;
}
