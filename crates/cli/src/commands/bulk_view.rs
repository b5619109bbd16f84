//! The bulk tables: the plan (what each item would come to, and why not) and the results.

use amorphic_su_client::{BulkPlan, BulkReport, Outcome, Verdict};

use crate::output::table;

pub fn print_plan(plan: &BulkPlan, dry_run: bool) {
    let mut t = table(&["SERVICE USER", "NAME", "PLAN", "CODE", "REASON"]);
    for i in &plan.items {
        t.add_row(vec![
            i.user_id.to_string(),
            i.display_name.clone().unwrap_or_default(),
            match i.verdict {
                Verdict::Allowed => "will change",
                Verdict::NoOp => "no-op",
                Verdict::Refused => "refused",
            }
            .to_owned(),
            i.code.map(|c| c.to_string()).unwrap_or_default(),
            i.reason.clone().unwrap_or_default(),
        ]);
    }
    println!("{t}");
    println!(
        "{}{}: {} to send, {} no-op, {} refused{}",
        if dry_run { "dry run: " } else { "" },
        plan.action.describe(),
        plan.allowed,
        plan.no_op,
        plan.refused,
        if dry_run { "; nothing was sent" } else { "" }
    );
}

pub fn print_report(report: &BulkReport) {
    let mut t = table(&["SERVICE USER", "RESULT", "SENT", "CODE", "MESSAGE"]);
    for r in &report.results {
        t.add_row(vec![
            r.user_id.to_string(),
            match r.outcome {
                Outcome::Done => "done",
                Outcome::Refused => "refused",
                Outcome::Cancelled => "cancelled",
                Outcome::Skipped => "skipped (no-op)",
            }
            .to_owned(),
            if r.sent { "yes" } else { "no" }.to_owned(),
            r.code.map(|c| c.to_string()).unwrap_or_default(),
            r.message.clone().unwrap_or_default(),
        ]);
    }
    println!("{t}");
    println!(
        "{}: {} done, {} refused, {} skipped, {} cancelled",
        report.action.describe(),
        report.done,
        report.refused,
        report.skipped,
        report.cancelled
    );
}
