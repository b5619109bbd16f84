import type { KeyboardEvent } from "react";

/**
 * Arrow keys on an open menu's trigger move into its items. (Mantine's own way, a focus
 * placeholder in the dropdown, is a presentational element with a tabindex: axe refuses it.)
 */
export function arrowsIntoMenu(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  const dropdown = document.getElementById(`${e.currentTarget.id}-dropdown`);
  const items = dropdown?.querySelectorAll<HTMLElement>("[data-menu-item]:not(:disabled)");
  if (!items?.length) return;
  e.preventDefault();
  (e.key === "ArrowDown" ? items[0] : items[items.length - 1]).focus();
}
