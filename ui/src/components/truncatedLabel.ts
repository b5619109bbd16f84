import type { CSSProperties } from "react";

/**
 * The top bar's buttons share 1,280 px: a long id or role name must not push the others off
 * the window. A button with these styles and a `maw` shrinks first, its text (wrapped in a span
 * with `ellipsis`) cut with an ellipsis; the full text goes in the button's `title`.
 */
export const truncatedLabel: { root: CSSProperties; label: CSSProperties } = {
  root: { minWidth: 0, flexShrink: 1 },
  label: { overflow: "hidden", minWidth: 0 },
};

/** The text inside a `truncatedLabel` button. */
export const ellipsis: CSSProperties = {
  overflow: "hidden",
  textOverflow: "ellipsis",
  whiteSpace: "nowrap",
  minWidth: 0,
};

/** What keeps its size in the top bar (short buttons, badges, the countdown). */
export const noShrink: CSSProperties = { flexShrink: 0 };
