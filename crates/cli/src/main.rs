//! `amorphic-su`: manage and assume Amorphic service users from the command line.

mod cli;
mod commands;
mod context;
mod exit;
mod output;

use std::process::ExitCode;

use amorphic_su_client::ClientError;
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::*;
use crate::context::Context;
use crate::exit::Exit;
use crate::output::Out;

fn main() -> ExitCode {
    // Like other command-line tools, end quietly when the reader of the output goes away
    // (`amorphic-su users list --json | head`) instead of panicking on the broken pipe.
    sigpipe::reset();
    let cli = Cli::parse();
    let out = Out { json: cli.json };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return Exit::Unexpected.into();
        }
    };
    let result = rt.block_on(run(cli));
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            out.error(&e);
            Exit::for_error(&e).into()
        }
    }
}

/// Runs the command; `Ok` holds the exit code (`exec` passes on its command's own).
async fn run(cli: Cli) -> Result<u8, ClientError> {
    let ctx = Context::new(&cli)?;
    match &cli.command {
        Command::Profile(cmd) => profile::run(&ctx, cmd).await?,
        Command::Login(a) => session::login(&ctx, a).await?,
        Command::Logout => session::logout(&ctx).await?,
        Command::Whoami => session::whoami(&ctx).await?,
        Command::Sync { full } => sync::run(&ctx, *full).await?,
        Command::Users(cmd) => users::run(&ctx, cmd).await?,
        Command::Roles => roles::run(&ctx).await?,
        Command::Role(cmd) => role::run(&ctx, cmd).await?,
        Command::ServiceUsers(cmd) => service_users::run(&ctx, cmd).await?,
        Command::Assume(a) => assume::run(&ctx, a).await?,
        Command::Exec(a) => return exec::run(&ctx, a).await,
        Command::Tokens(cmd) => tokens::run(&ctx, cmd).await?,
        Command::AccessTokens(cmd) => access_tokens::run(&ctx, cmd).await?,
        Command::History(a) => history::run(&ctx, a).await?,
        Command::Doctor => return Ok(doctor::run(&ctx, cli.profile.as_deref()).await),
    }
    Ok(Exit::Success.code())
}
