// The access-token dashboard in the real browser over the fake backend: the page from the
// navigation, the 7-day filter, two tokens ticked and revoked after the confirmation; axe on the
// page and on the dialog.
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

const tokenIds = (page) =>
  page.evaluate(() => [...document.querySelectorAll("tr[data-token-id]")].map((r) => r.dataset.tokenId));

describe("access-token dashboard", () => {
  test("filter, tick two, revoke after the confirmation", async () => {
    const page = await openApp(browser, server.url, { scenario: "signedIn" });
    await page.waitForSelector("tr[data-user-id]");
    // One more PAT of report-bot, expiring in 3 days.
    await page.evaluate(() => {
      window.__fakeBackend.data.accessTokens["report-bot"] = [
        {
          tokenId: "tok-report-soon",
          tokenName: "report-soon",
          description: null,
          roleId: "role-analysts",
          expiresAt: new Date(Date.now() + 3 * 86_400_000 - 60_000).toISOString(),
          creationTime: "2026-11-02T08:00:00+00:00",
          createdBy: "alice",
          active: true,
        },
      ];
    });
    await page.getByRole("button", { name: "Access tokens" }).click();
    await page.waitForSelector('tr[data-token-id="tok-report-soon"]');
    assert.deepEqual(await tokenIds(page), ["tok-etl-nightly", "tok-report-soon"]);
    await checkA11y(page, "access tokens");

    await page.getByText("Within 7 days").click();
    await page.waitForFunction(() => document.querySelectorAll("tr[data-token-id]").length === 1);
    assert.deepEqual(await tokenIds(page), ["tok-report-soon"]);
    await page.getByText("Any expiry").click();
    await page.waitForFunction(() => document.querySelectorAll("tr[data-token-id]").length === 2);

    await page.getByRole("checkbox", { name: "Select every token shown" }).click();
    await page.getByRole("button", { name: "Revoke selected (2)" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke 2 access tokens?" });
    await dialog.waitFor();
    await checkA11y(page, "revoke dialog");
    await dialog.getByRole("button", { name: "Revoke 2 tokens" }).click();
    await page.getByText("No access token of your service users matches.").waitFor();
    const revoked = await page.evaluate(() =>
      window.__fakeBackend.calls.filter((c) => c.command === "fleetAccessTokensRevoke").map((c) => c.args),
    );
    assert.deepEqual(revoked, [
      [
        [
          { serviceUserId: "etl-bot", tokenId: "tok-etl-nightly" },
          { serviceUserId: "report-bot", tokenId: "tok-report-soon" },
        ],
      ],
    ]);
    await page.close();
  });
});
