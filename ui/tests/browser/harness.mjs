// Browser tests of the built UI (dist-mock/, the `ipc-mock` build) in Debian's chromium, driven by
// playwright-core. One server and one browser per test file; one page per test.
import assert from "node:assert/strict";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ui = fileURLToPath(new URL("../..", import.meta.url));
export const distMock = join(ui, "dist-mock");
export const dist = join(ui, "dist");
/** Set by src/test/ipcMockEntry.ts (IPC_MOCK_MARKER): only the mock build may contain it. */
export const IPC_MOCK_MARKER = "amorphic-su-ipc-mock-build";
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** Serves `root` on 127.0.0.1 at a free port; unknown paths get index.html. */
export async function serveStatic(root = distMock) {
  assert.ok(existsSync(join(root, "index.html")), `${root} is not built: run npm run test:browser`);
  const server = createServer((req, res) => {
    // URL() resolves "..", and the prefix check keeps every answer inside root.
    let file = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile())
      file = join(root, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Opens the app with the fake backend in `scenario` (src/test/scenarios.ts) and the OS colour
 * scheme `colorScheme`. Page errors and console errors fail the test at `page.assertNoErrors()`.
 */
export async function openApp(browser, baseUrl, { scenario = "signedIn", colorScheme = "light" } = {}) {
  // Reduced motion: no transitions (theme.respectReducedMotion), so axe sees final colours.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console error: ${m.text()}`));
  await page.emulateMedia({ colorScheme });
  await page.goto(`${baseUrl}/?scenario=${encodeURIComponent(scenario)}`);
  // Mantine's auto scheme follows the emulated OS setting.
  await page.waitForSelector(`html[data-mantine-color-scheme="${colorScheme}"]`);
  page.assertNoErrors = () => assert.deepEqual(errors, [], "the page logged errors");
  page.closeContext = () => context.close();
  return page;
}

const BLOCKING = new Set(["serious", "critical"]);

/** Runs axe-core on the page; prints every violation and fails on serious or critical ones. */
export async function checkA11y(page, label) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ["violations"] });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ")}`),
    }));
  });
  for (const v of violations) {
    console.log(`[axe ${label}] ${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 5).join("\n  ")}`);
  }
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  assert.deepEqual(
    blocking.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`),
    [],
    `${label}: serious or critical accessibility violations (printed above)`,
  );
}
