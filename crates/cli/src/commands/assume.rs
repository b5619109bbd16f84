//! `assume SU`: get, verify and keep a service user's token in the keychain.

use amorphic_su_client::ClientError;

use crate::cli::AssumeArgs;
use crate::context::{role_id, user_id, Context};
use crate::output::time_left;

pub async fn run(ctx: &Context, a: &AssumeArgs) -> Result<(), ClientError> {
    let client = ctx.client().await?;
    let role = a.role.as_deref().map(role_id).transpose()?;
    let id = client
        .assume(&user_id(&a.id)?, role.as_ref(), Some(a.minutes))
        .await?;
    ctx.out.show(&id, |id| {
        println!(
            "assumed {} with role {} until {} ({} left); the token is in the OS keychain",
            id.meta.service_user_id,
            id.meta.role_id,
            id.meta.expires_at,
            time_left(id.seconds_left)
        );
    });
    if id.session_ends_first {
        let ends = client.profile().session_expires_at;
        ctx.out.note(&format!(
            "warning: your session ends at {}, before this token: acting as {} stops then unless you sign in again",
            ends.map(|t| t.to_string()).unwrap_or_else(|| "an unknown time".into()),
            id.meta.service_user_id
        ));
    }
    Ok(())
}
