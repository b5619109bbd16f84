// The main window's shell and its states, in light and dark: content and accessibility (axe).
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

const rowIds = (page) => page.$$eval("tr[data-user-id]", (rows) => rows.map((r) => r.dataset.userId));
const nav = (page) => page.getByRole("navigation", { name: "Main navigation" });

for (const colorScheme of ["light", "dark"]) {
  describe(`${colorScheme} colour scheme`, { concurrency: 3 }, () => {
    test("signed in: home is the service users list, with the navigation", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      await page.waitForSelector('table[aria-label="Service users"] tr[data-user-id]');
      assert.deepEqual(await rowIds(page), ["etl-bot", "finance-bot", "report-bot"]);
      await page.getByRole("heading", { name: "Service users (3)" }).waitFor();
      assert.equal(
        await nav(page).getByRole("button", { name: "Service users" }).getAttribute("aria-current"),
        "page",
      );
      assert.equal(await page.getByRole("status", { name: "Offline" }).count(), 0);
      await checkA11y(page, `signed in, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("offline: the cached list with an 'as of' banner", async () => {
      const page = await openApp(browser, server.url, { scenario: "offline", colorScheme });
      const banner = page.getByRole("status").filter({ hasText: "Showing the cache as of" });
      await banner.waitFor();
      assert.match(await banner.textContent(), /Showing the cache as of .*2026.*Changes are disabled/);
      await page.waitForSelector("tr[data-user-id]");
      assert.equal((await rowIds(page)).length, 3);
      await checkA11y(page, `offline, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("error: the server's message in place of the list", async () => {
      const page = await openApp(browser, server.url, { scenario: "listError", colorScheme });
      const alert = page.getByRole("alert").filter({ hasText: "Could not load service users" });
      await alert.waitFor();
      assert.match(
        await alert.textContent(),
        /The server failed while listing service users; try again later\./,
      );
      assert.equal(await page.locator("table").count(), 0);
      await checkA11y(page, `list error, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("session expired: the sign-in screen, no list, no navigation", async () => {
      const page = await openApp(browser, server.url, { scenario: "sessionExpired", colorScheme });
      await page.waitForFunction(() =>
        window.__fakeBackend.calls.some((c) => c.command === "environmentsList"),
      );
      await page.waitForTimeout(200);
      assert.equal(await page.locator("tr[data-user-id]").count(), 0);
      assert.equal(await nav(page).count(), 0);
      await checkA11y(page, `session expired, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("no environment: the sign-in screen", async () => {
      const page = await openApp(browser, server.url, { scenario: "noEnvironment", colorScheme });
      await page.waitForFunction(() =>
        window.__fakeBackend.calls.some((c) => c.command === "environmentsList"),
      );
      await page.waitForTimeout(200);
      assert.equal(await nav(page).count(), 0);
      assert.equal(await page.locator("table[aria-label='Service users']").count(), 0);
      await checkA11y(page, `no environment, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("production: the list, with the environment named", async () => {
      const page = await openApp(browser, server.url, { scenario: "production", colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      await page.getByText("prod-eu").first().waitFor();
      await checkA11y(page, `production, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("acting as a service user: its page in the navigation", async () => {
      const page = await openApp(browser, server.url, { scenario: "actingAs", colorScheme });
      const acting = nav(page).getByRole("button", { name: "Acting as etl-bot" });
      await acting.click();
      assert.equal(await acting.getAttribute("aria-current"), "page");
      assert.equal(await page.locator("table[aria-label='Service users']").count(), 0);
      await checkA11y(page, `acting as, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("error toast: the server's message, dismissable", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      await page.evaluate(() =>
        window.__testHooks.notifyError({
          code: "session_expired",
          message: "the session has expired; sign in again",
        }),
      );
      const toast = page.getByRole("alert").filter({ hasText: "Session expired" });
      await toast.waitFor();
      assert.match(await toast.textContent(), /the session has expired; sign in again/);
      await checkA11y(page, `error toast, ${colorScheme}`);
      await toast.getByRole("button", { name: "Dismiss" }).click();
      await toast.waitFor({ state: "detached" });
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("navigation: All users, Environments and back to Service users", async () => {
  const page = await openApp(browser, server.url);
  await page.waitForSelector("tr[data-user-id]");
  await nav(page).getByRole("button", { name: "All users" }).click();
  await page.waitForSelector('table[aria-label="All users"] tr[data-user-id="alice"]');
  await nav(page).getByRole("button", { name: "Environments" }).click();
  await page.waitForSelector('table[aria-label="All users"]', { state: "detached" });
  await nav(page).getByRole("button", { name: "Service users" }).click();
  await page.waitForSelector('table[aria-label="Service users"] tr[data-user-id]');
  page.assertNoErrors();
  await page.closeContext();
});

test("sync on start, and Refresh syncs again", async () => {
  const page = await openApp(browser, server.url);
  await page.waitForSelector("tr[data-user-id]");
  const syncs = () =>
    page.evaluate(() => window.__fakeBackend.calls.filter((c) => c.command === "syncNow").length);
  await page.waitForFunction(() => window.__fakeBackend.calls.some((c) => c.command === "syncNow"));
  assert.equal(await syncs(), 1);
  await page.getByRole("button", { name: "Refresh" }).click();
  await page.waitForFunction(
    () => window.__fakeBackend.calls.filter((c) => c.command === "syncNow").length === 2,
  );
  page.assertNoErrors();
  await page.closeContext();
});
