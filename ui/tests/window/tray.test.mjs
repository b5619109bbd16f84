// The tray menu and the expiry notification, through the interfaces a desktop uses (run by
// scripts/window-e2e.sh on the signed-in "demo" environment). Before the app starts, this process
// takes the desktop's place on the session bus (ui/tests/window/desktop-bus.mjs): a StatusNotifierWatcher
// that the app's tray icon (libayatana-appindicator) registers with, and a notification server.
// Then it reads the tray menu over com.canonical.dbusmenu as a panel does, clicks its items, and
// checks each click's effect in the window and in the keychain; and it checks that a token that
// ends within ten minutes is announced once, and a 60-minute one not at all.
import assert from "node:assert/strict";
import { readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import { nextEvent, startDesktop } from "./desktop-bus.mjs";
import { dialog, keychain, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;

const ENV = "demo";
const APP_TITLE = "Amorphic Service Users";
/** Assumed for an hour: listed in the tray, never announced. */
const LONG = { id: "etl-bot", role: "role-data-engineers", minutes: 60 };
/** Assumed for 5 minutes: announced once, "report-bot expires in 5 min". */
const SHORT = { id: "report-bot", role: "SystemRole-DefaultUsers", minutes: 5 };
/** src-tauri/src/tray.rs's watcher period. */
const WATCH_EVERY = 30000;

const START = 60000;
const UI = 15000;

let desktop;
let tray;
let browser;
let w;

// ---- The tray, as a panel reads it ------------------------------------------------------------

/** "HH:MM", local time, of a Unix time: how the tray says until when a token lasts. */
function hhmm(unixSeconds) {
  const t = new Date(unixSeconds * 1000);
  return `${String(t.getHours()).padStart(2, "0")}:${String(t.getMinutes()).padStart(2, "0")}`;
}

/** The tray's label of an assumed identity, from its token in the keychain. */
function identityLabel({ id, role }, active) {
  const token = keychain(ENV, `assumed:${id}`);
  assert.ok(token, `${id}'s token is in the keychain`);
  const { exp } = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  return `${active ? "● " : ""}${id} as ${role} (until ${hhmm(exp)})`;
}

/** The top level of the tray menu as labels, a submenu as { label: [its items] }. */
function outline(entries) {
  return entries.map((e) =>
    e.submenu
      ? { [e.label]: e.children.map((c) => `${c.label}${c.enabled ? "" : " (disabled)"}`) }
      : `${e.label}${e.enabled ? "" : " (disabled)"}`,
  );
}

/** Waits until the tray menu's outline is `expected`; returns its entries. */
async function trayShows(expected, what, timeout = UI) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    const entries = await tray.menu.entries();
    last = outline(entries);
    try {
      assert.deepEqual(last, expected);
      return entries;
    } catch (e) {
      if (Date.now() > deadline) {
        e.message = `${what}: the tray menu did not become what was expected within ${timeout} ms\n${e.message}`;
        throw e;
      }
    }
    // A panel re-reads the menu when it says its layout changed; poll as well, in case.
    await nextEvent(tray.menu.events, "layout", 500, "").catch(() => {});
  }
}

/** Waits until `ok()`, re-checked whenever the tray menu's layout changes and every 500 ms. */
async function waitUntil(ok, timeout, what) {
  const deadline = Date.now() + timeout;
  while (!ok()) {
    assert.ok(Date.now() < deadline, `${what} within ${timeout} ms`);
    await nextEvent(tray.menu.events, "layout", 500, "").catch(() => {});
  }
}

/** Clicks the tray item with this label (in a submenu when `submenu` names one). */
async function trayClick(label, submenu) {
  const entries = await tray.menu.entries();
  const scope = submenu ? entries.find((e) => e.label === submenu)?.children : entries;
  assert.ok(scope, `the tray has a submenu "${submenu}"`);
  const item = scope.find((e) => e.label === label);
  assert.ok(item, `the tray has an item "${label}"${submenu ? ` in "${submenu}"` : ""}`);
  assert.ok(item.enabled, `the tray item "${label}" can be clicked`);
  await tray.menu.click(item.id);
}

const NOTHING = ["Show window", "---", "No assumed service users (disabled)", "---", "Quit"];
const submenuItems = ["Act as this service user", "Forget (wipe its token)"];

// ---- The window ---------------------------------------------------------------------------------

const identityBar = '//*[@role="group"][@aria-label="Identity"]';
const row = (id) => `tr[data-user-id="${id}"]`;

