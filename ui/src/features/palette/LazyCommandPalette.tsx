// The command palette's shortcut, always on, and its code, loaded the first time it is opened
// (the palette, its fuzzy ranking and the dialogs it opens are a chunk of their own).
import { useHotkeys } from "@mantine/hooks";
import { Suspense } from "react";
import { lazyNamed } from "../../app/lazy";
import type { CommandPaletteProps } from "./CommandPalette";
import { openPalette, PALETTE_SHORTCUT, usePaletteRequested } from "./store";

const CommandPalette = lazyNamed(() => import("./CommandPalette"), "CommandPalette");

export function LazyCommandPalette(props: CommandPaletteProps) {
  // From anywhere in the window, a text field included (no tags ignored).
  useHotkeys([[PALETTE_SHORTCUT, openPalette]], []);
  const requested = usePaletteRequested();
  if (!requested) return null;
  return (
    <Suspense fallback={null}>
      <CommandPalette {...props} />
    </Suspense>
  );
}
