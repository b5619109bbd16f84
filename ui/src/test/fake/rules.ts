// The permission and validation rules the fake applies, in one place, retyped from Rust. Each
// function refuses with the first failing rule's code, in the order the Rust checks them.
// "Duplicates policy `x`": the rule of `x` in crates/model/src/policy.rs; these are the ones to
// generate (or drive by generated constants) from the Rust. The others follow the model's value
// types, the server's handlers or the app core (crates/client).
import { CONTRACT } from "../../gen/bindings";
import type {
  Code,
  IpcError,
  NewAccessTokenInput,
  NewServiceUserInput,
  RefusalReason,
  RoleView,
  SharePrincipal,
} from "../../ipc";
import { fail, notSignedIn, offline, refuse, sessionExpired } from "./errors";
import type { FakeData, FakeEnvironment, FakeIdentity, FakeUser } from "./state";

// The figures come from the model through the generated bindings (`CONTRACT`), never retyped.

/** Every user's default role, which cannot be detached (the model's `RoleId::DEFAULT_USERS`). */
export const DEFAULT_ROLE = CONTRACT.defaultRoleId;

/** An assumed identity's lifetime in minutes when none is asked for. */
export const DEFAULT_ASSUME_MINUTES = CONTRACT.defaultAssumeMinutes;

/** A password sign-in's session lasts this long (policy `SESSION_MINUTES`). */
export const SESSION_MINUTES = CONTRACT.sessionMinutes;

/** The longest an assumed identity lives (the model's `ExpiryMinutes::MAX`). */
const MAX_ASSUME_MINUTES = CONTRACT.expiryMinutesMax;
const MIN_ASSUME_MINUTES = CONTRACT.expiryMinutesMin;

/** How far ahead an access token may expire (policy `MAX_ACCESS_TOKEN_DAYS`). */
const MAX_ACCESS_TOKEN_DAYS = CONTRACT.maxAccessTokenDays;

/** A user id (the model's `UserId` pattern). */
const USER_ID = new RegExp(CONTRACT.userIdPattern);

// --- The signed-in user (the app core) -------------------------------------------------------------

/**
 * Whether a command may run in the current environment `env` (as the app core decides): a profile
 * (`no_profile`), signed in (`not_signed_in`), online for a `write` (`offline`), and no session
 * problem while online. Reads keep working offline from the cache. Answers the signed-in user's id.
 */
export function checkSession(data: FakeData, env: FakeEnvironment | null, write: boolean): string {
  if (!env) refuse("no_profile");
  if (!env.signedIn || !env.userId) fail(notSignedIn(env.name));
  if (!data.online && write) fail(offline(env));
  const problem = data.online ? sessionProblem(data, env) : null;
  if (problem) fail(problem);
  return env.userId;
}

/**
 * What the server says of the session when asked: the problem a test set (`sessionProblem`), or
 * `session_expired` once a password session's end has passed (the server refuses its token).
 */
export function sessionProblem(data: FakeData, env: FakeEnvironment): IpcError | null {
  if (data.sessionProblem) return data.sessionProblem;
  if (data.sessionExpiresAt && Date.parse(data.sessionExpiresAt) <= Date.now())
    return sessionExpired(env.name);
  return null;
}

/** Super-admin powers: a regular user whose active role is a super-admin role. Duplicates policy `Actor::is_super_admin`. */
export function isSuperAdmin(me: FakeUser, activeRole: RoleView | undefined): boolean {
  return !me.isServiceUser && Boolean(activeRole?.isSuperAdmin);
}

/** Who may sign in: an existing, enabled, regular user; anyone else is `UNAUTHENTICATED` (the server's login). */
export function checkSignIn(user: FakeUser | undefined): FakeUser {
  if (!user || user.isServiceUser) refuse("UNAUTHENTICATED");
  if (!user.enabled) refuse("UNAUTHENTICATED");
  return user;
}

// --- Environments (the app core's profiles, crates/client/src/profiles.rs) -------------------------

/**
 * A new environment: a name of 1-64 letters, digits, '.', '_' or '-' (the app core also refuses a
 * leading '.', which the fake does not check), an http(s) URL, a name not taken.
 */
export function checkNewEnvironment(name: string, baseUrl: string, existing: FakeEnvironment[]): void {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
    refuse("invalid_input", "an environment name is 1-64 letters, digits, '.', '_' or '-'");
  checkBaseUrl(baseUrl);
  if (existing.some((e) => e.name === name))
    refuse("profile_exists", `a profile named '${name}' already exists`);
}

/** An environment's base URL: http(s) with a host. */
export function checkBaseUrl(baseUrl: string): void {
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl))
    refuse("invalid_input", `'${baseUrl}' is not a URL; give one like https://amorphic.example.com`);
}

// --- Access to a service user ----------------------------------------------------------------------

/**
 * Whether `me` has owner access to the service user `su`: named in its shares, or through one of
 * its own tags. Service users never have access, and no role grants it. Duplicates policy `has_access`.
 */
