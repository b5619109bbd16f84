// The app core's list query over the fake's users: filters, word search and order by id, with
// caches so that 100,000-user lists stay fast.
import type { UsersQuery } from "../../ipc";
import { hasAccess } from "./rules";
import type { FakeUser } from "./state";

/** The app core's search: every word must prefix-match a word of the id, name, description, a role or a tag. */
export function matchesSearch(u: FakeUser, search: string | null): boolean {
  const words = searchWords(search);
  return words.length === 0 || words.every((w) => searchTokens(u).some((t) => t.startsWith(w)));
}

function searchWords(search: string | null): string[] {
  return (search ?? "").toLowerCase().split(/\s+/).filter(Boolean);
}

function searchTokens(u: FakeUser): string[] {
  const fields = [
    u.userId,
    u.displayName,
    u.description ?? "",
    ...u.roles,
    ...u.tags,
    ...(u.shares?.tags ?? []),
  ];
  return fields.flatMap((f) => [f.toLowerCase(), ...f.toLowerCase().split(/[^a-z0-9]+/)]).filter(Boolean);
}

/** Lists above this size cache their search tokens, sort order and last filter (100,000-row tests). */
const BIG_LIST = 5000;

/** What a cached list was computed from: the same array, length and change count. */
type Cached = { source: FakeUser[]; length: number; version: number; users: FakeUser[] };

/**
 * Answers list queries over the fake's users. A cache is reused only for the same array, length
 * and `version` (the fake's count of the changes it made itself).
 */
export class UserSearch {
  private readonly tokenCache = new WeakMap<FakeUser, string[]>();
  private sorted: Cached | null = null;
  private lastFilter: (Cached & { key: string }) | null = null;

  /** Drops a user's cached search tokens (it changed). */
  forget(u: FakeUser): void {
    this.tokenCache.delete(u);
  }

  /** The users matching `q` for `me`, sorted by id (as the cache answers). */
  matching(source: FakeUser[], version: number, q: UsersQuery, me: FakeUser): FakeUser[] {
    const big = source.length > BIG_LIST;
    const key = JSON.stringify([q.kind, q.search, q.status, q.role, q.tag, q.assumable, me.userId, me.tags]);
    const c = this.lastFilter;
    if (c && c.key === key && c.source === source && c.length === source.length && c.version === version)
      return c.users;
    const words = searchWords(q.search);
    const blank = (s: string | null) => (s?.trim() ? s.trim() : null);
    const role = blank(q.role);
    const tag = blank(q.tag);
    const users = this.sortedUsers(source, version).filter(
      (u) =>
        (q.kind === "all" || u.isServiceUser === (q.kind === "service")) &&
        (q.status === null || u.enabled === (q.status === "enabled")) &&
        (role === null || u.roles.includes(role)) &&
        (tag === null || u.tags.includes(tag)) &&
        (!q.assumable || hasAccess(me, u)) &&
        (words.length === 0 || words.every((w) => this.tokens(u, big).some((t) => t.startsWith(w)))),
    );
    if (big) this.lastFilter = { key, source, length: source.length, version, users };
    return users;
  }

  private tokens(u: FakeUser, big: boolean): string[] {
    if (!big) return searchTokens(u);
    let t = this.tokenCache.get(u);
    if (!t) {
      t = searchTokens(u);
      this.tokenCache.set(u, t);
    }
    return t;
  }

  /** Users sorted by id, cached for big lists. */
  private sortedUsers(source: FakeUser[], version: number): FakeUser[] {
    const s = this.sorted;
    if (s && s.source === source && s.length === source.length && s.version === version) return s.users;
    const users = [...source].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    if (source.length > BIG_LIST) this.sorted = { source, length: source.length, version, users };
    return users;
  }
}
