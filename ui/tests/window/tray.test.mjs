// The tray menu, the window title and the notifications, through the interfaces a desktop uses
// (run by scripts/window-e2e.sh on the signed-in "demo" environment). Before the app starts, this
// process takes the desktop's place on the session bus (ui/tests/window/desktop-bus.mjs): a
// StatusNotifierWatcher that the app's tray icon (libayatana-appindicator) registers with, and a
// notification server. Then it reads the tray menu over com.canonical.dbusmenu as a panel does,
// clicks its items, and checks each click's effect in the window and in the keychain; it checks
// that a token that ends within ten minutes is announced once, and a 60-minute one not at all;
// and that a service user disabled with curl while the app runs shows as refused in the tray and
// the title within the check period, is announced once, and after a re-enable can be assumed
// again from the tray.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import { nextEvent, startDesktop } from "./desktop-bus.mjs";
import { dialog, keychain, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;

const server = process.env.AMORPHIC_SU_SERVER_URL;

const ENV = "demo";
const APP_TITLE = "Amorphic Service Users";
/** Assumed for an hour: listed in the tray, never announced; then disabled from outside. */
const LONG = { id: "etl-bot", role: "role-data-engineers", roleName: "Data engineers", minutes: 60 };
/** Assumed for 5 minutes: expiring at once, announced once, "report-bot expires in 5 min". */
const SHORT = { id: "report-bot", role: "SystemRole-DefaultUsers", roleName: "Default users", minutes: 5 };
/**
 * How often the app asks the server about its identities: scripts/window-e2e.sh starts it with
 * AMORPHIC_SU_IDENTITY_CHECK_SECONDS (src-tauri/src/watcher.rs).
 */
const CHECK_EVERY = Number(process.env.AMORPHIC_SU_IDENTITY_CHECK_SECONDS ?? 180) * 1000;
/** alice's demo PAT (crates/server/seed/demo-seed.json): another client than the app. */
const ALICE_PAT = "amo_pat_alice_default_demo_00000000000000";

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

/** The end (Unix seconds) of an assumed identity's token in the keychain. */
function tokenEnd(id) {
  const token = keychain(ENV, `assumed:${id}`);
  assert.ok(token, `${id}'s token is in the keychain`);
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).exp;
}

/**
 * The tray's label of an assumed identity: its role's name and its state, "until HH:MM" (live),
 * "expiring HH:MM" (ten minutes or less left, from its token in the keychain), or a given one
 * ("refused: disabled").
 */
function identityLabel({ id, roleName }, active, state) {
  let shown = state;
  if (!shown) {
    const end = tokenEnd(id);
    shown = `${end - Date.now() / 1000 <= 600 ? "expiring" : "until"} ${hhmm(end)}`;
  }
  return `${active ? "● " : ""}${id} as ${roleName} (${shown})`;
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
const FORGET = "Forget (wipe its token)";
/** A live or expiring identity's items. */
const usable = ({ id }) => ["Act as this service user", `Renew ${id}`, FORGET];

// ---- Another client: the server changed with curl while the app runs ---------------------------

/** Sets a service user's status with curl as alice (her demo PAT), as someone else would. */
function setStatusWithCurl(id, status) {
  const out = execFileSync(
    "curl",
    [
      "--silent",
      "--show-error",
      "--fail-with-body",
      "--request",
      "PUT",
      "--header",
      `Authorization: ${ALICE_PAT}`,
      "--header",
      "Content-Type: application/json",
      "--data",
      JSON.stringify({ UserStatus: status }),
      `${server}/users/${id}/status`,
    ],
    { encoding: "utf8" },
  );
  assert.equal(JSON.parse(out).UserStatus, status, `curl set ${id} ${status}`);
}

// ---- The window ---------------------------------------------------------------------------------

const identityBar = '//*[@role="group"][@aria-label="Identity"]';
const row = (id) => `tr[data-user-id="${id}"]`;
/** A row's id cell: clicking it opens the drawer (the first cell is the bulk selection's checkbox). */
const idCell = (id) => `tr[data-user-id="${id}"] td[data-column="id"]`;

/** Assumes a service user through its drawer's Assume dialog, as a person does. */
async function assume({ id, role, roleName, minutes }) {
  const drawer = dialog(id);
  await (await w.shown(idCell(id))).click();
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
  await w.waitTitle(`${id} as ${roleName} — ${APP_TITLE}`, `after assuming ${id}`);
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
  await w.waitText('[aria-label="signed in as"]', "alice as Super admin", START);
  assert.equal(await w.textOf(await w.shown('[aria-label="environment"]')), ENV);
  await w.waitTitle(APP_TITLE, "signed in");
  await trayShows(NOTHING, "before any assume");
});

