// The fake's own-role switch and environment edit follow the app core's rules and codes.
import { describe, expect, test } from "vitest";
import { scenarios } from "../scenarios";

describe("own roles", () => {
  test("lists alice's roles by name, the super-admin and the active one marked", async () => {
    const fake = scenarios.passwordSession();
    const mine = await fake.roleList();
    expect(mine).toMatchObject({
      activeRoleId: "SystemRole-SuperAdmin",
      switchable: true,
      boundReason: null,
    });
    expect(mine.roles.map((r) => [r.roleName, r.isSuperAdmin, r.isDefault, r.active])).toEqual([
      ["Default users", false, true, false],
      ["Super admin", true, false, true],
      ["System administrators", false, false, false],
      ["Data engineers", false, false, false],
    ]);
  });

  test("switching changes what the session and access say, and persists as the default role", async () => {
    const fake = scenarios.passwordSession();
    const session = await fake.roleUse("role-data-engineers");
    expect(session).toMatchObject({ roleId: "role-data-engineers", roleName: "Data engineers" });
    expect((await fake.myAccess()).isSuperAdmin).toBe(false);
    expect(fake.currentEnv()?.defaultRole).toBe("role-data-engineers");
    await fake.roleUse(null);
    expect((await fake.sessionStatus()).roleId).toBe("SystemRole-DefaultUsers");
  });

  test("a role not attached, and a PAT's bound role, are refused", async () => {
    await expect(scenarios.passwordSession().roleUse("role-analysts")).rejects.toMatchObject({
      code: "ROLE_NOT_ATTACHED",
    });
    const pat = scenarios.signedIn();
    expect(await pat.roleList()).toMatchObject({ switchable: false });
    await expect(pat.roleUse("SystemRole-DefaultUsers")).rejects.toMatchObject({
      code: "role_bound_to_access_token",
    });
  });
});

describe("environment edit", () => {
  test("a path change keeps the sign-in; another origin signs out", async () => {
    const fake = scenarios.actingAs();
    const kept = await fake.environmentEdit("demo", {
      baseUrl: "https://demo.example.test/api",
      colour: "teal",
      production: false,
      defaultRole: null,
    });
    expect(kept).toMatchObject({ signedOut: false, environment: { colour: "teal", signedIn: true } });
    expect(fake.data.identities).toHaveLength(1);
    const moved = await fake.environmentEdit("demo", {
      baseUrl: "https://other.example.test",
      colour: null,
      production: true,
      defaultRole: "SystemRole-SuperAdmin",
    });
    expect(moved).toMatchObject({ signedOut: true, environment: { production: true, signedIn: false } });
    expect(fake.data.identities).toHaveLength(0);
  });

  test("a bad URL or an unknown environment is refused", async () => {
    const fake = scenarios.signedIn();
    const edit = { baseUrl: "nope", colour: null, production: false, defaultRole: null };
    await expect(fake.environmentEdit("demo", edit)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(fake.environmentEdit("elsewhere", edit)).rejects.toMatchObject({ code: "unknown_profile" });
  });
});
