// Assumed identities: assume a service user, assume again, forget, choose the one the window acts
// as; and what acting-as commands need of an identity.
import type { IdentityState, IdentityView, RefusalView, RoleView } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { DEFAULT_MESSAGES, fail, notAssumed, refuse } from "../errors";
import {
  canAssumeAgainAfter,
  checkActingAs,
  checkAssume,
  checkReassume,
  DEFAULT_ASSUME_MINUTES,
  EXPIRING_SECONDS,
  refusalOf,
  refusalSentence,
} from "../rules";
import { type FakeIdentity, type FakeUser, now } from "../state";
import type { CommandHandlers } from "./handler";

function identityView(fake: FakeBackend, i: FakeIdentity): IdentityView {
  const { refusal: stored, checkedAt, issuedBeforeDisable: _, ...rest } = i;
  const secondsLeft = Math.max(0, Math.floor((Date.parse(i.expiresAt) - Date.now()) / 1000));
  const expired = secondsLeft <= 0;
  // A token past its end is expired whatever else is known (the client's `identity_state`).
  const refusal = expired ? null : (stored ?? null);
  const state: IdentityState = expired
    ? "expired"
    : refusal
      ? "refused"
      : secondsLeft <= EXPIRING_SECONDS
        ? "expiring"
        : "live";
  const sessionEnd = fake.data.sessionExpiresAt ? Date.parse(fake.data.sessionExpiresAt) : null;
  return {
    ...rest,
    roleName: fake.data.roles.find((r) => r.roleId === i.roleId)?.roleName ?? null,
    secondsLeft,
    expired,
    active: fake.data.activeIdentity === i.serviceUserId,
    state,
    refusal,
    canAssumeAgain: expired || (refusal !== null && canAssumeAgainAfter(refusal.reason)),
    checkedAt: checkedAt ?? null,
    sessionEndsFirst: sessionEnd !== null && sessionEnd < Date.parse(i.expiresAt),
  };
}

/**
 * Asks the "server" about `i` now and keeps the answer with it: a refusal with its reason, or
 * none (an accepted token clears an earlier refusal). Answers the refusal.
 */
export function checkIdentity(fake: FakeBackend, me: FakeUser, i: FakeIdentity): RefusalView | null {
  const found = refusalOf(me, fake.find(i.serviceUserId), i);
  const at = now();
  i.checkedAt = at;
  i.refusal = found && {
    ...found,
    message: DEFAULT_MESSAGES[found.code] ?? found.code,
    sentence: refusalSentence(found.reason, i.serviceUserId),
    at,
  };
  return i.refusal;
}

/** After a change this app made to `userId`, its identity (if assumed) is checked again. */
export function recheckIdentity(fake: FakeBackend, me: FakeUser, userId: string): void {
  const i = fake.data.identities.find((x) => x.serviceUserId === userId);
  if (i && Date.parse(i.expiresAt) > Date.now()) checkIdentity(fake, me, i);
}

/** The stored identity of a service user, usable (not expired): what acting-as commands need. */
function usableIdentity(fake: FakeBackend, userId: string): FakeIdentity {
  const env = fake.currentEnv();
  const i = fake.data.identities.find((x) => x.serviceUserId === userId);
  if (!i) fail(notAssumed(userId, env?.name ?? "demo"));
  if (Date.parse(i.expiresAt) <= Date.now())
    refuse(
      "assumed_token_expired",
      `the assumed token of '${userId}' expired at ${i.expiresAt}; assume it again`,
    );
  return i;
}

/** Stores a new identity of `userId` (replacing any other of it); `activate`: the window acts as it. */
function issue(
  fake: FakeBackend,
  me: FakeUser,
  userId: string,
  roleId: string,
  minutes: number,
  activate: boolean,
): IdentityView {
  const issued = Date.now();
  const identity: FakeIdentity = {
    serviceUserId: userId,
    roleId,
    minutes,
    issuedAt: new Date(issued).toISOString(),
    expiresAt: new Date(issued + minutes * 60_000).toISOString(),
  };
  fake.data.identities = [...fake.data.identities.filter((i) => i.serviceUserId !== userId), identity];
  if (activate) fake.data.activeIdentity = userId;
  fake.record(userId, "assumed", `assumed with role ${roleId} for ${minutes} minutes`, me.userId);
  return identityView(fake, identity);
}

/** The service user acting under its identity's role: for acting-as commands. */
export function actingAs(
  fake: FakeBackend,
  userId: string,
  write: boolean,
): { su: FakeUser; role: RoleView | undefined; me: FakeUser } {
  const me = fake.me({ write });
  const identity = usableIdentity(fake, userId);
  // A refused request checks the identity first, so its state says why (as the app core does).
  const refusal = fake.data.online ? checkIdentity(fake, me, identity) : null;
  if (refusal) refuse(refusal.code, refusal.message);
  const su = fake.serviceUser(userId);
  checkActingAs(fake.data, su);
  return { su, me, role: fake.data.roles.find((r) => r.roleId === identity.roleId) };
}

export const identityCommands = {
  async identitiesList(fake) {
    fake.currentEnv() ?? refuse("no_profile");
    return fake.data.identities.map((i) => identityView(fake, i));
  },

  async identitiesCheck(fake) {
    fake.currentEnv() ?? refuse("no_profile");
    // Offline: the state as last checked.
    if (fake.data.online) {
      const me = fake.me();
      for (const i of fake.data.identities)
        if (Date.parse(i.expiresAt) > Date.now()) checkIdentity(fake, me, i);
    }
    return fake.data.identities.map((i) => identityView(fake, i));
  },

  async assume(fake, userId, role, minutes) {
    const me = fake.me({ write: true });
    const su = fake.serviceUser(userId);
    const roleId = role ?? su.defaultRoleId;
    const m = minutes ?? DEFAULT_ASSUME_MINUTES;
    checkAssume(me, su, roleId, fake.data.roles, m);
    return issue(fake, me, userId, roleId, m, true);
  },

  async identityReassume(fake, userId) {
    const me = fake.me({ write: true });
    const old = fake.data.identities.find((i) => i.serviceUserId === userId);
    if (!old) usableIdentity(fake, userId);
    const su = fake.serviceUser(userId);
    // After its role was detached, the service user's default role is taken.
    const roleId = old?.refusal?.reason === "role_detached" ? su.defaultRoleId : old?.roleId;
    checkReassume(me, su, roleId);
    return issue(fake, me, userId, roleId ?? su.defaultRoleId, old?.minutes ?? DEFAULT_ASSUME_MINUTES, false);
  },

  async identityForget(fake, userId) {
    fake.currentEnv() ?? refuse("no_profile");
    fake.data.identities = fake.data.identities.filter((i) => i.serviceUserId !== userId);
    if (fake.data.activeIdentity === userId) fake.data.activeIdentity = null;
    return null;
  },

  async identityActivate(fake, userId) {
    const env = fake.currentEnv() ?? refuse("no_profile");
    if (userId !== null && !fake.data.identities.some((i) => i.serviceUserId === userId))
      fail(notAssumed(userId, env.name));
    fake.data.activeIdentity = userId;
    return null;
  },
} satisfies Partial<CommandHandlers>;
