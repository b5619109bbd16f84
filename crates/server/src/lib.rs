//! The reference server of the service-user API: every endpoint and rule of the contract,
//! over axum and SQLite.
//!
//! ```no_run
//! # async fn demo() -> Result<(), amorphic_su_server::ServerError> {
//! use amorphic_su_server::{spawn, ServerOptions};
//! let server = spawn(ServerOptions::new("/tmp/su.db").seed("crates/server/seed/demo-seed.json")).await?;
//! println!("{}", server.base_url()); // http://127.0.0.1:PORT
//! server.shutdown().await;
//! # Ok(()) }
//! ```

mod auth;
mod cache;
mod date_skew;
mod db;
mod error;
mod extract;
mod host_check;
mod keys;
pub mod mutations;
mod queries;
mod routes;
mod rows;
pub mod seed;
mod state;
mod store;
mod strict;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

// The pure steps of authentication and header parsing, with no database or state: what the
// fuzz targets call, in the order `authenticate` calls them.
pub use auth::principal::{credential_token, role_header, service_user_token};
pub use error::ServerError;
pub use extract::{is_json, MAX_BODY_BYTES};
pub use host_check::HostCheck;
pub use keys::{Act, Claims, KeyRing, MAX_TOKEN_CHARS, TOKEN_CHAR_BUDGET};
pub use routes::{app, openapi};
pub use seed::demo::{demo_seed_path, DEMO_SEED};
pub use seed::{SeedCredentials, SeedOutcome};
pub use state::{AppConfig, AppState};
pub use store::Store;

/// Which seed [`spawn`] loads into an empty database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedSource {
    /// A seed file.
    File(PathBuf),
    /// The demo seed compiled into the server ([`DEMO_SEED`]): works where the source tree
    /// is not (an installed app).
    Demo,
}

/// How to start a server with [`spawn`].
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub db_path: PathBuf,
    pub seed: Option<SeedSource>,
    /// Passwords and PATs that replace the seed's own (see [`SeedCredentials`]).
    pub seed_credentials: SeedCredentials,
    /// Default `127.0.0.1:0` (any free port).
    pub listen: SocketAddr,
    /// Default: `http://HOST:PORT` of the bound address.
    pub issuer: Option<String>,
    /// Extra names the `Host` check accepts on a loopback address.
    pub allowed_hosts: Vec<String>,
    /// Default `true`; see [`ServerOptions::without_change_feed`].
    pub change_feed: bool,
    /// Default 0; see [`ServerOptions::date_offset_seconds`].
    pub date_offset_seconds: i64,
}

impl ServerOptions {
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        ServerOptions {
            db_path: db_path.into(),
            seed: None,
            seed_credentials: SeedCredentials::default(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            issuer: None,
            allowed_hosts: Vec::new(),
            change_feed: true,
            date_offset_seconds: 0,
        }
    }

    pub fn seed(mut self, path: impl Into<PathBuf>) -> Self {
        self.seed = Some(SeedSource::File(path.into()));
        self
    }

    /// Loads the demo seed shipped with the server (compiled in).
    pub fn demo_seed(mut self) -> Self {
        self.seed = Some(SeedSource::Demo);
        self
    }

    /// Loads the seed with these passwords and PATs instead of its own; every entry must
    /// name a credential of the seed.
    pub fn seed_credentials(mut self, credentials: SeedCredentials) -> Self {
        self.seed_credentials = credentials;
        self
    }

    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    pub fn allowed_host(mut self, name: impl Into<String>) -> Self {
        self.allowed_hosts.push(name.into());
        self
    }

    /// Behave like a platform without the change feed (the real Amorphic platform may not
    /// have one): `GET /users?action=get_service_users&since=V` ignores `since`, as the
    /// platform ignores a query parameter it does not know, and answers the plain list of
    /// service users (`{"Users","TotalCount"}`, paged by `offset` and `limit`). For testing
    /// clients' fallback to a full sync.
    pub fn without_change_feed(mut self) -> Self {
        self.change_feed = false;
        self
    }

    /// A test aid: every answer's `Date` header is `seconds` away from the true time, as a
    /// server (or client) with a wrong clock would see it; for testing clients' clock checks.
    pub fn date_offset_seconds(mut self, seconds: i64) -> Self {
        self.date_offset_seconds = seconds;
        self
    }
}

/// The longest accepted issuer: it is a claim of every token, which must stay under
/// [`TOKEN_CHAR_BUDGET`] characters.
pub const MAX_ISSUER_CHARS: usize = 256;

/// Refuses an issuer that is empty or would make tokens too long.
pub fn validate_issuer(issuer: &str) -> Result<(), ServerError> {
    if issuer.is_empty() || issuer.chars().count() > MAX_ISSUER_CHARS {
        return Err(ServerError::Config(format!(
            "the issuer must be 1-{MAX_ISSUER_CHARS} characters"
        )));
    }
    Ok(())
}

/// The `--issuer` default: the URL the server prints.
pub fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes in-flight
/// requests and closes the database.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store().clone();
    let result = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await;
    store.close().await;
    result
}

/// A server running on a background task.
pub struct RunningServer {
    addr: SocketAddr,
    seed: Option<SeedOutcome>,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        base_url(self.addr)
    }

    /// What happened to the seed, if one was given.
    pub fn seed_outcome(&self) -> Option<&SeedOutcome> {
        self.seed.as_ref()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting, finishes in-flight requests, closes the database.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Opens the database (migrations, signing key), loads the seed into an empty database,
/// binds `options.listen` and serves on a background task of the current runtime.
pub async fn spawn(options: ServerOptions) -> Result<RunningServer, ServerError> {
    if let Some(issuer) = &options.issuer {
        validate_issuer(issuer)?;
    }
    let store = Store::open(&options.db_path).await?;
    let seed = match &options.seed {
        Some(SeedSource::File(path)) => Some(
            store
                .load_seed_file_with(path, &options.seed_credentials)
                .await?,
        ),
        Some(SeedSource::Demo) => {
            let mut seed = seed::Seed::demo();
            options.seed_credentials.apply_to(&mut seed)?;
            Some(store.load_seed(&seed).await?)
        }
        None if !options.seed_credentials.is_empty() => {
            return Err(ServerError::Config(
                "seed credentials were given without a seed".into(),
            ))
        }
        None => None,
    };
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|e| ServerError::io(format!("binding {}", options.listen), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::io("reading the bound address", e))?;
    let config = AppConfig {
        issuer: options.issuer.unwrap_or_else(|| base_url(addr)),
        host_check: HostCheck::for_listen_addr(addr, &options.allowed_hosts),
        change_feed: options.change_feed,
        date_offset_seconds: options.date_offset_seconds,
    };
    let state = AppState::new(store, config);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    Ok(RunningServer {
        addr,
        seed,
        state,
        stop: Some(stop),
        task,
    })
}
