//! The built-in demo environment of an installed app: when no environment is configured, the
//! app runs the reference server (`amorphic-su-server`) in-process on 127.0.0.1, with its
//! SQLite database in the OS data directory and the demo seed loaded with credentials that are
//! random per installation (the published seed's passwords and PATs never work here). The
//! random credentials live in the OS keychain only; the `demo` environment (profile) points at
//! the server and is signed in as the seed's super-admin, alice.
//!
//! Later starts reuse the database and the keychain entries, follow the server to a new port
//! when the previous one is taken, and sign in again when the session has ended. With no usable
//! keychain the server still starts, nothing secret is written anywhere, and the `demo`
//! environment's session status names the keychain problem.
//!
//! Tauri-free: the desktop's setup hook calls [`bootstrap`] once and keeps the server alive;
//! tested in `crates/demo/tests/` against a real Secret Service.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

use amorphic_su_client::model::UserId;
use amorphic_su_client::{
    AuthKind, Client, ClientError, Config, NewProfile, Paths, SecretKind, SignedIn, Vault,
};
use amorphic_su_server::seed::Seed;
use amorphic_su_server::{spawn, SeedCredentials, ServerError, ServerOptions};
use serde::{Deserialize, Serialize};

/// The running server the caller keeps alive (dropping it stops the demo server).
pub use amorphic_su_server::RunningServer;

/// The environment (profile) name of the built-in demo.
pub const PROFILE: &str = "demo";
/// Who the demo environment signs in as: the demo seed's super-admin.
pub const DEMO_USER: &str = "alice";
const DEMO_ROLE: &str = "SystemRole-SuperAdmin";
const DEMO_COLOUR: &str = "teal";
/// Set to `1` to never start the built-in demo environment.
pub const DISABLE_ENV: &str = "AMORPHIC_SU_NO_DEMO";

/// The demo's folder under the data directory: `server.db` and `demo.json`.
pub fn demo_dir(paths: &Paths) -> PathBuf {
    paths.data_dir.join("demo")
}

/// What the app remembers about its demo server between starts (no secret).
#[derive(Debug, Default, Serialize, Deserialize)]
struct DemoState {
    /// The URL the `demo` profile was pointed at: a `demo` profile with this URL is ours.
    base_url: Option<String>,
    /// The database holds the seed, loaded with the credentials now in the keychain.
    seeded: bool,
}

impl DemoState {
    fn file(dir: &Path) -> PathBuf {
        dir.join("demo.json")
    }

    /// A missing or unreadable file is a first start.
    fn load(dir: &Path) -> DemoState {
        std::fs::read(Self::file(dir))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn save(&self, dir: &Path) -> Result<(), DemoError> {
        let file = Self::file(dir);
        let tmp = file.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(self).expect("plain data serialises");
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, &file))
            .map_err(|e| DemoError::Io(format!("cannot write {}: {e}", file.display())))
    }

    fn previous_port(&self) -> Option<u16> {
        let url = self.base_url.as_deref()?;
        url.rsplit_once(':')?.1.parse().ok()
    }
}

/// Why the demo environment could not start at all.
#[derive(Debug)]
pub enum DemoError {
    Client(ClientError),
    Server(ServerError),
    Io(String),
}

impl std::fmt::Display for DemoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DemoError::Client(e) => e.fmt(f),
            DemoError::Server(e) => write!(f, "the demo server did not start: {e}"),
            DemoError::Io(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for DemoError {}

impl From<ClientError> for DemoError {
    fn from(e: ClientError) -> Self {
        DemoError::Client(e)
    }
}

impl From<ServerError> for DemoError {
    fn from(e: ServerError) -> Self {
        DemoError::Server(e)
    }
}

/// How the demo environment's sign-in went.
#[derive(Debug)]
pub enum DemoSession {
    /// The stored session still works.
    Reused,
    /// Signed in with the password from the keychain.
    SignedIn(SignedIn),
    /// Not signed in; `session_status` reports the same problem to the UI.
    Problem(ClientError),
}

/// A running demo environment.
pub struct DemoEnvironment {
    /// The in-process server; it serves until dropped or shut down.
    pub server: RunningServer,
    /// True when this start generated the credentials and seeded a new database.
    pub first_start: bool,
    pub session: DemoSession,
}

/// Starts the demo environment when it is wanted: no environment is configured, or the `demo`
/// environment is the one this app made. `Ok(None)` when it is not wanted.
pub async fn bootstrap(paths: &Paths, vault: &Vault) -> Result<Option<DemoEnvironment>, DemoError> {
    if std::env::var_os(DISABLE_ENV).is_some_and(|v| v == "1") {
        return Ok(None);
    }
    let dir = demo_dir(paths);
    let mut state = DemoState::load(&dir);
    let config = Config::load(paths)?;
    let ours = config
        .get(PROFILE)
        .is_some_and(|p| state.base_url.as_deref() == Some(p.base_url.as_str()));
    if !config.profiles.is_empty() && !ours {
        return Ok(None);
    }
    create_private_dir(&dir)?;
    let db = dir.join("server.db");

    // First start (or one that stopped half-way): new random credentials, into the keychain
    // first, then into a new database. Without a keychain the server starts empty.
    let mut keychain_problem = None;
    let mut seed = None;
    if !state.seeded {
        remove_database(&db)?;
        let credentials = SeedCredentials::random_for(&Seed::demo());
        match store_credentials(vault, &credentials).await {
            Ok(()) => seed = Some(credentials),
            Err(e) => keychain_problem = Some(e),
        }
    }
    let first_start = seed.is_some();
    let server = start_server(&db, seed, state.previous_port()).await?;
    state.seeded |= server.seed_outcome().is_some();
    let base_url = server.base_url();
    // Remembered before the profile points there, so a `demo` profile with this URL is ours.
    state.base_url = Some(base_url.clone());
    state.save(&dir)?;
    point_profile_at(paths, &base_url)?;

    let session = match keychain_problem {
        Some(e) => {
            // The profile signs in by session, kept in the keychain: asking for it reports the
            // keychain's state, which is what the person has to fix.
            mark_session_profile(paths)?;
            DemoSession::Problem(e)
        }
        None => sign_in(paths, vault).await,
    };
    Ok(Some(DemoEnvironment {
        server,
        first_start,
        session,
    }))
}

fn create_private_dir(dir: &Path) -> Result<(), DemoError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| DemoError::Io(format!("cannot create {}: {e}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

fn remove_database(db: &Path) -> Result<(), DemoError> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(DemoError::Io(format!(
                    "cannot remove {}: {e}",
                    Path::new(&name).display()
                )))
            }
        }
    }
    Ok(())
}

