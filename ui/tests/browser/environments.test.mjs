// Sign-in, environments and the top bar in the real browser, light and dark, with axe.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { checkA11y, launchBrowser, openApp, serveStatic } from "./harness.mjs";

const ALICE_PAT = "amo_pat_alice_superadmin_demo_00000000000000";

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([serveStatic(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const colorScheme of ["light", "dark"]) {
  describe(`environments, ${colorScheme}`, { concurrency: 2 }, () => {
    test("first run: add an environment (a bad URL is refused), sign in with a PAT", async () => {
      const page = await openApp(browser, server.url, { scenario: "noEnvironment", colorScheme });
      await page.getByRole("heading", { name: "Add an environment" }).waitFor();
      await checkA11y(page, `add first environment, ${colorScheme}`);

      await page.getByRole("textbox", { name: "Name" }).fill("staging");
      await page.getByRole("textbox", { name: "Base URL" }).fill("staging.example.test");
      await page.getByRole("button", { name: "grape" }).click();
      await page.getByRole("button", { name: "Add environment" }).click();
      const error = page.getByRole("alert").filter({ hasText: "Invalid input" });
      await error.waitFor();
      assert.match(await error.textContent(), /'staging.example.test' is not a URL/);
      await checkA11y(page, `add environment error, ${colorScheme}`);

      await page.getByRole("textbox", { name: "Base URL" }).fill("https://staging.example.test");
      await page.getByRole("button", { name: "Add environment" }).click();
      const form = page.getByRole("form", { name: "Sign in to staging" });
      await form.waitFor();
      await checkA11y(page, `sign in form, ${colorScheme}`);
      await form.getByLabel("Personal access token").fill(ALICE_PAT);
      await form.getByRole("button", { name: "Sign in" }).click();

      // The role by its name, once the roles have loaded.
      await page.waitForFunction(
        () => document.querySelector('[aria-label="signed in as"]')?.textContent === "alice as Super admin",
      );
      assert.equal(await page.getByRole("button", { name: /switch environment/ }).textContent(), "staging");
      const calls = await page.evaluate(() =>
        window.__fakeBackend.calls.filter((c) => c.command === "environmentAdd").map((c) => c.args[0].colour),
      );
      assert.deepEqual(calls, ["grape", "grape"]);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("signed out: a wrong password shows the server's message, the right one signs in", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedOut", colorScheme });
      await page.getByText("User id and password").click();
      await page.getByRole("textbox", { name: "User id" }).fill("alice");
      const password = page.getByRole("textbox", { name: "Password" });
      await password.fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Sign-in refused" });
      await alert.waitFor();
      assert.match(await alert.textContent(), /the credentials are missing or not valid/);
      assert.equal(await password.inputValue(), "", "the password leaves the form once sent");
      await checkA11y(page, `sign-in refused, ${colorScheme}`);

      await password.fill("alice-demo-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator('[aria-label="signed in as"]').waitFor();
      page.assertNoErrors();
      await page.closeContext();
    });

    test("production: red switcher, a red banner under the top bar", async () => {
      const page = await openApp(browser, server.url, { scenario: "production", colorScheme });
      const banner = page.getByRole("note", { name: "Production environment" });
      await banner.waitFor();
      assert.match(await banner.textContent(), /Production: prod-eu\. Changes here affect real users/);
      assert.equal(
        await page.getByRole("button", { name: /switch environment/ }).textContent(),
        "prod-eu (production)",
      );
      const bg = await page
        .getByRole("button", { name: /switch environment/ })
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      assert.ok(r > 150 && g < 90 && b < 90, `the switcher is red (${bg})`);
      await checkA11y(page, `production, ${colorScheme}`);
      page.assertNoErrors();
      await page.closeContext();
    });

    test("environments page: list, add dialog, switch, remove a production one by name", async () => {
      const page = await openApp(browser, server.url, { scenario: "signedIn", colorScheme });
      await page
        .getByRole("navigation", { name: "Main navigation" })
        .getByRole("button", { name: "Environments" })
        .click();
      const table = page.getByRole("table", { name: "Environments" });
      await table.waitFor();

      await page.getByRole("button", { name: "Add environment" }).click();
      const add = page.getByRole("dialog", { name: "Add environment" });
      await add.getByRole("textbox", { name: "Name" }).fill("prod-us");
      await add.getByRole("textbox", { name: "Base URL" }).fill("https://prod-us.example.test");
      // The keyboard works: Space toggles the switch.
      await add.getByRole("switch", { name: "Production environment" }).press("Space");
      await checkA11y(page, `add environment dialog, ${colorScheme}`);
      await add.getByRole("button", { name: "Add environment" }).click();
      await add.waitFor({ state: "detached" });
      await table.locator('tr[data-environment="prod-us"]').waitFor();
      await checkA11y(page, `environments page, ${colorScheme}`);

      await page.getByRole("button", { name: "Remove prod-us" }).click();
      const confirm = page.getByRole("dialog", { name: "Remove prod-us?" });
      assert.ok(await confirm.getByRole("button", { name: "Remove" }).isDisabled());
      await confirm.getByRole("textbox", { name: "Type prod-us to confirm" }).fill("prod-us");
      await checkA11y(page, `remove confirmation, ${colorScheme}`);
      await confirm.getByRole("button", { name: "Remove" }).click();
      await table.locator('tr[data-environment="prod-us"]').waitFor({ state: "detached" });
      page.assertNoErrors();
      await page.closeContext();
    });
  });
}

test("the top-bar switcher moves to another environment (signed out there: the sign-in screen)", async () => {
  const page = await openApp(browser, server.url, { scenario: "signedIn" });
  await page.locator('[aria-label="signed in as"]').waitFor();
  await page.evaluate(() =>
    window.__fakeBackend.data.environments.push({
      name: "staging",
      baseUrl: "https://staging.example.test",
      colour: "teal",
      production: false,
      userId: null,
      defaultRole: null,
      signedIn: false,
    }),
  );
  await page.getByRole("button", { name: /switch environment/ }).click();
  await page.getByRole("menuitem", { name: /staging/ }).click();
  await page.getByRole("form", { name: "Sign in to staging" }).waitFor();
  assert.equal(await page.getByRole("button", { name: /switch environment/ }).textContent(), "staging");
  await checkA11y(page, "signed out of the new environment");
  page.assertNoErrors();
  await page.closeContext();
});

test("edit an environment: the colour and default role persist; another server signs it out", async () => {
  const page = await openApp(browser, server.url, { scenario: "signedIn" });
  await page
    .getByRole("navigation", { name: "Main navigation" })
    .getByRole("button", { name: "Environments" })
    .click();
  await page.getByRole("button", { name: "Edit demo" }).click();
  let dialog = page.getByRole("dialog", { name: "Edit demo" });
  await dialog.getByRole("button", { name: "teal" }).click();
  await dialog.getByRole("textbox", { name: "Default role" }).fill("role-data-engineers");
  await checkA11y(page, "edit environment");
  await dialog.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved demo.").waitFor();
  await page.waitForFunction(() =>
    document
      .querySelector('[aria-label$="switch environment"]')
      .style.getPropertyValue("--button-bg")
      .includes("teal"),
  );

  await page.getByRole("button", { name: "Edit demo" }).click();
  dialog = page.getByRole("dialog", { name: "Edit demo" });
  assert.equal(await dialog.getByRole("button", { name: "teal" }).getAttribute("aria-pressed"), "true");
  assert.equal(
    await dialog.getByRole("textbox", { name: "Default role" }).inputValue(),
    "role-data-engineers",
  );
  await dialog.getByRole("textbox", { name: "Base URL" }).fill("https://elsewhere.example.test");
  await dialog.getByRole("note", { name: "Another server" }).waitFor();
  await checkA11y(page, "edit environment, another server");
  await dialog.getByRole("button", { name: "Save" }).click();
  await page.getByText(/demo now points to another server, so it was signed out/).waitFor();
  await page.getByRole("form", { name: "Sign in to demo" }).waitFor();
  page.assertNoErrors();
  await page.closeContext();
});
