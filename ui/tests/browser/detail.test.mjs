// The service-user drawer in the real browser: header, each tab, the reasons on disabled
// buttons, Esc; light and dark, with axe.
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

/** Opens the drawer of `userId` from the list. */
async function openDrawer(page, userId) {
  await page.locator(`tr[data-user-id="${userId}"]`).click();
  const drawer = page.getByRole("dialog", { name: userId });
  await drawer.getByLabel("status").waitFor();
  return drawer;
}

/** The pointer off the controls: axe judges colours at rest, not under a hover. */
const restPointer = (page) => page.mouse.move(5, 795);

for (const colorScheme of ["light", "dark"]) {
  describe(`drawer, ${colorScheme}`, { concurrency: 2 }, () => {
    test("header and every tab; Esc closes it and the list keeps its place", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      const drawer = await openDrawer(page, "etl-bot");
      assert.equal(await drawer.getByRole("heading", { level: 3 }).textContent(), "ETL bot");
      assert.equal(await drawer.getByLabel("status").textContent(), "enabled");
      for (const name of ["Assume", "Disable", "Delete…"])
        await drawer.getByRole("button", { name }).waitFor();
      await drawer.getByRole("table", { name: "Roles" }).waitFor();
      await drawer.getByRole("button", { name: "Detach SystemRole-DefaultUsers" }).hover();
      await page.getByRole("tooltip").filter({ hasText: "is the default role" }).waitFor();
      await restPointer(page);
      await checkA11y(page, `drawer roles, ${colorScheme}`);

      await drawer.getByRole("tab", { name: "Who can act" }).click();
      await drawer.getByRole("table", { name: "Owners through tags" }).waitFor();
      assert.match(await drawer.getByRole("row", { name: /#team-data/ }).textContent(), /alice, bob.*Owner/);
      await drawer.getByRole("table", { name: "Access tokens" }).waitFor();
      await checkA11y(page, `drawer who can act, ${colorScheme}`);

      await drawer.getByRole("tab", { name: "Resources" }).click();
      await drawer.getByRole("table", { name: "Owned resources" }).waitFor();
      assert.equal(await drawer.locator("tr[data-resource-id]").count(), 2);
      await checkA11y(page, `drawer resources, ${colorScheme}`);

      await drawer.getByRole("tab", { name: "History" }).click();
      await drawer.getByRole("table", { name: "History" }).waitFor();
      await checkA11y(page, `drawer history, ${colorScheme}`);

      await page.keyboard.press("Escape");
      await drawer.waitFor({ state: "detached" });
      assert.equal(await page.locator('tr[data-user-id="etl-bot"]').count(), 1);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("without owner access: actions disabled, the reason on hover", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      const drawer = await openDrawer(page, "finance-bot");
      const assume = drawer.getByRole("button", { name: "Assume" });
      assert.equal(await assume.getAttribute("aria-disabled"), "true");
      await assume.hover();
      await page.getByRole("tooltip").filter({ hasText: "not an owner of finance-bot" }).waitFor();
      await checkA11y(page, `drawer no access, ${colorScheme}`);
      await restPointer(page);
      await drawer.getByRole("tab", { name: "Who can act" }).click();
      await drawer.getByText("Only the owners of finance-bot can see its access tokens.").waitFor();
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("offline: the cached user, changes disabled with the reason", async () => {
  const page = await openApp(browser, server.url, { scenario: "offline" });
  const drawer = await openDrawer(page, "etl-bot");
  await drawer.getByText(/From the cache as of/).waitFor();
  const disable = drawer.getByRole("button", { name: "Disable" });
  assert.equal(await disable.getAttribute("aria-disabled"), "true");
  await disable.hover();
  await page.getByRole("tooltip").filter({ hasText: "Offline" }).waitFor();
  await checkA11y(page, "drawer offline");
  page.assertNoErrors();
  await page.closeContext();
});

test("a failing tab shows the server's message in place", async () => {
  const page = await openApp(browser, server.url);
  await page.evaluate(() =>
    window.__fakeBackend.failWith("serviceUserHistory", "INTERNAL", {
      message: "The history store is down.",
    }),
  );
  const drawer = await openDrawer(page, "etl-bot");
  await drawer.getByRole("tab", { name: "History" }).click();
  const alert = drawer.getByRole("alert").filter({ hasText: "Could not load the history" });
  await alert.waitFor();
  assert.match(await alert.textContent(), /The history store is down\./);
  await checkA11y(page, "drawer tab error");
  page.assertNoErrors();
  await page.closeContext();
});
