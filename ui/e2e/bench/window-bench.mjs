// The window's benchmarks, run by scripts/bench-window.sh against a server seeded with
// BENCH_USERS generated service users (ids svc-000000...) whose cache the CLI already filled.
// Prints one table per run; figures go to docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { remote } from "webdriverio";

const app = process.env.AMORPHIC_SU_APP;
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const users = Number(process.env.BENCH_USERS ?? 10000);
const ROW = 'table[aria-label="Service users"] tbody tr[data-user-id]';
const SEARCH = 'input[aria-label="Search service users"]';

const session = () =>
  remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app } },
  });

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (x) => `${x.toFixed(0)} ms`;

/** Sum of PSS over the app process and its descendants (the WebKit web and network processes). */
function treePssMiB(rootPid) {
  const children = (pid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      return [];
    }
  };
  let total = 0;
  const rows = [];
  const visit = (pid) => {
    try {
      const kb = Number(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m)[1]);
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      rows.push(`${name}(${pid}) ${(kb / 1024).toFixed(0)} MiB`);
      total += kb;
    } catch {}
    for (const c of children(pid)) visit(c);
  };
  visit(rootPid);
  return { mib: total / 1024, rows };
}

function appPid() {
  const out = execFileSync("pgrep", ["-n", "-f", `^${app}`], { encoding: "utf8" }).trim();
  return Number(out);
}

async function coldStart() {
  const t0 = performance.now();
  const browser = await session();
  const row = await browser.$(ROW);
  await row.waitForExist({ timeout: 60000, interval: 20 });
  const elapsed = performance.now() - t0;
  return { browser, elapsed };
}

const results = [];
// Cold start: a fresh process each time (the OS file cache stays warm after the first run).
const starts = [];
for (let i = 0; i < 5; i++) {
  const { browser, elapsed } = await coldStart();
  starts.push(elapsed);
  if (i < 4) await browser.deleteSession();
  else {
    // Idle memory: the last window, left alone for 10 s with the list shown.
    await new Promise((r) => setTimeout(r, 10000));
    const pss = treePssMiB(appPid());
    results.push(["idle PSS of the process tree", `${pss.mib.toFixed(0)} MiB`, pss.rows.join(", ")]);
    if (users >= 100000) {
      const latencies = await keystrokes(browser);
      const sorted = [...latencies].sort((a, b) => a - b);
      results.push([
        "keystroke to filtered list",
        `p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted.at(-1))}`,
        `${sorted.length} searches`,
      ]);
    }
    await browser.deleteSession();
  }
}
const sortedStarts = [...starts].sort((a, b) => a - b);
results.unshift([
  "cold start to interactive list",
  `median ${ms(percentile(sortedStarts, 50))}, min ${ms(sortedStarts[0])}, max ${ms(sortedStarts.at(-1))}`,
  `runs: ${starts.map(ms).join(", ")} (includes WebDriver session set-up)`,
]);

/**
 * Types each search term into the search box inside the page and times, with the page's own
 * clock, from the input event to the frame in which the first row shows a matching user.
 */
async function keystrokes(browser) {
  const terms = [];
  for (let i = 0; i < 30; i++) {
    const n = (i * 3331 + 17) % users;
    terms.push(`svc-${String(n).padStart(6, "0")}`);
  }
  await (await browser.$(SEARCH)).waitForExist({ timeout: 10000 });
  const out = [];
  for (const term of terms) {
    const elapsed = await browser.executeAsync(
      (search, rowSel, want, done) => {
        const input = document.querySelector(search);
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
        const t0 = performance.now();
        setter.call(input, want);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const check = () => {
          const first = document.querySelector(rowSel);
          if (first && first.getAttribute("data-user-id") === want) done(performance.now() - t0);
          else if (performance.now() - t0 > 5000) done(-1);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      SEARCH,
      ROW,
      term,
    );
    if (elapsed < 0) throw new Error(`the list never showed ${term}`);
    out.push(elapsed);
  }
  return out;
}

console.log(`\n${users} cached users`);
console.log("| measure | result | detail |\n|---|---|---|");
for (const [what, result, detail] of results) console.log(`| ${what} | ${result} | ${detail} |`);
