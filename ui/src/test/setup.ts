// Vitest setup (jsdom): jest-dom matchers, the browser APIs Mantine needs, a clean DOM per test.
import "@testing-library/jest-dom/vitest";
import { cleanNotifications, cleanNotificationsQueue } from "@mantine/notifications";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy*/waitFor wait up to 5 s (default 1 s): `make test` shares 2 cores with cargo.
configure({ asyncUtilTimeout: 5000 });

const { getComputedStyle } = window;
window.getComputedStyle = (elt) => getComputedStyle(elt);
window.HTMLElement.prototype.scrollIntoView = () => {};

Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

class ResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserver;

afterEach(() => {
  cleanup();
  // The window's preferences (sort, columns) start from their defaults in each test.
  localStorage.clear();
  cleanNotifications();
  cleanNotificationsQueue();
});
