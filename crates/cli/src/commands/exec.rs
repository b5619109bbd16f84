//! `exec SU -- CMD ARGS...`: run a command as a service user through a local proxy, so no real
//! secret enters its environment.

use std::sync::Arc;

use amorphic_su_client::ClientError;

use crate::cli::ExecArgs;
use crate::context::{role_id, user_id, Context};

/// Runs CMD with only the proxy's variables (and no other AMORPHIC_*), then stops the proxy
/// and passes on CMD's exit code.
pub async fn run(ctx: &Context, a: &ExecArgs) -> Result<u8, ClientError> {
    let client = ctx.client().await?;
    let su = user_id(&a.id)?;
    let role = a.role.as_deref().map(role_id).transpose()?;
    client.ensure_assumed(&su, role, a.minutes).await?;
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
