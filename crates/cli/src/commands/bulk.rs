//! `service-users bulk <action>`: the selection and the action from the command line, the
//! client's dry run shown as a table, a confirmation (the environment's name for a destructive
//! change in production), then the client's run with a progress bar and the results table.

use std::io::{BufRead, IsTerminal, Write};

use amorphic_su_client::bulk::BulkSelection;
use amorphic_su_client::model::{TagId, UserStatus};
use amorphic_su_client::{
    BulkAction, BulkPlan, BulkProgress, CancelToken, Client, ClientError, UserFilter,
};
use indicatif::{ProgressBar, ProgressStyle};

use super::bulk_view::{print_plan, print_report};
use crate::cli::{BulkActionArg, BulkArgs};
use crate::context::{role_id, user_id, Context};

pub async fn run(ctx: &Context, client: &Client, a: &BulkArgs) -> Result<(), ClientError> {
    let out = &ctx.out;
    let action = action(a)?;
    let selection = selection(a)?;
    if !a.no_sync {
        client.sync(false, &|_| {}).await?;
    }
    let plan = client.bulk_plan(&action, &selection).await?;
    if a.dry_run {
        out.show(&plan, |p| print_plan(p, true));
        return Ok(());
    }
    if !out.json {
        print_plan(&plan, false);
    }
    if plan.allowed == 0 {
        out.note("nothing to send");
        let cancel = CancelToken::new();
        let report = client.bulk_run(&plan, &cancel, &|_| {}).await;
        out.show(&report, print_report);
        return Ok(());
    }
    confirm(client, a, &plan)?;
    let bar = if out.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(plan.items.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let b = bar.clone();
    let progress = move |p: &BulkProgress| {
        b.set_position(p.finished as u64);
        b.set_message(p.item.user_id.to_string());
    };
    let report = client.bulk_run(&plan, &CancelToken::new(), &progress).await;
    bar.finish_and_clear();
    out.show(&report, print_report);
    Ok(())
}

/// The action and the arguments it needs, each missing or stray one named.
fn action(a: &BulkArgs) -> Result<BulkAction, ClientError> {
    let invalid = |m: &str| ClientError::InvalidInput(m.into());
    let role = || {
        a.role
            .as_deref()
            .ok_or_else(|| invalid("give the role with --role"))
            .and_then(role_id)
    };
    let action = match a.action {
        BulkActionArg::Enable => BulkAction::Enable,
        BulkActionArg::Disable => BulkAction::Disable,
        BulkActionArg::AttachRole => BulkAction::AttachRole { role: role()? },
        BulkActionArg::DetachRole => BulkAction::DetachRole { role: role()? },
        BulkActionArg::Share => {
            if a.users.is_empty() && a.tags.is_empty() {
                return Err(invalid("give --user and/or --tag to share with"));
            }
            BulkAction::Share {
                users: a
                    .users
                    .iter()
                    .map(|u| user_id(u))
                    .collect::<Result<_, _>>()?,
                tags: a
                    .tags
                    .iter()
                    .map(|t| TagId::parse(t.as_str()))
                    .collect::<Result<_, _>>()?,
            }
        }
        BulkActionArg::Unshare => match (a.users.as_slice(), a.tags.as_slice()) {
            ([u], []) => BulkAction::UnshareUser { user: user_id(u)? },
            ([], [t]) => BulkAction::UnshareTag {
                tag: TagId::parse(t.as_str())?,
            },
            _ => return Err(invalid("give one --user or one --tag to stop sharing with")),
        },
        BulkActionArg::Delete => BulkAction::Delete {
            transfer_to: user_id(a.transfer_to.as_deref().ok_or_else(|| {
                invalid("give --transfer-to, the regular user who receives what they own")
            })?)?,
        },
    };
    let uses_role = matches!(
        a.action,
        BulkActionArg::AttachRole | BulkActionArg::DetachRole
    );
    let uses_shares = matches!(a.action, BulkActionArg::Share | BulkActionArg::Unshare);
    if a.role.is_some() && !uses_role {
        return Err(invalid("--role is for attach-role and detach-role"));
    }
    if (!a.users.is_empty() || !a.tags.is_empty()) && !uses_shares {
        return Err(invalid("--user and --tag are for share and unshare"));
    }
    if a.transfer_to.is_some() && a.action != BulkActionArg::Delete {
        return Err(invalid("--transfer-to is for delete"));
    }
    Ok(action)
}

/// The ids given (arguments and file), or the filter.
fn selection(a: &BulkArgs) -> Result<BulkSelection, ClientError> {
    let filtered = a.all || a.search.is_some() || a.status.is_some() || a.with_role.is_some();
    if filtered {
        return Ok(BulkSelection::Filter(UserFilter {
            search: a.search.clone(),
            status: match a.status.as_deref() {
                Some("enabled") => Some(UserStatus::Enabled),
                Some("disabled") => Some(UserStatus::Disabled),
                _ => None,
            },
            role: a.with_role.as_deref().map(role_id).transpose()?,
            ..UserFilter::default()
        }));
    }
    let mut ids = Vec::new();
    for s in &a.ids {
        ids.push(user_id(s)?);
    }
    if let Some(f) = &a.from_file {
        for (n, line) in read_lines(f)?.iter().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            ids.push(
                user_id(line)
                    .map_err(|e| ClientError::InvalidInput(format!("{f}, line {}: {e}", n + 1)))?,
            );
        }
    }
    if ids.is_empty() {
        return Err(ClientError::InvalidInput(
            "select service users: give ids, --from-file, or a filter (--all, --search, --status, --with-role)"
                .into(),
        ));
    }
    Ok(BulkSelection::Ids(ids))
}