export function hasAccess(me: FakeUser, su: FakeUser): boolean {
  if (!su.isServiceUser || me.isServiceUser || !su.shares) return false;
  return su.shares.users.includes(me.userId) || me.tags.some((t) => su.shares?.tags.includes(t));
}

/** Steps 4-5 of the contract: the user exists (404) and is a service user (400). Duplicates policy `service_user`. */
export function checkServiceUser(su: FakeUser | undefined, userId: string): FakeUser {
  if (!su) refuse("NOT_FOUND", `No user '${userId}'.`);
  if (!su.isServiceUser) refuse("NOT_A_SERVICE_USER");
  return su;
}

/** Steps 4-6: exists, is a service user, the caller has access (403). Duplicates policy `accessible`. */
export function checkAccessible(me: FakeUser, su: FakeUser | undefined, userId: string): FakeUser {
  const found = checkServiceUser(su, userId);
  if (!hasAccess(me, found)) refuse("NO_ACCESS_TO_SERVICE_USER");
  return found;
}

// --- Managing service users -------------------------------------------------------------------------

/**
 * Creating a service user: a super-admin (duplicates policy `can_create_service_user`), a valid
 * id (the model's `UserId`) and a display name, an id not taken ignoring case (policy again).
 * Answers the trimmed id.
 */
export function checkCreateServiceUser(
  me: FakeUser,
  activeRole: RoleView | undefined,
  users: FakeUser[],
  input: NewServiceUserInput,
): string {
  if (!isSuperAdmin(me, activeRole)) refuse("SUPER_ADMIN_REQUIRED");
  const userId = input.userId.trim();
  if (!USER_ID.test(userId))
    refuse("INVALID_REQUEST", "UserId must be 3-64 characters of letters, digits, '.', '_' or '-'.");
  if (!input.displayName.trim()) refuse("INVALID_REQUEST", "DisplayName must not be empty.");
  if (users.some((u) => u.userId.toLowerCase() === userId.toLowerCase())) refuse("ALREADY_EXISTS");
  return userId;
}

/** Attaching roles: each exists (404) and is attached to the caller (403). Duplicates policy `can_attach_roles`. */
export function checkAttachRoles(me: FakeUser, roles: RoleView[], requested: string[]): void {
  for (const r of requested) {
    if (!roles.some((x) => x.roleId === r)) refuse("NOT_FOUND", `No role '${r}'.`);
  }
  if (requested.some((r) => !me.roles.includes(r))) refuse("NO_ACCESS_TO_ROLE");
}

/**
 * Detaching a role: attached to the service user (404) and to the caller (403), not the default
 * role (409). Duplicates policy `can_detach_role`.
 */
export function checkDetachRole(me: FakeUser, su: FakeUser, role: string): void {
  if (!su.roles.includes(role)) refuse("NOT_FOUND", `The role '${role}' is not attached to '${su.userId}'.`);
  if (!me.roles.includes(role)) refuse("NO_ACCESS_TO_ROLE");
  if (role === su.defaultRoleId || role === DEFAULT_ROLE) refuse("DEFAULT_ROLE_REQUIRED");
}

/** Deleting: the service user is disabled first (409). Duplicates policy `can_delete_service_user`. */
export function checkDelete(su: FakeUser): void {
  if (su.enabled) refuse("MUST_DISABLE_FIRST");
}

/** The transfer user of a delete: required, an existing, enabled, regular user. Duplicates policy `check_transfer_user`. */
export function checkTransferUser(transferTo: string, found: FakeUser | undefined): void {
  if (!transferTo.trim()) refuse("TRANSFER_USER_REQUIRED");
  if (!found || found.isServiceUser || !found.enabled) refuse("INVALID_TRANSFER_USER");
}

// --- Sharing ----------------------------------------------------------------------------------------

/**
 * Adding shares: every named user and tag exists (404), never a service user. Duplicates policy
 * `can_add_shares` (the fake shares with owner access only, so it has no access-type rule).
 */
export function checkAddShares(data: FakeData, users: string[], tags: string[]): void {
  const find = (id: string) => data.users.find((u) => u.userId === id);
  for (const id of users) if (!find(id)) refuse("NOT_FOUND", `No user '${id}'.`);
  for (const id of tags) if (!data.tags.some((t) => t.tagId === id)) refuse("NOT_FOUND", `No tag '${id}'.`);
  if (users.some((id) => find(id)?.isServiceUser)) refuse("CANNOT_SHARE_WITH_SERVICE_USER");
}

/** Removing a share: it exists (404) and is not the last one (409). Duplicates policy `can_remove_share`. */
export function checkRemoveShare(su: FakeUser, principal: SharePrincipal): void {
  const shares = su.shares ?? { users: [], tags: [] };
  const list = principal.kind === "user" ? shares.users : shares.tags;
  if (!list.includes(principal.id)) refuse("NOT_FOUND", `'${su.userId}' is not shared with ${principal.id}.`);
  if (shares.users.length + shares.tags.length <= 1) refuse("LAST_OWNER");
}