/** The tray's menu with these identity entries, as { label: items }. */
const withIdentities = (...entries) => ["Show window", "---", ...entries, "Act as yourself", "---", "Quit"];

step(
  `after the window assumes ${LONG.id} for 60 minutes, the tray lists it, active, with Renew`,
  async () => {
    await w.shown(row(LONG.id), START);
    await assume(LONG);
    await trayShows(
      withIdentities({ [identityLabel(LONG, true)]: usable(LONG) }),
      `after assuming ${LONG.id}`,
    );
  },
);

step('the tray\'s "Act as yourself" makes the window act as alice', async () => {
  await trayClick("Act as yourself");
  await w.gone(identityBar);
  await w.shown('//button[normalize-space()="Assumed identities (1)"]');
  await w.waitTitle(APP_TITLE, "after the tray's Act as yourself");
  await trayShows(withIdentities({ [identityLabel(LONG, false)]: usable(LONG) }), "after Act as yourself");
  assert.equal(await w.textOf(await w.shown('[aria-label="signed in as"]')), "alice as Super admin");
});

step(`the tray's "Act as this service user" makes the window act as ${LONG.id} again`, async () => {
  await trayClick("Act as this service user", identityLabel(LONG, false));
  await w.waitText(`${identityBar}[@data-identity="${LONG.id}"]//button[1]`, `Acting as ${LONG.id}`);
  await w.waitTitle(`${LONG.id} as ${LONG.roleName} — ${APP_TITLE}`, "after the tray's Act as");
  await trayShows(
    withIdentities({ [identityLabel(LONG, true)]: usable(LONG) }),
    "after Act as this service user",
  );
});

step(`the tray's "Renew ${LONG.id}" puts a new token in the keychain and keeps acting as it`, async () => {
  const before = keychain(ENV, `assumed:${LONG.id}`);
  // Tokens are issued to the second: a renewal in the same second would carry the same claims.
  await new Promise((r) => setTimeout(r, 1100));
  await trayClick(`Renew ${LONG.id}`, identityLabel(LONG, true));
  await waitUntil(
    () => keychain(ENV, `assumed:${LONG.id}`) !== before,
    UI,
    `the tray's Renew did not replace ${LONG.id}'s token`,
  );
  await trayShows(withIdentities({ [identityLabel(LONG, true)]: usable(LONG) }), "after Renew");
  await w.waitTitle(`${LONG.id} as ${LONG.roleName} — ${APP_TITLE}`, "after the tray's Renew");
});

step(`a token assumed for ${SHORT.minutes} minutes is announced once; the 60-minute one never`, async () => {
  assert.deepEqual(desktop.notifications.received, [], "nothing announced before");
  const t0 = Date.now();
  await assume(SHORT);
  // Announced right after the assume (the watcher also announces on its next pass).
  const n = await desktop.notified(() => true, CHECK_EVERY + 5000);
  console.log(`# the notification arrived ${Date.now() - t0} ms after the assume began`);
  assert.equal(n.summary, `${SHORT.id} expires in ${SHORT.minutes} min`);
  const until = hhmm(tokenEnd(SHORT.id));
  assert.equal(
    n.body,
    `The token acting as ${SHORT.id} with role ${SHORT.roleName} ends at ${until}. Renew it from the tray or the identity bar.`,
  );
  assert.equal(await desktop.exeOf(n.sender), realpathSync(app), "the app sent it");
  // The tray lists both, the new one active and expiring (sorted by id: etl-bot first).
  assert.match(identityLabel(SHORT, true), /\(expiring \d\d:\d\d\)$/);
  await trayShows(
    withIdentities(
      { [identityLabel(LONG, false)]: usable(LONG) },
      { [identityLabel(SHORT, true)]: usable(SHORT) },
    ),
    `after assuming ${SHORT.id}`,
  );

  // Later passes of the watcher (a check every CHECK_EVERY) announce nothing again, and
  // nothing about the 60-minute token.
  await new Promise((r) => setTimeout(r, 2 * CHECK_EVERY + 2000));
  assert.deepEqual(
    desktop.notifications.received.map((x) => x.summary),
    [`${SHORT.id} expires in ${SHORT.minutes} min`],
    "exactly one notification",
  );
});

