// Secret hygiene of the window (run by scripts/window-e2e.sh on the "demo" environment, which the
// CLI signed in): the CLI signs it out, the window signs in with alice's password, assumes
// etl-bot and creates an access token (its secret shown once). Then every secret of the run (the
// password, the session tokens, the assumed token and its signature, the new PAT, and the tokens
// the earlier window tests left in the keychain) is searched for, in every encoding
// scripts/secret_sweep.py knows, in every file of the app's XDG folders (config, data with
// WebKit's localStorage and IndexedDB, cache, state, runtime; the keyring's own folder excepted),
// the server's folder (its database and log, tauri-driver's log with the app's stderr, the app's
// TMPDIR), and the command lines and environments of every process of this run: the app, its
// WebKit processes, WebKitWebDriver, tauri-driver, the server. None may hold one. The scanner
// first proves itself on a canary planted in those folders and in a process.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";
import { keychain, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const cli = process.env.AMORPHIC_SU_CLI;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;
const serverUrl = process.env.AMORPHIC_SU_SERVER_URL;
const serverPid = Number(process.env.AMORPHIC_SU_SERVER_PID ?? 0);
const sweepScript = join(dirname(fileURLToPath(import.meta.url)), "../../../scripts/secret_sweep.py");
const tauriConf = join(dirname(fileURLToPath(import.meta.url)), "../../../tauri.conf.json");

const ENV = "demo";
// alice's password from crates/server/seed/demo-seed.json, typed into the window.
const PASSWORD = "alice-demo-password";
const SU = "etl-bot";
const ROLE = "role-data-engineers";
const ROLE_NAME = "Data engineers";
const START = 60000;
const UI = 15000;

/** Every secret this test collects, by name; values are never printed. */
const secrets = { "alice's password": PASSWORD };

/** The app's items in the Secret Service, by account (secret-tool prints the label with the secret). */
function keychainItems() {
  const out = spawnSync("secret-tool", ["search", "--all", "service", "amorphic-su-desktop"], {
    encoding: "utf8",
  }).stdout;
  const items = {};
  for (const block of out.split(/^\[/m)) {
    const label = block.match(/^label = (.*)@amorphic-su-desktop/m)?.[1];
    const secret = block.match(/^secret = (.*)$/m)?.[1];
    if (label && secret) items[label] = secret;
  }
  return items;
}

function collect(when) {
  for (const [account, value] of Object.entries(keychainItems())) {
    if (!Object.values(secrets).includes(value)) secrets[`${account} (${when})`] = value;
  }
}

/** The parent of a process (from /proc/PID/stat, whose command name may hold spaces). */
function parentOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** The server's folder: where its --db is (scripts/window-e2e.sh's work folder, with the logs). */
function serverFolder() {
  const argv = readFileSync(`/proc/${serverPid}/cmdline`, "latin1").split("\0");
  const db = argv.indexOf("--db");
  assert.ok(db > 0, "the server's command line names no --db");
  return dirname(argv[db + 1]);
}

let browser;
let shown, gone, textOf, waitText, click, type, field, openDialog, pick;

const step = orderedSteps({ shots, prefix: "hygiene-" });

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  assert.ok(cli, "AMORPHIC_SU_CLI must name the CLI binary");
  assert.ok(serverUrl, "AMORPHIC_SU_SERVER_URL must name the reference server");
  assert.ok(serverPid, "AMORPHIC_SU_SERVER_PID must name the reference server's process");
  assert.ok(process.env.XDG_DATA_HOME, "run inside scripts/session.sh (private XDG folders)");
  // What the CLI and the earlier window tests left in the keychain is searched for too; then the
  // CLI signs the environment out (wiping its tokens), so that the window signs in itself.
  collect("before");
  execFileSync(cli, ["--profile", ENV, "logout"], { stdio: "ignore" });
  browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });
  ({ shown, gone, textOf, waitText, click, type, field, openDialog, pick } = windowHelpers(browser, UI));
});

after(async () => {
  await browser?.deleteSession();
});

step("the window signs in to the signed-out environment with alice's password", async () => {
  const form = `//form[@aria-label="Sign in to ${ENV}"]`;
  await shown(form, START);
  await (await shown(`${form}//label[normalize-space()="User id and password"]`)).click();
  assert.equal(await (await field("User id", form)).getProperty("value"), "alice");
  await type("Password", PASSWORD, form);
  await click("Sign in", form);
  await waitText('[aria-label="signed in as"]', /^alice as /, START);
  const session = keychain(ENV, "session");
  assert.ok(session, "the window's session token is in the keychain");
  secrets["the window's session token"] = session;
});

