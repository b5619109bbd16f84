//! `amorphic-su-server`: the reference server as a program.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use amorphic_su_server::{
    base_url, serve, validate_issuer, AppConfig, AppState, HostCheck, SeedOutcome, ServerError,
    Store,
};
use clap::Parser;
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(
    version,
    about = "Amorphic-compatible reference server for service users"
)]
struct Args {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// The SQLite database file (created if missing).
    #[arg(long)]
    db: Option<PathBuf>,
    /// A seed file to load into an empty database (ignored, with a notice, otherwise).
    #[arg(long)]
    seed: Option<PathBuf>,
    /// The `iss` of service-user tokens; default the printed http://HOST:PORT.
    #[arg(long)]
    issuer: Option<String>,
    /// Load the demo seed plus this many generated service users into an empty database
    /// instead of `--seed` (benchmarks of long lists).
    #[arg(long, value_name = "N", conflicts_with = "seed")]
    demo_service_users: Option<usize>,
    /// An extra Host name to answer on a loopback address (repeatable).
    #[arg(long = "allowed-host", value_name = "NAME")]
    allowed_host: Vec<String>,
    /// Test aid: move every answer's `Date` header by this many seconds (tests of clients'
    /// clock-skew checks); tokens still use the true time.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    date_offset_seconds: i64,
}

fn default_db() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("amorphic-su-server")
        .join("server.db")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

async fn run(args: Args) -> Result<(), ServerError> {
    if let Some(issuer) = &args.issuer {
        validate_issuer(issuer)?;
    }
    let db = args.db.unwrap_or_else(default_db);
    let store = Store::open(&db).await?;
    if let Some(seed) = &args.seed {
        match store.load_seed_file(seed).await? {
            SeedOutcome::Loaded { users } => {
                tracing::info!(users, seed = %seed.display(), "seed loaded")
            }
            SeedOutcome::SkippedNotEmpty => eprintln!(
                "notice: {} already has users; the seed {} was not loaded",
                db.display(),
                seed.display()
            ),
        }
    }
    if let Some(n) = args.demo_service_users {
        let seed = amorphic_su_server::seed::demo_with_service_users(n);
        if let SeedOutcome::SkippedNotEmpty = store.load_seed(&seed).await? {
            eprintln!(
                "notice: {} already has users; the generated seed was not loaded",
                db.display()
            );
        }
    }
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| ServerError::Config(format!("cannot listen on {}: {e}", args.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::Config(e.to_string()))?;
    let url = base_url(addr);
    let state = AppState::new(
        store,
        AppConfig {
            issuer: args.issuer.unwrap_or_else(|| url.clone()),
            host_check: HostCheck::for_listen_addr(addr, &args.allowed_host),
            change_feed: true,
            date_offset_seconds: args.date_offset_seconds,
        },
    );
    // The first line of standard output, once requests are accepted.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {url}");
    let _ = out.flush();
    drop(out);
    tracing::info!(db = %db.display(), "serving");
    serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| ServerError::Config(format!("server stopped: {e}")))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
