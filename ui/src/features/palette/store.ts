// The command palette's own Spotlight store: its open state and selection, apart from any other
// Spotlight. `openPalette` is what Ctrl+K and the top bar's button do.
import { createSpotlight } from "@mantine/spotlight";

export const [paletteStore, palette] = createSpotlight();

export const openPalette = palette.open;

/** Ctrl+K (Cmd+K on macOS), from anywhere in the window, a text field included. */
export const PALETTE_SHORTCUT = "mod + K";

/** The list's DOM id (the search box points at its selected option). */
export const PALETTE_LIST_ID = "command-palette-options";