fn user(id: &str) -> UserId {
    UserId::parse(id).expect("a valid user id")
}

/// Every generated password and PAT, before the server gets them: a server whose credentials
/// are in no keychain would be one nobody can sign in to. The writes run side by side (each
/// keychain call opens its own Secret Service session, which is most of its time).
async fn store_credentials(vault: &Vault, c: &SeedCredentials) -> Result<(), ClientError> {
    let passwords = c
        .passwords
        .iter()
        .map(|(u, secret)| (SecretKind::SeedPassword(u.clone()), secret.clone()));
    let pats = c.tokens.iter().map(|((u, token_name), secret)| {
        let kind = SecretKind::SeedPat {
            user: u.clone(),
            token_name: token_name.clone(),
        };
        (kind, secret.clone())
    });
    let mut writes = tokio::task::JoinSet::new();
    for (kind, secret) in passwords.chain(pats) {
        let vault = vault.clone();
        writes.spawn(async move { vault.set(PROFILE, &kind, &secret).await });
    }
    while let Some(done) = writes.join_next().await {
        done.map_err(|e| ClientError::KeychainUnavailable {
            reason: format!("a keychain write failed: {e}"),
        })??;
    }
    Ok(())
}

/// On the previous port when it is free (the profile's URL stays), else on any free port.
async fn start_server(
    db: &Path,
    seed: Option<SeedCredentials>,
    previous_port: Option<u16>,
) -> Result<RunningServer, ServerError> {
    let options = |port: u16| {
        let o = ServerOptions::new(db).listen(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        match &seed {
            Some(c) => o.demo_seed().seed_credentials(c.clone()),
            None => o,
        }
    };
    let port = previous_port
        .filter(|&p| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).is_ok())
        .unwrap_or(0);
    match spawn(options(port)).await {
        Err(_) if port != 0 => spawn(options(0)).await,
        other => other,
    }
}

/// Adds the `demo` profile (current when it is the only one), or moves it to `base_url`.
fn point_profile_at(paths: &Paths, base_url: &str) -> Result<(), ClientError> {
    let mut config = Config::load(paths)?;
    match config.get_mut(PROFILE) {
        Some(p) if p.base_url == base_url => return Ok(()),
        Some(p) => p.base_url = base_url.to_owned(),
        None => {
            config.add(NewProfile {
                name: PROFILE.into(),
                base_url: base_url.into(),
                user_id: Some(DEMO_USER.into()),
                default_role: Some(DEMO_ROLE.into()),
                color: Some(DEMO_COLOUR.into()),
                production: false,
            })?;
        }
    }
    config.save(paths)
}

fn mark_session_profile(paths: &Paths) -> Result<(), ClientError> {
    let mut config = Config::load(paths)?;
    if let Some(p) = config.get_mut(PROFILE) {
        p.auth = Some(AuthKind::Session);
        p.session_expires_at = None;
    }
    config.save(paths)
}

/// Keeps a working session; otherwise signs in with alice's password from the keychain.
async fn sign_in(paths: &Paths, vault: &Vault) -> DemoSession {
    let profile = match Config::load(paths).and_then(|c| c.resolve(Some(PROFILE)).cloned()) {
        Ok(p) => p,
        Err(e) => return DemoSession::Problem(e),
    };
    let mut client = match Client::for_profile(paths, profile, vault.clone()).await {
        Ok(c) => c,
        Err(e) => return DemoSession::Problem(e),
    };
    let outcome = match client.whoami().await {
        Ok(_) => DemoSession::Reused,
        Err(e @ ClientError::KeychainUnavailable { .. }) => DemoSession::Problem(e),
        Err(_) => {
            let password = vault
                .get(PROFILE, &SecretKind::SeedPassword(user(DEMO_USER)))
                .await;
            match password {
                Ok(Some(p)) => match client.login_with_password(DEMO_USER, p).await {
                    Ok(signed_in) => DemoSession::SignedIn(signed_in),
                    Err(e) => DemoSession::Problem(e),
                },
                Ok(None) => DemoSession::Problem(ClientError::NotSignedIn {
                    profile: PROFILE.into(),
                }),
                Err(e) => DemoSession::Problem(e),
            }
        }
    };
    client.cache().close().await;
    outcome
}
