// The command palette in the real window, against the real reference server and keychain (run by
// scripts/window-e2e.sh on the CLI's signed-in "demo" environment): Ctrl+K, type, Enter, and the
// same Assume dialog as the drawer's button, all by keyboard; the token lands in the keychain
// and the window acts as the service user. A screenshot of the palette open.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import { captureWindow, dialog, keychain, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;

const ENV = "demo";
const SU = "etl-bot";
// etl-bot's default role in the demo seed: the Assume dialog's preset.
const ROLE_NAME = "Default users";
const APP_TITLE = "Amorphic Service Users";
const START = 60000;
const UI = 15000;

const PALETTE = '//input[@aria-label="Search service users, environments and actions"]';
const SELECTED = '//*[@role="option"][@data-selected]';
const identityBar = '//*[@role="group"][@aria-label="Identity"]';

let browser;
let w;

/** What has the keyboard focus: its accessible name, or a control's text ("" for the page). */
const focused = () =>
  browser.execute(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return "";
    const text = e.matches("button, input, [role=option]") ? e.textContent : "";
    return (e.getAttribute("aria-label") ?? text ?? "").replace(/\s+/g, " ").trim();
  });

const step = orderedSteps({
  shots,
  prefix: "palette-",
  onFailure: async () => console.error(`focused: ${await focused().catch(() => "?")}`),
});

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  w = windowHelpers(browser, UI);
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
});

let tokenBefore = null;

step("the list shows, and Ctrl+K opens the palette with the focus in its search box", async () => {
  await w.shown(`tr[data-user-id="${SU}"]`, START);
  tokenBefore = keychain(ENV, `assumed:${SU}`);
  // Keyboard only from here: the focus starts in the list's search box.
  await (await w.shown('input[aria-label="Search service users"]')).click();
  await browser.keys([Key.Ctrl, "k"]);
  await w.settled(await w.shown(PALETTE));
  assert.equal(await focused(), "Search service users, environments and actions");
});

step("typing ranks the service user's Assume first; the palette as it looks", async () => {
  // A key at a time, as a person types (WebKitWebDriver sends a burst faster than any hand).
  const input = await w.shown(PALETTE);
  let typed = "";
  for (const key of "assume etl") {
    typed += key;
    await browser.keys(key);
    await browser.waitUntil(async () => (await input.getProperty("value")) === typed, {
      timeout: UI,
      timeoutMsg: `the palette's search box did not take "${typed}"`,
    });
  }
  await w.waitText(SELECTED, new RegExp(`^Assume ${SU}`));
  // A screenshot once the list stops moving.
  await w.settled(await w.shown(SELECTED));
  if (shots) captureWindow(`${shots}/command-palette.png`);
});

step("Enter opens the same Assume dialog as the button; Tab and Enter assume it", async () => {
  await browser.keys(Key.Enter);
  const d = await w.openDialog(`Assume ${SU}`);
  await w.gone(PALETTE);
  // The presets: the service user's default role, 60 minutes.
  await w.waitText(`${d}//*[@aria-label="token end"]`, /The token ends at/);
  for (let i = 0; i < 20 && (await focused()) !== "Assume"; i += 1) await browser.keys(Key.Tab);
  assert.equal(await focused(), "Assume", "Tab reaches the dialog's Assume button");
  await browser.keys(Key.Enter);
  await w.gone(dialog(`Assume ${SU}`));
});

step("the window acts as the service user, and its new token is in the keychain", async () => {
  await w.waitText(`${identityBar}[@data-identity="${SU}"]//button[1]`, `Acting as ${SU}`);
  await w.waitTitle(`${SU} as ${ROLE_NAME} — ${APP_TITLE}`, `after assuming ${SU} from the palette`);
  const token = keychain(ENV, `assumed:${SU}`);
  assert.ok(token, "an assumed token in the keychain");
  assert.notEqual(token, tokenBefore, "a new token, not one left by an earlier test");
});