// --- Assuming and acting as a service user ----------------------------------------------------------

/**
 * Assuming: a regular user, not acting (403), with access (403); the role exists (404) and is
 * attached to the service user (403); the service user is enabled (409). Duplicates policy
 * `can_assume`. Then the value rule: `MIN_ASSUME_MINUTES` to `MAX_ASSUME_MINUTES` minutes.
 */
export function checkAssume(
  me: FakeUser,
  su: FakeUser,
  roleId: string,
  roles: RoleView[],
  minutes: number,
): void {
  if (me.isServiceUser) refuse("SERVICE_USER_NOT_ALLOWED");
  if (!hasAccess(me, su)) refuse("NO_ACCESS_TO_SERVICE_USER");
  if (!roles.some((r) => r.roleId === roleId)) refuse("NOT_FOUND", `No role '${roleId}'.`);
  if (!su.roles.includes(roleId)) refuse("ROLE_NOT_ATTACHED");
  if (!su.enabled) refuse("SERVICE_USER_DISABLED");
  if (!Number.isInteger(minutes) || minutes < MIN_ASSUME_MINUTES || minutes > MAX_ASSUME_MINUTES)
    refuse("INVALID_EXPIRY");
}

/** Assuming again with the stored identity's role: part of policy `can_assume` (access, role attached, enabled). */
export function checkReassume(me: FakeUser, su: FakeUser, roleId: string | undefined): void {
  if (!hasAccess(me, su)) refuse("NO_ACCESS_TO_SERVICE_USER");
  if (!su.roles.includes(roleId ?? "")) refuse("ROLE_NOT_ATTACHED");
  if (!su.enabled) refuse("SERVICE_USER_DISABLED");
}

/**
 * Acting as a service user: the server refuses a disabled one's token (offline, the cache
 * answers anyway). Duplicates policy `accept_service_user_token` (`PRINCIPAL_DISABLED`).
 */
export function checkActingAs(data: FakeData, su: FakeUser): void {
  if (data.online && !su.enabled) refuse("PRINCIPAL_DISABLED");
}

/** A token this close to its end is expiring (the client's `EXPIRING_SECONDS`). */
export const EXPIRING_SECONDS = CONTRACT.expiringSeconds;

/**
 * Why the server refuses the identity `i` of `su` for `me` now, in the order the app core finds
 * it (`GET /users/{su}` as yourself: 404 deleted, 403 unshared, disabled, the role gone), with
 * the code of the refused request (`/whoami` as the identity); null: accepted. Duplicates the
 * client's `check_identity` and policy `accept_service_user_token`.
 */
export function refusalOf(
  me: FakeUser,
  su: FakeUser | undefined,
  i: FakeIdentity,
): { reason: RefusalReason; code: Code } | null {
  if (!su?.isServiceUser) return { reason: "deleted", code: "TOKEN_INVALID" };
  if (!hasAccess(me, su)) return { reason: "unshared", code: "TOKEN_INVALID" };
  if (!su.enabled) return { reason: "disabled", code: "PRINCIPAL_DISABLED" };
  if (!su.roles.includes(i.roleId)) return { reason: "role_detached", code: "ROLE_NOT_ATTACHED" };
  if (i.issuedBeforeDisable) return { reason: "token_invalid", code: "TOKEN_INVALID" };
  return null;
}

/** Whether assuming again can succeed after a refusal (the client's `RefusalReason::can_assume_again`). */
export function canAssumeAgainAfter(reason: RefusalReason): boolean {
  return CONTRACT.refusalReasons[reason].canAssumeAgain;
}

/** What a person reads of a refusal (the client's `RefusalReason::sentence`). */
export function refusalSentence(reason: RefusalReason, serviceUser: string): string {
  return CONTRACT.refusalReasons[reason].sentence.replace("{serviceUser}", serviceUser);
}

/**
 * Creating a datasource: `datasources.create` in the active role (duplicates policy
 * `can_create_datasource`), then a name and a type (the server's value rule).
 */
export function checkCreateDatasource(
  role: RoleView | undefined,
  name: string,
  datasourceType: string,
): void {
  if (!role?.permissions.includes("datasources.create")) refuse("FORBIDDEN");
  if (!name.trim() || !datasourceType.trim())
    refuse("INVALID_REQUEST", "DatasourceName and DatasourceType must not be empty.");
}

/**
 * Creating an access token as the service user `su`: a name (the server's value rule), a role
 * attached to it (403) and 1 to `MAX_ACCESS_TOKEN_DAYS` days (duplicates policy
 * `can_create_access_token`).
 */
export function checkCreateAccessToken(su: FakeUser, input: NewAccessTokenInput): void {
  if (!input.name.trim()) refuse("INVALID_REQUEST", "TokenName must not be empty.");
  if (!su.roles.includes(input.roleId)) refuse("ROLE_NOT_ATTACHED");
  if (input.expiresInDays < 1 || input.expiresInDays > MAX_ACCESS_TOKEN_DAYS) refuse("INVALID_EXPIRY");
}
