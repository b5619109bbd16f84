// Drives the real app window through tauri-driver + WebKitWebDriver (run by scripts/window-e2e.sh).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";

const app = process.env.AMORPHIC_SU_APP;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;
const cargoVersion = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8").match(
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
  assert.equal(await heading.getText(), "Amorphic Service Users Desktop");
  const version = await browser.$('[aria-label="app version"]');
  await version.waitForExist({ timeout: 10000 });
  // WebKitWebDriver's getText() returns "" for Mantine's badge label; read the DOM text instead.
  assert.ok(await version.isDisplayed());
  assert.equal(await version.getProperty("textContent"), `v${cargoVersion}`);
  assert.equal(await browser.getTitle(), "Amorphic Service Users");
  if (shots) await browser.saveScreenshot(`${shots}/main-window.png`);
});
