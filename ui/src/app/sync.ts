import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import type { CommandName } from "../ipc";
import { useBackendQuery } from "../ipc/queries";

/** What a sync can change: the lists read the cache it fills, the session learns it is online again. */
export const AFTER_SYNC: CommandName[] = [
  "usersPage",
  "usersCount",
  "sessionStatus",
  "rolesList",
  "tagsList",
];

/**
 * The cache's sync with the server (`syncNow`), run once per session: when the app starts
 * signed in, and again whenever the queries are reset (a switch of environment, a sign-in).
 * `refresh()` syncs again. `data.online === false`: the server could not be reached and the
 * lists show the cache as of `data.asOf`.
 */
export function useSync({ enabled = true }: { enabled?: boolean } = {}) {
  const sync = useBackendQuery("syncNow", [], {
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const { refetch } = sync;
  const refresh = useCallback(async () => {
    await refetch();
  }, [refetch]);
  return { ...sync, refresh };
}

/** After each completed sync the lists (and the session) re-read: call once, in the app shell. */
export function useInvalidateAfterSync(enabled: boolean): void {
  const queryClient = useQueryClient();
  const { dataUpdatedAt } = useSync({ enabled });
  const seen = useRef(0);
  useEffect(() => {
    if (!dataUpdatedAt || dataUpdatedAt === seen.current) return;
    const first = seen.current === 0;
    seen.current = dataUpdatedAt;
    // The session is already fresh after the first sync of a start; later ones may change it.
    for (const command of AFTER_SYNC) {
      if (first && command === "sessionStatus") continue;
      void queryClient.invalidateQueries({ queryKey: [command] });
    }
  }, [dataUpdatedAt, queryClient]);
}
