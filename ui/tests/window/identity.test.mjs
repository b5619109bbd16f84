// Who the window acts as, told truthfully, in the real window against the real server and
// keychain (run by scripts/window-e2e.sh on the "demo" environment, signed in as alice with her
// password and no default role). alice switches her own role to the super-admin one in the top
// bar and creates a service user; the choice survives a restart. The service user, assumed,
// is then disabled, enabled, unshared and deleted from outside the app (the server, with curl's
// equivalent): each time the identity bar and the window title follow within the app's check
// interval (AMORPHIC_SU_IDENTITY_CHECK_SECONDS, set by the script), and the times are printed.
// Last, the session is ended on the server and the top bar says so, a PAT-bound environment
// explains why its role cannot be switched, and with the server stopped the top bar says offline.
// The numbered screenshots are the README's (make screenshots).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import { captureWindow, nativeTitle, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const cli = process.env.AMORPHIC_SU_CLI;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;
const serverUrl = process.env.AMORPHIC_SU_SERVER_URL;
const serverPid = Number(process.env.AMORPHIC_SU_SERVER_PID ?? 0);
const checkSeconds = Number(process.env.AMORPHIC_SU_IDENTITY_CHECK_SECONDS ?? 180);
// Demo credentials from crates/server/seed/demo-seed.json (crates/server/src/seed/demo.rs).
const ALICE_PAT = "amo_pat_alice_default_demo_00000000000000";
const BOB_PAT = "amo_pat_bob_default_demo_0000000000000000";

const SU = "truth-bot";
const APP_TITLE = "Amorphic Service Users";
const DEFAULT_ROLE_NAME = "Default users";
const SUPER_ADMIN = "SystemRole-SuperAdmin";
const SUPER_ADMIN_NAME = "Super admin";
const START = 60000;
const UI = 15000;
/** A change made outside shows within one check interval, plus the time to draw it. */
const OUTSIDE = (checkSeconds + 10) * 1000;

// ---- The server, as another client ------------------------------------------------------------

