// The service-user dialogs in the real browser: create, assume, share, enable/disable, delete;
// their error paths; light and dark, with axe.
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

async function openDrawer(page, userId) {
  await page.locator(`tr[data-user-id="${userId}"]`).click();
  const drawer = page.getByRole("dialog", { name: userId });
  await drawer.getByLabel("status").waitFor();
  return drawer;
}

/** The pointer off the controls: axe judges colours at rest, not under a hover. */
const restPointer = (page) => page.mouse.move(5, 795);
const toast = (page, text) => page.getByRole("alert").filter({ hasText: text });

for (const colorScheme of ["light", "dark"]) {
  describe(`dialogs, ${colorScheme}`, { concurrency: 2 }, () => {
    test("create: the form's rules, then the new user in the list", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      await page.getByRole("button", { name: "New service user" }).click();
      const dialog = page.getByRole("dialog", { name: "New service user" });
      await dialog.getByRole("textbox", { name: "User id" }).fill("a b");
      await dialog.getByRole("button", { name: "Create" }).click();
      await dialog.getByText("Use only letters, digits, dot, underscore and hyphen").waitFor();
      await dialog.getByText("Enter a display name").waitFor();
      await checkA11y(page, `create errors, ${colorScheme}`);
      await dialog.getByRole("textbox", { name: "User id" }).fill("ml-bot");
      await dialog.getByRole("textbox", { name: "Display name" }).fill("ML bot");
      await dialog.getByRole("combobox", { name: "Roles" }).click();
      await page.getByRole("option", { name: /role-data-engineers/ }).click();
      await page.keyboard.press("Escape");
      await dialog.getByRole("button", { name: "Create" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.getByText(/ml-bot was created with/).waitFor();
      await page.locator('tr[data-user-id="ml-bot"]').waitFor();
      page.assertNoErrors();
      await page.closeContext();
    });

    test("assume: role, length shortcuts; then the identity bar acts as it", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      const drawer = await openDrawer(page, "etl-bot");
      await drawer.getByRole("button", { name: "Assume" }).click();
      const dialog = page.getByRole("dialog", { name: "Assume etl-bot" });
      await dialog.getByRole("button", { name: "60 min" }).waitFor();
      assert.equal(await dialog.getByRole("button", { name: "60 min" }).getAttribute("aria-pressed"), "true");
      await checkA11y(page, `assume, ${colorScheme}`);
      await dialog.getByRole("combobox", { name: "Role" }).click();
      await page.getByRole("option", { name: "role-data-engineers (Data engineers)" }).click();
      await dialog.getByRole("button", { name: "15 min" }).click();
      assert.equal(await dialog.getByRole("textbox", { name: "Expiry (minutes)" }).inputValue(), "15");
      await dialog.getByRole("button", { name: "Assume" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.getByText(/Acting as etl-bot with Data engineers/).waitFor();
      assert.deepEqual(
        await page.evaluate(() =>
          window.__fakeBackend.data.identities.map((i) => [i.serviceUserId, i.minutes]),
        ),
        [["etl-bot", 15]],
      );
      page.assertNoErrors();
      await page.closeContext();
    });

    test("share: regular users and tags, Owner fixed; the tables follow", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      const drawer = await openDrawer(page, "report-bot");
      await drawer.getByRole("tab", { name: "Who can act" }).click();
      await drawer.getByRole("button", { name: "Share…" }).click();
      const dialog = page.getByRole("dialog", { name: "Share report-bot" });
      assert.equal(await dialog.getByRole("textbox", { name: "Access" }).inputValue(), "Owner");
      await dialog.getByRole("combobox", { name: "Users" }).click();
      await page.getByRole("option", { name: "Bob Builder (bob)" }).waitFor();
      const offered = await page.getByRole("option").allTextContents();
      assert.deepEqual(offered, ["Bob Builder (bob)", "Dave Departed (dave)"]);
      await checkA11y(page, `share users, ${colorScheme}`);
      await page.getByRole("option", { name: "Bob Builder (bob)" }).click();
      await page.keyboard.press("Escape");
      await dialog.getByRole("combobox", { name: "Tags" }).click();
      await page.getByRole("option", { name: /team-data/ }).click();
      await page.keyboard.press("Escape");
      await restPointer(page);
      await checkA11y(page, `share picked, ${colorScheme}`);
      await dialog.getByRole("button", { name: "Share", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      await drawer.getByRole("table", { name: "Owners" }).locator('tr[data-user-id="bob"]').waitFor();
      await drawer
        .getByRole("table", { name: "Owners through tags" })
        .locator('tr[data-tag-id="team-data"]')
        .waitFor();
      page.assertNoErrors();
      await page.closeContext();
    });

    test("disable in production: names it and asks for the id; enable again", async () => {
      const page = await openApp(browser, server.url, { scenario: "production", colorScheme });
      const drawer = await openDrawer(page, "etl-bot");
      await drawer.getByRole("button", { name: "Disable" }).click();
      const dialog = page.getByRole("dialog", { name: "Disable etl-bot?" });
      await dialog.getByText("prod-eu (production)").waitFor();
      const confirm = dialog.getByRole("button", { name: "Disable etl-bot" });
      assert.equal(await confirm.isDisabled(), true);
      await checkA11y(page, `disable production, ${colorScheme}`);
      await dialog.getByRole("textbox", { name: "Type etl-bot to confirm" }).fill("etl-bot");
      await confirm.click();
      await dialog.waitFor({ state: "detached" });
      await page.waitForFunction(
        () => document.querySelector('[role="dialog"] [aria-label="status"]')?.textContent === "disabled",
      );
      await drawer.getByRole("button", { name: "Enable" }).click();
      const enable = page.getByRole("dialog", { name: "Enable etl-bot?" });
      await enable.getByRole("button", { name: "Enable etl-bot" }).click();
      await page.waitForFunction(
        () => document.querySelector('[role="dialog"] [aria-label="status"]')?.textContent === "enabled",
      );
      page.assertNoErrors();
      await page.closeContext();
    });

    test("delete: disable first, transfer user, resources, confirm, what moved", async () => {
      const page = await openApp(browser, server.url, { colorScheme });
      const drawer = await openDrawer(page, "etl-bot");
      await drawer.getByRole("button", { name: "Delete…" }).click();
      const wizard = page.getByRole("dialog", { name: "Delete etl-bot" });
      await wizard.getByText(/must be disabled before it can be deleted/).waitFor();
      await checkA11y(page, `delete disable step, ${colorScheme}`);
      await wizard.getByRole("button", { name: "Disable etl-bot" }).click();
      const group = wizard.getByRole("radiogroup", { name: "Transfer to" });
      await group.waitFor();
      assert.deepEqual(await group.getByRole("radio").evaluateAll((rs) => rs.map((r) => r.value)), [
        "alice",
        "bob",
        "carol",
      ]);
      await group.getByText("Bob Builder (bob)").click();
      await wizard.getByRole("button", { name: "Next" }).click();
      await wizard.getByRole("table", { name: "Resources that will move" }).waitFor();
      await checkA11y(page, `delete resources step, ${colorScheme}`);
      await wizard.getByRole("button", { name: "Next" }).click();
      await wizard.getByRole("button", { name: "Delete etl-bot" }).click();
      await wizard.getByRole("table", { name: "Moved resources" }).waitFor();
      await wizard.getByText("2 resources moved to bob.").waitFor();
      await restPointer(page);
      await checkA11y(page, `delete done, ${colorScheme}`);
      await wizard.getByRole("button", { name: "Done" }).click();
      await drawer.waitFor({ state: "detached" });
      await page.locator('tr[data-user-id="etl-bot"]').waitFor({ state: "detached" });
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

describe("error paths", { concurrency: 2 }, () => {
  test("create without a super-admin role: disabled, the reason on hover", async () => {
    const page = await openApp(browser, server.url, { scenario: "notSuperAdmin" });
    const button = page.getByRole("button", { name: "New service user" });
    await page.waitForFunction(() =>
      [...document.querySelectorAll("button")].some(
        (b) => b.textContent === "New service user" && b.getAttribute("aria-disabled") === "true",
      ),
    );
    await button.hover();
    await page
      .getByRole("tooltip")
      .filter({ hasText: "Only a super-admin role can create service users. Switch role in the top bar." })
      .waitFor();
    await checkA11y(page, "create disabled");
    page.assertNoErrors();
    await page.closeContext();
  });

  test("INVALID_EXPIRY: the server's message next to the length", async () => {
    const page = await openApp(browser, server.url);
    await page.evaluate(() => window.__fakeBackend.failWith("assume", "INVALID_EXPIRY"));
    const drawer = await openDrawer(page, "etl-bot");
    await drawer.getByRole("button", { name: "Assume" }).click();
    const dialog = page.getByRole("dialog", { name: "Assume etl-bot" });
    await dialog.getByRole("button", { name: "Assume" }).click();
    await dialog.getByText(/The expiry is out of range/).waitFor();
    await checkA11y(page, "assume invalid expiry");
    page.assertNoErrors();
    await page.closeContext();
  });

  test("CANNOT_SHARE_WITH_SERVICE_USER: the server's message stays as a toast", async () => {
    const page = await openApp(browser, server.url);
    await page.evaluate(() =>
      window.__fakeBackend.failWith("serviceUserShare", "CANNOT_SHARE_WITH_SERVICE_USER"),
    );
    const drawer = await openDrawer(page, "report-bot");
    await drawer.getByRole("tab", { name: "Who can act" }).click();
    await drawer.getByRole("button", { name: "Share…" }).click();
    const dialog = page.getByRole("dialog", { name: "Share report-bot" });
    await dialog.getByRole("combobox", { name: "Tags" }).click();
    await page.getByRole("option", { name: /team-data/ }).click();
    await page.keyboard.press("Escape");
    await dialog.getByRole("button", { name: "Share", exact: true }).click();
    await toast(page, "cannot be shared with another service user").waitFor();
    assert.equal(await dialog.isVisible(), true);
    await restPointer(page);
    await checkA11y(page, "share refused");
    page.assertNoErrors();
    await page.closeContext();
  });

  test("MUST_DISABLE_FIRST: the wizard goes back to disabling, with the message", async () => {
    const page = await openApp(browser, server.url);
    await page.evaluate(() => {
      window.__fakeBackend.data.users.find((u) => u.userId === "report-bot").enabled = false;
      window.__fakeBackend.failWith("serviceUserDelete", "MUST_DISABLE_FIRST");
    });
    const drawer = await openDrawer(page, "report-bot");
    await drawer.getByRole("button", { name: "Delete…" }).click();
    const wizard = page.getByRole("dialog", { name: "Delete report-bot" });
    await wizard.getByRole("radiogroup", { name: "Transfer to" }).getByText("Alice Admin (alice)").click();
    await wizard.getByRole("button", { name: "Next" }).click();
    await wizard.getByText(/owns nothing/).waitFor();
    await wizard.getByRole("button", { name: "Next" }).click();
    await wizard.getByRole("button", { name: "Delete report-bot" }).click();
    await wizard
      .getByRole("alert")
      .filter({ hasText: "Disable the service user before deleting it." })
      .waitFor();
    await wizard.getByRole("button", { name: "Disable report-bot" }).waitFor();
    await checkA11y(page, "delete must disable first");
    page.assertNoErrors();
    await page.closeContext();
  });

  test("offline: a change that fails says so in a toast", async () => {
    const page = await openApp(browser, server.url);
    await page.evaluate(() => window.__fakeBackend.failWith("serviceUserDisable", "offline"));
    const drawer = await openDrawer(page, "etl-bot");
    await drawer.getByRole("button", { name: "Disable" }).click();
    await page
      .getByRole("dialog", { name: "Disable etl-bot?" })
      .getByRole("button", { name: "Disable etl-bot" })
      .click();
    await toast(page, "cannot reach the server").waitFor();
    await restPointer(page);
    await checkA11y(page, "offline toast");
    page.assertNoErrors();
    await page.closeContext();
  });
});