/** Assumes a service user through its drawer's Assume dialog, as a person does. */
async function assume({ id, role, minutes }) {
  const drawer = dialog(id);
  await (await w.shown(`${row(id)} td`)).click();
  await w.settled(await w.shown(drawer));
  await w.click("Assume", drawer);
  const d = await w.openDialog(`Assume ${id}`);
  await w.pick("Role", role, d);
  const field = await w.field("Expiry (minutes)", d);
  await field.click();
  await browser.keys([Key.Ctrl, "a"]);
  await browser.keys(String(minutes));
  await browser.waitUntil(async () => (await field.getProperty("value")) === String(minutes), {
    timeout: UI,
    timeoutMsg: "the expiry did not take the minutes typed",
  });
  await w.click("Assume", d);
  await w.gone(d);
  await w.waitText(`${identityBar}[@data-identity="${id}"]//button[1]`, `Acting as ${id}`);
  await w.waitTitle(`${id} as ${role} — ${APP_TITLE}`, `after assuming ${id}`);
  await browser.keys(Key.Escape);
  await w.gone(drawer);
}

// Steps run in order on one app (a failure skips the rest and saves the window, the tray menu
// and the notifications received).
const step = orderedSteps({
  shots,
  prefix: "tray-",
  onFailure: async () => {
    if (tray)
      console.error(`tray menu: ${JSON.stringify(outline(await tray.menu.entries().catch(() => [])))}`);
    console.error(`notifications: ${JSON.stringify(desktop?.notifications.received.map((n) => n.summary))}`);
  },
});

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, "run inside scripts/session.sh (a private session bus)");
  // The desktop first: the app looks for a StatusNotifierWatcher when it creates its tray icon.
  desktop = await startDesktop();
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  w = windowHelpers(browser, UI);
});

after(async () => {
  // The last step quits the app from the tray: the session may have no window left to close.
  await browser?.deleteSession().catch(() => {});
  desktop?.close();
});

// ---- The steps ----------------------------------------------------------------------------------

