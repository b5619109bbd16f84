// The users lists in the real browser: search, filters, the All users view, empty and error
// states, the keyboard, and 100,000 users (only a few dozen rows in the DOM), with axe in light
// and dark.
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

const lastQuery = (page) =>
  page.evaluate(() => window.__fakeBackend.calls.filter((c) => c.command === "usersPage").at(-1).args[0]);

async function waitForRows(page, expected, table = "Service users") {
  await page.waitForFunction(
    ([t, want]) =>
      JSON.stringify(
        [...document.querySelectorAll(`table[aria-label="${t}"] tr[data-user-id]`)].map(
          (r) => r.dataset.userId,
        ),
      ) === JSON.stringify(want),
    [table, expected],
  );
}

for (const colorScheme of ["light", "dark"]) {
  describe(`${colorScheme} colour scheme`, { concurrency: 3 }, () => {
    test("All users: people and service users, with the service-user badge", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      await page
        .getByRole("navigation", { name: "Main navigation" })
        .getByRole("button", { name: "All users" })
        .click();
      await waitForRows(
        page,
        ["alice", "bob", "carol", "dave", "etl-bot", "finance-bot", "report-bot"],
        "All users",
      );
      assert.equal(await page.locator('table[aria-label="All users"] >> text="service user"').count(), 3);
      assert.equal((await lastQuery(page)).kind, "all");
      await checkA11y(page, `all users, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("filters: status, role and 'I can assume'", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      await page.getByRole("combobox", { name: "Role" }).click();
      await page.getByRole("option", { name: "Analysts" }).click();
      await waitForRows(page, ["finance-bot", "report-bot"]);
      await page.getByRole("checkbox", { name: "I can assume" }).check();
      await waitForRows(page, ["report-bot"]);
      assert.deepEqual(await lastQuery(page), {
        kind: "service",
        search: null,
        status: null,
        role: "role-analysts",
        tag: null,
        assumable: true,
        offset: 0,
        limit: 200,
      });
      await page.getByRole("combobox", { name: "Status" }).click();
      await page.getByRole("option", { name: "Disabled" }).click();
      await page.getByText("No service user matches").waitFor();
      await checkA11y(page, `filters, no match, ${colorScheme}`);
      await page.getByRole("button", { name: "Clear search and filters" }).click();
      await waitForRows(page, ["etl-bot", "finance-bot", "report-bot"]);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("empty: says what to do next", async () => {
      const page = await openApp(browser, server.url, { scenario: "empty", colorScheme });
      await page.getByText("No service users yet").waitFor();
      assert.ok(await page.getByText(/Create the first one with \+ New/).isVisible());
      assert.ok(await page.getByRole("button", { name: "Refresh now" }).isVisible());
      await checkA11y(page, `empty, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("loading: skeleton rows", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      // The harness's default answers in 20 ms; slow ones show the skeleton long enough to check it.
      await page.goto(`${server.url}/?scenario=signedIn&latency=1500`);
      await page
        .getByRole("status", { name: /Loading/ })
        .first()
        .waitFor();
      await checkA11y(page, `loading, ${colorScheme}`);
      await page.waitForSelector("tr[data-user-id]");
      page.assertNoErrors();
      await page.closeContext();
    });

    test("detail drawer: a click opens it, Esc closes it, the list keeps its place", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      await page.locator('tr[data-user-id="etl-bot"]').click();
      const drawer = page.getByRole("dialog", { name: "etl-bot" });
      await drawer.waitFor();
      assert.equal(await page.locator('tr[data-user-id="etl-bot"]').getAttribute("aria-selected"), "true");
      await checkA11y(page, `drawer over the list, ${colorScheme}`);
      await page.keyboard.press("Escape");
      await drawer.waitFor({ state: "detached" });
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("keyboard: Ctrl+F, arrows, Enter", async () => {
  const page = await openApp(browser, server.url);
  await page.waitForSelector("tr[data-user-id]");
  await page.keyboard.press("Control+f");
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
    "Search service users",
  );
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.userId), "finance-bot");
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "finance-bot" }).waitFor();
  page.assertNoErrors();
  await page.closeContext();
});

