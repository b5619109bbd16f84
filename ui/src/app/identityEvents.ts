import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { events, type IdentityView } from "../gen/bindings";
import { commandKey } from "../ipc/queries";

/** Whether Tauri's IPC is there (the app, or its mock); jsdom tests without a mock have none. */
function hasTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/**
 * Keeps the window in step with what Rust finds on its own (the tray, the periodic and focus
 * checks): when the identities changed, the identities and the session are refetched, and the
 * service users of refused identities with the cache (a sync): a refusal usually means its
 * service user changed on the server (disabled, unshared, deleted). When the session changed
 * (ended, offline, back), the session is refetched.
 */
export function useIdentityEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!hasTauri()) return;
    const stops: (() => void)[] = [];
    let cancelled = false;
    const refetch = (commands: string[]) => () => {
      for (const command of commands) void queryClient.invalidateQueries({ queryKey: [command] });
    };
    // A refused identity's service user changed on the server: its detail and the cache (a sync)
    // are refreshed. Only those: a service user deleted in this window is not asked for again.
    const refreshRefused = async () => {
      await queryClient.invalidateQueries({ queryKey: ["identitiesList"] });
      const identities = queryClient.getQueriesData<IdentityView[]>({ queryKey: ["identitiesList"] });
      const refused = identities.flatMap(([, list]) => list ?? []).filter((i) => i.state === "refused");
      for (const i of refused)
        void queryClient.invalidateQueries({ queryKey: commandKey("userGet", [i.serviceUserId]) });
      if (refused.length > 0) void queryClient.invalidateQueries({ queryKey: ["syncNow"] });
    };
    const listening = [
      // The typed events of the bindings.
      events.identitiesChanged.listen(() => {
        refetch(["sessionStatus"])();
        void refreshRefused();
      }),
      events.sessionChanged.listen(refetch(["sessionStatus"])),
    ];
    for (const listen of listening) {
      listen
        .then((stop) => {
          if (cancelled) stop();
          else stops.push(stop);
        })
        .catch(() => {
          // No event plugin (a test without Tauri): the queries still refresh after each mutation.
        });
    }
    return () => {
      cancelled = true;
      // Tauri's unlisten is async underneath: when the IPC went away first (a test's mock was
      // cleared before unmounting), its rejection is of no interest.
      for (const stop of stops) {
        try {
          Promise.resolve(stop() as unknown).catch(() => {});
        } catch {}
      }
    };
  }, [queryClient]);
}
