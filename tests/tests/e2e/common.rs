//! Shared helpers: a real reference server on 127.0.0.1:0 with the demo seed, a private client
//! folder per test, unique profile names (the keychain is shared by every test of a run), and
//! the `amorphic-su` binary.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use amorphic_su_client::model::Secret;
use amorphic_su_client::{Client, Config, NewProfile, Paths};
use amorphic_su_server::{spawn, RunningServer, ServerOptions};

pub use amorphic_su_server::seed::demo::{ALICE_PASSWORD, ALICE_SUPERADMIN_PAT};

pub struct Env {
    pub dir: tempfile::TempDir,
    pub paths: Paths,
    pub profile: String,
}

impl Env {
    pub fn new(tag: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let profile = format!("{tag}-{}-{:08x}", std::process::id(), rand::random::<u32>());
        Env {
            dir,
            paths,
            profile,
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("server.db")
    }

    pub fn add_profile(&self, base_url: &str) {
        let mut c = Config::load(&self.paths).unwrap();
        c.add(NewProfile {
            name: self.profile.clone(),
            base_url: base_url.into(),
            ..Default::default()
        })
        .unwrap();
        c.save(&self.paths).unwrap();
    }

    pub fn set_base_url(&self, base_url: &str) {
        let mut c = Config::load(&self.paths).unwrap();
        c.get_mut(&self.profile).unwrap().base_url = base_url.into();
        c.save(&self.paths).unwrap();
    }

    pub async fn client(&self) -> Client {
        Client::open(&self.paths, Some(&self.profile))
            .await
            .unwrap()
    }

    /// A profile on `base_url`, signed in with alice's super-admin PAT.
    pub async fn signed_in(&self, base_url: &str) -> Client {
        self.add_profile(base_url);
        let mut c = self.client().await;
        c.login_with_pat(Secret::new(ALICE_SUPERADMIN_PAT))
            .await
            .unwrap();
        c
    }

    /// Every file the client wrote (config, cache, WAL...).
    pub fn client_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for root in [&self.paths.config_dir, &self.paths.data_dir] {
            walk(root, &mut out);
        }
        out
    }

    /// Runs the CLI with this test's folders.
    pub async fn cli(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.cli_with(args, stdin, &[]).await
    }

    pub async fn cli_with(
        &self,
        args: &[&str],
        stdin: Option<&str>,
        env: &[(&str, &str)],
    ) -> Output {
        use tokio::io::AsyncWriteExt;
        let mut cmd = tokio::process::Command::new(cli_bin());
        cmd.args(args)
            .env("AMORPHIC_SU_CONFIG_DIR", &self.paths.config_dir)
            .env("AMORPHIC_SU_DATA_DIR", &self.paths.data_dir)
            .env_remove("AMORPHIC_SU_PROFILE")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("run amorphic-su");
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).await.unwrap();
        }
        drop(input);
        tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("amorphic-su finished in time")
            .unwrap()
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

pub async fn server(db: &Path) -> RunningServer {
    spawn(ServerOptions::new(db).demo_seed())
        .await
        .expect("reference server starts")
}

/// A fresh environment whose profile is signed in as alice (super-admin PAT) on a new server.
pub async fn signed_in_env(tag: &str) -> (Env, RunningServer) {
    let env = Env::new(tag);
    let srv = server(&env.db()).await;
    let p = env.profile.as_str();
    let o = env
        .cli(&["profile", "add", p, "--url", &srv.base_url()], None)
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = env
        .cli(
            &["--profile", p, "login", "--token-stdin"],
            Some(&format!("{ALICE_SUPERADMIN_PAT}\n")),
        )
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (env, srv)
}

/// The `amorphic-su` binary next to this test's target folder, built once if needed.
pub fn cli_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let debug_dir = exe.parent().and_then(Path::parent).unwrap().to_owned();
        let target_dir = debug_dir.parent().unwrap().to_owned();
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "amorphic-su"])
            .env("CARGO_TARGET_DIR", &target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build -p amorphic-su");
        assert!(status.success(), "building amorphic-su failed");
        debug_dir.join(format!("amorphic-su{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// A raw API call with alice's super-admin PAT (changes made behind the client's back).
pub async fn raw(
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .header("Authorization", ALICE_SUPERADMIN_PAT);
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap()
}

pub fn stderr_line(o: &Output) -> String {
    let s = String::from_utf8_lossy(&o.stderr).trim().to_owned();
    assert_eq!(s.lines().count(), 1, "one line on stderr, got: {s:?}");
    s
}
