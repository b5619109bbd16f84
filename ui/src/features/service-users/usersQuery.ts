import type { QueryClient } from "@tanstack/react-query";
import { type Backend, callBackend, type StatusFilter, type UserKind, type UsersQuery } from "../../ipc";
import { commandKey } from "../../ipc/queries";

/** Rows per `usersPage` call: a window is fetched when the user scrolls near it. */
export const WINDOW = 200;

/** What the list's controls choose (everything of a `UsersQuery` but the window). */
export type UserFilters = {
  kind: UserKind;
  search: string;
  status: StatusFilter | null;
  role: string | null;
  assumable: boolean;
};

export const NO_FILTERS: Omit<UserFilters, "kind"> = {
  search: "",
  status: null,
  role: null,
  assumable: false,
};

/** The backend query for the window starting at `offset`. */
export function usersQuery(f: UserFilters, offset: number, limit = WINDOW): UsersQuery {
  return {
    kind: f.kind,
    search: f.search.trim() || null,
    status: f.status,
    role: f.role,
    tag: null,
    assumable: f.assumable,
    offset,
    limit,
  };
}

/** Whether anything narrows the list (so an empty answer means "no match", not "none yet"). */
export function isFiltered(f: UserFilters): boolean {
  return Boolean(f.search.trim()) || f.status !== null || f.role !== null || f.assumable;
}

/**
 * Asks for a list's first window now, and its count once the window has answered, under the keys
 * the list's own queries use: a keystroke's answer is on its way before React has rendered the new
 * filters, and the count (which only changes the title) never competes with it for the cache's
 * connections or the cores.
 */
export function prefetchUsers(queryClient: QueryClient, backend: Backend, filters: UserFilters): void {
  const query = usersQuery(filters, 0);
  void queryClient
    .prefetchQuery({
      queryKey: commandKey("usersPage", [query]),
      queryFn: () => callBackend(backend, "usersPage", [query]),
    })
    .then(() =>
      queryClient.prefetchQuery({
        queryKey: commandKey("usersCount", [query]),
        queryFn: () => callBackend(backend, "usersCount", [query]),
      }),
    );
}

/**
 * The home screen's first window and count, asked for at start-up beside the session rather
 * than after it: the cached list then shows after one round of IPC instead of two.
 */
export function prefetchServiceUsers(queryClient: QueryClient, backend: Backend): void {
  prefetchUsers(queryClient, backend, { kind: "service", ...NO_FILTERS });
}
