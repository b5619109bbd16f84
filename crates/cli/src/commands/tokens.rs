//! `tokens list|reassume|forget`: the assumed identities kept in the keychain.

use amorphic_su_client::{AssumedIdentity, ClientError};

use crate::cli::TokensCmd;
use crate::context::{user_id, Context};
use crate::output::{table, time_left, Out};

pub async fn run(ctx: &Context, cmd: &TokensCmd) -> Result<(), ClientError> {
    let out = &ctx.out;
    let client = ctx.client().await?;
    match cmd {
        TokensCmd::List => print_identities(out, &client.assumed_identities().await?),
        TokensCmd::Reassume { id } => {
            let i = client.reassume(&user_id(id)?).await?;
            print_identities(out, &[i]);
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

fn print_identities(out: &Out, ids: &[AssumedIdentity]) {
    out.show(&ids, |ids| {
        let mut t = table(&[
            "SERVICE USER",
            "ROLE",
            "EXPIRES AT",
            "TIME LEFT",
            "ASSUMED BY",
        ]);
        for i in *ids {
            t.add_row(vec![
                i.meta.service_user_id.to_string(),
                i.meta.role_id.to_string(),
                i.meta.expires_at.to_string(),
                time_left(i.seconds_left),
                i.meta.assumed_by.to_string(),
            ]);
        }
        println!("{t}");
    });
}
