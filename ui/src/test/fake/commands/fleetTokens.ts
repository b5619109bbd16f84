// The access-token dashboard: every PAT of the service users the signed-in user has access to,
// with days left and high privilege, filtered as the app core filters; a revoke of many through
// the single revoke, each failure reported and the rest still done.
import type { FleetTokensFilter, FleetTokenView, RevokeOutcomeView } from "../../../gen/bindings";
import { BackendError } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { hasAccess } from "../rules";
import type { CommandHandlers } from "./handler";
import { removeToken } from "./tokens";

const DAY_MS = 86_400_000;
const SYSTEM_ADMINISTRATORS = "SystemRole-SystemAdministrators";

function fleet(fake: FakeBackend, now: number): FleetTokenView[] {
  const me = fake.me();
  const high = (roleId: string) =>
    roleId === SYSTEM_ADMINISTRATORS || fake.data.roles.some((r) => r.roleId === roleId && r.isSuperAdmin);
  return fake.data.users
    .filter((u) => hasAccess(me, u))
    .sort((a, b) => a.userId.localeCompare(b.userId))
    .flatMap((u) =>
      (fake.data.accessTokens[u.userId] ?? []).map((t) => {
        const left = Date.parse(t.expiresAt) - now;
        return {
          serviceUserId: u.userId,
          tokenId: t.tokenId,
          tokenName: t.tokenName,
          roleId: t.roleId,
          createdAt: t.creationTime,
          expiresAt: t.expiresAt,
          createdBy: t.createdBy,
          status: left > 0 ? "active" : "expired",
          daysLeft: left > 0 ? Math.ceil(left / DAY_MS) : 0,
          highPrivilege: high(t.roleId),
        };
      }),
    );
}

function keeps(f: FleetTokensFilter, t: FleetTokenView, now: number): boolean {
  const expiring =
    f.expiringWithinDays === null ||
    (t.status === "active" && Date.parse(t.expiresAt) <= now + f.expiringWithinDays * DAY_MS);
  return (
    expiring &&
    (!f.highPrivilegeOnly || t.highPrivilege) &&
    (!f.serviceUser?.trim() || f.serviceUser.trim() === t.serviceUserId)
  );
}

export const fleetTokenCommands = {
  async fleetAccessTokens(fake, filter) {
    const now = Date.now();
    return { tokens: fleet(fake, now).filter((t) => keeps(filter, t, now)), freshness: fake.freshness() };
  },

  async fleetAccessTokensRevoke(fake, tokens) {
    const outcomes: RevokeOutcomeView[] = [];
    for (const t of tokens) {
      const outcome: RevokeOutcomeView = { ...t, code: null, message: null };
      try {
        const me = fake.me({ write: true });
        fake.accessible(me, t.serviceUserId);
        removeToken(fake, t.serviceUserId, t.tokenId, me.userId);
      } catch (e) {
        if (!(e instanceof BackendError)) throw e;
        outcome.code = e.code;
        outcome.message = e.message;
      }
      outcomes.push(outcome);
    }
    return outcomes;
  },
} satisfies Partial<CommandHandlers>;
