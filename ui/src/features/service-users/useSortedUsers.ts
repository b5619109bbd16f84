// The list in another order than the cache's (id): every matching row is read from the cache at
// once (a local SQLite read, milliseconds for thousands of rows) and sorted here; the table stays
// virtualised, so only the rows in view are drawn whatever the count.
import { keepPreviousData } from "@tanstack/react-query";
import { useMemo } from "react";
import type { UsersPage } from "../../ipc";
import { useBackendQuery } from "../../ipc/queries";
import { sortUsers, type UserSort } from "./sorting";
import { type UserFilters, usersQuery } from "./usersQuery";
import type { UserWindows } from "./useUserWindows";

/** More rows than any environment holds: "all of them". */
export const ALL_ROWS = 1_000_000;
/** The rows the column widths are measured on (as the windowed list measures its first two windows). */
const MEASURED = 400;

/** The rows matching `filters` sorted by `sort`; `enabled` false: nothing is fetched. */
export function useSortedUsers(
  filters: UserFilters,
  sort: UserSort,
  roleName: (id: string) => string,
  enabled: boolean,
): UserWindows {
  const all = useBackendQuery("usersPage", [usersQuery(filters, 0, ALL_ROWS)], {
    enabled,
    placeholderData: keepPreviousData,
  });
  const page = all.data;
  const sorted = useMemo(() => (page ? sortUsers(page.users, sort, roleName) : []), [page, sort, roleName]);
  const measured = useMemo<UsersPage[]>(
    () => (page ? [{ ...page, users: sorted.slice(0, MEASURED) }] : []),
    [page, sorted],
  );
  return {
    rowAt: (index) => sorted[index],
    rows: sorted.length,
    total: page && !all.isPlaceholderData ? page.users.length : undefined,
    loading: all.isPending,
    stale: all.isPlaceholderData,
    error: all.error,
    asOf: page?.asOf ?? null,
    pages: measured,
    refetch: () => void all.refetch(),
  };
}
