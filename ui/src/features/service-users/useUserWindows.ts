import { keepPreviousData } from "@tanstack/react-query";
import { useMemo } from "react";
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
  // The count after the first window (the rows first; the count only changes the title).
  const count = useBackendQuery("usersCount", [usersQuery(filters, 0)], {
    placeholderData: keepPreviousData,
    enabled: !enabled || (first.data !== undefined && !first.isPlaceholderData),
  });

  const firstData = first.data;
  const secondData = b !== a ? second.data : undefined;
  const firstStale = first.isPlaceholderData;
  const secondStale = second.isPlaceholderData;
  const counted = count.data !== undefined && !count.isPlaceholderData ? count.data : undefined;
  const countShown = count.data;
  const loading = first.isPending && a === 0;
  const error = first.error ?? second.error;
  const refetchFirst = first.refetch;
  const refetchCount = count.refetch;
  // One object per answer, not per render: the table (memoised) re-renders only for new rows.
  return useMemo(() => {
    const pages = [firstData, secondData].filter((p): p is UsersPage => p !== undefined);
    const fresh = [
      ...(firstData && !firstStale ? [firstData] : []),
      ...(secondData && !secondStale ? [secondData] : []),
    ];
    const last = fresh.find((p) => !p.hasMore);
    const exact = last ? last.offset + last.users.length : undefined;
    const total = counted ?? exact;
    const estimate =
      fresh.length > 0 ? Math.max(...fresh.map((p) => p.offset + p.users.length + WINDOW)) : undefined;
    const rows = total ?? estimate ?? countShown ?? firstData?.users.length ?? 0;
    return {
      rowAt: (index: number) => {
        for (const p of pages) {
          if (index >= p.offset && index < p.offset + p.users.length) return p.users[index - p.offset];
        }
        return undefined;
      },
      rows,
      total,
      // Only the top window shows skeletons in place of the table; further ones show skeleton rows.
      loading,
      stale: firstStale,
      error,
      asOf: firstData?.asOf ?? null,
      pages,
      refetch: () => {
        void refetchFirst();
        void refetchCount();
      },
    };
  }, [
    firstData,
    secondData,
    firstStale,
    secondStale,
    counted,
    countShown,
    loading,
    error,
    refetchFirst,
    refetchCount,
  ]);
}
