import type { StatusFilter, UserKind, UsersQuery } from "../../ipc";

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
