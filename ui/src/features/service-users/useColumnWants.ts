// How wide the users table's columns want to be: their widest content among the rows fetched so
// far, measured in the font they are drawn in. Widths only grow while the list is open, so
// scrolling into a window of shorter ids does not make the columns jump back.
import { useMemo, useRef } from "react";
import { formatDateTime } from "../../app/dateTime";
import type { UsersPage, UserView } from "../../ipc";
import { COLUMNS, type ColumnKey, type ColumnWants, SORT_MARK_ROOM, type Wants } from "./columns";

/** A cell's padding left and right (Mantine's xs spacing), and a little slack for rounding. */
const CELL_PADDING = 2 * 10 + 4;

type Fonts = { text: string; header: string; mono: string; px: number };

function fonts(): Fonts {
  const root = getComputedStyle(document.documentElement);
  // The table's text is Mantine's "sm" size: 0.875 of the root size.
  const px = (Number.parseFloat(root.fontSize) || 16) * 0.875;
  const family = getComputedStyle(document.body).fontFamily || "sans-serif";
  const mono = root.getPropertyValue("--mantine-font-family-monospace").trim() || "monospace";
  return { text: `${px}px ${family}`, header: `700 ${px}px ${family}`, mono: `${px}px ${mono}`, px };
}

let context: OffscreenCanvasRenderingContext2D | null | undefined;

/** The widest of `texts` in `font` (px). Without a canvas (tests), an estimate from the length. */
function widest(texts: Iterable<string>, font: string, f: Fonts, mono = false): number {
  if (context === undefined) {
    context = typeof OffscreenCanvas === "undefined" ? null : new OffscreenCanvas(1, 1).getContext("2d");
  }
  let max = 0;
  if (context) context.font = font;
  for (const t of texts) {
    const w = context ? context.measureText(t).width : t.length * f.px * (mono ? 0.6 : 0.55);
    if (w > max) max = w;
  }
  return Math.ceil(max);
}

type Texts = Partial<Record<ColumnKey, (u: UserView, roleName: (id: string) => string) => string>>;

/** What each text column shows, as measured (badges have fixed widths). */
const TEXTS: Texts = {
  id: (u) => u.userId,
  name: (u) => u.displayName,
  roles: (u, roleName) => u.roles.map(roleName).join(", "),
  shared: (u) => u.sharedWith.join(", "),
  createdBy: (u) => u.createdBy ?? "",
  modified: (u) => formatDateTime(u.lastModified, { empty: "never" }),
};

function pageWants(page: UsersPage, roleName: (id: string) => string, f: Fonts): Wants {
  const wants: Wants = {};
  for (const [key, text] of Object.entries(TEXTS) as Array<[ColumnKey, NonNullable<Texts[ColumnKey]>]>) {
    const font = key === "id" ? f.mono : f.text;
    wants[key] = widest(
      page.users.map((u) => text(u, roleName)),
      font,
      f,
      key === "id",
    );
  }
  return wants;
}

function headerWants(f: Fonts): Wants {
  // The header's label and, beside it, its sort arrow.
  return Object.fromEntries(COLUMNS.map((c) => [c.key, widest([c.label], f.header, f) + SORT_MARK_ROOM]));
}

const measured = new WeakMap<UsersPage, { roleName: (id: string) => string; wants: Wants }>();

/** The widths (px, padding included) the columns' contents and headers ask for, over `pages`. */
export function useColumnWants(pages: readonly UsersPage[], roleName: (id: string) => string): ColumnWants {
  const grown = useRef<Wants>({});
  const [first, second] = pages;
  return useMemo(() => {
    const f = fonts();
    const next: Wants = { ...grown.current };
    const parts: Wants[] = [];
    for (const page of [first, second]) {
      if (!page) continue;
      let m = measured.get(page);
      if (!m || m.roleName !== roleName) {
        m = { roleName, wants: pageWants(page, roleName, f) };
        measured.set(page, m);
      }
      parts.push(m.wants);
    }
    for (const part of parts) {
      for (const [key, w] of Object.entries(part) as Array<[ColumnKey, number]>) {
        next[key] = Math.max(next[key] ?? 0, w + CELL_PADDING);
      }
    }
    grown.current = next;
    const header = Object.fromEntries(
      Object.entries(headerWants(f)).map(([key, w]) => [key, w + CELL_PADDING]),
    ) as Wants;
    return { content: next, header };
  }, [first, second, roleName]);
}
