// Whether the updates dialog is open: the version menu, the "update available" toast and tests
// open it from anywhere without threading state through the top bar.
import { useSyncExternalStore } from "react";

let open = false;
const listeners = new Set<() => void>();

function set(value: boolean) {
  if (open === value) return;
  open = value;
  for (const l of listeners) l();
}

export const openUpdatesDialog = () => set(true);
export const closeUpdatesDialog = () => set(false);

export function useUpdatesDialogOpen(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => open,
  );
}
