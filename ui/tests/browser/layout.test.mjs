// The list's layout in the real browser at the default 1,280 x 800 window: the service-user
// marker inside its cell and the viewport, no cut ids, the detail drawer beside the key columns
// (id, name, status) rather than over them, and at most three toasts, clear of the drawer.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
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

const VIEWPORT = { x: 0, y: 0, width: 1280, height: 800 };
const inside = (inner, outer) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;
const overlaps = (a, b) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const show = (box) =>
  `${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}x${Math.round(box.height)}`;

async function allUsers(page) {
  await page.waitForSelector("tr[data-user-id]");
  await page
    .getByRole("navigation", { name: "Main navigation" })
    .getByRole("button", { name: "All users" })
    .click();
  await page.waitForSelector('table[aria-label="All users"] tr[data-user-id="report-bot"]');
}

/** A cell's box, and whether its text is cut (wider than the cell shows). */
function cell(page, userId, column) {
  return page.evaluate(
    ([id, col]) => {
      const td = document.querySelector(`tr[data-user-id="${id}"] td[data-column="${col}"]`);
      if (!td) return null;
      const r = td.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, cut: td.scrollWidth > td.clientWidth };
    },
    [userId, column],
  );
}

const SERVICE_USERS = ["etl-bot", "finance-bot", "report-bot"];
const PEOPLE = ["alice", "bob", "carol", "dave"];

describe("the list at 1280 x 800", { concurrency: 2 }, () => {
  test("All users: each service user's marker lies inside its cell and the viewport", async () => {
    const page = await openApp(browser, server.url);
    await allUsers(page);
    for (const id of SERVICE_USERS) {
      const marker = await page.locator(`tr[data-user-id="${id}"] [data-kind="service"]`).boundingBox();
      const box = await cell(page, id, "kind");
      assert.ok(marker && box, `${id}: a marker in a kind cell`);
      assert.ok(inside(marker, box), `${id}: marker ${show(marker)} inside its cell ${show(box)}`);
      assert.ok(inside(marker, VIEWPORT), `${id}: marker ${show(marker)} inside the viewport`);
      assert.ok(marker.width > 40, `${id}: the marker is not squeezed (${marker.width} px)`);
    }
    for (const id of PEOPLE) {
      assert.equal(await page.locator(`tr[data-user-id="${id}"] [data-kind="service"]`).count(), 0);
    }
    // Ids are whole, and every column's header and cell are on screen.
    for (const id of [...SERVICE_USERS, ...PEOPLE]) {
      const box = await cell(page, id, "id");
      assert.equal(box.cut, false, `${id}: the id is not cut`);
      assert.ok(inside(box, VIEWPORT), `${id}: the id cell ${show(box)} is on screen`);
    }
    const headers = await page.locator('table[aria-label="All users"] th').allTextContents();
    assert.deepEqual(headers, [
      "Id",
      "Kind",
      "Name",
      "Status",
      "Roles",
      "Shared with",
      "Created by",
      "Last modified",
      "Actions",
    ]);
    const headerCut = await page.evaluate(() =>
      // The cell, or anything in it (the sort button and its label clip on their own; a visually
      // hidden label is 1 px wide on purpose).
      [...document.querySelectorAll('table[aria-label="All users"] th')]
        .filter((th) =>
          [th, ...th.querySelectorAll("*")].some((e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth),
        )
        .map((th) => th.textContent),
    );
    assert.deepEqual(headerCut, [], "no header is cut");
    page.assertNoErrors();
    await page.closeContext();
  });

  for (const view of ["All users", "Service users"]) {
    test(`${view}: the open drawer leaves the id, name and status columns in view`, async () => {
      const page = await openApp(browser, server.url, {
        scenario: view === "All users" ? "signedIn" : "many",
      });
      if (view === "All users") await allUsers(page);
      else await page.waitForSelector('tr[data-user-id="svc-000001"]');
      await page.locator('tr[data-user-id="etl-bot"]').click();
      const drawer = page.getByRole("dialog", { name: "etl-bot" });
      await drawer.getByRole("button", { name: "Assume" }).waitFor();
      const drawerBox = await page.locator("section.mantine-Drawer-content").boundingBox();
      assert.ok(inside(drawerBox, VIEWPORT), `the drawer ${show(drawerBox)} is on screen`);
      const ids =
        view === "All users" ? [...PEOPLE, ...SERVICE_USERS] : ["etl-bot", "finance-bot", "svc-000001"];
      for (const id of ids) {
        for (const column of ["id", "name", "status"]) {
          const box = await cell(page, id, column);
          assert.ok(box, `${id}: the ${column} column is shown`);
          assert.ok(box.x + box.width <= drawerBox.x, `${id}: ${column} ${show(box)} left of the drawer`);
          assert.ok(inside(box, VIEWPORT), `${id}: ${column} ${show(box)} on screen`);
        }
        assert.equal((await cell(page, id, "id")).cut, false, `${id}: the id is not cut beside the drawer`);
      }
      if (view === "All users") {
        // The marker fits beside the drawer too.
        const marker = await page
          .locator('tr[data-user-id="finance-bot"] [data-kind="service"]')
          .boundingBox();
        assert.ok(marker.x + marker.width <= drawerBox.x, `the marker ${show(marker)} is left of the drawer`);
      }
      // The title and the filters are not under the drawer.
      for (const name of ["Refresh", "New service user"]) {
        const button = await page.getByRole("button", { name, exact: true }).boundingBox();
        assert.ok(!overlaps(button, drawerBox), `${name} ${show(button)} is not under the drawer`);
      }
      page.assertNoErrors();
      await page.closeContext();
    });
  }

  test("toasts: a fourth does not add a fourth on screen, and none covers the drawer", async () => {
    const page = await openApp(browser, server.url);
    await page.waitForSelector("tr[data-user-id]");
    await page.locator('tr[data-user-id="etl-bot"]').click();
    const drawer = page.getByRole("dialog", { name: "etl-bot" });
    await drawer.getByRole("button", { name: "Assume" }).waitFor();
    await page.evaluate(() => {
      for (let i = 1; i <= 4; i++) {
        window.__testHooks.notifyError({ code: "internal", message: `Failure ${i} from the fake backend.` });
      }
    });
    await page.getByText("Failure 3 from the fake backend.").waitFor();
    await page.waitForTimeout(300);
    const toasts = page.locator(".mantine-Notification-root");
    assert.equal(await toasts.count(), 3);
    assert.equal(await page.getByText("Failure 4 from the fake backend.").count(), 0);

    const drawerBox = await page.locator("section.mantine-Drawer-content").boundingBox();
    for (let i = 0; i < 3; i++) {
      const box = await toasts.nth(i).boundingBox();
      assert.ok(inside(box, VIEWPORT), `toast ${i + 1} ${show(box)} is on screen`);
      assert.ok(
        !overlaps(box, drawerBox),
        `toast ${i + 1} ${show(box)} is clear of the drawer ${show(drawerBox)}`,
      );
    }
    // Dismissing one lets the fourth in.
    await toasts.first().getByRole("button", { name: "Dismiss" }).click();
    await page.getByText("Failure 4 from the fake backend.").waitFor();
    await page.waitForTimeout(300);
    assert.equal(await toasts.count(), 3);
    page.assertNoErrors();
    await page.closeContext();
  });
});
