// The whole service-user flow in the real window, against the real reference server and a real
// Secret Service (run by scripts/window-e2e.sh before any environment exists): sign in through
// the UI, list, create, attach a role, share with a tag, assume, create a datasource as the
// service user, disable, delete with a transfer user. Each step is checked in the window and on
// the server (read with alice's demo PAT), and the keychain is read with secret-tool.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import {
  captureWindow,
  dialog,
  keychain,
  nativeTitle,
  orderedSteps,
  windowHelpers,
} from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;
const serverUrl = process.env.AMORPHIC_SU_SERVER_URL;
// alice's demo PAT (role SystemRole-DefaultUsers) from crates/server/seed/demo-seed.json.
const alicePat = "amo_pat_alice_default_demo_00000000000000";

const ENV = "local";
const SU = "e2e-bot";
const ROLE = "role-data-engineers";
const ROLE_NAME = "Data engineers";
const TAG = "team-data";
const MINUTES = 30;
const DATASOURCE = "e2e-datasource";
const TRANSFER_TO = "bob";
const APP_TITLE = "Amorphic Service Users";

/** The first start of the app (WebKit, the keychain, the first sync) can take a while. */
const START = 60000;
const UI = 15000;

// ---- The server, read directly -------------------------------------------------------------

async function serverFetch(path, headers = {}) {
  return fetch(`${serverUrl}${path}`, { headers: { Authorization: alicePat, ...headers } });
}

async function serverGet(path, headers) {
  const res = await serverFetch(path, headers);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

/** Whether a secret is in any file of the app's private XDG folders (scripts/session.sh's). */
function onDisk(secret) {
  const dirs = ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"]
    .map((v) => process.env[v])
    .filter(Boolean);
  assert.ok(dirs.length > 0, "run inside scripts/session.sh (private XDG folders)");
  const needle = Buffer.from(secret);
  const search = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) return readdirSync(path).some((name) => search(join(path, name)));
    return st.isFile() && readFileSync(path).includes(needle);
  };
  return dirs.some((d) => existsSync(d) && search(d));
}

// ---- The window ------------------------------------------------------------------------------

let browser;
// ./window-helpers.mjs's, for `browser` once it is there (before()).
let shown, gone, textOf, waitText, waitTitle, click, field, type, settled, openDialog, pick;

async function screenshot(name) {
  if (!shots) return;
  // Transitions (a dialog opening, a stepper's check mark popping in) end before the capture:
  // no finite CSS animation or transition is running.
  await browser
    .waitUntil(
      () =>
        browser.execute(
          () =>
            document
              .getAnimations()
              .filter((a) => a.playState === "running" && a.effect?.getComputedTiming().endTime !== Infinity)
              .length === 0,
        ),
      { timeout: 3000, interval: 50 },
    )
    .catch(() => {});
  // Two animation frames: what the last action changed is painted before the capture.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  captureWindow(`${shots}/${name}.png`);
}

/** The list page's row of a user. */
const row = (id) => `tr[data-user-id="${id}"]`;
/** A row's id cell: clicking it opens the drawer (the first cell is the bulk selection's checkbox). */
const idCell = (id) => `tr[data-user-id="${id}"] td[data-column="id"]`;
const drawer = dialog(SU);

async function openDrawer() {
  // WebKitWebDriver will not click a table row itself: click its id cell.
  await (await shown(idCell(SU))).click();
  await settled(await shown(drawer));
  await shown(`${drawer}//*[@aria-label="status"]`);
}

async function nav(label) {
  await click(label, '//nav[@aria-label="Main navigation"]');
}

// Steps run in order on one window (a failure skips the rest and saves the window).
const step = orderedSteps({ shots });

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  assert.ok(serverUrl, "AMORPHIC_SU_SERVER_URL must name the reference server");
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  ({ shown, gone, textOf, waitText, waitTitle, click, field, type, settled, openDialog, pick } =
    windowHelpers(browser, UI));
});

after(async () => {
  await browser?.deleteSession();
});

// ---- The flow ------------------------------------------------------------------------------

let sessionsBefore = 0;
let serviceUsers = 0;
let datasourceId = null;

