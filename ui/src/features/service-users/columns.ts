// The users table's columns and how wide each one is: as wide as its widest content (within
// limits), the key columns (id, name, status) always shown, the others dropped from the right
// when the space runs out (a narrow window, the detail drawer beside the list).

export type ColumnKey = "id" | "kind" | "name" | "status" | "roles" | "shared" | "createdBy" | "modified";

export type Column = {
  key: ColumnKey;
  label: string;
  /** Lower is more important: kept when others are dropped, shrunk last. */
  priority: number;
  /** Narrowest width (px) worth showing. */
  min: number;
  /** Widest (px) from its content; wider content ends in an ellipsis, with a tooltip. */
  max: number;
  /** Takes the width left over. */
  grow?: boolean;
};

/** Room (px) beside a header's label for its sort arrow. */
export const SORT_MARK_WIDTH = 10;
/** A header's label, its sort arrow and the gap between them. */
export const SORT_MARK_ROOM = SORT_MARK_WIDTH + 4;

/** Id, name and status: never dropped. */
export const KEY_PRIORITY = 3;

/** In table order. `kind` only in the All users view. */
export const COLUMNS: readonly Column[] = [
  { key: "id", label: "Id", priority: 1, min: 90, max: 380 },
  { key: "kind", label: "Kind", priority: 4, min: 110, max: 110 },
  { key: "name", label: "Name", priority: 2, min: 96, max: 280 },
  { key: "status", label: "Status", priority: 3, min: 118, max: 118 },
  { key: "roles", label: "Roles", priority: 6, min: 110, max: 360, grow: true },
  { key: "shared", label: "Shared with", priority: 7, min: 110, max: 260, grow: true },
  { key: "createdBy", label: "Created by", priority: 8, min: 96, max: 180 },
  { key: "modified", label: "Last modified", priority: 5, min: 120, max: 220 },
];

/** Widths (px) by column, cell padding included. */
export type Wants = Partial<Record<ColumnKey, number>>;

/** What the columns ask for: their content's width, and their header's (never cut). */
export type ColumnWants = { content: Wants; header: Wants };

export type PlacedColumn = Column & { width: number };

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The narrowest a column gets: its own minimum, or its header's width when that is wider. */
function floor(c: Column, wants: ColumnWants): number {
  return Math.min(c.max, Math.max(c.min, wants.header[c.key] ?? 0));
}

/** The width a column's content asks for, within its limits. */
function want(c: Column, wants: ColumnWants): number {
  return clamp(Math.max(wants.content[c.key] ?? 0, wants.header[c.key] ?? 0), floor(c, wants), c.max);
}

/**
 * The columns shown in `available` px and their widths: the key columns at the width their
 * content asks for (the name, then the id, cut only when even they do not fit), then the others
 * by importance while their narrowest width fits, widened toward their content in that order;
 * what is left goes to the growing columns. `available` 0 (not measured yet) shows every column
 * at the width it asks for.
 */
export function layoutColumns(
  columns: readonly Column[],
  wants: ColumnWants,
  available: number,
): PlacedColumn[] {
  if (available <= 0) return columns.map((c) => ({ ...c, width: want(c, wants) }));

  const byPriority = [...columns].sort((a, b) => a.priority - b.priority);
  const keys = byPriority.filter((c) => c.priority <= KEY_PRIORITY);
  const width = new Map<ColumnKey, number>(keys.map((c) => [c.key, want(c, wants)]));
  const sum = () => [...width.values()].reduce((a, b) => a + b, 0);

  // Key columns too wide: the least important key column gives way first (status, name, id).
  for (const c of [...keys].reverse()) {
    const over = sum() - available;
    if (over <= 0) break;
    const w = width.get(c.key) ?? 0;
    width.set(c.key, w - Math.max(0, Math.min(w - floor(c, wants), over)));
  }

  // The others while they fit at their narrowest, by importance; the first that does not fit
  // ends the list (a less important one never shows while a more important one is missing).
  const others: Column[] = [];
  for (const c of byPriority.filter((c) => c.priority > KEY_PRIORITY)) {
    if (sum() + floor(c, wants) > available) break;
    others.push(c);
    width.set(c.key, floor(c, wants));
  }
  // Then toward their content, most important first.
  for (const c of others) {
    const room = available - sum();
    if (room <= 0) break;
    const w = width.get(c.key) ?? 0;
    width.set(c.key, w + Math.min(room, want(c, wants) - w));
  }

  // Room to spare: to the growing columns in proportion (else to the name), so the table fills
  // its width without stretching badges.
  const extra = available - sum();
  if (extra > 0) {
    const growing = others.filter((c) => c.grow);
    const takers = growing.length > 0 ? growing : keys.filter((c) => c.key === "name");
    const base = takers.reduce((a, c) => a + (width.get(c.key) ?? 0), 0);
    for (const c of takers) {
      const w = width.get(c.key) ?? 0;
      width.set(c.key, w + (base > 0 ? (extra * w) / base : extra / takers.length));
    }
  }
  return columns
    .filter((c) => width.has(c.key))
    .map((c) => ({ ...c, width: Math.floor(width.get(c.key) ?? 0) }));
}

/** A name wider than this is cut (with its tooltip) rather than narrowing the drawer further. */
const NAME_ROOM = 180;

/**
 * The width the key columns need (id, name up to NAME_ROOM, status) and the kind when shown:
 * the detail drawer leaves at least this much of the list uncovered.
 */
export function keyColumnsWidth(columns: readonly Column[], wants: ColumnWants): number {
  return columns
    .filter((c) => c.priority <= KEY_PRIORITY || c.key === "kind")
    .reduce((sum, c) => sum + (c.key === "name" ? Math.min(want(c, wants), NAME_ROOM) : want(c, wants)), 0);
}
