import { describe, expect, test } from "vitest";
import type { BulkReportView } from "../../ipc";
import { resultsCsv, resultsJson } from "./exportResults";

const REPORT: BulkReportView = {
  title: "disable",
  results: [
    { userId: "etl-bot", outcome: "done", sent: true, code: null, message: null },
    {
      userId: "finance-bot",
      outcome: "refused",
      sent: false,
      code: "NO_ACCESS_TO_SERVICE_USER",
      message: 'no "owner" access, sorry',
    },
  ],
  done: 1,
  refused: 1,
  cancelled: 0,
  skipped: 0,
};

describe("export of a bulk run's results", () => {
  test("CSV and JSON hold the same rows; CSV quotes what needs it", () => {
    expect(resultsCsv(REPORT)).toBe(
      'userId,outcome,sent,code,message\r\netl-bot,done,yes,,\r\nfinance-bot,refused,no,NO_ACCESS_TO_SERVICE_USER,"no ""owner"" access, sorry"\r\n',
    );
    const json = JSON.parse(resultsJson(REPORT));
    expect(json.action).toBe("disable");
    expect(json.results.map((r: { userId: string }) => r.userId)).toEqual(["etl-bot", "finance-bot"]);
  });
});
