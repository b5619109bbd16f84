// The command palette's own Spotlight store: its open state and selection, apart from any other
// Spotlight. `openPalette` is what Ctrl+K and the top bar's button do; the palette's code loads
// the first time it is asked for (LazyCommandPalette), and it opens once that code is mounted.
import { createSpotlight } from "@mantine/spotlight";
import { useSyncExternalStore } from "react";

export const [paletteStore, palette] = createSpotlight();

let mounted = false;
let requested = false;
const listeners = new Set<() => void>();

/** Opens the palette; the first time, asks for its code and opens when it is mounted. */
export function openPalette(): void {
  if (mounted) {
    palette.open();
    return;
  }
  if (requested) return;
  requested = true;
  for (const listener of listeners) listener();
}

/** Whether the palette has been asked for (its code is then loaded and stays mounted). */
export function usePaletteRequested(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => requested,
  );
}

/** The palette calls this once mounted, closed: the open that asked for it happens now. */
export function paletteMounted(): () => void {
  mounted = true;
  if (requested) palette.open();
  return () => {
    mounted = false;
  };
}

/** Ctrl+K (Cmd+K on macOS), from anywhere in the window, a text field included. */
export const PALETTE_SHORTCUT = "mod + K";

/** The list's DOM id (the search box points at its selected option). */
export const PALETTE_LIST_ID = "command-palette-options";
