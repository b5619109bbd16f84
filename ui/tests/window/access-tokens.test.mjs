// The access-token dashboard in the real window against the real server (run by
// scripts/window-e2e.sh on the CLI's signed-in "demo" environment, before identity.test.mjs):
// two PATs of etl-bot made through the CLI show on Administration > Access tokens with their
// days left; both are ticked and revoked after the confirmation, and the server no longer has
// them (checked with the CLI and with GET /fleet/access-tokens).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before } from "node:test";
import { remote } from "webdriverio";
import { dialog, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const cli = process.env.AMORPHIC_SU_CLI;
const server = process.env.AMORPHIC_SU_SERVER_URL;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const START = 60000;
const UI = 15000;
const SU = "etl-bot";
const NAMES = ["dash-pat-a", "dash-pat-b"];
// alice's super-admin PAT from the demo seed, to ask the server directly.
const ALICE_PAT = "amo_pat_alice_superadmin_demo_00000000000";
const su = (...args) =>
  execFileSync(cli, ["--profile", "demo", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const json = (...args) => JSON.parse(su("--json", ...args));
/** The ids of etl-bot's PATs on the server, as its owner lists them. */
const onServer = () => json("access-tokens", "list", "--of", SU).data.map((t) => t.TokenId);

let browser;
let w;
const ids = [];
const step = orderedSteps({ shots: process.env.AMORPHIC_SU_SCREENSHOTS, prefix: "access-tokens-" });

before(async () => {
  assert.ok(app && cli && server, "AMORPHIC_SU_APP, AMORPHIC_SU_CLI and AMORPHIC_SU_SERVER_URL are needed");
  su("assume", SU, "--minutes", "5");
  for (const [i, name] of NAMES.entries()) {
    const created = json(
      "access-tokens",
      "create",
      "--as",
      SU,
      "--name",
      name,
      "--role",
      "SystemRole-DefaultUsers",
      "--days",
      String(5 + i),
    );
    ids.push(created.TokenId);
  }
  su("tokens", "forget", SU);
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

step("the dashboard lists both PATs with their days left", async () => {
  await w.shown('tr[data-user-id="etl-bot"]', START);
  await w.click("Access tokens");
  for (const [i, id] of ids.entries()) {
    await w.shown(`tr[data-token-id="${id}"]`);
    await w.waitText(`//tr[@data-token-id="${id}"]/td[7]`, String(5 + i));
  }
  assert.deepEqual(
    onServer()
      .filter((id) => ids.includes(id))
      .sort(),
    [...ids].sort(),
  );
});

step("both ticked and revoked after the confirmation, gone on the server", async () => {
  for (const name of NAMES) await (await w.shown(`//input[@aria-label="Select ${name} of ${SU}"]`)).click();
  await w.click("Revoke selected (2)");
  const confirm = dialog("Revoke 2 access tokens?");
  await w.shown(confirm);
  await w.click("Revoke 2 tokens", confirm);
  for (const id of ids) await w.gone(`tr[data-token-id="${id}"]`);
  assert.deepEqual(
    onServer().filter((id) => ids.includes(id)),
    [],
    "the CLI lists neither",
  );
  const r = await fetch(`${server}/fleet/access-tokens`, { headers: { Authorization: ALICE_PAT } });
  assert.equal(r.status, 200);
  const left = (await r.json()).AccessTokens.map((t) => t.TokenId);
  for (const id of ids) assert.ok(!left.includes(id), `${id} is still on the server`);
});
