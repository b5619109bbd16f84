import { keepPreviousData } from "@tanstack/react-query";
import type { UsersPage, UsersQuery, UserView } from "../../ipc";
import { useBackendQuery } from "../../ipc/queries";
import { type UserFilters, usersQuery, WINDOW } from "./usersQuery";

/** While a window's query has no answer yet, the previous answer at the same offset (another search) stays. */
function sameOffset(offset: number) {
  return (previous: UsersPage | undefined, previousQuery?: { queryKey: readonly unknown[] }) =>
    (previousQuery?.queryKey[1] as UsersQuery | undefined)?.offset === offset ? previous : undefined;
}

export type UserWindows = {
  /** The user at row `index`, when its window has arrived. */
  rowAt: (index: number) => UserView | undefined;
  /** Rows to lay out: the count once known, else what the windows tell. */
  rows: number;
  /** How many users match: from `usersCount`, or from a last window; undefined while unknown. */
  total: number | undefined;
  /** The list's first window has not answered yet (a skeleton in place of the table). */
  loading: boolean;
  /** The rows shown belong to the previous filters (a new search is running). */
  stale: boolean;
  error: Error | null;
  /** When the cache last matched the server. */
  asOf: string | null;
  /** The windows fetched (at most two): what the columns size to. */
  pages: UsersPage[];
  refetch: () => void;
};

/**
 * The rows of a filtered list, fetched as windows of WINDOW rows around the visible range
 * (`firstRow`..`lastRow`, at most two windows at once); the count comes separately and later.
 */
export function useUserWindows(
  filters: UserFilters,
  firstRow: number,
  lastRow: number,
  enabled = true,
): UserWindows {
  const a = Math.floor(Math.max(0, firstRow) / WINDOW) * WINDOW;
  const b = Math.max(a, Math.floor(Math.max(0, lastRow) / WINDOW) * WINDOW);
  const first = useBackendQuery("usersPage", [usersQuery(filters, a)], {
    enabled,
    placeholderData: sameOffset(a),
  });
  const second = useBackendQuery("usersPage", [usersQuery(filters, b)], {
    enabled: enabled && b !== a,
    placeholderData: sameOffset(b),
  });
  const count = useBackendQuery("usersCount", [usersQuery(filters, 0)], {
    placeholderData: keepPreviousData,
  });

  const pages = [first, b !== a ? second : null].flatMap((q) => (q?.data ? [q] : []));
  const fresh = pages.filter((q) => !q.isPlaceholderData).map((q) => q.data as UsersPage);
  const last = fresh.find((p) => !p.hasMore);
  const exact = last ? last.offset + last.users.length : undefined;
  const counted = count.data !== undefined && !count.isPlaceholderData ? count.data : undefined;
  const total = counted ?? exact;
  const estimate =
    fresh.length > 0 ? Math.max(...fresh.map((p) => p.offset + p.users.length + WINDOW)) : undefined;
  const rows = total ?? estimate ?? count.data ?? first.data?.users.length ?? 0;

  return {
    rowAt: (index) => {
      for (const q of pages) {
        const p = q.data as UsersPage;
        if (index >= p.offset && index < p.offset + p.users.length) return p.users[index - p.offset];
      }
      return undefined;
    },
    rows,
    total,
    // Only the top window shows skeletons in place of the table; further ones show skeleton rows.
    loading: first.isPending && a === 0,
    stale: first.isPlaceholderData,
    error: first.error ?? second.error,
    asOf: first.data?.asOf ?? null,
    pages: pages.map((q) => q.data as UsersPage),
    refetch: () => {
      void first.refetch();
      void count.refetch();
    },
  };
}