step("with no environment, the window adds one and signs in as alice with her password", async () => {
  sessionsBefore = (await serverGet("/users/alice/sessions")).Sessions.length;
  await waitText("h2", "Add an environment", START);
  const add = '//form[@aria-label="Add environment"]';
  await type("Name", ENV, add);
  await type("Base URL", serverUrl, add);
  await type("Default role", "SystemRole-SuperAdmin", add);
  await click("Add environment", add);

  const form = `//form[@aria-label="Sign in to ${ENV}"]`;
  await waitText("h2", "Sign in");
  await waitText(`${form}//p[1]`, serverUrl);
  await (await shown(`${form}//label[normalize-space()="User id and password"]`)).click();
  await type("User id", "alice", form);
  await type("Password", "alice-demo-password", form);
  await screenshot("01-sign-in");
  await click("Sign in", form);

  await waitText('[aria-label="signed in as"]', "alice as Super admin", START);
  assert.equal(await textOf(await shown('[aria-label="environment"]')), ENV);
  await waitTitle(APP_TITLE, "signed in, acting as alice");

  // The server opened a session for alice, and its token is in the Secret Service (not on disk).
  const { Sessions } = await serverGet("/users/alice/sessions");
  assert.equal(Sessions.length, sessionsBefore + 1, "one new session of alice on the server");
  const token = keychain(ENV, "session");
  assert.ok(token, "the session token is in the keychain");
  assert.ok(!onDisk(token), "the session token is in no file");
  const who = await serverGet("/whoami", { Authorization: token, role_id: "SystemRole-SuperAdmin" });
  assert.equal(who.UserId, "alice");
  assert.equal(who.RoleId, "SystemRole-SuperAdmin");
});

step("the list shows the server's service users", async () => {
  const { Users } = await serverGet("/users?action=get_service_users");
  const expected = Users.map((u) => u.UserId).sort();
  assert.ok(expected.length >= 3, "the demo seed has service users");
  serviceUsers = expected.length;
  await waitText("main h2", `Service users (${expected.length})`, START);
  await shown(row(expected[0]));
  const shownIds = [];
  for (const r of await browser.$$("tr[data-user-id]")) shownIds.push(await r.getAttribute("data-user-id"));
  assert.deepEqual(shownIds.sort(), expected);
  await screenshot("02-list");
});

step(`the create dialog creates ${SU}`, async () => {
  await click("New service user", "//main");
  const d = await openDialog("New service user");
  await type("User id", SU, d);
  await type("Display name", "E2E bot", d);
  await type("Description", "Created by the real-window end-to-end test", d);
  await screenshot("03-create-dialog");
  await click("Create", d);
  await gone(d);

  await shown(row(SU));
  await waitText("main h2", `Service users (${serviceUsers + 1})`);
  const { Users } = await serverGet("/users?action=get_service_users");
  assert.ok(Users.some((u) => u.UserId === SU));
  const u = await serverGet(`/users/${SU}`);
  assert.equal(u.IsServiceUser, true);
  assert.equal(u.DisplayName, "E2E bot");
  assert.equal(u.UserStatus, "enabled");
  assert.equal(u.CreatedBy, "alice");
  assert.deepEqual(u.Roles, ["SystemRole-DefaultUsers"]);
});

step(`the detail drawer attaches ${ROLE}`, async () => {
  await openDrawer();
  assert.equal(await textOf(await browser.$(`${drawer}//*[@aria-label="status"]`)), "enabled");
  await pick("Roles to attach", ROLE, drawer);
  await click("Attach role", drawer);
  await shown(`${drawer}//table[@aria-label="Roles"]//tr[@data-role-id="${ROLE}"]`);
  // The name first, the id beside it.
  await waitText(`${drawer}//tr[@data-role-id="${ROLE}"]/td[1]`, ROLE_NAME);
  await waitText(`${drawer}//tr[@data-role-id="${ROLE}"]/td[2]`, ROLE);

  const u = await serverGet(`/users/${SU}`);
  assert.deepEqual([...u.Roles].sort(), ["SystemRole-DefaultUsers", ROLE].sort());
  await screenshot("04-detail-drawer");
  // The list row follows (its Roles column shows while the drawer is closed: the drawer keeps
  // only the key columns beside it).
  await (await shown(`${drawer}//button[@aria-label="Close details"]`)).click();
  await gone(drawer);
  await waitText(`${row(SU)} td[data-column="roles"]`, new RegExp(ROLE_NAME));
  await openDrawer();
});

