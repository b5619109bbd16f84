// Bulk changes in the real browser over the fake backend: ticks with a shift-click range, the
// dry run's plan (one refused by the policy) before anything is sent, the run's progress and
// its results, and the tick boxes cleared by new filters; axe on the dialog.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { checkA11y, launchBrowser, openApp, serveStatic } from "./harness.mjs";

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([serveStatic(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const rowsOf = (page, testId, attr) =>
  page.evaluate(
    ([id, a]) =>
      [...document.querySelectorAll(`[data-testid="${id}"] tr[data-user-id]`)].map((r) => [
        r.dataset.userId,
        r.getAttribute(a),
      ]),
    [testId, attr],
  );

const calls = (page, command) =>
  page.evaluate((c) => window.__fakeBackend.calls.filter((x) => x.command === c).map((x) => x.args), command);

describe("bulk changes", () => {
  test("shift-click a range, dry run, send, results", async () => {
    const page = await openApp(browser, server.url, { scenario: "signedIn" });
    await page.waitForSelector("tr[data-user-id]");
    await page.getByRole("checkbox", { name: "Select etl-bot" }).click();
    await page.getByRole("checkbox", { name: "Select report-bot" }).click({ modifiers: ["Shift"] });
    assert.equal(await page.getByTestId("bulk-selected").textContent(), "3 service users selected");

    await page.getByRole("button", { name: "Bulk action" }).click();
    await page.getByRole("menuitem", { name: "Disable..." }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Dry run" }).click();
    await page.getByTestId("bulk-plan").waitFor();
    assert.deepEqual(await rowsOf(page, "bulk-plan", "data-verdict"), [
      ["etl-bot", "allowed"],
      ["finance-bot", "refused"],
      ["report-bot", "allowed"],
    ]);
    assert.deepEqual(await calls(page, "serviceUserDisable"), [], "the dry run sent nothing");
    await checkA11y(page, "bulk plan");

    await dialog.getByRole("button", { name: "Send 2 changes" }).click();
    await page.getByTestId("bulk-results").waitFor();
    assert.deepEqual(await rowsOf(page, "bulk-results", "data-outcome"), [
      ["etl-bot", "done"],
      ["finance-bot", "refused"],
      ["report-bot", "done"],
    ]);
    assert.deepEqual(await calls(page, "serviceUserDisable"), [["etl-bot"], ["report-bot"]]);
    await checkA11y(page, "bulk results");
    await dialog.getByRole("button", { name: "Done" }).click();
    await page.getByTestId("bulk-selected").waitFor({ state: "detached" });
    page.assertNoErrors();
    await page.closeContext();
  });

  test("select all matching this filter; new filters clear the ticks", async () => {
    const page = await openApp(browser, server.url, { scenario: "signedIn" });
    await page.waitForSelector("tr[data-user-id]");
    await page.getByRole("checkbox", { name: "Select etl-bot" }).click();
    await page.getByRole("button", { name: "Select all 3 matching this filter" }).click();
    assert.equal(await page.getByTestId("bulk-selected").textContent(), "all 3 matching selected");
    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Disabled" }).click();
    await page.getByTestId("bulk-selected").waitFor({ state: "detached" });
    page.assertNoErrors();
    await page.closeContext();
  });
});
