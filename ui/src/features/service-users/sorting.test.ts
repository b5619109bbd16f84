import { describe, expect, test } from "vitest";
import type { UserView } from "../../ipc";
import { execCommand, shellWord } from "./execCommand";
import { ID_ORDER, isStoredSort, nextSort, sortUsers } from "./sorting";

function user(userId: string, more: Partial<UserView> = {}): UserView {
  return {
    userId,
    displayName: userId,
    description: null,
    isServiceUser: true,
    enabled: true,
    defaultRoleId: "role-a",
    roles: ["role-a"],
    tags: [],
    sharedWith: [],
    createdBy: null,
    creationTime: "2026-01-01T00:00:00Z",
    lastModified: "2026-01-01T00:00:00Z",
    callerHasAccess: true,
    ...more,
  };
}

// In id order, as the cache answers.
const USERS = [
  user("a-bot", { displayName: "Zed", enabled: false, lastModified: "2026-03-01T00:00:00Z" }),
  user("b-bot", { displayName: "alpha", lastModified: "2026-01-01T00:00:00Z" }),
  user("c-bot", { displayName: "Alpha", enabled: false, lastModified: "2026-02-01T00:00:00Z" }),
  user("d-bot", { displayName: "bot 10", lastModified: "2026-02-01T00:00:00Z" }),
  user("e-bot", { displayName: "bot 9", roles: ["role-b"], lastModified: "2026-02-01T00:00:00Z" }),
];
const ids = (users: UserView[]) => users.map((u) => u.userId);

describe("sorting the users table", () => {
  test("by id ascending is the cache's order, untouched", () => {
    expect(ids(sortUsers(USERS, ID_ORDER))).toEqual(["a-bot", "b-bot", "c-bot", "d-bot", "e-bot"]);
    expect(ids(sortUsers(USERS, { column: "id", direction: "descending" }))).toEqual([
      "e-bot",
      "d-bot",
      "c-bot",
      "b-bot",
      "a-bot",
    ]);
  });

  test("by name: case-insensitive, numbers as numbers, ties keep id order in both directions", () => {
    expect(ids(sortUsers(USERS, { column: "name", direction: "ascending" }))).toEqual([
      "b-bot",
      "c-bot",
      "e-bot",
      "d-bot",
      "a-bot",
    ]);
    expect(ids(sortUsers(USERS, { column: "name", direction: "descending" }))).toEqual([
      "a-bot",
      "d-bot",
      "e-bot",
      "b-bot",
      "c-bot",
    ]);
  });

  test("by status and by last modified, stably", () => {
    expect(ids(sortUsers(USERS, { column: "status", direction: "ascending" }))).toEqual([
      "a-bot",
      "c-bot",
      "b-bot",
      "d-bot",
      "e-bot",
    ]);
    expect(ids(sortUsers(USERS, { column: "modified", direction: "descending" }))).toEqual([
      "a-bot",
      "c-bot",
      "d-bot",
      "e-bot",
      "b-bot",
    ]);
  });

  test("by roles, by their names", () => {
    const names = (id: string) => ({ "role-a": "Zeta", "role-b": "Alpha" })[id] ?? id;
    expect(ids(sortUsers(USERS, { column: "roles", direction: "ascending" }, names))[0]).toBe("e-bot");
  });

  test("a header click flips its column, another column starts ascending (newest first by date)", () => {
    expect(nextSort(ID_ORDER, "id")).toEqual({ column: "id", direction: "descending" });
    expect(nextSort(ID_ORDER, "name")).toEqual({ column: "name", direction: "ascending" });
    expect(nextSort(ID_ORDER, "modified")).toEqual({ column: "modified", direction: "descending" });
  });

  test("a stored sort is checked", () => {
    expect(isStoredSort(null)).toBe(true);
    expect(isStoredSort({ column: "name", direction: "descending" })).toBe(true);
    expect(isStoredSort({ column: "secret", direction: "ascending" })).toBe(false);
    expect(isStoredSort({ column: "name", direction: "up" })).toBe(false);
    expect(isStoredSort("name")).toBe(false);
  });
});

describe("the exec command", () => {
  test("names the service user and its default role, and ends where the command goes", () => {
    expect(execCommand(user("etl-bot", { roles: ["role-x", "role-a"] }))).toBe(
      "amorphic-su exec etl-bot --role role-a -- ",
    );
  });

  test("without the default role attached, the first role", () => {
    expect(execCommand(user("etl-bot", { defaultRoleId: "other", roles: ["role-x", "role-y"] }))).toBe(
      "amorphic-su exec etl-bot --role role-x -- ",
    );
  });

  test("no role: no --role (the CLI then uses the default)", () => {
    expect(execCommand(user("etl-bot", { roles: [] }))).toBe("amorphic-su exec etl-bot -- ");
  });

  test("words the shell would split or expand are quoted", () => {
    expect(shellWord("role-data.engineers")).toBe("role-data.engineers");
    expect(shellWord("a b")).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord("$HOME")).toBe("'$HOME'");
  });
});