step(`the share dialog shares ${SU} with the tag ${TAG}`, async () => {
  await (await shown(`${drawer}//button[@role="tab"][normalize-space()="Who can act"]`)).click();
  await click("Share…", drawer);
  const d = await openDialog(`Share ${SU}`);
  await pick("Tags", TAG, d);
  assert.equal(await (await field("Access", d)).getProperty("value"), "Owner");
  // Close the tag list (a click outside it) so the screenshot shows the whole dialog.
  await (await shown(`${d}//h2`)).click();
  await (await browser.$('[role="option"]')).waitForDisplayed({ timeout: UI, reverse: true });
  await screenshot("05-share-dialog");
  await click("Share", d);
  await gone(d);

  const tagRow = `${drawer}//table[@aria-label="Owners through tags"]//tr[@data-tag-id="${TAG}"]`;
  await waitText(`${tagRow}/td[1]`, `#${TAG}`);
  // Everyone carrying the tag in the seed: alice and bob.
  await waitText(`${tagRow}/td[2]`, /alice.*bob/);
  const shares = await serverGet(`/users/${SU}/shares`);
  assert.deepEqual(shares.Tags, [{ TagId: TAG, AccessType: "owner" }]);
});

step(
  `assuming ${SU} with ${ROLE} for ${MINUTES} minutes shows the identity bar and titles the window`,
  async () => {
    await click("Assume", drawer);
    const d = await openDialog(`Assume ${SU}`);
    await pick("Role", ROLE, d);
    const minutes = await field("Expiry (minutes)", d);
    await minutes.click();
    await browser.keys([Key.Ctrl, "a"]);
    await browser.keys(String(MINUTES));
    await browser.waitUntil(async () => (await minutes.getProperty("value")) === String(MINUTES), {
      timeout: UI,
      timeoutMsg: "the expiry did not take the minutes typed",
    });
    assert.equal(await (await field("Role", d)).getProperty("value"), `${ROLE} (${ROLE_NAME})`);
    await screenshot("06-assume-dialog");
    await click("Assume", d);
    await gone(d);

    const bar = `//*[@role="group"][@aria-label="Identity"][@data-identity="${SU}"]`;
    await waitText(`${bar}//button[1]`, `Acting as ${SU}`);
    await shown(`${bar}//button[@aria-label="Role: ${ROLE_NAME}, switch role"]`);
    await waitTitle(`${SU} as ${ROLE_NAME} — ${APP_TITLE}`, "acting as the service user");

    // The token is in the Secret Service, and the server takes it as e2e-bot with the role,
    // assumed by alice, for the minutes chosen.
    const token = keychain(ENV, `assumed:${SU}`);
    assert.ok(token, "the assumed token is in the keychain");
    assert.ok(!onDisk(token), "the assumed token is in no file");
    const who = await serverGet("/whoami", { "X-Amorphic-Service-User": token });
    assert.deepEqual(
      { UserId: who.UserId, RoleId: who.RoleId, ActorUserId: who.ActorUserId },
      { UserId: SU, RoleId: ROLE, ActorUserId: "alice" },
    );
    // A JWT: the server signed it for the minutes chosen.
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    assert.equal(claims.sub, SU);
    assert.equal(claims.exp - claims.iat, MINUTES * 60);
    await screenshot("07-identity-bar");
  },
);

