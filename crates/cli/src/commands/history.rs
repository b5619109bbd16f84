//! `history [filters] [--json|--csv]` and `history verify`: the profile's journal, through the
//! client's listing, export and chain check.

use amorphic_su_client::journal::{parse_action, parse_since};
use amorphic_su_client::{ClientError, ExportFormat, JournalEntry, JournalQuery};

use crate::cli::{HistoryArgs, HistoryCmd};
use crate::context::Context;
use crate::output::table;

pub async fn run(ctx: &Context, a: &HistoryArgs) -> Result<(), ClientError> {
    let client = ctx.client().await?;
    if let Some(HistoryCmd::Verify) = a.command {
        let v = client.verify_history().await?;
        return match v.broken {
            None => {
                ctx.out.show(&v, |v| {
                    println!("the journal is intact: {} entries checked", v.entries)
                });
                Ok(())
            }
            Some(b) => Err(ClientError::Cache(format!(
                "the journal {} is broken at entry {}: {}",
                client.journal_path().display(),
                b.seq,
                b.reason
            ))),
        };
    }
    if a.csv && ctx.out.json {
        return Err(ClientError::InvalidInput(
            "give --json or --csv, not both".into(),
        ));
    }
    let q = JournalQuery {
        service_user: a.service_user.clone(),
        action: a.action.as_deref().map(parse_action).transpose()?,
        since: a.since.as_deref().map(parse_since).transpose()?,
        search: a.search.clone(),
        limit: a.limit,
        ..Default::default()
    };
    if a.csv {
        print!("{}", client.export_history(q, ExportFormat::Csv).await?);
    } else if ctx.out.json {
        println!("{}", client.export_history(q, ExportFormat::Json).await?);
    } else {
        print_entries(&client.history(q).await?);
    }
    Ok(())
}

fn print_entries(entries: &[JournalEntry]) {
    if entries.is_empty() {
        println!("nothing in the journal matches");
        return;
    }
    let mut t = table(&["#", "WHEN", "ACTION", "TARGET", "ROLE", "RESULT", "DETAIL"]);
    for e in entries {
        let result = match &e.error_code {
            Some(code) => format!("refused ({code})"),
            None => e.result.to_string(),
        };
        let target = match &e.target {
            Some(t) => match &t.name {
                Some(n) => format!("{} ({n})", t.id),
                None => t.id.clone(),
            },
            None => String::new(),
        };
        let detail = match &e.message {
            Some(m) => format!("{}: {m}", e.detail),
            None => e.detail.clone(),
        };
        t.add_row(vec![
            e.seq.to_string(),
            e.at.to_string(),
            e.action.words(),
            target,
            e.role.clone().unwrap_or_default(),
            result,
            detail,
        ]);
    }
    println!("{t}");
}