step(`the window assumes ${SU} with ${ROLE}`, async () => {
  // The id cell opens the drawer (the first cell is the bulk selection's checkbox).
  await (await shown(`tr[data-user-id="${SU}"] td[data-column="id"]`, START)).click();
  const drawer = `//section[@role="dialog"][.//h2[normalize-space()="${SU}"]]`;
  await shown(drawer);
  await click("Assume", drawer);
  const d = await openDialog(`Assume ${SU}`);
  await pick("Role", ROLE, d);
  await click("Assume", d);
  await gone(d);
  const bar = `//*[@role="group"][@aria-label="Identity"][@data-identity="${SU}"]`;
  await waitText(`${bar}//button[1]`, `Acting as ${SU}`);
  await shown(`${bar}//button[@aria-label="Role: ${ROLE_NAME}, switch role"]`);
  const token = keychain(ENV, `assumed:${SU}`);
  assert.ok(token, "the assumed token is in the keychain");
  assert.equal(token.split(".").length, 3, "the assumed token is a JWT");
  secrets["the window's assumed token"] = token;
});

step(`acting as ${SU}, the window creates an access token and shows its secret once`, async () => {
  await click(`Acting as ${SU}`, '//nav[@aria-label="Main navigation"]');
  await waitText("main h2", `Acting as ${SU}`);
  await click("New access token", "//main");
  const d = await openDialog(`New access token for ${SU}`);
  await type("Token name", "hygiene", d);
  await click("Create token", d);
  const created = await openDialog("Access token created");
  const secret = await textOf(await shown(`${created}//*[@data-secret]`));
  assert.match(secret, /^amo_pat_/);
  secrets["the PAT the window created"] = secret;
  await click("Done", created);
  await click("Yes, close", created);
  await gone(created);
  await shown(`//table[@aria-label="Access tokens"]//tr[td[1][normalize-space()="hygiene"]]`);
  collect("after");
});

step(
  "no secret is in any file, log, command line or environment of the app, WebKit or the server",
  async () => {
    const xdg = ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"]
      .map((v) => process.env[v])
      .filter((d) => d && existsSync(d));
    // The webview's storage is under the app's identifier: make sure the sweep reaches it.
    const identifier = JSON.parse(readFileSync(tauriConf, "utf8")).identifier;
    const webview = xdg.map((d) => join(d, identifier)).filter(existsSync);
    assert.ok(webview.length > 0, `no folder of the webview (${identifier}) under the XDG folders`);
    const server = serverFolder();
    const args = ["--self-check", process.env.XDG_CACHE_HOME];
    for (const d of [...xdg, server]) args.push("--path", d);
    // The Secret Service's own store is where the secrets belong.
    args.push("--exclude", join(process.env.XDG_DATA_HOME, "keyrings"));
    // The server's parent (scripts/window-e2e.sh) started tauri-driver and this test too: its tree
    // holds the server, tauri-driver, WebKitWebDriver, the app and its WebKit processes.
    args.push("--pid-tree", String(parentOf(serverPid)));
    const run = spawnSync("python3", [sweepScript, ...args], {
      input: JSON.stringify(secrets),
      encoding: "utf8",
    });
    const report = JSON.parse(run.stdout || "{}");
    console.log(
      `window secret sweep: ${Object.keys(secrets).length} secrets (${report.needles} encodings), ` +
        `${report.files} files (${report.bytes} bytes) in ${webview.length} webview folder(s) and ` +
        `the XDG and server folders, ${report.processes} processes (${(report.processNames ?? []).join(", ")}), ` +
        `${(report.findings ?? []).length} found; self-check missed ${(report.selfCheck?.missed ?? []).length}`,
    );
    console.log(`  secrets: ${Object.keys(secrets).join("; ")}`);
    for (const [path, n] of Object.entries(report.paths ?? {}))
      console.log(`  ${path}: ${n.files} files, ${n.bytes} bytes`);
    assert.deepEqual(report.selfCheck?.missed, [], `the scanner missed its own canary: ${run.stderr}`);
    assert.deepEqual(report.findings, [], "secrets outside the keychain");
    assert.equal(run.status, 0, run.stderr);
    const names = report.processNames ?? [];
    // /proc/PID/stat's command name: the first 15 characters of the binary's name.
    const appName = basename(app).slice(0, 15);
    assert.ok(names.includes(appName), `the app's process was not searched (${names})`);
    assert.ok(
      names.some((n) => n.startsWith("WebKit")),
      `no WebKit process was searched (${names})`,
    );
    assert.ok(report.files > 0);
  },
);
