//! `exec SU -- CMD ARGS...`: run a command as a service user through a local proxy, so no real
//! secret enters its environment.

use std::sync::Arc;

use amorphic_su_client::model::{RoleId, UserId};
use amorphic_su_client::{Client, ClientError};

use crate::cli::ExecArgs;
use crate::context::{role_id, user_id, Context};

/// Runs CMD with only the proxy's variables (and no other AMORPHIC_*), then stops the proxy
/// and passes on CMD's exit code.
pub async fn run(ctx: &Context, a: &ExecArgs) -> Result<u8, ClientError> {
    let client = ctx.client().await?;
    let su = user_id(&a.id)?;
    let role = a.role.as_deref().map(role_id).transpose()?;
    assume_unless_fresh(&client, &su, role, a.minutes).await?;
    let client = Arc::new(client);
    let proxy = amorphic_su_client::start_proxy(client.clone(), &su).await?;
    let mut cmd = tokio::process::Command::new(&a.command[0]);
    cmd.args(&a.command[1..]);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AMORPHIC_") {
            cmd.env_remove(&k);
        }
    }
    cmd.envs(proxy.env.vars());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            proxy.stop().await;
            return Err(ClientError::Io(format!(
                "cannot run '{}': {e}",
                a.command[0]
            )));
        }
    };
    // Ctrl-C reaches the child through the terminal; keep the proxy until the child ends.
    let ignore_ctrl_c = tokio::spawn(async { while tokio::signal::ctrl_c().await.is_ok() {} });
    let status = child.wait().await;
    ignore_ctrl_c.abort();
    proxy.stop().await;
    let status = status.map_err(|e| ClientError::Io(format!("lost the command: {e}")))?;
    Ok(exit_code_of(status))
}

/// Keeps the stored assumed token when it has more than two minutes left and matches the asked
/// role and no lifetime was asked for; else assumes again, by default with the stored role and
/// lifetime.
async fn assume_unless_fresh(
    client: &Client,
    su: &UserId,
    role: Option<RoleId>,
    minutes: Option<i64>,
) -> Result<(), ClientError> {
    let stored = client.cache().assumed_one(su).await?;
    let fresh_enough = stored
        .as_ref()
        .is_some_and(|m| m.expires_at.unix() - chrono::Utc::now().timestamp() > 120);
    let same_role = role
        .as_ref()
        .is_none_or(|r| stored.as_ref().is_some_and(|m| &m.role_id == r));
    if !fresh_enough || !same_role || minutes.is_some() {
        let role = role.or_else(|| stored.as_ref().map(|m| m.role_id.clone()));
        let minutes = minutes.or_else(|| stored.as_ref().map(|m| i64::from(m.minutes)));
        client.assume(su, role.as_ref(), minutes).await?;
    }
    Ok(())
}

/// The child's exit code, or 128+N when signal N killed it.
fn exit_code_of(status: std::process::ExitStatus) -> u8 {
    status.code().map(|c| c as u8).unwrap_or_else(|| {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            status
                .signal()
                .map(|s| 128u8.wrapping_add(s as u8))
                .unwrap_or(1)
        }
        #[cfg(not(unix))]
        {
            1
        }
    })
}
