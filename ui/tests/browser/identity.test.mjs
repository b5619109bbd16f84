// The identity bar and the acting-as page in the real browser, light and dark, with axe.
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

const timer = (page) => page.getByRole("timer", { name: "time left" });
const identityBar = (page) => page.getByRole("group", { name: "Identity" });
/** The pointer off the controls: axe judges colours at rest, not under a hover. */
const restPointer = (page) => page.mouse.move(1270, 790);

for (const colorScheme of ["light", "dark"]) {
  describe(`identity, ${colorScheme}`, { concurrency: 2 }, () => {
    test("identity bar: who, role, a live countdown; role menu; renew", async () => {
      const page = await openApp(browser, server.url, { scenario: "actingAs", colorScheme });
      const bar = identityBar(page);
      await bar.getByRole("button", { name: "Acting as etl-bot" }).waitFor();
      await page.waitForFunction(() =>
        document.querySelector('[role="timer"]')?.textContent.match(/^4[12]:\d\d$/),
      );
      const first = await timer(page).textContent();
      await page.waitForFunction((t) => document.querySelector('[role="timer"]').textContent !== t, first);
      await checkA11y(page, `identity bar, ${colorScheme}`);

      // By keyboard: Enter opens the role menu, the arrow moves into it, Enter picks.
      await bar.getByRole("button", { name: /switch role/ }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("menuitem", { name: "Default users" }).waitFor();
      await checkA11y(page, `role menu, ${colorScheme}`);
      await page.keyboard.press("ArrowDown");
      assert.equal(await page.evaluate(() => document.activeElement.textContent), "Default users");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() =>
        [...document.querySelectorAll("button")].some((b) => b.textContent === "Role: Default users"),
      );

      await bar.getByRole("button", { name: "Renew" }).click();
      await page.getByText(/Renewed etl-bot for 60 minutes/).waitFor();
      assert.match(await timer(page).textContent(), /^(60|59):\d\d$/);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("under 10 minutes the countdown is orange; switch identity, act as yourself", async () => {
      const page = await openApp(browser, server.url, { scenario: "actingAsExpiring", colorScheme });
      await timer(page).waitFor();
      assert.equal(await timer(page).getAttribute("data-urgency"), "warning");
      await checkA11y(page, `countdown warning, ${colorScheme}`);

      await identityBar(page).getByRole("button", { name: "Acting as etl-bot" }).click();
      await restPointer(page);
      await checkA11y(page, `identities menu, ${colorScheme}`);
      await page.getByRole("menuitem", { name: /^Act as report-bot/ }).click();
      await identityBar(page).getByRole("button", { name: "Acting as report-bot" }).click();
      await page.getByRole("menuitem", { name: "Act as yourself (alice)" }).click();
      await page.getByRole("button", { name: "Assumed identities (2)" }).waitFor();
      assert.equal(await identityBar(page).count(), 0);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("expired: no countdown, Assume again; Forget asks, then the bar goes", async () => {
      const page = await openApp(browser, server.url, { scenario: "actingAsExpired", colorScheme });
      const bar = identityBar(page);
      await bar.getByRole("button", { name: "Assume again" }).waitFor();
      assert.equal(await bar.getAttribute("data-state"), "expired");
      assert.equal(await bar.getByRole("status").textContent(), "expired");
      assert.equal(await timer(page).count(), 0);
      assert.equal(await bar.getByRole("button", { name: "Renew" }).count(), 0);
      await checkA11y(page, `identity expired, ${colorScheme}`);
      await bar.getByRole("button", { name: "Forget" }).click();
      const dialog = page.getByRole("dialog", { name: "Forget etl-bot?" });
      await dialog.waitFor();
      await checkA11y(page, `forget confirmation, ${colorScheme}`);
      await dialog.getByRole("button", { name: "Forget" }).click();
      await identityBar(page).waitFor({ state: "detached" });
      page.assertNoErrors();
      await page.closeContext();
    });

    test("refused (disabled): why, under the top bar too; no countdown, no Renew, no Assume again", async () => {
      const page = await openApp(browser, server.url, { scenario: "refusedDisabled", colorScheme });
      const bar = identityBar(page);
      await bar.getByRole("status").filter({ hasText: "refused: disabled" }).waitFor();
      const banner = page.getByRole("alert", { name: "Identity refused" });
      assert.match(
        await banner.textContent(),
        /etl-bot is disabled: an owner must enable it, then assume it again\./,
      );
      assert.equal(await timer(page).count(), 0);
      for (const name of ["Renew", "Assume again"])
        assert.equal(await bar.getByRole("button", { name }).count(), 0);
      await bar.getByRole("button", { name: "Forget" }).waitFor();
      await restPointer(page);
      await checkA11y(page, `identity refused, ${colorScheme}`);
      // The list's header stays below the taller top bar.
      const header = await page.locator("header").boundingBox();
      const heading = await page.getByRole("heading", { name: /^Service users/ }).boundingBox();
      assert.ok(heading.y >= header.y + header.height, "the refused banner does not cover the page");
      page.assertNoErrors();
      await page.closeContext();
    });
    test("acting-as page: create a datasource; a new token's secret once, copied, then gone", async () => {
      const page = await openApp(browser, server.url, { scenario: "actingAs", colorScheme });
      await page
        .getByRole("navigation", { name: "Main navigation" })
        .getByRole("button", { name: "Acting as etl-bot" })
        .click();
      await page.getByRole("heading", { name: "Acting as etl-bot" }).waitFor();
      await restPointer(page);
      const datasources = page.getByRole("table", { name: "Datasources" });
      await datasources.waitFor();
      await page.getByRole("table", { name: "Access tokens" }).waitFor();
      await checkA11y(page, `acting-as page, ${colorScheme}`);

      await page.getByRole("textbox", { name: "Datasource name" }).fill("sales-raw");
      await page.getByRole("button", { name: "Create datasource" }).click();
      await datasources.getByRole("cell", { name: "sales-raw" }).waitFor();

      await page.getByRole("button", { name: "New access token" }).click();
      const form = page.getByRole("dialog", { name: "New access token for etl-bot" });
      await form.getByRole("textbox", { name: "Token name" }).fill("ci");
      await form.getByRole("textbox", { name: "Description" }).fill("CI pipeline");
      await checkA11y(page, `new token form, ${colorScheme}`);
      await form.getByRole("button", { name: "Create token" }).click();

      const dialog = page.getByRole("dialog", { name: "Access token created" });
      const box = dialog.getByRole("region", { name: "New token secret" });
      await box.waitFor();
      const secret = (await box.textContent()).trim();
      assert.match(secret, /^amo_pat_/);
      await checkA11y(page, `secret box, ${colorScheme}`);
      await dialog.getByRole("button", { name: "Copy" }).click();
      await dialog.getByText("Copied. The clipboard is cleared after a minute.").waitFor();
      assert.equal(await page.evaluate(() => window.__fakeBackend.data.clipboard), secret);

      await dialog.getByRole("button", { name: "Done" }).click();
      await dialog.getByText("Copied it?").waitFor();
      await checkA11y(page, `copied it?, ${colorScheme}`);
      await dialog.getByRole("button", { name: "Yes, close" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal(await page.getByText(secret).count(), 0, "the secret is gone from the page");
      await page
        .getByRole("table", { name: "Access tokens" })
        .getByRole("cell", { name: "CI pipeline" })
        .waitFor();

      await page.getByRole("button", { name: "Delete token ci" }).click();
      const confirm = page.getByRole("dialog", { name: "Delete the access token ci?" });
      await confirm.getByRole("button", { name: "Delete token" }).click();
      await page.getByRole("cell", { name: "CI pipeline" }).waitFor({ state: "detached" });
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("refused after a re-enable: Assume again makes it live", async () => {
  const page = await openApp(browser, server.url, { scenario: "refusedTokenInvalid" });
  const bar = identityBar(page);
  await bar.getByRole("status").filter({ hasText: "refused: token invalid" }).waitFor();
  await bar.getByRole("button", { name: "Assume again" }).click();
  await bar.getByRole("button", { name: "Acting as etl-bot" }).waitFor();
  assert.match(await timer(page).textContent(), /^(60|59):\d\d$/);
  assert.equal(await page.getByRole("alert", { name: "Identity refused" }).count(), 0);
  page.assertNoErrors();
  await page.closeContext();
});

test("disabling the assumed service user in the window shows it refused at once", async () => {
  const page = await openApp(browser, server.url, { scenario: "actingAs" });
  await identityBar(page).getByRole("button", { name: "Acting as etl-bot" }).waitFor();
  await page.locator('tr[data-user-id="etl-bot"]').click();
  const drawer = page.getByRole("dialog", { name: "etl-bot" });
  await drawer.getByRole("button", { name: "Disable" }).click();
  const dialog = page.getByRole("dialog", { name: "Disable etl-bot?" });
  await dialog.getByRole("button", { name: "Disable etl-bot" }).click();
  await identityBar(page).getByRole("status").filter({ hasText: "refused: disabled" }).waitFor();
  assert.equal(await timer(page).count(), 0);
  page.assertNoErrors();
  await page.closeContext();
});

test("the acting-as page of a refused identity: the server's words, Forget", async () => {
  const page = await openApp(browser, server.url, { scenario: "refusedDisabled" });
  await page
    .getByRole("navigation", { name: "Main navigation" })
    .getByRole("button", { name: /etl-bot/ })
    .click();
  await page.getByRole("heading", { name: "etl-bot (refused)" }).waitFor();
  const alert = page.getByRole("alert", { name: "The server refuses etl-bot's token" });
  assert.match(
    await alert.textContent(),
    /The server said: The user is disabled; ask an owner to enable it\. \(PRINCIPAL_DISABLED/,
  );
  assert.equal(await timer(page).count(), 0);
  await checkA11y(page, "acting-as page, refused");
  page.assertNoErrors();
  await page.closeContext();
});
