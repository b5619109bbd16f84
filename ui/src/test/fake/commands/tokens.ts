// A service user's personal access tokens: listed and revoked by its owners, created and deleted
// as the assumed service user.
import type { AccessTokenView } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { refuse } from "../errors";
import { checkCreateAccessToken } from "../rules";
import type { CommandHandlers } from "./handler";
import { actingAs } from "./identities";

export function removeToken(fake: FakeBackend, userId: string, tokenId: string, actor: string): void {
  const tokens = fake.data.accessTokens[userId] ?? [];
  if (!tokens.some((t) => t.tokenId === tokenId)) refuse("NOT_FOUND", `No access token '${tokenId}'.`);
  fake.data.accessTokens[userId] = tokens.filter((t) => t.tokenId !== tokenId);
  fake.record(userId, "access_token_revoked", `access token ${tokenId} revoked`, actor);
}

export const tokenCommands = {
  async serviceUserAccessTokens(fake, userId) {
    const me = fake.me();
    fake.accessible(me, userId);
    return { tokens: fake.data.accessTokens[userId] ?? [], freshness: fake.freshness() };
  },

  async serviceUserAccessTokenRevoke(fake, userId, tokenId) {
    const me = fake.me({ write: true });
    fake.accessible(me, userId);
    removeToken(fake, userId, tokenId, me.userId);
    return null;
  },

  async accessTokensAs(fake, userId) {
    actingAs(fake, userId, false);
    return fake.data.accessTokens[userId] ?? [];
  },

  async accessTokenCreateAs(fake, userId, input) {
    const { su, me } = actingAs(fake, userId, true);
    checkCreateAccessToken(su, input);
    const t = Date.now();
    const id = fake.newId();
    const token: AccessTokenView = {
      tokenId: `tok-${id}`,
      tokenName: input.name.trim(),
      description: input.description?.trim() || null,
      roleId: input.roleId,
      expiresAt: new Date(t + input.expiresInDays * 86_400_000).toISOString(),
      creationTime: new Date(t).toISOString(),
      createdBy: me.userId,
      active: true,
    };
    fake.data.accessTokens[userId] = [...(fake.data.accessTokens[userId] ?? []), token];
    fake.record(
      userId,
      "access_token_created",
      `access token "${token.tokenName}" created for role ${token.roleId}, expires ${token.expiresAt}`,
      me.userId,
    );
    // Unique per token: it ends with the id after the token's own.
    const secret = `amo_pat_${"fakeSecretFromTheFakeBackend0123456789abcd".slice(0, 40)}${String(id + 1).padStart(3, "0")}`;
    return { token, secret };
  },

  async accessTokenDeleteAs(fake, userId, tokenId) {
    const { me } = actingAs(fake, userId, true);
    removeToken(fake, userId, tokenId, me.userId);
    return null;
  },
} satisfies Partial<CommandHandlers>;
