import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { events } from "../gen/bindings";

/** Whether Tauri's IPC is there (the app, or its mock); jsdom tests without a mock have none. */
function hasTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/**
 * Keeps the identity bar in step with the tray: when Rust says the identities changed, the
 * identity queries are refetched.
 */
export function useIdentityEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!hasTauri()) return;
    let unlisten: (() => void) | null = null;
    let cancelled = false;
    // Emitted by Rust when the tray switches or forgets an identity (the typed event in the bindings).
    events.identitiesChanged
      .listen(() => {
        void queryClient.invalidateQueries({ queryKey: ["identitiesList"] });
        void queryClient.invalidateQueries({ queryKey: ["sessionStatus"] });
      })
      .then((stop) => {
        if (cancelled) stop();
        else unlisten = stop;
      })
      .catch(() => {
        // No event plugin (a test without Tauri): the queries still refresh after each mutation.
      });
    return () => {
      cancelled = true;
      // Tauri's unlisten is async underneath: when the IPC went away first (a test's mock was
      // cleared before unmounting), its rejection is of no interest.
      try {
        Promise.resolve(unlisten?.() as unknown).catch(() => {});
      } catch {}
    };
  }, [queryClient]);
}
