// What the real-window tests do with the window (tauri-driver + WebKitWebDriver), for a
// WebdriverIO `browser`, shared by ui/tests/window/flow.test.mjs, window.test.mjs and tray.test.mjs.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { test } from "node:test";

/** XPath of a dialog (a Mantine modal or drawer) by its title. */
export const dialog = (title) => `//section[@role="dialog"][.//h2[normalize-space()="${title}"]]`;

/** A secret of the app in the Secret Service (null when absent). Never printed. */
export function keychain(env, account) {
  try {
    const out = execFileSync(
      "secret-tool",
      ["lookup", "service", "amorphic-su-desktop", "username", `${env}:${account}`],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    return out.trim() || null;
  } catch {
    return null;
  }
}

/** The native title of the app's window (Rust sets it), from the X server; null without xwininfo. */
export function nativeTitle() {
  let tree;
  try {
    tree = execFileSync("xwininfo", ["-root", "-tree"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return null;
  }
  // 0x200003 "Amorphic Service Users": ("amorphic-su-desktop" "Amorphic-su-desktop")  1280x800+0+0
  return tree.match(/^\s*0x[0-9a-f]+ "(.*)": \("amorphic-su-desktop" /m)?.[1] ?? null;
}

/**
 * Saves the app's window as the X server shows it (ImageMagick's `import`). WebKitWebDriver's
 * own screenshot waits for the page's next repaint, which a still page never makes when WebKit
 * renders without GPU compositing (the app's setting, src-tauri/src/webview.rs).
 */
export function captureWindow(file) {
  const tree = execFileSync("xwininfo", ["-root", "-tree"], { encoding: "utf8" });
  const id = tree.match(/^\s*(0x[0-9a-f]+) ".*": \("amorphic-su-desktop" /m)?.[1];
  execFileSync("import", ["-window", id ?? "root", file], { stdio: "ignore" });
}

/**
 * `step(name, fn)`: tests that run in order on one window. After a failure the rest are skipped
 * (they build on it), and the window as it was is saved as `failed-<prefix><name>.png` next to
 * the screenshots (else in the temp dir); `onFailure` prints more of the state.
 */
export function orderedSteps({ shots, prefix = "", onFailure = async () => {} }) {
  let failed = null;
  return function step(name, fn) {
    test(name, async (t) => {
      if (failed) {
        t.skip(`after the failed step "${failed}"`);
        return;
      }
      try {
        await fn();
      } catch (e) {
        failed = name;
        const file = `${shots || tmpdir()}/failed-${prefix}${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`;
        try {
          captureWindow(file);
        } catch {}
        console.error(`window at the failure: ${file}`);
        await onFailure();
        throw e;
      }
    });
  };
}

export function windowHelpers(browser, UI = 15000) {
  async function shown(selector, timeout = UI) {
    const el = await browser.$(selector);
    await el.waitForDisplayed({ timeout, timeoutMsg: `${selector} was not shown within ${timeout} ms` });
    return el;
  }

  async function gone(selector, timeout = UI) {
    const el = await browser.$(selector);
    await el.waitForExist({
      timeout,
      reverse: true,
      timeoutMsg: `${selector} was still there after ${timeout} ms`,
    });
  }

  /** WebKitWebDriver's getText() is "" for some Mantine elements: read the DOM text. */
  async function textOf(el) {
    return ((await el.getProperty("textContent")) ?? "").replace(/\s+/g, " ").trim();
  }

  async function waitText(selector, expected, timeout = UI) {
    const el = await shown(selector, timeout);
    let last = "";
    await browser.waitUntil(
      async () => {
        last = await textOf(el);
        return expected instanceof RegExp ? expected.test(last) : last === expected;
      },
      { timeout, timeoutMsg: `${selector} said "${last}", not ${expected}` },
    );
    return last;
  }

  /** The native window title, which Rust sets (src-tauri/src/tray.rs), as the X server reports it. */
  async function waitTitle(expected, what) {
    let native = "";
    await browser.waitUntil(
      async () => {
        native = nativeTitle();
        if (native === null) throw new Error("xwininfo cannot list the app's window");
        return native === expected;
      },
      { timeout: UI, timeoutMsg: `${what}: the window's title was "${native}", not "${expected}"` },
    );
  }

  /** A button by its visible text, inside `scope` (an XPath), once it can be used. */
  async function button(text, scope = "") {
    const el = await shown(`${scope}//button[normalize-space()="${text}"]`);
    // A GuardedButton stays in place, aria-disabled, while its action is not allowed yet.
    await browser.waitUntil(
      async () => (await el.isEnabled()) && (await el.getAttribute("aria-disabled")) !== "true",
      { timeout: UI, timeoutMsg: `the button "${text}" stayed disabled` },
    );
    return el;
  }

  async function click(text, scope = "") {
    await (await button(text, scope)).click();
  }

  /** The input a label names (the label's first text, before Mantine's required asterisk). */
  async function field(label, scope = "") {
    const lab = await shown(`${scope}//label[normalize-space(text()[1])="${label}"]`);
    const id = await lab.getAttribute("for");
    assert.ok(id, `the label "${label}" names no input`);
    return browser.$(`[id="${id}"]`);
  }

  /** Types `value` into the input a label names, and waits until the input holds it. */
  async function type(label, value, scope = "") {
    const input = await field(label, scope);
    await input.click();
    await input.addValue(value);
    await browser.waitUntil(async () => (await input.getProperty("value")) === value, {
      timeout: UI,
      timeoutMsg: `the field "${label}" did not take "${value}"`,
    });
  }

  /** Waits until an element stops moving (a dialog's opening transition, a dropdown placing itself). */
  async function settled(el) {
    let last = "";
    await browser.waitUntil(
      async () => {
        const rect = await browser.execute(
          (e) =>
            new Promise((done) =>
              requestAnimationFrame(() => {
                const r = e.getBoundingClientRect();
                done(`${r.x},${r.y},${r.width},${r.height}`);
              }),
            ),
          el,
        );
        const same = rect === last;
        last = rect;
        return same;
      },
      { timeout: UI, interval: 50, timeoutMsg: "the element kept moving" },
    );
    return el;
  }

  /** A dialog (by its title) once it is open and in place. */
  async function openDialog(title) {
    await settled(await shown(dialog(title)));
    return dialog(title);
  }

  /** Picks `value` in a Mantine Select or MultiSelect named by its label, and checks it took. */
  async function pick(label, value, scope = "") {
    const input = await field(label, scope);
    // Options read "id" or "id (name)".
    const optionXPath = `//*[@role="option"][normalize-space()="${value}" or starts-with(normalize-space(), "${value} (")]`;
    const picked = () =>
      browser.execute(
        (e, v) => `${e.value} ${e.closest(".mantine-InputWrapper-root")?.textContent ?? ""}`.includes(v),
        input,
        value,
      );
    for (let attempt = 1; ; attempt++) {
      if (!(await (await browser.$(optionXPath)).isDisplayed())) await input.click();
      await (await settled(await shown(optionXPath))).click();
      try {
        await browser.waitUntil(picked, { timeout: 2000 });
        return;
      } catch (e) {
        if (attempt === 3) throw new Error(`"${value}" was not picked in "${label}"`, { cause: e });
      }
    }
  }

  return { shown, gone, textOf, waitText, waitTitle, button, click, field, type, settled, openDialog, pick };
}
