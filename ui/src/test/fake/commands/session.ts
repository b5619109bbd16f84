// The session: what the stored profile says, what the server says of it, signing in and out,
// what the signed-in user may do, and syncing the cache.
import type { IpcError, SessionView, SignedOut } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { fail, notSignedIn, offline, refuse, unknownProfile } from "../errors";
import { checkSignIn, isSuperAdmin, SESSION_MINUTES, sessionProblem } from "../rules";
import { DEMO_PAT, DEMO_PAT_ROLES } from "../seed";
import { type FakeUser, now } from "../state";
import type { CommandHandlers } from "./handler";

/** What the stored profile says, without the server. */
function storedSession(fake: FakeBackend): SessionView {
  const env = fake.currentEnv();
  if (!env) {
    return {
      environment: null,
      userId: null,
      roleId: null,
      roleName: null,
      auth: null,
      online: false,
      cachedAsOf: null,
      problem: null,
      sessionExpiresAt: null,
    };
  }
  return {
    environment: { ...env, current: true },
    userId: env.userId,
    roleId: env.defaultRole,
    roleName: roleName(fake, env.defaultRole),
    auth: fake.data.auth,
    online: true,
    cachedAsOf: null,
    problem: env.signedIn && env.userId ? null : notSignedIn(env.name),
    sessionExpiresAt: fake.data.sessionExpiresAt,
  };
}

/** A role's name from the catalogue (the app core's cache). */
function roleName(fake: FakeBackend, roleId: string | null): string | null {
  return fake.data.roles.find((r) => r.roleId === roleId)?.roleName ?? null;
}

/** As `session_status`: the stored view, then what the server says of it. */
export function sessionStatus(fake: FakeBackend): SessionView {
  const d = fake.data;
  const stored = storedSession(fake);
  const env = fake.currentEnv();
  if (!env) return stored;
  if (stored.problem) return { ...stored, roleId: null, roleName: null };
  // Offline the session stands: the stored role stays; any other problem leaves no role.
  const problem = (p: IpcError): SessionView =>
    p.code === "offline"
      ? { ...stored, online: false, cachedAsOf: d.lastSync, problem: p }
      : { ...stored, roleId: null, roleName: null, problem: p };
  if (!d.online) return problem(offline(env));
  const ended = sessionProblem(d, env);
  if (ended) return problem(ended);
  const me = fake.me();
  const roleId = fake.activeRole(me)?.roleId ?? d.roleId;
  return { ...stored, roleId, roleName: roleName(fake, roleId), online: true, problem: null };
}

export const sessionCommands = {
  /** What the stored profile says, without the server (as `session_stored`). */
  async sessionStored(fake) {
    return storedSession(fake);
  },

  async sessionStatus(fake) {
    return sessionStatus(fake);
  },

  async myAccess(fake) {
    const me = fake.me();
    const role = fake.activeRole(me);
    return {
      userId: me.userId,
      activeRole: role?.roleId ?? me.defaultRoleId,
      isSuperAdmin: isSuperAdmin(me, role),
      permissions: role?.permissions ?? [],
      roles: me.roles,
      tags: me.tags,
    };
  },

  async signIn(fake, environment, credential) {
    const env = fake.data.environments.find((e) => e.name === environment);
    if (!env) fail(unknownProfile(environment));
    if (!fake.data.online) fail(offline(env));
    let found: FakeUser | undefined;
    let role: string | null = null;
    if (credential.kind === "pat") {
      const m = DEMO_PAT.exec(credential.token.trim());
      found = m ? fake.find(m[1]) : undefined;
      role = m ? (DEMO_PAT_ROLES[m[2]] ?? null) : null;
      fake.data.sessionExpiresAt = null;
      fake.data.auth = "pat";
    } else {
      found = fake.find(credential.userId.trim());
      if (found && found.password !== credential.password) found = undefined;
      role = env.defaultRole;
      fake.data.sessionExpiresAt = new Date(Date.now() + SESSION_MINUTES * 60_000).toISOString();
      fake.data.auth = "session";
    }
    const user = checkSignIn(found);
    env.userId = user.userId;
    env.signedIn = true;
    fake.data.currentEnvironment = env.name;
    fake.data.roleId = role && user.roles.includes(role) ? role : user.defaultRoleId;
    fake.data.sessionProblem = null;
    // Through the command: recorded (and failed, when told to) like a call of its own.
    return fake.sessionStatus();
  },

  async signOut(fake): Promise<SignedOut> {
    const env = fake.currentEnv();
    if (!env) refuse("no_profile");
    // As the client: the session ends on the server first, best-effort; offline it stays valid.
    const validUntil = fake.data.sessionExpiresAt;
    const out: SignedOut = !env.signedIn
      ? { server: "not_signed_in", validUntil: null, message: "Nothing was signed in." }
      : fake.data.auth !== "session"
        ? {
            server: "access_token_kept",
            validUntil: null,
            message: "The access token stays valid on the server until it is revoked or expires.",
          }
        : fake.data.online
          ? { server: "ended", validUntil: null, message: "The session ended on the server." }
          : {
              server: "still_valid",
              validUntil,
              message: `The session could not be ended on the server (the server could not be reached); it stays valid there until ${validUntil}.`,
            };
    env.signedIn = false;
    fake.data.identities = [];
    fake.data.activeIdentity = null;
    fake.data.sessionExpiresAt = null;
    return out;
  },

  async syncNow(fake) {
    const d = fake.data;
    const env = fake.currentEnv();
    if (!env) refuse("no_profile");
    if (!env.signedIn || !env.userId) fail(notSignedIn(env.name));
    const usersCached = d.users.length;
    if (!d.online) return { online: false, asOf: d.lastSync, usersCached, problem: null };
    const ended = sessionProblem(d, env);
    if (ended) return { online: true, asOf: d.lastSync, usersCached, problem: ended };
    d.lastSync = now();
    return { online: true, asOf: d.lastSync, usersCached, problem: null };
  },
} satisfies Partial<CommandHandlers>;
