// The command palette (Ctrl+K) and the list for daily use (sorting, the column chooser, a row's
// copy actions) in the real browser over the fake backend; light and dark, with axe.
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

const palette = (page) =>
  page.getByRole("combobox", { name: "Search service users, environments and actions" });
const activeLabel = (page) =>
  page.evaluate(
    () => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent,
  );

/** Ctrl+K, then `query` typed, then the first match's label (what Enter runs). */
async function typeInPalette(page, query) {
  await page.keyboard.press("Control+k");
  await palette(page).waitFor();
  await page.keyboard.type(query, { delay: 10 });
  const selected = page.locator('[role="option"][data-selected]');
  await selected.waitFor();
  return selected;
}

/** Tab until `name` is focused (keyboard only), at most 20 times. */
async function tabTo(page, name) {
  for (let i = 0; i < 20; i += 1) {
    if ((await activeLabel(page))?.trim() === name) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${name}`);
}

for (const colorScheme of ["light", "dark"]) {
  describe(`command palette, ${colorScheme}`, { concurrency: 2 }, () => {
    test("Ctrl+K opens it over the list, even from a text field; Esc closes it and focus returns", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      const search = page.getByRole("textbox", { name: "Search service users" });
      await search.focus();
      await page.keyboard.press("Control+k");
      await palette(page).waitFor();
      assert.equal(await activeLabel(page), "Search service users, environments and actions");
      // Before anything is typed: the actions, and no service user.
      const options = page.getByRole("listbox", { name: "Matching commands" }).locator('[role="option"]');
      await options.first().waitFor();
      const labels = await options.allTextContents();
      assert.ok(
        labels.some((l) => l.startsWith("Switch role")),
        `options: ${labels}`,
      );
      assert.ok(
        labels.some((l) => l.startsWith("Sign out")),
        `options: ${labels}`,
      );
      assert.ok(!labels.some((l) => l.startsWith("Assume")), `options: ${labels}`);
      await page.mouse.move(5, 795);
      await checkA11y(page, `palette open, ${colorScheme}`);
      // Focus stays inside while it is open.
      for (let i = 0; i < 4; i += 1) await page.keyboard.press("Tab");
      assert.ok(
        await page.evaluate(() => Boolean(document.activeElement?.closest(".mantine-Spotlight-content"))),
        "focus left the palette",
      );
      await page.keyboard.press("Escape");
      await palette(page).waitFor({ state: "detached" });
      await page.waitForFunction(
        () => document.activeElement?.getAttribute("aria-label") === "Search service users",
      );
      page.assertNoErrors();
      await page.closeContext();
    });

    test("assume a service user by keyboard alone, through the same dialog as the button", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      await page.waitForSelector("tr[data-user-id]");
      const selected = await typeInPalette(page, "assume etl");
      assert.match(await selected.textContent(), /^Assume etl-bot/);
      // The selected entry's texts are readable on its background.
      await page.mouse.move(5, 795);
      await checkA11y(page, `palette with a selected entry, ${colorScheme}`);
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Assume etl-bot" });
      await dialog.getByRole("button", { name: "60 min" }).waitFor();
      await palette(page).waitFor({ state: "detached" });
      await tabTo(page, "Assume");
      await page.keyboard.press("Enter");
      await dialog.waitFor({ state: "detached" });
      await page.getByText(/Acting as etl-bot with/).waitFor();
      assert.deepEqual(
        await page.evaluate(() =>
          window.__fakeBackend.data.identities.map((i) => [i.serviceUserId, i.minutes]),
        ),
        [["etl-bot", 60]],
      );
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("disable from the palette asks what the button asks: in production, the id typed", async () => {
  const page = await openApp(browser, server.url, { scenario: "production" });
  await page.waitForSelector("tr[data-user-id]");
  const selected = await typeInPalette(page, "disable report");
  assert.match(await selected.textContent(), /^Disable report-bot/);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Disable report-bot?" });
  const typed = dialog.getByRole("textbox", { name: "Type report-bot to confirm" });
  await typed.waitFor();
  assert.equal(await dialog.getByRole("button", { name: "Disable report-bot" }).isDisabled(), true);
  await typed.focus();
  await page.keyboard.type("report-bot");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(
    await page.evaluate(() =>
      window.__fakeBackend.calls.filter((c) => c.command === "serviceUserDisable").map((c) => c.args),
    ),
    [["report-bot"]],
  );
  page.assertNoErrors();
  await page.closeContext();
});

test("what the policy forbids is listed with its reason, and Enter on it does nothing", async () => {
  const page = await openApp(browser, server.url);
  await page.waitForSelector("tr[data-user-id]");
  await page.evaluate(() => {
    window.__fakeBackend.data.users.find((u) => u.userId === "etl-bot").enabled = false;
  });
  const selected = await typeInPalette(page, "assume etl");
  assert.match(await selected.textContent(), /etl-bot is disabled: enable it before assuming it/);
  assert.equal(await selected.getAttribute("aria-disabled"), "true");
  await page.keyboard.press("Enter");
  await palette(page).waitFor();
  assert.equal(await page.getByRole("dialog", { name: "Assume etl-bot" }).count(), 0);
  page.assertNoErrors();
  await page.closeContext();
});

test("switch role lists your roles in the palette; Enter acts with the chosen one", async () => {
  const page = await openApp(browser, server.url, { scenario: "passwordSession" });
  await page.waitForSelector("tr[data-user-id]");
  const selected = await typeInPalette(page, "switch role");
  assert.match(await selected.textContent(), /^Switch role…/);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    () =>
      document.querySelector('[role="combobox"][aria-controls="command-palette-options"]')?.value ===
      "Switch role to ",
  );
  await page.locator('[role="option"]', { hasText: "Switch role to Data engineers" }).waitFor();
  await page.keyboard.type("data", { delay: 10 });
  await page
    .locator('[role="option"][data-selected]', { hasText: "Switch role to Data engineers" })
    .waitFor();
  await page.keyboard.press("Enter");
  await page.getByText(/You act with Data engineers/).waitFor();
  page.assertNoErrors();
  await page.closeContext();
});

test("open journal: the page opens and the navigation follows", async () => {
  const page = await openApp(browser, server.url);
  await page.waitForSelector("tr[data-user-id]");
  const selected = await typeInPalette(page, "open journal");
  assert.match(await selected.textContent(), /^Open journal/);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Journal", level: 2 }).waitFor();
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  assert.equal(await nav.getByRole("button", { name: "Journal" }).getAttribute("aria-current"), "page");
  page.assertNoErrors();
  await page.closeContext();
});

test("100,000 service users: one beyond the palette's own list is found through the cache's search", async () => {
  const page = await openApp(browser, server.url, { scenario: "many" });
  await page.waitForSelector('tr[data-user-id="svc-000001"]');
  const selected = await typeInPalette(page, "assume svc-099998");
  await page.locator('[role="option"][data-selected]', { hasText: "Assume svc-099998" }).waitFor();
  assert.match(await selected.textContent(), /^Assume svc-099998/);
  page.assertNoErrors();
  await page.closeContext();
});

describe("the list for daily use", () => {
  test("sort by a column: aria-sort, both directions, kept after a reload", async () => {
    const page = await openApp(browser, server.url);
    await page.waitForSelector("tr[data-user-id]");
    const ids = () =>
      page.locator("tr[data-user-id]").evaluateAll((rows) => rows.map((r) => r.dataset.userId));
    const header = (name) => page.getByRole("columnheader", { name });
    assert.equal(await header("Id").getAttribute("aria-sort"), "ascending");
    const byId = await ids();
    await header("Name").getByRole("button").click();
    await page.waitForFunction(
      () => document.querySelector('th[data-column="name"]')?.getAttribute("aria-sort") === "ascending",
    );
    assert.equal(await header("Id").getAttribute("aria-sort"), "none");
    const names = await page.locator('tr[data-user-id] td[data-column="name"]').allTextContents();
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base", numeric: true })),
    );
    await header("Name").getByRole("button").click();
    await page.waitForFunction(
      () => document.querySelector('th[data-column="name"]')?.getAttribute("aria-sort") === "descending",
    );
    const descending = await page.locator('tr[data-user-id] td[data-column="name"]').allTextContents();
    assert.deepEqual(descending, [...names].reverse());
    await page.reload();
    await page.waitForSelector("tr[data-user-id]");
    assert.equal(await header("Name").getAttribute("aria-sort"), "descending");
    // Back to the id order.
    await header("Id").getByRole("button").click();
    await page.waitForFunction(
      () => document.querySelector('th[data-column="id"]')?.getAttribute("aria-sort") === "ascending",
    );
    await page.waitForFunction(
      (want) =>
        JSON.stringify([...document.querySelectorAll("tr[data-user-id]")].map((r) => r.dataset.userId)) ===
        want,
      JSON.stringify(byId),
    );
    page.assertNoErrors();
    await page.closeContext();
  });

  test("the column chooser hides a column, kept after a reload", async () => {
    const page = await openApp(browser, server.url);
    await page.waitForSelector("tr[data-user-id]");
    await page.getByRole("columnheader", { name: "Shared with" }).waitFor();
    await page.getByRole("button", { name: "Columns" }).click();
    const box = page.getByRole("checkbox", { name: "Shared with" });
    assert.equal(await box.isChecked(), true);
    await checkA11y(page, "column chooser");
    await box.click();
    await page.getByRole("columnheader", { name: "Shared with" }).waitFor({ state: "detached" });
    await page.keyboard.press("Escape");
    await page.reload();
    await page.waitForSelector("tr[data-user-id]");
    await page.getByRole("columnheader", { name: "Roles" }).waitFor();
    assert.equal(await page.getByRole("columnheader", { name: "Shared with" }).count(), 0);
    page.assertNoErrors();
    await page.closeContext();
  });

  test("copy id and copy command on a row; no secret in the command", async () => {
    const page = await openApp(browser, server.url);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.waitForSelector("tr[data-user-id]");
    await page.getByRole("button", { name: "Actions for etl-bot" }).click();
    await page.getByRole("menuitem", { name: "Copy command" }).click();
    await page.getByText(/Copied the command/).waitFor();
    const line = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(line, /^amorphic-su exec etl-bot --role [A-Za-z0-9-]+ -- $/);
    assert.doesNotMatch(line, /amo_pat|token|secret/i);
    // The menu's click did not open the drawer.
    assert.equal(await page.getByRole("dialog", { name: "etl-bot" }).count(), 0);
    await page.getByRole("button", { name: "Actions for report-bot" }).click();
    await page.getByRole("menuitem", { name: "Copy id" }).click();
    await page.getByText(/Copied the id report-bot/).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "report-bot");
    page.assertNoErrors();
    await page.closeContext();
  });
});
