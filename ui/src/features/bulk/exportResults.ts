// A bulk run's results as a file: CSV (one row per service user, RFC 4180 quoting) and JSON,
// with the same rows, and a download of either.
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

/** Saves `text` as a file through the webview's download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
