// The fake follows the contract's rules (docs/api.md) closely enough for screens to be
// tested against it: the codes here are the server's and the app core's.
import { describe, expect, test } from "vitest";
import type { UsersQuery } from "../../ipc";
import { scenarios } from "../scenarios";
import { FakeBackend } from ".";

const q = (over: Partial<UsersQuery> = {}): UsersQuery => ({
  kind: "service",
  search: null,
  status: null,
  role: null,
  tag: null,
  assumable: false,
  offset: 0,
  limit: 200,
  ...over,
});
const ids = async (fake: FakeBackend, over: Partial<UsersQuery> = {}) =>
  (await fake.usersPage(q(over))).users.map((u) => u.userId);

describe("lists", () => {
  test("kinds, filters and search", async () => {
    const fake = new FakeBackend();
    expect(await ids(fake)).toEqual(["etl-bot", "finance-bot", "report-bot"]);
    expect(await ids(fake, { kind: "regular" })).toEqual(["alice", "bob", "carol", "dave"]);
    expect(await ids(fake, { kind: "all", status: "disabled" })).toEqual(["dave"]);
    expect(await ids(fake, { role: "role-analysts" })).toEqual(["finance-bot", "report-bot"]);
    expect(await ids(fake, { kind: "regular", tag: "team-data" })).toEqual(["alice", "bob"]);
    expect(await ids(fake, { assumable: true })).toEqual(["etl-bot", "report-bot"]);
    expect(await ids(fake, { search: "nightly" })).toEqual(["etl-bot"]);
    expect(await ids(fake, { search: "fin rep" })).toEqual(["report-bot"]);
    expect(await fake.usersCount(q({ kind: "all" }))).toBe(7);
    const etl = (await fake.usersPage(q())).users[0];
    expect(etl).toMatchObject({ sharedWith: ["alice", "#team-data"], callerHasAccess: true });
  });

  test("windows: offset, limit and hasMore over 100,000 users", async () => {
    const fake = scenarios.many();
    const page = await fake.usersPage(q({ offset: 50_000, limit: 200 }));
    expect(page.users).toHaveLength(200);
    expect(page.offset).toBe(50_000);
    expect(page.hasMore).toBe(true);
    expect(await fake.usersCount(q())).toBe(100_003);
    const last = await fake.usersPage(q({ offset: 100_000 }));
    expect(last.users).toHaveLength(3);
    expect(last.hasMore).toBe(false);
    expect(await fake.usersCount(q({ search: "audit" }))).toBe(10_000);
  });
});

