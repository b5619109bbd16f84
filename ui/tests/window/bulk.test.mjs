// Bulk changes in the real window against the real server (run by scripts/window-e2e.sh on the
// CLI's signed-in "demo" environment, before identity.test.mjs): a bulk disable of a filtered
// selection with its dry run (one item refused by the policy, shown before the run) and its
// results checked on the server through the CLI; a bulk delete with a transfer user.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { after, before } from "node:test";
import { remote } from "webdriverio";
import { orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const cli = process.env.AMORPHIC_SU_CLI;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const START = 60000;
const UI = 15000;
const BOTS = ["bulkwin-a", "bulkwin-b", "bulkwin-c"];
const server = process.env.AMORPHIC_SU_SERVER_URL;
// bob's PAT from the demo seed: he alone owns the service user alice's policy refuses.
const BOB_PAT = "amo_pat_bob_default_demo_0000000000000000";
const su = (...args) =>
  execFileSync(cli, ["--profile", "demo", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
/** The CLI's exit code (0 when it succeeds). */
const exitOf = (...args) => {
  try {
    su(...args);
    return 0;
  } catch (e) {
    return e.status;
  }
};
const json = (...args) => JSON.parse(su("--json", ...args));

let browser;
let w;
const step = orderedSteps({ shots: process.env.AMORPHIC_SU_SCREENSHOTS, prefix: "bulk-" });

before(async () => {
  // Three bots of alice's; the third shared with bob only, so alice's policy refuses it.
  for (const id of BOTS) su("service-users", "create", id, "--name", `Bulk ${id}`);
  su("service-users", "share", "bulkwin-c", "--user", "bob");
  su("service-users", "unshare", "bulkwin-c", "--user", "alice");
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

step("a filtered selection's dry run shows the refused one before anything is sent", async () => {
  await w.shown('tr[data-user-id="etl-bot"]', START);
  const search = await w.shown('input[aria-label="Search service users"]');
  await search.setValue("bulkwin");
  await w.shown('tr[data-user-id="bulkwin-c"]');
  await (await w.shown('//th//input[@type="checkbox"]')).click(); // all matching
  await w.waitText('[data-testid="bulk-selected"]', "all 3 matching selected");
  await w.click("Bulk action");
  await (await w.shown('//*[@role="menuitem"][normalize-space()="Disable..."]')).click();
  await w.click("Dry run");
  await w.shown('[data-testid="bulk-plan"] tr[data-user-id="bulkwin-c"][data-verdict="refused"]');
  await w.shown('[data-testid="bulk-plan"] tr[data-user-id="bulkwin-a"][data-verdict="allowed"]');
  assert.equal(json("users", "show", "bulkwin-a").data.UserStatus, "enabled", "the dry run sent nothing");
});

step("the run's results, checked on the server", async () => {
  await w.click("Send 2 changes");
  await w.shown('[data-testid="bulk-results"] tr[data-user-id="bulkwin-a"][data-outcome="done"]');
  await w.shown('[data-testid="bulk-results"] tr[data-user-id="bulkwin-c"][data-outcome="refused"]');
  for (const [id, want] of [
    ["bulkwin-a", "disabled"],
    ["bulkwin-b", "disabled"],
    ["bulkwin-c", "enabled"],
  ])
    assert.equal(json("users", "show", id).data.UserStatus, want, id);
  // The export: the app core saves a new file in the downloads folder (or home) and says where.
  await w.click("Export CSV");
  const saved = await w.shown('(//*[starts-with(normalize-space(), "Saved to /")])[last()]');
  const path = (await w.textOf(saved)).replace(/^Saved to /, "");
  try {
    const csv = readFileSync(path, "utf8");
    assert.match(csv, /^userId,outcome,sent,code,message\r\n/);
    assert.match(csv, /\r\nbulkwin-a,done,yes,/);
    assert.match(csv, /\r\nbulkwin-c,refused,/);
  } finally {
    rmSync(path, { force: true });
  }
  await w.click("Done");
});

step("a bulk delete with a transfer user", async () => {
  await (await w.shown('//input[@aria-label="Select bulkwin-a"]')).click();
  await (await w.shown('//input[@aria-label="Select bulkwin-b"]')).click();
  await w.click("Bulk action");
  await (await w.shown('//*[@role="menuitem"][normalize-space()="Delete..."]')).click();
  const transfer = await w.shown(
    '//label[normalize-space()="Transfer what they own to"]/following::input[1]',
  );
  await transfer.setValue("bob");
  await (await w.shown('//*[@role="option"][contains(., "bob")]')).click();
  await w.click("Dry run");
  await w.click("Send 2 changes");
  await w.shown('[data-testid="bulk-results"] tr[data-user-id="bulkwin-b"][data-outcome="done"]');
  // Exit 6: not found on the server.
  for (const id of ["bulkwin-a", "bulkwin-b"]) assert.equal(exitOf("users", "show", id), 6, `${id} deleted`);
});

step("clean up: bob shares the refused one back, alice deletes it", async () => {
  const r = await fetch(`${server}/users/bulkwin-c/shares`, {
    method: "PUT",
    headers: { Authorization: BOB_PAT, "Content-Type": "application/json" },
    body: JSON.stringify({ Users: [{ UserId: "alice", AccessType: "owner" }], Tags: [] }),
  });
  assert.equal(r.status, 200, await r.text());
  su("service-users", "disable", "bulkwin-c");
  su("service-users", "delete", "bulkwin-c", "--transfer-to", "bob");
  assert.equal(exitOf("users", "show", "bulkwin-c"), 6);
});
