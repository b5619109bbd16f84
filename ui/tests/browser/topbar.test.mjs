// The top bar at the default window size (1,280 x 800): everything inside the window, nothing
// clipped in the usual cases, and in the widest one only the long names are cut (ellipsis, with
// the full text on hover) while the state and the actions stay whole.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, openApp, serveStatic } from "./harness.mjs";

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([serveStatic(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The header's controls: text, right edge, whether their text is cut, their title. */
const controls = (page) =>
  page.$$eval("header button, header [role=status], header [role=timer]", (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const cut = [el, ...el.querySelectorAll("*")].some((e) => e.scrollWidth > e.clientWidth + 1);
      return { text: el.textContent.trim(), right: r.right, width: r.width, cut, title: el.title };
    }),
  );

for (const scenario of ["actingAs", "passwordSession", "refusedDisabled", "production"]) {
  test(`${scenario}: the top bar fits 1,280 px with nothing cut`, async () => {
    const page = await openApp(browser, server.url, { scenario });
    await page.waitForFunction(() =>
      / as /.test(document.querySelector('[aria-label="signed in as"]')?.textContent),
    );
    await page.waitForTimeout(300);
    for (const c of await controls(page)) {
      assert.ok(c.right <= 1280, `${c.text} ends inside the window (${c.right})`);
      assert.ok(!c.cut, `${c.text} is not cut`);
    }
    page.assertNoErrors();
    await page.closeContext();
  });
}

test("the widest top bar: long names cut with the full text on hover, the state and actions whole", async () => {
  const page = await openApp(browser, server.url, { scenario: "crowdedTopBar" });
  await page.getByRole("button", { name: "Assume again" }).waitFor();
  await page.waitForFunction(() =>
    /System administrators/.test(document.querySelector('[aria-label="signed in as"]')?.textContent),
  );
  await page.waitForTimeout(300);
  const all = await controls(page);
  for (const c of all) assert.ok(c.right <= 1280, `${c.text} ends inside the window (${c.right})`);
  const byText = (t) => all.find((c) => c.text.startsWith(t));
  for (const whole of ["refused: token invalid", "Assume again", "Forget"]) {
    assert.ok(byText(whole) && !byText(whole).cut, `${whole} is whole`);
  }
  const identity = byText("nightly-finance-reconciliation-bot");
  assert.ok(identity.cut, "the long id is cut");
  assert.match(identity.title, /^nightly-finance-reconciliation-bot: switch identity$/);
  assert.match(byText("alice").title, /^alice as System administrators \(SystemRole-SystemAdministrators\)/);
  page.assertNoErrors();
  await page.closeContext();
});