describe("the contract's rules", () => {
  test("create needs a super-admin role; the creator is the first owner", async () => {
    await expect(
      scenarios
        .notSuperAdmin()
        .serviceUserCreate({ userId: "new-bot", displayName: "New", description: null, roles: [] }),
    ).rejects.toMatchObject({ code: "SUPER_ADMIN_REQUIRED" });
    const fake = new FakeBackend();
    const created = await fake.serviceUserCreate({
      userId: "new-bot",
      displayName: "New bot",
      description: null,
      roles: ["role-data-engineers"],
    });
    expect(created).toMatchObject({
      roles: ["SystemRole-DefaultUsers", "role-data-engineers"],
      sharedWith: ["alice"],
      createdBy: "alice",
    });
    await expect(
      fake.serviceUserCreate({ userId: "NEW-BOT", displayName: "x", description: null, roles: [] }),
    ).rejects.toMatchObject({ code: "ALREADY_EXISTS" });
    await expect(
      fake.serviceUserCreate({ userId: "x", displayName: "x", description: null, roles: [] }),
    ).rejects.toMatchObject({ code: "INVALID_REQUEST" });
    const failed = await fake
      .serviceUserCreate({
        userId: "other-bot",
        displayName: "x",
        description: null,
        roles: ["role-analysts"],
      })
      .catch((e) => e);
    expect(failed).toMatchObject({
      code: "NO_ACCESS_TO_ROLE",
      message: expect.stringMatching(/^'other-bot' was created/),
    });
  });

  test("delete: disable first, then an enabled regular transfer user; resources move", async () => {
    const fake = new FakeBackend();
    await expect(fake.serviceUserDelete("etl-bot", "bob")).rejects.toMatchObject({
      code: "MUST_DISABLE_FIRST",
    });
    await fake.serviceUserDisable("etl-bot");
    await expect(fake.serviceUserDelete("etl-bot", "")).rejects.toMatchObject({
      code: "TRANSFER_USER_REQUIRED",
    });
    await expect(fake.serviceUserDelete("etl-bot", "dave")).rejects.toMatchObject({
      code: "INVALID_TRANSFER_USER",
    });
    await expect(fake.serviceUserDelete("etl-bot", "report-bot")).rejects.toMatchObject({
      code: "INVALID_TRANSFER_USER",
    });
    const done = await fake.serviceUserDelete("etl-bot", "bob");
    expect(done.transferred.map((r) => r.resourceId)).toEqual(["ds-orders", "ds-clicks"]);
    await expect(fake.userGet("etl-bot")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await fake.serviceUserHistory("etl-bot"))[0].action).toBe("deleted");
  });

  test("access: only owners (directly or through a tag) manage a service user", async () => {
    const fake = new FakeBackend();
    await expect(fake.serviceUserDisable("finance-bot")).rejects.toMatchObject({
      code: "NO_ACCESS_TO_SERVICE_USER",
    });
    await expect(fake.serviceUserDisable("alice")).rejects.toMatchObject({ code: "NOT_A_SERVICE_USER" });
    await expect(fake.serviceUserDisable("nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("shares: never with a service user; owner access; not the last one", async () => {
    const fake = new FakeBackend();
    await expect(fake.serviceUserShare("etl-bot", ["report-bot"], [])).rejects.toMatchObject({
      code: "CANNOT_SHARE_WITH_SERVICE_USER",
    });
    const shares = await fake.serviceUserShare("etl-bot", ["carol"], ["team-finance"]);
    expect(shares.users.map((u) => u.userId)).toEqual(["alice", "carol"]);
    expect(shares.tags).toEqual([
      { tagId: "team-data", accessType: "owner", members: ["alice", "bob"] },
      { tagId: "team-finance", accessType: "owner", members: ["carol"] },
    ]);
    const single = new FakeBackend().seedUsers([{ userId: "solo-bot", sharedWith: ["alice"] }]);
    await expect(single.serviceUserUnshare("solo-bot", { kind: "user", id: "alice" })).rejects.toMatchObject({
      code: "LAST_OWNER",
    });
  });

  test("roles: the default role stays; only roles the admin holds", async () => {
    const fake = new FakeBackend();
    await expect(fake.serviceUserDetachRole("etl-bot", "SystemRole-DefaultUsers")).rejects.toMatchObject({
      code: "DEFAULT_ROLE_REQUIRED",
    });
    await expect(fake.serviceUserAttachRoles("etl-bot", ["role-analysts"])).rejects.toMatchObject({
      code: "NO_ACCESS_TO_ROLE",
    });
    expect((await fake.serviceUserDetachRole("etl-bot", "role-data-engineers")).roles).toEqual([
      "SystemRole-DefaultUsers",
    ]);
  });

  test("assume: 1-180 minutes, an attached role, enabled; then act as it", async () => {
    const fake = new FakeBackend();
    await expect(fake.assume("etl-bot", "role-data-engineers", 181)).rejects.toMatchObject({
      code: "INVALID_EXPIRY",
    });
    await expect(fake.assume("etl-bot", "role-data-engineers", 0)).rejects.toMatchObject({
      code: "INVALID_EXPIRY",
    });
    await expect(fake.assume("etl-bot", "role-analysts", 60)).rejects.toMatchObject({
      code: "ROLE_NOT_ATTACHED",
    });
    await expect(fake.datasourcesAs("etl-bot")).rejects.toMatchObject({ code: "not_assumed" });
    const identity = await fake.assume("etl-bot", "role-data-engineers", null);
    expect(identity).toMatchObject({ minutes: 60, active: true, expired: false });
    expect(identity.secondsLeft).toBeGreaterThan(3590);
    const ds = await fake.datasourceCreateAs("etl-bot", "events", "s3");
    expect(ds.owner).toBe("etl-bot");
    const created = await fake.accessTokenCreateAs("etl-bot", {
      name: "ci",
      description: null,
      roleId: "role-data-engineers",
      expiresInDays: 30,
    });
    expect(created.secret).toMatch(/^amo_pat_/);
    expect((await fake.accessTokensAs("etl-bot")).map((t) => t.tokenName)).toEqual(["nightly-loader", "ci"]);
    await fake.identityForget("etl-bot");
    expect(await fake.identitiesList()).toEqual([]);
  });

  test("offline: changes fail with `offline`, reads answer from the cache", async () => {
    const fake = scenarios.offline();
    await expect(fake.serviceUserDisable("etl-bot")).rejects.toMatchObject({ code: "offline" });
    await expect(fake.assume("etl-bot", null, 60)).rejects.toMatchObject({ code: "offline" });
    expect(await ids(fake)).toHaveLength(3);
    expect((await fake.userGet("etl-bot")).freshness).toEqual({
      stale: true,
      asOf: "2026-11-27T10:42:00+00:00",
    });
    expect(await fake.syncNow()).toMatchObject({ online: false, asOf: "2026-11-27T10:42:00+00:00" });
    expect(await fake.sessionStatus()).toMatchObject({ online: false, problem: { code: "offline" } });
  });

  test("sign in with the demo's credentials; wrong ones are refused", async () => {
    const fake = scenarios.signedOut();
    expect((await fake.sessionStatus()).problem?.code).toBe("not_signed_in");
    await expect(
      fake.signIn("demo", { kind: "password", userId: "bob", password: "nope" }),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const s = await fake.signIn("demo", { kind: "pat", token: "amo_pat_alice_superadmin_demo_00000000000" });
    expect(s).toMatchObject({
      userId: "alice",
      roleId: "SystemRole-SuperAdmin",
      online: true,
      problem: null,
    });
    expect((await fake.myAccess()).isSuperAdmin).toBe(true);
  });
});
