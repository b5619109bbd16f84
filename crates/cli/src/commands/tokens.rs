//! `tokens list|reassume|forget`: the assumed identities kept in the keychain, and whether the
//! server still accepts each.

use amorphic_su_client::model::Timestamp;
use amorphic_su_client::{AssumedIdentity, ClientError, IdentityState};

use crate::cli::TokensCmd;
use crate::context::{user_id, Context};
use crate::output::{table, time_left, Out};

pub async fn run(ctx: &Context, cmd: &TokensCmd) -> Result<(), ClientError> {
    let out = &ctx.out;
    let client = ctx.client().await?;
    let session_ends = client.profile().session_expires_at;
    match cmd {
        TokensCmd::List { offline } => {
            let ids = if *offline {
                out.note("not checked with the server (--offline): each state is the one found at its last check");
                client.assumed_identities().await?
            } else {
                match client.check_identities().await {
                    Ok(ids) => ids,
                    Err(e) if e.is_offline() => {
                        out.note(&format!(
                            "offline ({e}): each state is the one found at its last check"
                        ));
                        client.assumed_identities().await?
                    }
                    Err(e) => return Err(e),
                }
            };
            print_identities(out, &ids, session_ends);
        }
        TokensCmd::Reassume { id } => {
            let i = client.reassume(&user_id(id)?).await?;
            print_identities(out, &[i], session_ends);
        }
        TokensCmd::Forget { id, all } => {
            if *all {
                let n = client.forget_all().await?;
                if !out.json {
                    println!(
                        "forgot {n} assumed identit{}",
                        if n == 1 { "y" } else { "ies" }
                    );
                }
            } else if let Some(id) = id {
                client.forget(&user_id(id)?).await?;
                if !out.json {
                    println!("forgot {id}");
                }
            }
        }
    }
    Ok(())
}

/// The state in a few words: `live`, `expiring`, `expired`, `refused: disabled`.
fn state_words(i: &AssumedIdentity) -> String {
    match (&i.state, &i.refusal) {
        (IdentityState::Refused, Some(r)) => {
            format!("refused: {}", r.reason.to_string().replace('_', " "))
        }
        (state, _) => state.to_string(),
    }
}

/// What to do about an identity that is not simply live, in one line, if anything.
fn next_step(i: &AssumedIdentity, session_ends: Option<Timestamp>) -> Option<String> {
    let su = &i.meta.service_user_id;
    let again = format!("`amorphic-su tokens reassume {su}`");
    let forget = format!("`amorphic-su tokens forget {su}`");
    let ends = i.meta.expires_at;
    Some(match (&i.state, &i.refusal) {
        (IdentityState::Refused, Some(r)) if i.can_assume_again => {
            format!("{} Run {again}.", r.reason.sentence(su.as_str()))
        }
        (IdentityState::Refused, Some(r)) => format!(
            "{} To drop it: {forget}.",
            r.reason.sentence(su.as_str())
        ),
        (IdentityState::Expired, _) if i.can_assume_again => {
            format!("{su} expired at {ends}: run {again}.")
        }
        (IdentityState::Expired, _) => format!("{su} expired at {ends}: run {forget}."),
        (IdentityState::Expiring, _) => format!("{su} expires at {ends}: renew it with {again}."),
        _ if i.session_ends_first => format!(
            "your session ends at {}, before the token of {su}: sign in again then (`amorphic-su login --password`).",
            session_ends.map(|t| t.to_string()).unwrap_or_else(|| "an unknown time".into())
        ),
        _ => return None,
    })
}

fn print_identities(out: &Out, ids: &[AssumedIdentity], session_ends: Option<Timestamp>) {
    out.show(&ids, |ids| {
        if ids.is_empty() {
            println!("no assumed identities; assume one with `amorphic-su assume SERVICE_USER`");
            return;
        }
        let mut t = table(&[
            "SERVICE USER",
            "ROLE",
            "STATE",
            "EXPIRES AT",
            "TIME LEFT",
            "CHECKED AT",
        ]);
        for i in *ids {
            let counting = matches!(i.state, IdentityState::Live | IdentityState::Expiring);
            t.add_row(vec![
                i.meta.service_user_id.to_string(),
                i.meta.role_id.to_string(),
                state_words(i),
                i.meta.expires_at.to_string(),
                if counting {
                    time_left(i.seconds_left)
                } else {
                    String::new()
                },
                i.checked_at
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "never".into()),
            ]);
        }
        println!("{t}");
        for step in ids.iter().filter_map(|i| next_step(i, session_ends)) {
            println!("{step}");
        }
    });
}
