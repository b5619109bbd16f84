// The journal in the real window, against the real reference server and keychain (run by
// scripts/window-e2e.sh on the CLI's signed-in "demo" environment, before identity.test.mjs): a
// service user disabled and enabled from its drawer shows on Administration > Journal; Export
// CSV and Export JSON write the same rows; after one byte of the journal file changes,
// `amorphic-su history verify` fails naming the entry, and so does the page's Verify chain.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import { dialog, orderedSteps, windowHelpers } from "./window-helpers.mjs";

const app = process.env.AMORPHIC_SU_APP;
const cli = process.env.AMORPHIC_SU_CLI;
const driverPort = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.AMORPHIC_SU_SCREENSHOTS;

const ENV = "demo";
const SU = "report-bot";
const NAME = "Report bot";
const START = 60000;
const UI = 15000;

const drawer = dialog(SU);
const journalRows = '//table[@aria-label="Journal"]/tbody/tr';
const out = mkdtempSync(join(tmpdir(), "journal-export-"));

let browser;
let w;

const step = orderedSteps({ shots, prefix: "journal-" });

before(async () => {
  assert.ok(app, "AMORPHIC_SU_APP must name the app binary");
  assert.ok(cli, "AMORPHIC_SU_CLI must name the CLI binary");
  assert.ok(process.env.XDG_DATA_HOME, "run inside scripts/session.sh (private XDG folders)");
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
  rmSync(out, { recursive: true, force: true });
});

/** RFC 4180 rows (quoted cells may hold commas, quotes and line ends). */
function csvRows(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  return rows;
}

async function changeStatus(verb) {
  await w.click(verb, drawer);
  const d = await w.openDialog(`${verb} ${SU}?`);
  await w.click(`${verb} ${SU}`, d);
  await w.gone(d);
  await w.shown(
    `${drawer}//*[@aria-label="status"][@data-status="${verb === "Enable" ? "enabled" : "disabled"}"]`,
  );
}

async function exportAs(format) {
  const label = format.toUpperCase();
  const file = join(out, `journal.${format}`);
  await w.click(`Export ${label}`);
  const d = await w.openDialog(`Export the journal as ${label}`);
  await w.type("File", file, d);
  await w.click(`Export ${label}`, d);
  await w.gone(d);
  await browser.waitUntil(() => existsSync(file), { timeout: UI, timeoutMsg: `${file} was not written` });
  return readFileSync(file, "utf8");
}

step(`${SU} is disabled and enabled again from its drawer`, async () => {
  // WebKitWebDriver will not click a table row itself: click the cell with its id.
  await (await w.shown(`//tr[@data-user-id="${SU}"]/td[normalize-space()="${SU}"]`, START)).click();
  await w.settled(await w.shown(drawer));
  await changeStatus("Disable");
  await changeStatus("Enable");
  await browser.keys(Key.Escape);
  await w.gone(drawer);
});

step("Administration > Journal lists both, newest first", async () => {
  await w.click("Journal", '//nav[@aria-label="Main navigation"]');
  await w.waitText(`${journalRows}[1]/td[3]`, "enabled");
  await w.waitText(`${journalRows}[1]/td[4]`, new RegExp(`^${SU}`));
  await w.waitText(`${journalRows}[2]/td[3]`, "disabled");
  await w.waitText(`${journalRows}[2]/td[4]`, new RegExp(`^${SU}`));
  await w.waitText(`${journalRows}[1]/td[6]`, "done");
});

let json;

step("Export CSV and Export JSON write the same rows", async () => {
  json = JSON.parse(await exportAs("json"));
  const csv = csvRows(await exportAs("csv"));
  const [header, ...rows] = csv;
  assert.equal(rows.length, json.length, "one CSV row per JSON entry");
  const col = (name) => header.indexOf(name);
  rows.forEach((r, i) => {
    assert.equal(r[col("seq")], String(json[i].seq));
    assert.equal(r[col("action")], json[i].action);
    assert.equal(r[col("target_id")], json[i].target?.id ?? "");
    assert.equal(r[col("result")], json[i].result);
    assert.equal(r[col("hash")], json[i].hash);
  });
  assert.deepEqual(
    json.slice(0, 2).map((e) => [e.action, e.target?.id]),
    [
      ["enabled", SU],
      ["disabled", SU],
    ],
  );
});

step("one byte of the journal file changed: history verify and Verify chain name the entry", async () => {
  const file = join(process.env.XDG_DATA_HOME, "amorphic-su-desktop", "journal", `${ENV}.sqlite`);
  const bytes = readFileSync(file);
  // Its name as the entries keep it (its id is also in the file's index, which the chain does not
  // cover): a byte of an entry about it.
  const at = bytes.lastIndexOf(Buffer.from(NAME));
  assert.ok(at >= 0, "the service user's name is in the file");
  bytes[at] = "X".charCodeAt(0);
  writeFileSync(file, bytes);
  const verify = spawnSync(cli, ["--profile", ENV, "history", "verify"], { encoding: "utf8" });
  assert.equal(verify.status, 11, `history verify exits 11: ${verify.stderr}`);
  const named = Number(/broken at entry (\d+)/.exec(verify.stderr)?.[1]);
  const about = json.filter((e) => e.target?.id === SU).map((e) => e.seq);
  assert.ok(about.includes(named), `entry ${named} held the changed byte: ${verify.stderr}`);
  // The page asks the open app, which reads the file anew.
  await w.click("Verify chain");
  await w.waitText(
    '//*[@role="alert"]//*[not(*)][starts-with(normalize-space(), "The journal is broken")]',
    `The journal is broken at entry ${named}`,
  );
});
