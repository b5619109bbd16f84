import { describe, expect, test } from "vitest";
import { COLUMNS, type ColumnWants, keyColumnsWidth, layoutColumns } from "./columns";

// Content and header widths (px, padding included) like the demo seed's at 14 px.
const wants: ColumnWants = {
  content: { id: 117, name: 124, roles: 215, shared: 140, createdBy: 60, modified: 185 },
  header: { id: 40, kind: 60, name: 70, status: 75, roles: 66, shared: 119, createdBy: 109, modified: 134 },
};
const ALL = COLUMNS;
const SERVICE = COLUMNS.filter((c) => c.key !== "kind");
const shown = (cols: ReturnType<typeof layoutColumns>) => cols.map((c) => c.key);
const widthOf = (cols: ReturnType<typeof layoutColumns>, key: string) =>
  cols.find((c) => c.key === key)?.width;

describe("layoutColumns", () => {
  test("not measured yet: every column at the width its content asks for", () => {
    const cols = layoutColumns(ALL, wants, 0);
    expect(shown(cols)).toEqual(["id", "kind", "name", "status", "roles", "shared", "createdBy", "modified"]);
    expect(widthOf(cols, "id")).toBe(117);
    expect(widthOf(cols, "kind")).toBe(110);
  });

  test("a wide table: every column, ids and names whole, the table filled exactly", () => {
    const cols = layoutColumns(ALL, wants, 1048);
    expect(shown(cols)).toHaveLength(8);
    expect(widthOf(cols, "id")).toBe(117);
    expect(widthOf(cols, "name")).toBe(124);
    expect(widthOf(cols, "modified")).toBe(185);
    // Headers are never cut: "Created by" keeps its header's width although its content is short.
    expect(widthOf(cols, "createdBy")).toBeGreaterThanOrEqual(109);
    const total = cols.reduce((a, c) => a + c.width, 0);
    expect(total).toBeLessThanOrEqual(1048);
    expect(total).toBeGreaterThan(1040);
  });

  test("narrower: the least important columns go first, key columns stay whole", () => {
    const cols = layoutColumns(ALL, wants, 668);
    expect(shown(cols)).toEqual(["id", "kind", "name", "status", "modified"]);
    expect(widthOf(cols, "id")).toBe(117);
    expect(widthOf(cols, "name")).toBeGreaterThanOrEqual(124);
  });

  test("beside the drawer: id, kind, name and status", () => {
    const cols = layoutColumns(ALL, wants, 470);
    expect(shown(cols)).toEqual(["id", "kind", "name", "status"]);
    expect(widthOf(cols, "id")).toBe(117);
  });

  test("a less important column never shows while a more important one is missing", () => {
    // Room for the key columns and Created by's narrowest, but not for the kind.
    const cols = layoutColumns(ALL, wants, 117 + 124 + 118 + 100);
    expect(shown(cols)).toEqual(["id", "name", "status"]);
  });

  test("too narrow even for the key columns: the name is cut before the id", () => {
    const cols = layoutColumns(SERVICE, wants, 117 + 100 + 118);
    expect(shown(cols)).toEqual(["id", "name", "status"]);
    expect(widthOf(cols, "id")).toBe(117);
    expect(widthOf(cols, "name")).toBe(100);
  });

  test("a very long id is capped (its cell has a tooltip)", () => {
    const cols = layoutColumns(SERVICE, { ...wants, content: { ...wants.content, id: 900 } }, 1048);
    expect(widthOf(cols, "id")).toBe(380);
  });
});

describe("keyColumnsWidth", () => {
  test("id, kind, status and the name up to 180 px: what the drawer leaves uncovered", () => {
    expect(keyColumnsWidth(ALL, wants)).toBe(117 + 110 + 124 + 118);
    expect(keyColumnsWidth(SERVICE, wants)).toBe(117 + 124 + 118);
    expect(keyColumnsWidth(SERVICE, { ...wants, content: { ...wants.content, name: 400 } })).toBe(
      117 + 180 + 118,
    );
  });
});
