//! `access-tokens list --all` and `access-tokens revoke`: every PAT of every service user you
//! have access to (the access-token dashboard), filtered, and a revoke of many, confirmed.

use std::io::{IsTerminal, Write};

use amorphic_su_client::model::TokenId;
use amorphic_su_client::{Client, ClientError, FleetFilter, FleetToken, RevokeOutcome, TokenRef};

use crate::cli::FleetArgs;
use crate::context::{user_id, Context};
use crate::output::table;

/// `list --all`: the table (or `--json`: the whole answer with its freshness).
pub async fn list(ctx: &Context, client: &Client, args: &FleetArgs) -> Result<(), ClientError> {
    let fetched = client.fleet_access_tokens(&filter(args)?).await?;
    ctx.out.fetched(&fetched, |tokens| print_fleet(tokens));
    Ok(())
}

/// The filters belong to `--all`; elsewhere they are named as stray.
pub fn no_filter_without_all(args: &FleetArgs) -> Result<(), ClientError> {
    if args.expiring.is_some() || args.service_user.is_some() || args.high_privilege {
        return Err(ClientError::InvalidInput(
            "--expiring, --service-user and --high-privilege need --all".into(),
        ));
    }
    Ok(())
}

/// `revoke`: the tokens named, or those the filters select; shown, confirmed, revoked one by
/// one through the single revoke (each journaled); the results table.
pub async fn revoke(
    ctx: &Context,
    client: &Client,
    named: &[String],
    args: &FleetArgs,
    yes: bool,
) -> Result<(), ClientError> {
    let out = &ctx.out;
    let selected: Vec<TokenRef> = if named.is_empty() {
        let f = filter(args)?;
        if f == FleetFilter::default() {
            return Err(ClientError::InvalidInput(
                "name the tokens (SERVICE_USER:TOKEN_ID) or select them with --expiring, --service-user or --high-privilege".into(),
            ));
        }
        let fetched = client.fleet_access_tokens(&f).await?;
        if fetched.stale {
            return Err(ClientError::Offline {
                url: client.profile().base_url.clone(),
                reason: "the listing is the cached one; nothing was revoked".into(),
            });
        }
        if !out.json {
            print_fleet(&fetched.data);
        }
        fetched
            .data
            .into_iter()
            .map(|t| TokenRef {
                service_user: t.service_user,
                token_id: t.token.token_id,
            })
            .collect()
    } else {
        no_filter_without_all_named(args)?;
        named
            .iter()
            .map(|s| token_ref(s))
            .collect::<Result<_, _>>()?
    };
    if selected.is_empty() {
        out.note("no access token matches; nothing to revoke");
        out.show(&Vec::<RevokeOutcome>::new(), |_| {});
        return Ok(());
    }
    confirm(selected.len(), yes)?;
    let outcomes = client.revoke_access_tokens(&selected).await;
    out.show(&outcomes, |o| print_outcomes(o));
    Ok(())
}

fn no_filter_without_all_named(args: &FleetArgs) -> Result<(), ClientError> {
    if args.expiring.is_some() || args.service_user.is_some() || args.high_privilege {
        return Err(ClientError::InvalidInput(
            "give either SERVICE_USER:TOKEN_ID arguments or filters, not both".into(),
        ));
    }
    Ok(())
}

fn filter(args: &FleetArgs) -> Result<FleetFilter, ClientError> {
    Ok(FleetFilter {
        expiring_within_days: args.expiring.as_deref().map(days).transpose()?,
        high_privilege_only: args.high_privilege,
        service_user: args.service_user.as_deref().map(user_id).transpose()?,
    })
}

/// `--expiring`: `30d`, `2w` or a number of days, at most ten years.
pub fn days(span: &str) -> Result<u32, ClientError> {
    let s = span.trim();
    let bad = || {
        ClientError::InvalidInput(format!(
            "--expiring '{span}' is not a span such as 7d, 30d, 2w or a number of days"
        ))
    };
    let (n, per) = match s.strip_suffix('w') {
        Some(n) => (n, 7),
        None => (s.strip_suffix('d').unwrap_or(s), 1),
    };
    let n: u32 = n.parse().map_err(|_| bad())?;
    n.checked_mul(per).filter(|d| *d <= 3_650).ok_or_else(bad)
}

/// `SERVICE_USER:TOKEN_ID`.
fn token_ref(s: &str) -> Result<TokenRef, ClientError> {
    let (su, token) = s
        .split_once(':')
        .ok_or_else(|| ClientError::InvalidInput(format!("'{s}' is not SERVICE_USER:TOKEN_ID")))?;
    Ok(TokenRef {
        service_user: user_id(su)?,
        token_id: TokenId::parse(token).map_err(|_| {
            ClientError::InvalidInput(format!("'{token}' in '{s}' is not a token id"))
        })?,
    })
}

fn confirm(count: usize, yes: bool) -> Result<(), ClientError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(ClientError::InvalidInput(
            "add --yes to revoke without a terminal to confirm on".into(),
        ));
    }
    eprint!("Revoke {count} access token(s)? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| ClientError::Io(e.to_string()))?;
    if matches!(line.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(ClientError::InvalidInput(
            "not confirmed; nothing was revoked".into(),
        ))
    }
}

fn print_fleet(tokens: &[FleetToken]) {
    let mut t = table(&[
        "SERVICE USER",
        "TOKEN ID",
        "NAME",
        "ROLE",
        "CREATED",
        "EXPIRES",
        "DAYS LEFT",
        "STATUS",
    ]);
    for f in tokens {
        let role = if f.high_privilege {
            format!("{} (high privilege)", f.token.role_id)
        } else {
            f.token.role_id.to_string()
        };
        t.add_row(vec![
            f.service_user.to_string(),
            f.token.token_id.to_string(),
            f.token.token_name.clone(),
            role,
            f.token.creation_time.to_string(),
            f.token.expires_at.to_string(),
            f.days_left.to_string(),
            format!("{:?}", f.token.status).to_lowercase(),
        ]);
    }
    println!("{t}");
}

fn print_outcomes(outcomes: &[RevokeOutcome]) {
    let mut t = table(&["SERVICE USER", "TOKEN ID", "RESULT"]);
    for o in outcomes {
        let result = match (&o.code, &o.message) {
            (None, _) => "revoked".to_owned(),
            (Some(code), Some(m)) => format!("failed: {code}: {m}"),
            (Some(code), None) => format!("failed: {code}"),
        };
        t.add_row(vec![
            o.service_user.to_string(),
            o.token_id.to_string(),
            result,
        ]);
    }
    println!("{t}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_days_or_weeks_and_bad_ones_are_named() {
        assert_eq!(days("30d").unwrap(), 30);
        assert_eq!(days("2w").unwrap(), 14);
        assert_eq!(days("7").unwrap(), 7);
        for bad in ["", "d", "-1d", "3m", "thirty", "99999d"] {
            let e = days(bad).unwrap_err();
            assert!(e.to_string().contains("--expiring"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_token_ref_is_service_user_colon_token_id() {
        let r = token_ref("etl-bot:pat_abc").unwrap();
        assert_eq!(r.service_user.as_str(), "etl-bot");
        assert_eq!(r.token_id.as_str(), "pat_abc");
        assert!(token_ref("etl-bot")
            .unwrap_err()
            .to_string()
            .contains("SERVICE_USER:TOKEN_ID"));
    }
}
