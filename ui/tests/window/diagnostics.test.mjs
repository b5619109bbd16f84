// Administration > Diagnostics in the real window, against the real reference server and keychain
// (run by scripts/window-e2e.sh on the CLI's signed-in "demo" environment, before
// identity.test.mjs stops the server): every check passes and agrees with `amorphic-su doctor`;
// with the environment's URL given a wrong stage path (in the configuration file, as a typo
// would), "Run again" fails the Base URL check naming the URL the API answers at, and skips what
// needs the API; "Copy report" copies the report; the URL put back, everything passes again.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { remote } from "webdriverio";
import { orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const cli = process.env.AMORPHIC_SU_CLI;
const serverUrl = process.env.AMORPHIC_SU_SERVER_URL;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;

const START = 60000;
const UI = 20000;
const table = '//table[@aria-label="Diagnostics"]';
const row = (id) => `${table}/tbody/tr[@data-check="${id}"]`;
const CHECKS = [
  "profile",
  "keychain",
  "server",
  "tls",
  "clock",
  "base_url",
  "jwks",
  "session",
  "cache",
  "versions",
];

let browser;
let w;
let configFile;
let original;

const step = orderedSteps({
  shots,
  prefix: "diagnostics-",
  onFailure: async () => {
    if (original !== undefined) writeFileSync(configFile, original);
  },
});

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  assert.ok(cli, "AMORPHIC_SU_CLI must name the CLI binary");
  assert.ok(serverUrl, "AMORPHIC_SU_SERVER_URL must name the reference server");
  assert.ok(process.env.XDG_CONFIG_HOME, "run inside scripts/session.sh (private XDG folders)");
  configFile = join(process.env.XDG_CONFIG_HOME, "amorphic-su-desktop", "config.toml");
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  w = windowHelpers(browser, UI);
});

after(async () => {
  if (original !== undefined) writeFileSync(configFile, original);
  await browser?.deleteSession().catch(() => {});
});

// The demo environment's URL, and only its own: an environment added earlier in the run (the
// flow test's) points at the same server and may come first in the file.
function withDemoUrl(toml, url) {
  let found = false;
  const edited = toml
    .split(/^(?=\[\[profiles\]\])/m)
    .map((block) => {
      if (!/^name = "demo"$/m.test(block)) return block;
      found = true;
      assert.match(block, new RegExp(`^base_url = "${serverUrl}"$`, "m"), "the demo environment's URL");
      return block.replace(/^base_url = ".*"$/m, `base_url = "${url}"`);
    })
    .join("");
  assert.ok(found, "the demo environment is in the configuration");
  return edited;
}

async function statuses() {
  const out = {};
  for (const id of CHECKS) {
    out[id] = await (await w.shown(row(id))).getAttribute("data-status");
  }
  return out;
}

step("Administration > Diagnostics: every check passes, as the CLI's doctor says", async () => {
  await w.shown('//nav[@aria-label="Main navigation"]', START);
  await w.click("Diagnostics", '//nav[@aria-label="Main navigation"]');
  await w.shown(`${row("versions")}[@data-status="ok"]`);
  const s = await statuses();
  assert.deepEqual(
    Object.values(s),
    CHECKS.map(() => "ok"),
    JSON.stringify(s),
  );
  await w.waitText(`${row("session")}/td[3]`, /^signed in as alice/);
  await w.waitText(`${row("keychain")}/td[3]`, /^Secret Service: unlocked/);
  const cliDoctor = spawnSync(cli, ["--profile", "demo", "--json", "doctor"], { encoding: "utf8" });
  assert.equal(cliDoctor.status, 0, cliDoctor.stderr);
  const report = JSON.parse(cliDoctor.stdout);
  assert.deepEqual(
    report.checks.map((c) => [c.id, c.status]),
    CHECKS.map((id) => [id, s[id]]),
  );
});

step("a wrong stage path: Run again fails the Base URL check and says where the API is", async () => {
  original = readFileSync(configFile, "utf8");
  writeFileSync(configFile, withDemoUrl(original, `${serverUrl}/wrong-stage`));
  await w.click("Run again");
  await w.shown(`${row("base_url")}[@data-status="fail"]`);
  await w.waitText(
    `${row("base_url")}/td[3]`,
    new RegExp(`wrong-stage/whoami answered HTTP 404.*the API answers at ${serverUrl}`),
  );
  for (const id of ["jwks", "session"]) await w.shown(`${row(id)}[@data-status="skipped"]`);
  await w.shown('//*[@role="alert"]//*[normalize-space()="1 check(s) failed"]');
});

step("Copy report copies the report's text", async () => {
  await w.click("Copy report");
  await w.shown('//*[contains(normalize-space(text()), "Copied the diagnostics report.")]');
});

step("the URL put back: Run again, and everything passes again", async () => {
  writeFileSync(configFile, original);
  original = undefined;
  await w.click("Run again");
  await w.shown(`${row("base_url")}[@data-status="ok"]`);
  const s = await statuses();
  assert.deepEqual(
    Object.values(s),
    CHECKS.map(() => "ok"),
    JSON.stringify(s),
  );
});