step(`acting as ${SU}, the acting-as page creates a datasource it owns`, async () => {
  await nav(`Acting as ${SU}`);
  await waitText("main h2", `Acting as ${SU}`);
  const form = '//form[@aria-label="Create datasource"]';
  await type("Datasource name", DATASOURCE, form);
  await click("Create datasource", form);
  const dsRow = `//table[@aria-label="Datasources"]//tr[td[1][normalize-space()="${DATASOURCE}"]]`;
  await waitText(`${dsRow}/td[3]`, SU);
  datasourceId = await (await browser.$(dsRow)).getAttribute("data-datasource-id");
  assert.ok(datasourceId);

  const { Datasources } = await serverGet("/datasources");
  const ds = Datasources.find((x) => x.DatasourceId === datasourceId);
  assert.ok(ds, "the datasource is on the server");
  assert.deepEqual(
    { name: ds.DatasourceName, type: ds.DatasourceType, owner: ds.Owner },
    { name: DATASOURCE, type: "s3", owner: SU },
  );
  const owned = await serverGet(`/users/${SU}/owned-resources`);
  assert.deepEqual(
    owned.Resources.map((r) => r.ResourceId),
    [datasourceId],
  );
  assert.equal(nativeTitle(), `${SU} as ${ROLE_NAME} — ${APP_TITLE}`);
  await screenshot("08-acting-as");
});

step(`disabling ${SU} is confirmed, shown and ends its token`, async () => {
  await nav("Service users");
  await openDrawer();
  // What it owns, as the drawer shows it.
  await (await shown(`${drawer}//button[@role="tab"][normalize-space()="Resources"]`)).click();
  await shown(`${drawer}//table[@aria-label="Owned resources"]//tr[@data-resource-id="${datasourceId}"]`);

  await click("Disable", drawer);
  const d = await openDialog(`Disable ${SU}?`);
  await click(`Disable ${SU}`, d);
  await gone(d);
  await waitText(`${drawer}//*[@aria-label="status"]`, "disabled");
  await shown(`${drawer}//*[@aria-label="status"][@data-status="disabled"]`);

  const u = await serverGet(`/users/${SU}`);
  assert.equal(u.UserStatus, "disabled");
  // The assumed token is still in the keychain, and the server refuses it now.
  const token = keychain(ENV, `assumed:${SU}`);
  assert.ok(token, "the assumed token is still in the keychain");
  const res = await serverFetch("/whoami", { "X-Amorphic-Service-User": token });
  assert.equal(res.status, 401, "a disabled service user's token is refused");
  // And the window says so at once (the app checks an assumed identity after its own changes):
  // no countdown, no Renew, the title names the refusal.
  const bar = `//*[@role="group"][@aria-label="Identity"][@data-identity="${SU}"]`;
  await waitText(`${bar}//*[@role="status"]`, "refused: disabled");
  await gone(`${bar}//button[normalize-space()="Renew"]`);
  await gone(`${bar}//*[@role="timer"]`);
  await waitTitle(
    `${SU} refused (disabled) — ${APP_TITLE}`,
    "the assumed service user disabled in the window",
  );
});

step(`the delete wizard deletes ${SU} and moves its datasource to ${TRANSFER_TO}`, async () => {
  await click("Delete…", drawer);
  const d = await openDialog(`Delete ${SU}`);
  // Disabled already: the wizard starts at the transfer user.
  await (await shown(`${d}//input[@type="radio"][@value="${TRANSFER_TO}"]`)).click();
  await click("Next", d);
  await shown(`${d}//table[@aria-label="Resources that will move"]//tr[@data-resource-id="${datasourceId}"]`);
  await screenshot("09-delete-wizard");
  await click("Next", d);
  await click(`Delete ${SU}`, d);
  await waitText(
    `${d}//*[@role="status"]`,
    new RegExp(`${SU} was deleted.*1 resource moved to ${TRANSFER_TO}`),
  );
  await click("Done", d);
  await gone(d);
  await gone(drawer);
  await gone(row(SU));
  await waitText("main h2", `Service users (${serviceUsers})`);

  const res = await serverFetch(`/users/${SU}`);
  assert.equal(res.status, 404, `GET /users/${SU} after the delete`);
  const ds = await serverGet(`/datasources/${datasourceId}`);
  assert.equal(ds.Owner, TRANSFER_TO);
});

step(`after the delete the window acts as alice again and ${SU}'s token left the keychain`, async () => {
  await gone('//*[@role="group"][@aria-label="Identity"]');
  await gone(`//nav//button[normalize-space()="Acting as ${SU}"]`);
  await waitTitle(APP_TITLE, "after the delete");
  assert.equal(keychain(ENV, `assumed:${SU}`), null);
  assert.ok(keychain(ENV, "session"), "still signed in");
});
