// A bulk run's results as a file: CSV (one row per service user, RFC 4180 quoting) and JSON,
// with the same rows (saved by the app core as a new file in the downloads folder).
import type { BulkReportView, ItemResultView } from "../../ipc";

const HEADER = ["userId", "outcome", "sent", "code", "message"] as const;

/** One CSV field: quoted when it holds a comma, quote or line break (quotes doubled). */
function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function row(r: ItemResultView): string[] {
  return [r.userId, r.outcome, r.sent ? "yes" : "no", r.code ?? "", r.message ?? ""];
}

export function resultsCsv(report: BulkReportView): string {
  const lines = [HEADER.join(","), ...report.results.map((r) => row(r).map(field).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

export function resultsJson(report: BulkReportView): string {
  return `${JSON.stringify({ action: report.title, results: report.results }, null, 2)}\n`;
}
