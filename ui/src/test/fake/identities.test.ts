// The fake's assumed identities follow the app core: a state from the clock and the last check,
// refusals found and kept, cleared by a new token or an accepted check.
import { describe, expect, test } from "vitest";
import { scenarios } from "../scenarios";
import type { FakeBackend } from ".";

const etl = async (fake: FakeBackend) =>
  (await fake.identitiesList()).find((i) => i.serviceUserId === "etl-bot");

describe("identity states", () => {
  test("live, expiring, expired by the clock", async () => {
    expect(await etl(scenarios.actingAs())).toMatchObject({
      state: "live",
      refusal: null,
      canAssumeAgain: false,
    });
    expect(await etl(scenarios.actingAsExpiring())).toMatchObject({
      state: "expiring",
      canAssumeAgain: false,
    });
    expect(await etl(scenarios.actingAsExpired())).toMatchObject({ state: "expired", canAssumeAgain: true });
  });

  test("disabled: refused at once; re-enabled: the old token stays dead but can be replaced", async () => {
    const fake = scenarios.actingAs();
    await fake.serviceUserDisable("etl-bot");
    expect(await etl(fake)).toMatchObject({
      state: "refused",
      refusal: { reason: "disabled", code: "PRINCIPAL_DISABLED" },
      canAssumeAgain: false,
    });
    expect((await etl(fake))?.refusal?.sentence).toMatch(/^etl-bot is disabled/);
    await fake.serviceUserEnable("etl-bot");
    expect(await etl(fake)).toMatchObject({
      state: "refused",
      refusal: { reason: "token_invalid", code: "TOKEN_INVALID" },
      canAssumeAgain: true,
    });
    await fake.identityReassume("etl-bot");
    expect(await etl(fake)).toMatchObject({ state: "live", refusal: null });
  });

  test("changed elsewhere: found by identitiesCheck, or by a refused acting-as request", async () => {
    const fake = scenarios.actingAs();
    const su = fake.find("etl-bot");
    if (!su?.shares) throw new Error("etl-bot is seeded shared");
    su.shares.users = su.shares.users.filter((u) => u !== "alice");
    su.shares.tags = [];
    expect((await etl(fake))?.state).toBe("live");
    const checked = await fake.identitiesCheck();
    expect(checked[0]).toMatchObject({
      state: "refused",
      refusal: { reason: "unshared" },
      canAssumeAgain: false,
    });
    expect(checked[0].checkedAt).not.toBeNull();

    const other = scenarios.actingAs();
    const found = other.find("etl-bot");
    if (found) found.enabled = false;
    await expect(other.datasourcesAs("etl-bot")).rejects.toMatchObject({ code: "PRINCIPAL_DISABLED" });
    expect((await etl(other))?.refusal?.reason).toBe("disabled");
  });

  test("role detached: assuming again takes the default role", async () => {
    const fake = scenarios.actingAs();
    await fake.serviceUserDetachRole("etl-bot", "role-data-engineers");
    expect(await etl(fake)).toMatchObject({
      state: "refused",
      refusal: { reason: "role_detached" },
      canAssumeAgain: true,
    });
    const again = await fake.identityReassume("etl-bot");
    expect(again).toMatchObject({ roleId: "SystemRole-DefaultUsers", state: "live" });
  });

  test("deleted: refused, cannot be assumed again", async () => {
    const fake = scenarios.actingAs();
    fake.data.users = fake.data.users.filter((u) => u.userId !== "etl-bot");
    expect((await fake.identitiesCheck())[0]).toMatchObject({
      refusal: { reason: "deleted" },
      canAssumeAgain: false,
    });
  });

  test("offline: the state as last checked", async () => {
    const fake = scenarios.actingAs();
    const su = fake.find("etl-bot");
    if (su) su.enabled = false;
    fake.goOffline();
    expect((await fake.identitiesCheck())[0]).toMatchObject({ state: "live", checkedAt: null });
  });

  test("a password session ending before the token says so", async () => {
    const fake = scenarios.actingAs();
    expect((await etl(fake))?.sessionEndsFirst).toBe(false);
    fake.data.sessionExpiresAt = new Date(Date.now() + 5 * 60_000).toISOString();
    expect((await etl(fake))?.sessionEndsFirst).toBe(true);
  });
});