fn read_lines(f: &str) -> Result<Vec<String>, ClientError> {
    let io = |e: std::io::Error| ClientError::InvalidInput(format!("cannot read {f}: {e}"));
    if f == "-" {
        return std::io::stdin()
            .lock()
            .lines()
            .collect::<Result<_, _>>()
            .map_err(io);
    }
    Ok(std::fs::read_to_string(f)
        .map_err(io)?
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Asks before sending: the environment's name for a destructive change in production
/// (`--confirm-environment` non-interactively; `--yes` does not skip it), else yes/no unless
/// `--yes`. Without a terminal to ask on, the missing option is named.
fn confirm(client: &Client, a: &BulkArgs, plan: &BulkPlan) -> Result<(), ClientError> {
    let profile = client.profile();
    let interactive = std::io::stdin().is_terminal();
    if profile.production && plan.action.is_destructive() {
        let typed = match &a.confirm_environment {
            Some(name) => name.clone(),
            None if interactive => ask(&format!(
                "'{}' is a PRODUCTION environment. Type its name to {} {} service user(s): ",
                profile.name,
                plan.action.describe(),
                plan.allowed
            ))?,
            None => {
                return Err(ClientError::InvalidInput(format!(
                    "'{}' is a production environment: confirm with --confirm-environment {}",
                    profile.name, profile.name
                )))
            }
        };
        if typed.trim() != profile.name {
            return Err(ClientError::InvalidInput(format!(
                "the environment's name was not confirmed (expected '{}'); nothing was sent",
                profile.name
            )));
        }
        return Ok(());
    }
    if a.yes {
        return Ok(());
    }
    if !interactive {
        return Err(ClientError::InvalidInput(
            "add --yes to send without a terminal to confirm on (or --dry-run to see the plan only)"
                .into(),
        ));
    }
    let answer = ask(&format!(
        "{} {} service user(s)? [y/N] ",
        plan.action.describe(),
        plan.allowed
    ))?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(ClientError::InvalidInput(
            "not confirmed; nothing was sent".into(),
        ))
    }
}

fn ask(prompt: &str) -> Result<String, ClientError> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| ClientError::Io(e.to_string()))?;
    Ok(line)
}