step(`the tray's "Forget" wipes ${SHORT.id}'s token and the window acts as alice`, async () => {
  await trayClick(FORGET, identityLabel(SHORT, true));
  await trayShows(
    withIdentities({ [identityLabel(LONG, false)]: usable(LONG) }),
    `after forgetting ${SHORT.id}`,
  );
  await w.gone(identityBar);
  await w.shown('//button[normalize-space()="Assumed identities (1)"]');
  await w.waitTitle(APP_TITLE, `after the tray's Forget of ${SHORT.id}`);
  assert.equal(keychain(ENV, `assumed:${SHORT.id}`), null, `${SHORT.id}'s token left the keychain`);
  assert.ok(keychain(ENV, `assumed:${LONG.id}`), `${LONG.id}'s token is still there`);
});

step(
  `${LONG.id} disabled with curl while the app runs: within the check period the tray and title say refused, once announced`,
  async () => {
    await trayClick("Act as this service user", identityLabel(LONG, false));
    await w.waitTitle(`${LONG.id} as ${LONG.roleName} — ${APP_TITLE}`, `acting as ${LONG.id}`);
    const t0 = Date.now();
    setStatusWithCurl(LONG.id, "disabled");
    // No Act as, no Renew, no Assume again (disabled: an owner must enable it first): Forget only.
    await trayShows(
      withIdentities({ [identityLabel(LONG, true, "refused: disabled")]: [FORGET] }),
      `after ${LONG.id} was disabled elsewhere`,
      CHECK_EVERY + UI,
    );
    console.log(
      `# the tray showed ${LONG.id} refused ${Date.now() - t0} ms after the disable (checks every ${CHECK_EVERY} ms)`,
    );
    await w.waitTitle(
      `${LONG.id} refused (disabled) — ${APP_TITLE}`,
      `after ${LONG.id} was disabled elsewhere`,
    );
    console.log(`# the title said refused ${Date.now() - t0} ms after the disable`);
    const n = await desktop.notified((x) => x.summary === `${LONG.id} refused (disabled)`, UI);
    assert.equal(
      n.body,
      `${LONG.id} is disabled: an owner must enable it, then assume it again. From the tray or the identity bar: Forget it.`,
    );
    // The server really refuses the token the tray says is refused.
    const res = await fetch(`${server}/whoami`, {
      headers: { Authorization: ALICE_PAT, "X-Amorphic-Service-User": keychain(ENV, `assumed:${LONG.id}`) },
    });
    assert.equal(res.status, 401, "the server refuses the disabled service user's token");
  },
);

step(
  `re-enabled with curl, ${LONG.id}'s old token stays dead: the tray offers "Assume ${LONG.id} again", which works`,
  async () => {
    setStatusWithCurl(LONG.id, "enabled");
    const again = `Assume ${LONG.id} again`;
    await trayShows(
      withIdentities({ [identityLabel(LONG, true, "refused: token invalid")]: [again, FORGET] }),
      `after ${LONG.id} was enabled again elsewhere`,
      CHECK_EVERY + UI,
    );
    await w.waitTitle(`${LONG.id} refused (token invalid) — ${APP_TITLE}`, "refused, the token dead");
    const dead = keychain(ENV, `assumed:${LONG.id}`);
    await trayClick(again, identityLabel(LONG, true, "refused: token invalid"));
    await waitUntil(
      () => keychain(ENV, `assumed:${LONG.id}`) !== dead,
      UI,
      "Assume again put no new token in the keychain",
    );
    await trayShows(withIdentities({ [identityLabel(LONG, true)]: usable(LONG) }), "after Assume again");
    await w.waitTitle(`${LONG.id} as ${LONG.roleName} — ${APP_TITLE}`, "after the tray's Assume again");
    // One notification per token: the expiry of report-bot's, the refusal of etl-bot's first one.
    assert.deepEqual(
      desktop.notifications.received.map((x) => x.summary),
      [`${SHORT.id} expires in ${SHORT.minutes} min`, `${LONG.id} refused (disabled)`],
    );
  },
);

step(`the tray's "Forget" on ${LONG.id} leaves nothing assumed`, async () => {
  await trayClick(FORGET, identityLabel(LONG, true));
  await trayShows(NOTHING, `after forgetting ${LONG.id}`);
  await w.gone('//button[starts-with(normalize-space(), "Assumed identities")]');
  await w.gone(identityBar);
  await w.waitTitle(APP_TITLE, `after the tray's Forget of ${LONG.id}`);
  assert.equal(keychain(ENV, `assumed:${LONG.id}`), null, `${LONG.id}'s token left the keychain`);
  assert.equal(desktop.notifications.received.length, 2, "still two notifications");
});

step('the tray\'s "Quit" ends the app, and its icon leaves the tray', async () => {
  await trayClick("Quit");
  await desktop.unregistered(tray.item, UI);
});
