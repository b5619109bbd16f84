// Your own role, in the real browser, light and dark, with axe: the role menu in the top bar
// switches it (and create follows at once); a PAT-bound sign-in explains why it cannot.
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

const who = (page) => page.locator('[aria-label="signed in as"]');
const whoIs = (page, text) =>
  page.waitForFunction((t) => document.querySelector('[aria-label="signed in as"]')?.textContent === t, text);
/** The pointer off the controls: axe judges colours at rest, not under a hover. */
const restPointer = (page) => page.mouse.move(5, 795);

for (const colorScheme of ["light", "dark"]) {
  describe(`roles, ${colorScheme}`, { concurrency: 2 }, () => {
    test("a new administrator switches to the super-admin role and creates a service user", async () => {
      const page = await openApp(browser, server.url, { scenario: "defaultRoleSession", colorScheme });
      await whoIs(page, "alice as Default users");
      const create = page.getByRole("button", { name: "New service user" });
      await page.waitForFunction(() =>
        [...document.querySelectorAll("button")].some(
          (b) => b.textContent === "New service user" && b.getAttribute("aria-disabled") === "true",
        ),
      );
      await who(page).getByRole("button").click();
      const menu = page.getByRole("menu");
      await menu.locator('[data-role-id="SystemRole-SuperAdmin"]').waitFor();
      assert.equal(
        await menu.locator('[data-role-id="SystemRole-SuperAdmin"]').getAttribute("title"),
        "SystemRole-SuperAdmin",
      );
      await restPointer(page);
      await checkA11y(page, `role menu, ${colorScheme}`);
      await menu.getByRole("menuitem", { name: /^Super admin/ }).click();
      await whoIs(page, "alice as Super admin");
      await page.waitForFunction(() =>
        [...document.querySelectorAll("button")].some(
          (b) => b.textContent === "New service user" && !b.hasAttribute("aria-disabled"),
        ),
      );
      assert.deepEqual(
        await page.evaluate(() =>
          window.__fakeBackend.calls.filter((c) => c.command === "roleUse").map((c) => c.args),
        ),
        [["SystemRole-SuperAdmin"]],
      );

      await create.click();
      const dialog = page.getByRole("dialog", { name: "New service user" });
      await dialog.getByRole("textbox", { name: "User id" }).fill("ml-bot");
      await dialog.getByRole("textbox", { name: "Display name" }).fill("ML bot");
      await dialog.getByRole("button", { name: "Create" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.locator('tr[data-user-id="ml-bot"]').waitFor();
      page.assertNoErrors();
      await page.closeContext();
    });

    test("signed in with a PAT: the role is fixed by the token, another credential is offered", async () => {
      const page = await openApp(browser, server.url, { scenario: "patDefaultRole", colorScheme });
      await whoIs(page, "alice as Default users");
      await who(page).getByRole("button").click();
      const bound = page.getByTestId("role-bound");
      await bound.waitFor();
      assert.match(
        await bound.textContent(),
        /bound to its role \(Default users\)\. To act with another role, sign in/,
      );
      assert.ok(await page.locator('[data-role-id="SystemRole-SuperAdmin"]').isDisabled());
      await restPointer(page);
      await checkA11y(page, `role menu, PAT, ${colorScheme}`);
      await page.getByRole("menuitem", { name: "Sign in with another credential…" }).click();
      const dialog = page.getByRole("dialog", { name: "Sign in to demo" });
      await dialog.getByRole("textbox", { name: "Password" }).fill("alice-demo-password");
      await dialog.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Signed in to demo again.").waitFor();
      // A password session can switch: the menu lists the roles as choices now.
      await who(page).getByRole("button").click();
      await page.getByRole("menuitem", { name: /^Super admin/ }).waitFor();
      assert.equal(await page.getByTestId("role-bound").count(), 0);
      assert.ok(!(await page.locator('[data-role-id="SystemRole-SuperAdmin"]').isDisabled()));
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}
