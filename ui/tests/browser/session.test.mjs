// The signed-in session in the real browser, light and dark, with axe: its end, the prompt to
// sign in again, an ended session, offline, and the assume dialog against the session's end.
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

const prompt = (page) => page.getByRole("dialog", { name: /Your session ends in/ });

for (const colorScheme of ["light", "dark"]) {
  describe(`session, ${colorScheme}`, { concurrency: 2 }, () => {
    test("minutes before a password session ends, it asks to sign in again", async () => {
      const page = await openApp(browser, server.url, { scenario: "sessionEnding", colorScheme });
      await prompt(page).waitFor();
      assert.match(
        await prompt(page).getByRole("timer", { name: "session time left" }).textContent(),
        /^0[23]:\d\d$/,
      );
      await checkA11y(page, `session ending, ${colorScheme}`);
      await prompt(page).getByRole("button", { name: "Sign in again" }).click();
      const dialog = page.getByRole("dialog", { name: "Sign in again to demo" });
      await dialog.getByRole("textbox", { name: "Password" }).fill("alice-demo-password");
      await checkA11y(page, `sign in again, ${colorScheme}`);
      await dialog.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Signed in to demo again.").waitFor();
      await page.waitForSelector("tr[data-user-id]");
      assert.equal(await prompt(page).count(), 0);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("an ended session: 'Session ended: sign in' and the password form", async () => {
      const page = await openApp(browser, server.url, { scenario: "sessionExpired", colorScheme });
      await page.getByText("Session ended: sign in").waitFor();
      assert.equal(await page.getByText("Not signed in").count(), 0);
      assert.equal(await page.getByRole("textbox", { name: "User id" }).inputValue(), "alice");
      await checkA11y(page, `session ended, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("offline: who, and the cache's time", async () => {
      const page = await openApp(browser, server.url, { scenario: "offline", colorScheme });
      const session = page.getByRole("group", { name: "session" });
      await page.waitForFunction(() =>
        /^offline: alice \(cached as of .*2026.*\)$/.test(
          document.querySelector('[aria-label="session"]')?.textContent ?? "",
        ),
      );
      assert.equal(await page.getByText("Not signed in").count(), 0);
      assert.ok((await session.boundingBox()).width > 0);
      await checkA11y(page, `offline session, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("the role menu says when the password session ends", async () => {
  const page = await openApp(browser, server.url, { scenario: "passwordSession" });
  await page.getByRole("button", { name: "alice as Super admin" }).click();
  const menu = page.getByRole("menu");
  await menu.getByText(/^Session ends at .+ \(in 4[12] min\.?\)$/).waitFor();
  await checkA11y(page, "role menu, session end");
  page.assertNoErrors();
  await page.closeContext();
});

test("assume for 180 minutes on a session ending sooner: the dialog warns", async () => {
  const page = await openApp(browser, server.url, { scenario: "passwordSession" });
  await page.locator('tr[data-user-id="etl-bot"]').click();
  const drawer = page.getByRole("dialog", { name: "etl-bot" });
  await drawer.getByRole("button", { name: "Assume" }).click();
  const dialog = page.getByRole("dialog", { name: "Assume etl-bot" });
  // The session ends in 42 minutes: the preset 60 outlive it, 15 do not.
  const warning = dialog.getByRole("alert").filter({ hasText: "Your session ends first" });
  await warning.waitFor();
  await dialog.getByRole("button", { name: "15 min" }).click();
  await warning.waitFor({ state: "detached" });
  await dialog.getByRole("button", { name: "180 min" }).click();
  await warning.waitFor();
  assert.match(await warning.textContent(), /before this token\. Then the window stops acting as etl-bot/);
  assert.match(await dialog.getByLabel("token end").textContent(), /^The token ends at .+\(in 3 hr\.?\)\.$/);
  await checkA11y(page, "assume warning");
  page.assertNoErrors();
  await page.closeContext();
});
