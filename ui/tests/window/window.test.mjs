// Drives the real app window through tauri-driver + WebKitWebDriver (run by scripts/window-e2e.sh).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { captureWindow } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;
const serverUrl = process.env.AMORPHIC_SU_SERVER_URL;
// alice's demo PAT from the seed: the test reads the server directly to check what the window shows.
const alicePat = "amo_pat_alice_default_demo_00000000000000";

async function serverGet(path) {
  const res = await fetch(`${serverUrl}${path}`, { headers: { Authorization: alicePat } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}
const cargoVersion = readFileSync(new URL("../../../Cargo.toml", import.meta.url), "utf8").match(
  /\[workspace\.package\][^[]*?version = "([^"]+)"/,
)?.[1];

let browser;

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
});

after(async () => {
  await browser?.deleteSession();
});

test("the window shows the product name and the version from Rust", async () => {
  const heading = await browser.$("h1");
  await heading.waitForExist({ timeout: 15000 });
  assert.ok(await heading.isDisplayed());
  assert.equal(await heading.getProperty("textContent"), "Amorphic Service Users Desktop");
  const version = await browser.$('[aria-label="app version"]');
  await version.waitForExist({ timeout: 10000 });
  // WebKitWebDriver's getText() returns "" for Mantine's badge label; read the DOM text instead.
  assert.ok(await version.isDisplayed());
  assert.equal(await version.getProperty("textContent"), `v${cargoVersion}`);
  assert.equal(await browser.getTitle(), "Amorphic Service Users");
});

test("signed in to the demo environment, the window lists the server's service users", async () => {
  assert.ok(serverUrl, "AMORPHIC_SU_SERVER_URL must name the reference server");
  const env = await browser.$('[aria-label="environment"]');
  await env.waitForExist({ timeout: 15000 });
  assert.equal(await env.getProperty("textContent"), "demo");
  const who = await browser.$('[aria-label="signed in as"]');
  await who.waitForExist({ timeout: 10000 });
  assert.match(await who.getProperty("textContent"), /^alice as Super admin$/);

  const table = await browser.$('table[aria-label="Service users"]');
  await table.waitForExist({ timeout: 15000 });
  const { Users } = await serverGet("/users?action=get_service_users");
  const expected = Users.map((u) => u.UserId).sort();
  assert.ok(expected.length >= 3, "the demo seed has service users");
  const rows = await browser.$$("tr[data-user-id]");
  const shown = [];
  for (const row of rows) shown.push(await row.getAttribute("data-user-id"));
  assert.deepEqual(shown.sort(), expected);
  if (shots) captureWindow(`${shots}/main-window.png`);
});

test("search narrows the list to matching service users", async () => {
  const search = await browser.$('input[aria-label="Search service users"]');
  // Only etl-bot's description ("Nightly ingestion jobs") has this word.
  await search.setValue("nightly");
  await browser.waitUntil(async () => (await browser.$$("tr[data-user-id]")).length === 1, {
    timeout: 10000,
    timeoutMsg: "the search did not narrow the list to one row",
  });
  const row = await browser.$("tr[data-user-id]");
  assert.equal(await row.getAttribute("data-user-id"), "etl-bot");
  await search.clearValue();
});