async function server(method, path, body, token = ALICE_PAT) {
  const res = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { Authorization: token, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function expectStatus(want, method, path, body, token) {
  const res = await server(method, path, body, token);
  assert.equal(res.status, want, `${method} ${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The CLI on the same environment folders (scripts/session.sh's). */
function amorphicSu(...args) {
  return execFileSync(cli, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

// ---- The window -------------------------------------------------------------------------------

let browser;
let shown, gone, waitText, waitTitle, click, type, openDialog, settled;

async function launch() {
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  ({ shown, gone, waitText, waitTitle, click, type, openDialog, settled } = windowHelpers(browser, UI));
}

async function screenshot(name) {
  if (!shots) return;
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  captureWindow(`${shots}/${name}.png`);
}

const bar = `//*[@role="group"][@aria-label="Identity"][@data-identity="${SU}"]`;
const signedInAs = '//*[@aria-label="signed in as"]';
const row = (id) => `tr[data-user-id="${id}"]`;
/** A row's id cell: clicking it opens the drawer (the first cell is the bulk selection's checkbox). */
const idCell = (id) => `tr[data-user-id="${id}"] td[data-column="id"]`;
const timings = {};

/** Waits until the identity bar says `state` for SU; returns the milliseconds since `since`. */
async function identityShows(badge, since, timeout = OUTSIDE) {
  await waitText(`${bar}//*[@role="status"]`, badge, timeout);
  return Date.now() - since;
}

/** Opens the role menu in the top bar and picks a role (by id; the menu shows its name). */
async function switchRole(roleId, shot) {
  await (await shown(`${signedInAs}//button`)).click();
  const item = await settled(await shown(`//*[@role="menuitem"][@data-role-id="${roleId}"]`));
  if (shot) await screenshot(shot);
  await item.click();
}

const VIEWPORT = { x: 0, y: 0, width: 1280, height: 800 };
const inside = (inner, outer) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

const step = orderedSteps({ shots, prefix: "identity-" });

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  assert.ok(cli, "AMORPHIC_SU_CLI must name the CLI binary");
  assert.ok(serverUrl, "AMORPHIC_SU_SERVER_URL must name the reference server");
  await launch();
});

after(async () => {
  await browser?.deleteSession();
  console.log(`identity timings (ms, check every ${checkSeconds} s): ${JSON.stringify(timings)}`);
});

// ---- Your own role -----------------------------------------------------------------------------

step("signed in with the default role, create is not offered", async () => {
  await waitText(signedInAs, `alice as ${DEFAULT_ROLE_NAME}`, START);
  const create = await shown('//main//button[normalize-space()="New service user"]');
  assert.equal(await create.getAttribute("aria-disabled"), "true", "create waits for a super-admin role");
});

step("switching to the super-admin role in the top bar enables create at once", async () => {
  await switchRole(SUPER_ADMIN, "11-role-menu");
  await waitText(signedInAs, `alice as ${SUPER_ADMIN_NAME}`);
  const create = await shown('//main//button[normalize-space()="New service user"]');
  await browser.waitUntil(async () => (await create.getAttribute("aria-disabled")) !== "true", {
    timeout: UI,
    timeoutMsg: "create stayed disabled after switching to the super-admin role",
  });
});

step(`the server sees the new role: the window creates ${SU}`, async () => {
  await click("New service user", "//main");
  const d = await openDialog("New service user");
  await type("User id", SU, d);
  await type("Display name", "Truth bot", d);
  await click("Create", d);
  await gone(d);
  await shown(row(SU));
  // Only a super-admin active role may create: the server took alice's request with it.
  const u = await expectStatus(200, "GET", `/users/${SU}`);
  assert.equal(u.CreatedBy, "alice");
  // The environment keeps the choice, as the CLI reads it.
  assert.match(amorphicSu("profile", "list"), new RegExp(SUPER_ADMIN));
});

step("the role chosen survives a restart", async () => {
  await browser.deleteSession();
  await launch();
  await waitText(signedInAs, `alice as ${SUPER_ADMIN_NAME}`, START);
});

step("All users at 1,280 x 800: each service user's marker lies inside its cell and on screen", async () => {
  await click("All users", '//nav[@aria-label="Main navigation"]');
  await shown('table[aria-label="All users"] tr[data-user-id="etl-bot"]');
  const boxes = await browser.execute(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return [...document.querySelectorAll('table[aria-label="All users"] tr[data-user-id]')].map((tr) => {
      const marker = tr.querySelector('[data-kind="service"]');
      const cell = marker?.closest("td");
      return {
        id: tr.getAttribute("data-user-id"),
        marker: marker ? box(marker) : null,
        cell: cell ? box(cell) : null,
        viewport: { width: window.innerWidth, height: window.innerHeight },
      };
    });
  });
  const { Users } = await expectStatus(200, "GET", "/users?action=get_service_users");
  const serviceUsers = Users.map((u) => u.UserId);
  assert.deepEqual(
    boxes[0].viewport,
    { width: VIEWPORT.width, height: VIEWPORT.height },
    "the window is 1,280 x 800",
  );
  for (const b of boxes) {
    assert.equal(
      Boolean(b.marker),
      serviceUsers.includes(b.id),
      `${b.id}: a marker exactly for service users`,
    );
    if (!b.marker) continue;
    assert.ok(inside(b.marker, b.cell), `${b.id}: the marker lies inside its cell`);
    assert.ok(inside(b.marker, VIEWPORT), `${b.id}: the marker is on screen`);
    assert.ok(b.marker.width > 40, `${b.id}: the marker is not squeezed (${b.marker.width} px)`);
  }
  await screenshot("10-all-users");
  await click("Service users", '//nav[@aria-label="Main navigation"]');
});

// ---- An assumed identity, changed from outside ------------------------------------------------------

step(`assuming ${SU} for 180 minutes warns that the session ends first`, async () => {
  await (await shown(idCell(SU))).click();
  const drawer = `//section[@role="dialog"][.//h2[normalize-space()="${SU}"]]`;
  // The drawer slides in: click once it is in place.
  await settled(await shown(drawer));
  await shown(`${drawer}//*[@aria-label="status"]`);
  await settled(await shown(`${drawer}//button[normalize-space()="Assume"]`));
  await click("Assume", drawer);
  const d = await openDialog(`Assume ${SU}`);
  const minutes = await (
    await shown(`${d}//label[normalize-space(text()[1])="Expiry (minutes)"]`)
  ).getAttribute("for");
  const input = await browser.$(`[id="${minutes}"]`);
  await input.click();
  await browser.keys([Key.Ctrl, "a"]);
  await browser.keys("180");
  await waitText(`${d}//*[@role="alert"]`, /Your session ends first.*before this token/);
  await screenshot("17-assume-session-ends-first");
  await click("Assume", d);
  await gone(d);
  await waitText(`${bar}//button[1]`, `Acting as ${SU}`);
  await shown(`${bar}//button[normalize-space()="Renew"]`);
  await waitTitle(`${SU} as ${DEFAULT_ROLE_NAME} — ${APP_TITLE}`, "acting as the service user");
});

step(`${SU} disabled from outside: the window shows it refused, with no Renew`, async () => {
  const t0 = Date.now();
  await expectStatus(200, "PUT", `/users/${SU}/status`, { UserStatus: "disabled" });
  timings.disabledOutside = await identityShows(/refused: disabled/, t0);
  await waitTitle(`${SU} refused (disabled) — ${APP_TITLE}`, "refused identity");
  await gone(`${bar}//button[normalize-space()="Renew"]`);
  await gone(`${bar}//button[normalize-space()="Assume again"]`);
  await gone(`${bar}//*[@role="timer"]`);
  await shown(`${bar}//button[normalize-space()="Forget"]`);
  await screenshot("12-refused-identity");
});

step(`${SU} enabled again: its old token stays dead and "Assume again" works`, async () => {
  const t0 = Date.now();
  await expectStatus(200, "PUT", `/users/${SU}/status`, { UserStatus: "enabled" });
  await shown(`${bar}//button[normalize-space()="Assume again"]`, OUTSIDE);
  timings.enabledOutside = Date.now() - t0;
  await click("Assume again", bar);
  await shown(`${bar}//button[normalize-space()="Renew"]`);
  await waitTitle(`${SU} as ${DEFAULT_ROLE_NAME} — ${APP_TITLE}`, "assumed again");
});

step(`${SU} no longer shared with alice: refused; shared again: live again`, async () => {
  // bob becomes an owner too (the last share cannot go), then alice's share goes.
  await expectStatus(200, "PUT", `/users/${SU}/shares`, {
    Users: [{ UserId: "bob", AccessType: "owner" }],
  });
  const t0 = Date.now();
  await server("DELETE", `/users/${SU}/shares/users/alice`).then((r) =>
    assert.ok(r.status < 300, `DELETE alice's share: ${r.status} ${JSON.stringify(r.body)}`),
  );
  timings.unsharedOutside = await identityShows(/refused: not shared with you/, t0);
  await gone(`${bar}//button[normalize-space()="Assume again"]`);
  await expectStatus(
    200,
    "PUT",
    `/users/${SU}/shares`,
    { Users: [{ UserId: "alice", AccessType: "owner" }] },
    BOB_PAT,
  );
  const t1 = Date.now();
  await shown(`${bar}//button[normalize-space()="Renew"]`, OUTSIDE);
  timings.sharedAgainOutside = Date.now() - t1;
});

step(`${SU} deleted from outside: refused as deleted; Forget ends acting as it`, async () => {
  await expectStatus(200, "PUT", `/users/${SU}/status`, { UserStatus: "disabled" });
  const deleted = await server("DELETE", `/users/${SU}?transfer_user_id=bob`);
  assert.ok(deleted.status < 300, `DELETE /users/${SU}: ${deleted.status} ${JSON.stringify(deleted.body)}`);
  const t0 = Date.now();
  timings.deletedOutside = await identityShows(/refused: deleted/, t0);
  await click("Forget", bar);
  const d = await openDialog(`Forget ${SU}?`).catch(() => null);
  if (d) await click("Forget", d);
  await gone(bar);
  await waitTitle(APP_TITLE, "after forgetting");
});

// ---- The session -----------------------------------------------------------------------------

step("the session ended on the server: the top bar says so", async () => {
  await expectStatus(200, "POST", "/users/alice/global-signout");
  const t0 = Date.now();
  await waitText('//*[@aria-label="session"]', /Session ended: sign in/, OUTSIDE);
  timings.sessionEndedOutside = Date.now() - t0;
  await screenshot("13-session-ended");
});

step("signed in with a PAT, the role menu explains why the role cannot change", async () => {
  await browser.deleteSession();
  amorphicSu("profile", "add", "pat-env", "--url", serverUrl);
  execFileSync(cli, ["--profile", "pat-env", "login", "--token-stdin"], { input: ALICE_PAT });
  amorphicSu("profile", "use", "pat-env");
  amorphicSu("profile", "edit", "pat-env", "--production", "--colour", "red");
  await launch();
  await shown('//*[@role="note"][@aria-label="Production environment"]', START);
  await waitText(signedInAs, `alice as ${DEFAULT_ROLE_NAME}`, START);
  await (await shown(`${signedInAs}//button`)).click();
  await waitText('//*[@role="menu"]', /access token/i);
  await shown('//*[@role="menuitem"][contains(normalize-space(), "Sign in with another credential")]');
  await screenshot("14-pat-bound-production");
  assert.equal(nativeTitle(), APP_TITLE);
  await browser.keys("Escape");
  // The dark theme (the OS's choice; set here for the picture).
  await browser.execute(() => document.documentElement.setAttribute("data-mantine-color-scheme", "dark"));
  await screenshot("15-dark-theme");
  await browser.execute(() => document.documentElement.setAttribute("data-mantine-color-scheme", "light"));
});

step("the server gone, the top bar says offline with the cache's time, not signed out", async () => {
  assert.ok(serverPid, "AMORPHIC_SU_SERVER_PID must name the reference server (the last step stops it)");
  process.kill(serverPid);
  const t0 = Date.now();
  await waitText('//*[@aria-label="session"]', /^offline: alice \(cached/, OUTSIDE);
  timings.offline = Date.now() - t0;
  await screenshot("16-offline");
});