step("the app registers its tray icon with the desktop's StatusNotifierWatcher", async () => {
  tray = await desktop.tray(START);
  // The item is the app's: the bus connection that registered it belongs to the app's process.
  assert.equal(await desktop.exeOf(tray.item.name), realpathSync(app));
  assert.equal(tray.properties.Status, "Active", "the icon is shown");
  assert.match(tray.properties.Menu, /^\//, "the item exports a menu");
  // The icon a panel draws: a PNG file (IconName is a path, or a name in IconThemePath).
  const { IconName, IconThemePath } = tray.properties;
  const icon = isAbsolute(IconName) ? IconName : join(IconThemePath, `${IconName}.png`);
  assert.deepEqual([...readFileSync(icon).subarray(1, 4)], [...Buffer.from("PNG")], `${icon} is a PNG`);
});

step("signed in with nothing assumed, the tray menu says there is no assumed service user", async () => {
  await w.waitText('[aria-label="signed in as"]', "alice as SystemRole-SuperAdmin", START);
  assert.equal(await w.textOf(await w.shown('[aria-label="environment"]')), ENV);
  await w.waitTitle(APP_TITLE, "signed in");
  await trayShows(NOTHING, "before any assume");
});

step(`after the window assumes ${LONG.id} for 60 minutes, the tray lists it, active`, async () => {
  await w.shown(row(LONG.id), START);
  await assume(LONG);
  await trayShows(
    ["Show window", "---", { [identityLabel(LONG, true)]: submenuItems }, "Act as yourself", "---", "Quit"],
    `after assuming ${LONG.id}`,
  );
});

step('the tray\'s "Act as yourself" makes the window act as alice', async () => {
  await trayClick("Act as yourself");
  await w.gone(identityBar);
  await w.shown('//button[normalize-space()="Assumed identities (1)"]');
  await w.waitTitle(APP_TITLE, "after the tray's Act as yourself");
  await trayShows(
    ["Show window", "---", { [identityLabel(LONG, false)]: submenuItems }, "Act as yourself", "---", "Quit"],
    "after Act as yourself",
  );
  assert.equal(
    await w.textOf(await w.shown('[aria-label="signed in as"]')),
    "alice as SystemRole-SuperAdmin",
  );
});

step(`the tray's "Act as this service user" makes the window act as ${LONG.id} again`, async () => {
  await trayClick("Act as this service user", identityLabel(LONG, false));
  await w.waitText(`${identityBar}[@data-identity="${LONG.id}"]//button[1]`, `Acting as ${LONG.id}`);
  await w.waitTitle(`${LONG.id} as ${LONG.role} — ${APP_TITLE}`, "after the tray's Act as");
  await trayShows(
    ["Show window", "---", { [identityLabel(LONG, true)]: submenuItems }, "Act as yourself", "---", "Quit"],
    "after Act as this service user",
  );
});

step(`a token assumed for ${SHORT.minutes} minutes is announced once; the 60-minute one never`, async () => {
  assert.deepEqual(desktop.notifications.received, [], "nothing announced before");
  const t0 = Date.now();
  await assume(SHORT);
  // The watcher's period at most (tray.rs also checks right after an assume).
  const n = await desktop.notified(() => true, WATCH_EVERY + 5000);
  console.log(`# the notification arrived ${Date.now() - t0} ms after the assume began`);
  assert.equal(n.summary, `${SHORT.id} expires in ${SHORT.minutes} min`);
  const until = identityLabel(SHORT, false).match(/until (\d\d:\d\d)/)[1];
  assert.equal(
    n.body,
    `The token acting as ${SHORT.id} with role ${SHORT.role} ends at ${until}. Re-assume it from the identity bar or the tray.`,
  );
  assert.equal(await desktop.exeOf(n.sender), realpathSync(app), "the app sent it");
  // The tray lists both, the new one active (sorted by id: etl-bot first).
  await trayShows(
    [
      "Show window",
      "---",
      { [identityLabel(LONG, false)]: submenuItems },
      { [identityLabel(SHORT, true)]: submenuItems },
      "Act as yourself",
      "---",
      "Quit",
    ],
    `after assuming ${SHORT.id}`,
  );

  // The watcher's next tick announces nothing again, and nothing about the 60-minute token. A
  // tick rebuilds the tray menu (dbusmenu's LayoutUpdated); the rebuild that went with the
  // notification came within milliseconds of it, and the window is left alone meanwhile, so a
  // rebuild more than 5 s later is a later tick.
  const later = n.at + 5000;
  await waitUntil(
    () => tray.menu.updates.some((u) => u.at > later),
    later + WATCH_EVERY + 5000 - Date.now(),
    "the watcher did not tick again",
  );
  console.log(
    `# the watcher ticked again ${tray.menu.updates.find((u) => u.at > later).at - n.at} ms after it`,
  );
  // The notification would be sent before the menu is rebuilt; give it time to arrive.
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(
    desktop.notifications.received.map((x) => x.summary),
    [`${SHORT.id} expires in ${SHORT.minutes} min`],
    "exactly one notification",
  );
});

step(`the tray's "Forget" wipes ${SHORT.id}'s token and the window acts as alice`, async () => {
  await trayClick("Forget (wipe its token)", identityLabel(SHORT, true));
  await trayShows(
    ["Show window", "---", { [identityLabel(LONG, false)]: submenuItems }, "Act as yourself", "---", "Quit"],
    `after forgetting ${SHORT.id}`,
  );
  await w.gone(identityBar);
  await w.shown('//button[normalize-space()="Assumed identities (1)"]');
  await w.waitTitle(APP_TITLE, `after the tray's Forget of ${SHORT.id}`);
  assert.equal(keychain(ENV, `assumed:${SHORT.id}`), null, `${SHORT.id}'s token left the keychain`);
  assert.ok(keychain(ENV, `assumed:${LONG.id}`), `${LONG.id}'s token is still there`);
});

step(`the tray's "Forget" on ${LONG.id} leaves nothing assumed`, async () => {
  await trayClick("Forget (wipe its token)", identityLabel(LONG, false));
  await trayShows(NOTHING, `after forgetting ${LONG.id}`);
  await w.gone('//button[starts-with(normalize-space(), "Assumed identities")]');
  await w.gone(identityBar);
  await w.waitTitle(APP_TITLE, `after the tray's Forget of ${LONG.id}`);
  assert.equal(keychain(ENV, `assumed:${LONG.id}`), null, `${LONG.id}'s token left the keychain`);
  assert.equal(desktop.notifications.received.length, 1, "still one notification");
});

step('the tray\'s "Quit" ends the app, and its icon leaves the tray', async () => {
  await trayClick("Quit");
  await desktop.unregistered(tray.item, UI);
});
