//! `login`, `logout`, `whoami`: the profile's own sign-in.

use std::io::{BufRead, IsTerminal};

use amorphic_su_client::model::Secret;
use amorphic_su_client::{ClientError, LoginWith, ServerSignOut};

use crate::cli::LoginArgs;
use crate::context::Context;

pub async fn login(ctx: &Context, a: &LoginArgs) -> Result<(), ClientError> {
    let mut client = ctx.client().await?;
    let with = if a.password || a.password_stdin || a.user.is_some() {
        let user_id = client
            .login_user(a.user.as_deref())
            .ok_or_else(|| ClientError::InvalidInput("give the user id with --user".into()))?;
        let password = if a.password_stdin {
            read_stdin_line("password")?
        } else {
            prompt("Password")?
        };
        LoginWith::Password { user_id, password }
    } else {
        LoginWith::Pat(if a.token_stdin {
            read_stdin_line("access token")?
        } else {
            prompt("Personal access token")?
        })
    };
    let signed = client.login(with).await?;
    ctx.out.show(&signed, |signed| {
        let until = signed
            .expires_at
            .map(|t| format!(", session until {t}"))
            .unwrap_or_default();
        println!(
            "signed in to '{}' as {} (role {}){until}",
            signed.profile, signed.user_id, signed.role_id
        );
    });
    Ok(())
}

pub async fn logout(ctx: &Context) -> Result<(), ClientError> {
    let mut client = ctx.client().await?;
    let out = client.logout().await?;
    let name = client.profile().name.clone();
    ctx.out.show(&out, |out| {
        println!("signed out of '{name}': the keychain no longer holds its credential");
        if out.server == ServerSignOut::StillValid {
            eprintln!("warning: {}", out.message);
        } else {
            println!("{}", out.message);
        }
    });
    Ok(())
}

pub async fn whoami(ctx: &Context) -> Result<(), ClientError> {
    let who = ctx.client().await?.whoami().await?;
    ctx.out.show(&who, |who| {
        let acting = who
            .actor_user_id
            .as_ref()
            .map(|a| format!(" (acting: {a})"))
            .unwrap_or_default();
        println!("{} with role {}{acting}", who.user_id, who.role_id);
    });
    Ok(())
}

/// One secret line from standard input (scripts pipe it in).
fn read_stdin_line(what: &str) -> Result<Secret, ClientError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| ClientError::Io(format!("cannot read the {what} from standard input: {e}")))?;
    let s = line.trim_end_matches(['\r', '\n']).to_owned();
    if s.is_empty() {
        return Err(ClientError::InvalidInput(format!(
            "no {what} on standard input"
        )));
    }
    Ok(Secret::new(s))
}

/// A secret typed at the terminal without echo.
fn prompt(what: &str) -> Result<Secret, ClientError> {
    if !std::io::stdin().is_terminal() {
        return Err(ClientError::InvalidInput(format!(
            "cannot prompt for the {what} without a terminal; pipe it with --token-stdin or --password-stdin"
        )));
    }
    rpassword::prompt_password(format!("{what}: "))
        .map(Secret::new)
        .map_err(|e| ClientError::Io(format!("cannot read the {what}: {e}")))
}
