//! `sync [--full]`: bring the local cache up to date, with a progress bar on a terminal.

use std::io::IsTerminal;

use amorphic_su_client::{ClientError, SyncProgress};
use indicatif::{ProgressBar, ProgressStyle};

use crate::context::Context;

pub async fn run(ctx: &Context, full: bool) -> Result<(), ClientError> {
    let out = &ctx.out;
    let client = ctx.client().await?;
    let bar = if out.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    let b = bar.clone();
    let progress = move |p: SyncProgress| match p {
        SyncProgress::Catalogues => b.set_message("roles and tags"),
        SyncProgress::Changes { done } => {
            b.set_message(format!("{done} change(s)"));
            b.tick();
        }
        SyncProgress::Users { done, total } => {
            if b.length() != Some(total) {
                b.set_length(total);
                b.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} users {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
            }
            b.set_position(done);
        }
    };
    let report = client.sync(full, &progress).await;
    bar.finish_and_clear();
    let report = report?;
    out.show(&report, |report| {
        println!(
            "synced: {} changed, {} deleted, {} cached ({}{})",
            report.users_changed,
            report.users_deleted,
            report.users_cached,
            if report.full { "full" } else { "incremental" },
            if report.change_feed {
                ""
            } else {
                ", no change feed"
            }
        );
    });
    Ok(())
}
