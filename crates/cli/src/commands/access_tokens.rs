//! `access-tokens list|create|delete`: personal access tokens of a service user, acting as it
//! (`--as`) or as its owner (`--of`); `list --all` and `revoke` are in `access_tokens_all`.

use amorphic_su_client::model::policy::MAX_ACCESS_TOKEN_DAYS;
use amorphic_su_client::model::{AccessToken, Timestamp, TokenId};
use amorphic_su_client::{expires_in_days, ClientError, NewAccessToken};

use crate::cli::{PatCmd, Whose};
use crate::commands::access_tokens_all;
use crate::context::{role_id, user_id, Context};
use crate::output::table;

pub async fn run(ctx: &Context, cmd: &PatCmd) -> Result<(), ClientError> {
    let out = &ctx.out;
    let client = ctx.client().await?;
    match cmd {
        PatCmd::List {
            as_,
            of,
            all,
            filter,
        } => {
            if *all {
                return access_tokens_all::list(ctx, &client, filter).await;
            }
            access_tokens_all::no_filter_without_all(filter)?;
            let r = match (as_, of) {
                (Some(s), _) => client.access_tokens_as(&user_id(s)?).await?,
                (_, Some(s)) => client.access_tokens_of(&user_id(s)?).await?,
                _ => return Err(give_as_or_of()),
            };
            out.fetched(&r, |tokens| print_tokens(tokens));
        }
        PatCmd::Revoke {
            tokens,
            filter,
            yes,
        } => access_tokens_all::revoke(ctx, &client, tokens, filter, *yes).await?,
        PatCmd::Create {
            as_,
            name,
            description,
            role,
            days,
            expires_at,
        } => {
            let expires_at = match expires_at {
                Some(t) => rfc3339(t)?,
                None => days_from_now(*days)?,
            };
            let created = client
                .create_access_token_as(
                    &user_id(as_)?,
                    NewAccessToken {
                        name: name.clone(),
                        description: description.clone(),
                        role_id: role_id(role)?,
                        expires_at,
                    },
                )
                .await?;
            out.show(&created, |created| {
                println!(
                    "created access token {} for {as_} (role {}, expires {})",
                    created.record.token_id, created.record.role_id, created.record.expires_at
                );
                println!("secret (shown once, store it now):");
                println!("{}", created.token.expose());
            });
        }
        PatCmd::Delete { token_id, whose } => {
            let token = TokenId::parse(token_id.as_str())?;
            match whose {
                Whose { as_: Some(s), .. } => {
                    client.revoke_access_token_as(&user_id(s)?, &token).await?
                }
                Whose { of: Some(s), .. } => {
                    client.revoke_access_token_of(&user_id(s)?, &token).await?
                }
                _ => return Err(give_as_or_of()),
            }
            if !out.json {
                println!("deleted access token {token}");
            }
        }
    }
    Ok(())
}

/// clap's argument group already requires one of them; this is the fallback.
fn give_as_or_of() -> ClientError {
    ClientError::InvalidInput("give --as or --of".into())
}

/// `--expires-at`: read the way the API reads a timestamp.
fn rfc3339(t: &str) -> Result<Timestamp, ClientError> {
    serde_json::from_value::<Timestamp>(serde_json::Value::String(t.to_owned())).map_err(|_| {
        ClientError::InvalidInput(format!("--expires-at '{t}' is not an RFC 3339 time"))
    })
}

/// `--days`: from 1 to the policy's longest lifetime, from now.
fn days_from_now(days: i64) -> Result<Timestamp, ClientError> {
    u16::try_from(days)
        .ok()
        .filter(|_| (1..=MAX_ACCESS_TOKEN_DAYS).contains(&days))
        .map(expires_in_days)
        .ok_or_else(|| {
            ClientError::InvalidInput(format!("--days must be from 1 to {MAX_ACCESS_TOKEN_DAYS}"))
        })
}

fn print_tokens(tokens: &[AccessToken]) {
    let mut t = table(&[
        "TOKEN ID",
        "NAME",
        "ROLE",
        "EXPIRES",
        "STATUS",
        "CREATED BY",
    ]);
    for a in tokens {
        t.add_row(vec![
            a.token_id.to_string(),
            a.token_name.clone(),
            a.role_id.to_string(),
            a.expires_at.to_string(),
            format!("{:?}", a.status).to_lowercase(),
            a.created_by.to_string(),
        ]);
    }
    println!("{t}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_checked_against_the_policy_with_the_option_named() {
        for days in [0, -1, 366, i64::from(u16::MAX) + 1, i64::MAX] {
            let e = days_from_now(days).unwrap_err();
            assert_eq!(e.to_string(), "--days must be from 1 to 365", "{days}");
            assert_eq!(e.code(), "invalid_input");
        }
        for days in [1, 30, 365] {
            let left = days_from_now(days).unwrap().unix() - Timestamp::now().unix();
            assert!((left - days * 86_400).abs() <= 2, "{days}: {left}");
        }
    }
}