test("search narrows the list as typed, ending on the whole word", async () => {
  const page = await openApp(browser, server.url);
  await page.waitForSelector("tr[data-user-id]");
  await page
    .getByRole("textbox", { name: "Search service users" })
    .pressSequentially("nightly", { delay: 20 });
  await waitForRows(page, ["etl-bot"]);
  const searches = await page.evaluate(() =>
    window.__fakeBackend.calls.filter((c) => c.command === "usersPage").map((c) => c.args[0].search),
  );
  // No debounce (the real cache answers in milliseconds); the last search is the whole word.
  assert.equal(searches.filter(Boolean).at(-1), "nightly", `searches: ${searches}`);
  page.assertNoErrors();
  await page.closeContext();
});

test("an error shows in place, and Try again recovers", async () => {
  const page = await openApp(browser, server.url, { scenario: "listError" });
  const alert = page.getByRole("alert").filter({ hasText: "Could not load service users" });
  await alert.waitFor();
  await page.evaluate(() => window.__fakeBackend.clearFailures());
  await alert.getByRole("button", { name: "Try again" }).click();
  await page.waitForSelector("tr[data-user-id]");
  page.assertNoErrors();
  await page.closeContext();
});

test("offline: reads work, the banner's Retry brings the list back online", async () => {
  const page = await openApp(browser, server.url, { scenario: "offline" });
  const banner = page.getByRole("status").filter({ hasText: "Showing the cache as of" });
  await banner.waitFor();
  await page.getByRole("textbox", { name: "Search service users" }).fill("report");
  await waitForRows(page, ["report-bot"]);
  await page.evaluate(() => window.__fakeBackend.goOnline());
  await banner.getByRole("button", { name: "Retry" }).click();
  await banner.waitFor({ state: "detached" });
  page.assertNoErrors();
  await page.closeContext();
});

test("100,000 users: a few dozen rows in the DOM, scrolling fetches windows, search updates the list", async () => {
  const page = await openApp(browser, server.url, { scenario: "many" });
  await page.waitForSelector("tr[data-user-id]");
  await page.getByRole("heading", { name: "Service users (100,003)" }).waitFor();
  const domRows = () => page.locator("tbody tr[data-index]").count();
  assert.ok((await domRows()) < 60, `rows in the DOM: ${await domRows()}`);
  assert.equal(await page.getAttribute('table[aria-label="Service users"]', "aria-rowcount"), "100004");

  // Jump to the middle: the window there is fetched, the DOM still holds a few dozen rows.
  await page.getByTestId("users-scroll").evaluate((el) => {
    el.scrollTop = 50_000 * 36;
  });
  await page.waitForSelector('tr[data-user-id="svc-050000"]');
  assert.ok((await domRows()) < 60);
  const offsets = await page.evaluate(() =>
    window.__fakeBackend.calls.filter((c) => c.command === "usersPage").map((c) => c.args[0].offset),
  );
  assert.ok(offsets.includes(49_800) || offsets.includes(50_000), `offsets: ${offsets}`);
  assert.ok(offsets.length < 10, `a few windows, not every one: ${offsets}`);

  // Typing a search: the list follows and goes back to the top.
  const started = Date.now();
  await page.getByRole("textbox", { name: "Search service users" }).fill("audit 125");
  await page.waitForFunction(() => {
    const ids = [...document.querySelectorAll("tr[data-user-id]")].map((r) => r.dataset.userId);
    return ids.length > 0 && ids[0] === "svc-000125";
  });
  const elapsed = Date.now() - started;
  console.log(`search over 100,000 mocked users rendered in ${elapsed} ms (the fake backend filters in JS)`);
  await page.getByRole("heading", { name: /^Service users \(\d+\)$/ }).waitFor();
  assert.ok((await domRows()) < 60);
  page.assertNoErrors();
  await page.closeContext();
});
