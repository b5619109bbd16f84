// What the command palette offers and in which order: fuzzy matching (fuzzysort) over each
// entry's label and keywords, best score first; equal scores keep the order the entries were
// built in, so the same query always lists the same way.
import fuzzysort, { type Prepared } from "fuzzysort";

export type PaletteGroup = "action" | "service user" | "environment" | "role" | "page";

export type PaletteEntry = {
  /** Unique and stable: the option's DOM id is built from it. */
  id: string;
  group: PaletteGroup;
  /** What is shown and matched: "Assume etl-bot". */
  label: string;
  /** A second line: the service user's name, or why the entry cannot run now. */
  description?: string;
  /** Matched too, never shown ("environment", the display name). */
  keywords?: string;
  /** Why it cannot run now (shown, and the entry is inert); null or absent: it can. */
  reason?: string | null;
  /** Listed before anything is typed. */
  suggested?: boolean;
  /** Keeps the palette open (it changes what the palette lists). */
  keepOpen?: boolean;
  run: () => void;
};

/** At most this many entries are listed: typing narrows further. */
export const LIMIT = 50;
/** Matches scoring under this are noise (a letter here and there). */
const THRESHOLD = 0.3;

// One prepared target per entry (its label, then its keywords), made once: the palette ranks
// thousands of entries on each keystroke.
const targets = new WeakMap<PaletteEntry, Prepared>();
function prepared(e: PaletteEntry): Prepared {
  let t = targets.get(e);
  if (!t) {
    t = fuzzysort.prepare(e.keywords ? `${e.label} ${e.keywords}` : e.label);
    targets.set(e, t);
  }
  return t;
}

/** The entries matching `query`, best first; an empty query lists the suggested ones. */
export function rankEntries(query: string, entries: readonly PaletteEntry[], limit = LIMIT): PaletteEntry[] {
  const q = query.trim();
  if (!q) return entries.filter((e) => e.suggested).slice(0, limit);
  const index = new Map(entries.map((e, i) => [e, i]));
  const results = fuzzysort.go(q, entries, { key: prepared, threshold: THRESHOLD });
  return [...results]
    .sort((a, b) => b.score - a.score || (index.get(a.obj) ?? 0) - (index.get(b.obj) ?? 0))
    .slice(0, limit)
    .map((r) => r.obj);
}

/** The words of an entry's label that name the action, not its target. */
const VERBS = new Set(["assume", "enable", "disable", "copy", "id", "command"]);

/**
 * What to ask the cache's search for when the cached list is too long to hold whole in the
 * palette: the query's longest word that is not an action's verb ("assume etl" asks "etl").
 * Colons and quotes split words too: the list's search syntax would read `foo:bar` as a key.
 */
export function searchTerm(query: string): string | null {
  const words = query
    .toLowerCase()
    .split(/[\s:"]+/)
    .filter((w) => w && !VERBS.has(w));
  return words.sort((a, b) => b.length - a.length)[0] ?? null;
}
