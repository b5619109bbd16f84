// The in-app update through the real window (run by scripts/test-update.sh, which installed the
// old .deb, serves the manifests and the two artifacts, and checks the package afterwards):
// a tampered download is refused with the message naming what failed, then the signed one is
// installed on consent and the app restarts into it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { after, before } from "node:test";
import { remote } from "webdriverio";
import { captureWindow, dialog, orderedSteps, windowHelpers } from "../window/window-helpers.mjs";

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} must be set`);
  return v;
};
const app = env("AMORPHIC_SU_APP");
const www = env("UPDATE_WWW");
const pkg = env("UPDATE_PACKAGE");
const oldVersion = env("UPDATE_OLD_VERSION");
const newVersion = env("UPDATE_NEW_VERSION");
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;
const driverPort = Number(env("TAURI_DRIVER_PORT"));
const httpLog = env("UPDATE_HTTP_LOG");
const endpoint = env("AMORPHIC_SU_UPDATE_ENDPOINT");
const UPDATES = dialog("Updates");

const installedVersion = () =>
  execFileSync("dpkg-query", ["-W", "-f=" + "$" + "{Version}", pkg], { encoding: "utf8" }).trim();
/** Which manifest the loopback server answers with: the tampered artifact's or the signed one's. */
const serve = (which) => copyFileSync(`${www}/latest-${which}.json`, `${www}/latest.json`);

let browser;
let w;
const step = orderedSteps({ shots, prefix: "update-" });

before(async () => {
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  w = windowHelpers(browser, 30000);
});

after(async () => {
  // The app restarted into the new version: the session's process is gone.
  await browser?.deleteSession().catch(() => {});
});

async function checkFindsTheNewVersion() {
  const version = await w.shown('[aria-label="app version"]');
  assert.equal(await version.getProperty("textContent"), `v${oldVersion}`);
  if (!(await (await browser.$(UPDATES)).isExisting())) {
    await (await w.shown(`//button[starts-with(@aria-label, "v${oldVersion}:")]`)).click();
    await w.click("Check for updates…");
  }
  await w.click("Check for updates", UPDATES);
  await w.waitText('[data-testid="available-version"]', newVersion);
  await w.waitText('[data-testid="release-notes"]', /The update test's release/);
}

step("the installed old version finds the new one, with its release notes", async () => {
  serve("tampered");
  await checkFindsTheNewVersion();
  if (shots) captureWindow(`${shots}/update-available.png`);
});

step("a tampered download is refused, naming the signature check; the old version stays", async () => {
  await w.click("Install and restart", UPDATES);
  const text = await w.waitText(
    `${UPDATES}//*[@data-kind="failed"][@data-problem-code="signature_invalid"]`,
    /signature check failed/,
    60000,
  );
  assert.match(text, /Update refused: bad signature/);
  assert.match(text, new RegExp(`The update to ${newVersion.replaceAll(".", "\\.")} was refused`));
  assert.match(text, /tampered\.deb/);
  assert.match(text, /Nothing was installed/);
  if (shots) captureWindow(`${shots}/update-refused.png`);
  assert.equal(installedVersion(), oldVersion);
});

/** The installed app's processes started with this run's endpoint (the relaunched one is nobody's child). */
function appsOfThisRun() {
  const found = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`);
      if (!exe.startsWith(app)) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (environ.includes(`AMORPHIC_SU_UPDATE_ENDPOINT=${endpoint}`)) found.push({ pid, exe });
    } catch {}
  }
  return found;
}

step("the signed update installs on consent and the app restarts", async () => {
  serve("signed");
  await checkFindsTheNewVersion();
  await w.click("Install and restart", UPDATES);
  // The answer comes just before the restart; the window may already be gone when it is read.
  await browser
    .waitUntil(
      async () =>
        (await (await browser.$(`${UPDATES}//*[@data-kind="restarting"]`)).isExisting()) ||
        installedVersion() === newVersion,
      { timeout: 120000, interval: 200 },
    )
    .catch((e) => {
      if (installedVersion() !== newVersion) throw e;
    });
});

step(
  `the relaunched app runs the new version: the installed binary, asking the endpoint as ${newVersion}`,
  async () => {
    assert.equal(installedVersion(), newVersion);
    // Its check at start fills {{current_version}} in the endpoint with the version it runs.
    await browser.waitUntil(async () => readFileSync(httpLog, "utf8").includes(`current=${newVersion}`), {
      timeout: 60000,
      interval: 250,
      timeoutMsg: `no app of version ${newVersion} asked the update endpoint within 60 s of the restart`,
    });
    const running = appsOfThisRun();
    assert.ok(running.length > 0, "the relaunched app is not running");
    for (const { pid, exe } of running)
      assert.equal(exe, app, `pid ${pid} runs ${exe}, not the installed ${app}`);
    if (shots) captureWindow(`${shots}/update-relaunched.png`);
  },
);
