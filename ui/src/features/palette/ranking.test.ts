import { describe, expect, test, vi } from "vitest";
import type { EnvironmentView, RoleChoiceView, UserView } from "../../ipc";
import { buildEntries, type PaletteData, type PaletteHandlers } from "./entries";
import { rankEntries, searchTerm } from "./ranking";

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
    createdBy: "alice",
    creationTime: "2026-01-01T00:00:00Z",
    lastModified: "2026-01-01T00:00:00Z",
    callerHasAccess: true,
    ...more,
  };
}

function env(name: string, production = false): EnvironmentView {
  return { name, production, baseUrl: `https://${name}.example`, signedIn: true } as EnvironmentView;
}

function role(roleId: string, roleName: string, active = false): RoleChoiceView {
  return { roleId, roleName, isSuperAdmin: false, isDefault: false, active };
}

function handlers(): PaletteHandlers {
  return {
    assume: vi.fn(),
    setStatus: vi.fn(),
    copyId: vi.fn(),
    copyCommand: vi.fn(),
    switchEnvironment: vi.fn(),
    listRoles: vi.fn(),
    actWithRole: vi.fn(),
    signOut: vi.fn(),
    refresh: vi.fn(),
    open: vi.fn(),
  };
}

const DATA: PaletteData = {
  serviceUsers: [
    user("etl-bot", { displayName: "ETL bot" }),
    user("report-bot", { displayName: "Report bot", callerHasAccess: false }),
    user("old-bot", { enabled: false }),
  ],
  environments: [env("demo"), env("production", true)],
  currentEnvironment: "demo",
  roles: [role("role-a", "Data engineers", true), role("role-b", "Super admin")],
  rolesSwitchable: true,
  signedIn: true,
  offline: null,
  pages: [{ id: "journal", label: "Journal" }],
};

const labels = (query: string, data = DATA, h = handlers()) =>
  rankEntries(query, buildEntries(data, h)).map((e) => e.label);

describe("the palette's ranking", () => {
  test("an empty query lists the actions, pages and other environments, no service user", () => {
    expect(labels("")).toEqual([
      "Switch role…",
      "Refresh",
      "Open journal",
      "Switch to production",
      "Sign out",
    ]);
  });

  test("typed words match out of order letters, the closest first", () => {
    expect(labels("assume etl")[0]).toBe("Assume etl-bot");
    expect(labels("ass etl bot")[0]).toBe("Assume etl-bot");
    expect(labels("sw prod")[0]).toBe("Switch to production");
    expect(labels("disable report")[0]).toBe("Disable report-bot");
    expect(labels("enable old")[0]).toBe("Enable old-bot");
    expect(labels("journal")[0]).toBe("Open journal");
  });

  test("a service user's entries come in a fixed order when they score alike", () => {
    expect(labels("etl-bot")).toEqual([
      "Assume etl-bot",
      "Disable etl-bot",
      "Copy id etl-bot",
      "Copy command etl-bot",
    ]);
  });

  test("the display name matches too", () => {
    expect(labels("ETL bot")).toContain("Assume etl-bot");
  });

  test("noise matches nothing", () => {
    expect(labels("zzqx")).toEqual([]);
  });

  test("the current environment is not offered; switching role lists your roles", () => {
    expect(labels("switch to demo")).not.toContain("Switch to demo");
    expect(labels("switch role to")).toEqual(
      expect.arrayContaining(["Switch role to Data engineers", "Switch role to Super admin"]),
    );
  });

  test("what the policy forbids is listed with its reason and is inert", () => {
    const entries = buildEntries(DATA, handlers());
    const byLabel = (l: string) => entries.find((e) => e.label === l);
    expect(byLabel("Assume report-bot")?.reason).toMatch(/not an owner of report-bot/);
    expect(byLabel("Disable report-bot")?.reason).toMatch(/not an owner of report-bot/);
    expect(byLabel("Assume old-bot")?.reason).toMatch(/old-bot is disabled/);
    expect(byLabel("Assume etl-bot")?.reason).toBeNull();
    expect(byLabel("Switch role to Data engineers")?.reason).toMatch(/already act with/);
    const offline = buildEntries({ ...DATA, offline: "Offline" }, handlers());
    expect(offline.find((e) => e.label === "Assume etl-bot")?.reason).toBe("Offline");
  });

  test("an access token's session cannot switch role: no role entries, the reason said", () => {
    const entries = buildEntries({ ...DATA, rolesSwitchable: false }, handlers());
    expect(entries.some((e) => e.group === "role")).toBe(false);
    expect(entries.find((e) => e.id === "action:switch-role")?.reason).toMatch(/bound to its role/);
  });

  test("each entry runs its handler with its target", () => {
    const h = handlers();
    const entries = buildEntries(DATA, h);
    const run = (l: string) => entries.find((e) => e.label === l)?.run();
    run("Assume etl-bot");
    expect(h.assume).toHaveBeenCalledWith(DATA.serviceUsers[0]);
    run("Disable etl-bot");
    expect(h.setStatus).toHaveBeenCalledWith(DATA.serviceUsers[0]);
    run("Switch to production");
    expect(h.switchEnvironment).toHaveBeenCalledWith("production");
    run("Switch role to Super admin");
    expect(h.actWithRole).toHaveBeenCalledWith("role-b");
    run("Open journal");
    expect(h.open).toHaveBeenCalledWith("journal");
    run("Copy command etl-bot");
    expect(h.copyCommand).toHaveBeenCalledWith(DATA.serviceUsers[0]);
  });

  test("signed out: no sign-out and no role entries", () => {
    expect(labels("", { ...DATA, signedIn: false })).toEqual([
      "Refresh",
      "Open journal",
      "Switch to production",
    ]);
  });

  test("thousands of service users rank within a keystroke's time", () => {
    const many = Array.from({ length: 5000 }, (_, i) => user(`svc-${String(i).padStart(6, "0")}`));
    const entries = buildEntries({ ...DATA, serviceUsers: many }, handlers());
    rankEntries("a", entries); // the first search prepares the targets
    const t0 = performance.now();
    const found = rankEntries("assume svc-004242", entries);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(found[0].label).toBe("Assume svc-004242");
  });
});

describe("the word the cache's search is asked for past the palette's own list", () => {
  test("the longest word that is not an action's verb", () => {
    expect(searchTerm("assume etl")).toBe("etl");
    expect(searchTerm("Copy command svc-004242")).toBe("svc-004242");
    expect(searchTerm("disable report bot")).toBe("report");
    expect(searchTerm("  ")).toBeNull();
    expect(searchTerm("assume")).toBeNull();
    expect(searchTerm("assume role:etl")).toBe("role");
    expect(searchTerm('disable "report-bot')).toBe("report-bot");
  });
});
