// Sorting the users table by any column. The cache answers in id order; any other order is
// applied here over the matching rows, stably: rows that compare equal keep their id order, and
// a descending sort reverses the comparison, not the rows, so ties stay in id order too.
import type { UserView } from "../../ipc";
import { COLUMNS, type ColumnKey } from "./columns";

export type SortDirection = "ascending" | "descending";
export type UserSort = { column: ColumnKey; direction: SortDirection };

/** The order the cache answers in: nothing to sort. */
export const ID_ORDER: UserSort = { column: "id", direction: "ascending" };

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

type Key = (u: UserView, roleName: (id: string) => string) => string | number;

/** What each column sorts by: what it shows. */
const KEYS: Record<ColumnKey, Key> = {
  id: (u) => u.userId,
  kind: (u) => (u.isServiceUser ? "service user" : "person"),
  name: (u) => u.displayName,
  status: (u) => (u.enabled ? "enabled" : "disabled"),
  roles: (u, roleName) => u.roles.map(roleName).join(", "),
  shared: (u) => u.sharedWith.join(", "),
  createdBy: (u) => u.createdBy ?? "",
  modified: (u) => Date.parse(u.lastModified) || 0,
};

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** Whether the sort is the cache's own order (the list can then be fetched in windows). */
export function isIdOrder(sort: UserSort): boolean {
  return sort.column === ID_ORDER.column && sort.direction === ID_ORDER.direction;
}

/** `users` (in id order) sorted by `sort`, stably; a new array. */
export function sortUsers(
  users: readonly UserView[],
  sort: UserSort,
  roleName: (id: string) => string = (id) => id,
): UserView[] {
  if (isIdOrder(sort)) return [...users];
  const key = KEYS[sort.column];
  const sign = sort.direction === "ascending" ? 1 : -1;
  const keyed = users.map((u, i) => ({ u, i, k: key(u, roleName) }));
  keyed.sort((a, b) => sign * compareKeys(a.k, b.k) || a.i - b.i);
  return keyed.map((x) => x.u);
}

/**
 * A header click: the same column flips its direction; another column starts ascending
 * (the last-modified column starts with the newest).
 */
export function nextSort(current: UserSort, column: ColumnKey): UserSort {
  if (current.column === column) {
    return { column, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { column, direction: column === "modified" ? "descending" : "ascending" };
}

/** A stored sort from the preferences, checked (an unknown column reads as none). */
export function isStoredSort(v: unknown): v is UserSort | null {
  if (v === null) return true;
  if (typeof v !== "object") return false;
  const s = v as Partial<UserSort>;
  return (
    COLUMNS.some((c) => c.key === s.column) && (s.direction === "ascending" || s.direction === "descending")
  );
}
