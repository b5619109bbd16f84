// jsdom has no layout: elements measure 0 x 0, so a virtualised list would render no row. This
// gives every element a size, like a 1280 x 800 window, for the tests that need rows.
import { vi } from "vitest";

export function mockLayout({ width = 1200, height = 600 } = {}): void {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(height);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(width);
  vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockReturnValue(height);
  vi.spyOn(HTMLElement.prototype, "offsetWidth", "get").mockReturnValue(width);
}

/** Scrolls a scrollable element (the virtualiser listens for the scroll event). */
export function scrollTo(element: HTMLElement, top: number): void {
  // jsdom keeps scrollTop at 0: give this element its own.
  Object.defineProperty(element, "scrollTop", { configurable: true, writable: true, value: top });
  element.dispatchEvent(new Event("scroll"));
}
