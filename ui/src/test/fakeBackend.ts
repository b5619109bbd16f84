// An in-memory Backend for component tests (vitest) and for the browser tests' IPC mock build.
// Its data follows the demo seed (crates/server/seed/demo-seed.json) and its answers follow the
// rules of the API contract (shared/spec/api.md) and of the app core, with the real error codes.
// Adding a Rust command: add ONE async method below, named like the generated command
// (`serviceUserCreate` for `service_user_create`), with the generated arguments. `tsc` fails
// until it exists; failure injection, call recording and the IPC mock come for free.
import {
  type AccessTokensView,
  type AccessTokenView,
  type AccessView,
  type ActivityView,
  type AppInfo,
  type Backend,
  BackendError,
  type CommandArgs,
  type CommandName,
  type CreatedAccessTokenView,
  commandNames,
  type DatasourceView,
  type DeletedView,
  type EnvironmentView,
  type Freshness,
  type IdentityView,
  type IpcError,
  type NewAccessTokenInput,
  type NewEnvironment,
  type NewServiceUserInput,
  type OwnedResourcesView,
  type RoleView,
  type SessionView,
  type SharePrincipal,
  type SharesView,
  type SignInCredential,
  type SyncView,
  type TagView,
  type UserFetched,
  type UsersPage,
  type UsersQuery,
  type UserView,
} from "../ipc";

/** A user as the fake stores it: the view without what is computed (shares as lists, caller access). */
export type FakeUser = Omit<UserView, "sharedWith" | "callerHasAccess"> & {
  /** Service users only: who has owner access (user ids and tag ids, without `#`). */
  shares: { users: string[]; tags: string[] } | null;
  /** Regular users only: the demo password (`<id>-demo-password` by default). */
  password?: string;
};

/** An environment (profile); `current` is `FakeData.currentEnvironment`. */
export type FakeEnvironment = Omit<EnvironmentView, "current">;

/** An assumed identity; its countdown and `active` are computed. */
export type FakeIdentity = Pick<
  IdentityView,
  "serviceUserId" | "roleId" | "minutes" | "issuedAt" | "expiresAt"
>;

/** What the fake knows; tests and scenarios change it directly (`fake.data.users.push(...)`). */
export type FakeData = {
  appInfo: AppInfo;
  environments: FakeEnvironment[];
  /** The current environment's name; null: none configured or chosen yet. */
  currentEnvironment: string | null;
  /** The active role of the current environment's session (null: the user's default role). */
  roleId: string | null;
  /** False: the server cannot be reached; reads answer from the "cache" (stale, as of `lastSync`). */
  online: boolean;
  /** Why the session is not usable (e.g. `session_expired`), when it is not. */
  sessionProblem: IpcError | null;
  /** When a password sign-in's session ends (RFC 3339). */
  sessionExpiresAt: string | null;
  /** Every user, service and regular. */
  users: FakeUser[];
  roles: RoleView[];
  tags: TagView[];
  /** Personal access tokens by owner (service users' PATs). */
  accessTokens: Record<string, AccessTokenView[]>;
  datasources: DatasourceView[];
  identities: FakeIdentity[];
  /** The service user the window acts as (null: yourself). */
  activeIdentity: string | null;
  /** What the app did to each service user, newest first. */
  history: Record<string, ActivityView[]>;
  /** When the data was last fetched from the server (RFC 3339). */
  lastSync: string | null;
  /** The last secret copied with clipboardCopySecret. */
  clipboard: string | null;
};

/** Messages like the server's (crates/model ErrorCode) and the app core's (crates/client/src/error.rs). */
export const DEFAULT_MESSAGES: Record<string, string> = {
  offline:
    "cannot reach the server at https://demo.example.test: connection refused; you are offline or the server is down",
  session_expired: "the session of profile 'demo' has expired; sign in again with `login`",
  not_signed_in: "profile 'demo' is not signed in; run `login` first",
  no_profile: "no profile selected; add one with `profile add` or pass --profile",
  keychain_unavailable:
    "the OS keychain is not available (locked); secrets are never stored elsewhere, so unlock or start the keychain and retry",
  not_cached:
    "service users are not in the local cache and the server cannot be reached; sync while online first",
  INVALID_REQUEST:
    "The request is malformed; check the JSON body and parameters against the API description.",
  INVALID_EXPIRY:
    "The expiry is out of range: ExpiryInMinutes must be an integer from 1 to 180, and an access token's ExpiresAt must be in the future and at most 365 days ahead.",
  CANNOT_SHARE_WITH_SERVICE_USER:
    "A service user cannot be shared with another service user; share it with regular users or tags.",
  TRANSFER_USER_REQUIRED:
    "Choose a transfer user (transfer_user_id) to receive the service user's resources.",
  INVALID_TRANSFER_USER: "The transfer user must be an existing, enabled regular user.",
  NOT_A_SERVICE_USER: "This operation applies to service users only.",
  UNAUTHENTICATED: "Sign in: the credentials are missing or not valid.",
  PRINCIPAL_DISABLED: "The user is disabled; ask an owner to enable it.",
  FORBIDDEN: "Your active role does not allow this.",
  SUPER_ADMIN_REQUIRED: "Switch to a super-admin role to do this.",
  NO_ACCESS_TO_SERVICE_USER:
    "You do not have access to this service user; ask one of its owners to share it with you.",
  NO_ACCESS_TO_ROLE: "You can only attach or detach roles that are attached to you.",
  ROLE_NOT_ATTACHED: "That role is not attached to the user; pick one of its attached roles.",
  SERVICE_USER_NOT_ALLOWED: "Service users cannot do this; switch back to your own identity.",
  NOT_FOUND: "Not found.",
  MUST_DISABLE_FIRST: "Disable the service user before deleting it.",
  SERVICE_USER_DISABLED: "The service user is disabled; enable it first.",
  ALREADY_EXISTS: "A user with this id (ignoring case) already exists; pick another id.",
  LAST_OWNER: "This is the last share of the service user; add another owner first.",
  DEFAULT_ROLE_REQUIRED: "The default role cannot be detached.",
  INTERNAL: "The server failed; try again, and report it if it persists.",
};

const DEFAULT_ROLE = "SystemRole-DefaultUsers";
const SEED_TIME = "2026-11-01T09:00:00+00:00";

/** A user with sensible defaults: `fakeUser({ userId: "x-bot" })` is an enabled service user owned by alice. */
export function fakeUser(u: Partial<FakeUser> & { userId: string; sharedWith?: string[] }): FakeUser {
  const { sharedWith, ...rest } = u;
  const isServiceUser = rest.isServiceUser ?? true;
  const shares = sharedWith
    ? {
        users: sharedWith.filter((s) => !s.startsWith("#")),
        tags: sharedWith.filter((s) => s.startsWith("#")).map((s) => s.slice(1)),
      }
    : isServiceUser
      ? { users: ["alice"], tags: [] }
      : null;
  return {
    displayName: rest.userId,
    description: null,
    isServiceUser,
    enabled: true,
    defaultRoleId: DEFAULT_ROLE,
    roles: [DEFAULT_ROLE],
    tags: [],
    createdBy: isServiceUser ? "alice" : null,
    creationTime: SEED_TIME,
    lastModified: "2026-11-20T09:30:00+00:00",
    shares,
    ...rest,
  };
}

/** The demo seed's users: four people (dave disabled) and three service users. */
export function demoUsers(): FakeUser[] {
  const person = (userId: string, displayName: string, roles: string[], tags: string[], enabled = true) =>
    fakeUser({
      userId,
      displayName,
      isServiceUser: false,
      roles: [DEFAULT_ROLE, ...roles],
      tags,
      enabled,
      createdBy: null,
      password: `${userId}-demo-password`,
    });
  return [
    person(
      "alice",
      "Alice Admin",
      ["SystemRole-SuperAdmin", "SystemRole-SystemAdministrators", "role-data-engineers"],
      ["team-data"],
    ),
    person("bob", "Bob Builder", ["role-data-engineers"], ["team-data"]),
    person("carol", "Carol Analyst", ["role-analysts"], ["team-finance"]),
    person("dave", "Dave Departed", [], [], false),
    fakeUser({
      userId: "etl-bot",
      displayName: "ETL bot",
      description: "Nightly ingestion jobs",
      roles: [DEFAULT_ROLE, "role-data-engineers"],
      sharedWith: ["alice", "#team-data"],
    }),
    fakeUser({
      userId: "finance-bot",
      displayName: "Finance bot",
      description: "Month-end close; owned by finance only",
      roles: [DEFAULT_ROLE, "role-analysts"],
      sharedWith: ["carol"],
    }),
    fakeUser({
      userId: "report-bot",
      displayName: "Report bot",
      description: "Finance reports",
      roles: [DEFAULT_ROLE, "role-analysts"],
      sharedWith: ["alice", "carol"],
    }),
  ];
}

export function demoRoles(): RoleView[] {
  const role = (
    roleId: string,
    roleName: string,
    description: string,
    isSuperAdmin: boolean,
    permissions: string[],
  ): RoleView => ({
    roleId,
    roleName,
    description,
    isSystemRole: roleId.startsWith("SystemRole-"),
    isSuperAdmin,
    permissions,
  });
  const all = ["datasources.read", "datasources.create", "datasources.delete", "vertical_apps.access"];
  return [
    role(DEFAULT_ROLE, "Default users", "Every user's default role", false, [
      "datasources.read",
      "vertical_apps.access",
    ]),
    role(
      "SystemRole-SuperAdmin",
      "Super admin",
      "Creates service users and administers the platform",
      true,
      all,
    ),
    role(
      "SystemRole-SystemAdministrators",
      "System administrators",
      "Full access to data resources",
      false,
      all,
    ),
    role("role-data-engineers", "Data engineers", "Builds pipelines", false, [
      "datasources.read",
      "datasources.create",
    ]),
    role("role-analysts", "Analysts", "Reads data", false, ["datasources.read", "vertical_apps.access"]),
  ];
}

export function demoData(): FakeData {
  return {
    appInfo: { productName: "Amorphic Service Users Desktop", version: "0.1.0" },
    environments: [
      {
        name: "demo",
        baseUrl: "https://demo.example.test",
        colour: null,
        production: false,
        userId: "alice",
        defaultRole: "SystemRole-SuperAdmin",
        signedIn: true,
      },
    ],
    currentEnvironment: "demo",
    roleId: "SystemRole-SuperAdmin",
    online: true,
    sessionProblem: null,
    sessionExpiresAt: null,
    users: demoUsers(),
    roles: demoRoles(),
    tags: [
      { tagId: "team-data", tagKey: "team", tagValue: "data", description: "Data platform team" },
      { tagId: "team-finance", tagKey: "team", tagValue: "finance", description: "Finance analytics" },
    ],
    accessTokens: {
      "etl-bot": [
        {
          tokenId: "tok-etl-nightly",
          tokenName: "nightly-loader",
          description: "Used by the nightly ingestion job",
          roleId: "role-data-engineers",
          expiresAt: "2027-06-01T00:00:00+00:00",
          creationTime: "2026-11-02T08:00:00+00:00",
          createdBy: "alice",
          active: true,
        },
      ],
    },
    datasources: [
      ds("ds-orders", "orders-jdbc", "jdbc", "etl-bot"),
      ds("ds-clicks", "clickstream-s3", "s3", "etl-bot"),
      ds("ds-ledger", "ledger", "jdbc", "carol"),
      ds("ds-close", "month-end-close", "s3", "finance-bot"),
    ],
    identities: [],
    activeIdentity: null,
    history: {
      "etl-bot": [
        {
          at: "2026-11-20T09:30:00+00:00",
          action: "roles_attached",
          detail: "attached role-data-engineers",
          actor: "alice",
        },
        { at: "2026-11-01T09:00:00+00:00", action: "created", detail: 'created "ETL bot"', actor: "alice" },
      ],
    },
    lastSync: "2026-11-27T10:42:00+00:00",
    clipboard: null,
  };
}

function ds(
  datasourceId: string,
  datasourceName: string,
  datasourceType: string,
  owner: string,
): DatasourceView {
  return { datasourceId, datasourceName, datasourceType, owner, creationTime: SEED_TIME };
}

const ROLE_NAMES = ["role-data-engineers", "role-analysts", "SystemRole-SystemAdministrators"];
const WORDS = ["etl", "report", "finance", "ingest", "billing", "audit", "export", "sync", "ml", "backup"];

/**
 * `n` generated service users (`svc-000001`, ...) for long-list tests: varied names, statuses,
 * roles and shares; about half assumable by alice.
 */
export function manyUsers(n: number): FakeUser[] {
  const users: FakeUser[] = [];
  for (let i = 1; i <= n; i++) {
    const word = WORDS[i % WORDS.length];
    const id = `svc-${String(i).padStart(6, "0")}`;
    users.push({
      userId: id,
      displayName: `${word[0].toUpperCase()}${word.slice(1)} bot ${i}`,
      description: `Generated ${word} automation`,
      isServiceUser: true,
      enabled: i % 7 !== 0,
      defaultRoleId: DEFAULT_ROLE,
      roles: i % 3 === 0 ? [DEFAULT_ROLE] : [DEFAULT_ROLE, ROLE_NAMES[i % ROLE_NAMES.length]],
      tags: [],
      createdBy: i % 2 ? "alice" : "bob",
      creationTime: SEED_TIME,
      lastModified: SEED_TIME,
      shares:
        i % 2 ? { users: ["alice"], tags: [] } : { users: ["carol"], tags: i % 4 ? ["team-finance"] : [] },
    });
  }
  return users;
}

/** The app core's search: every word must prefix-match a word of the id, name, description, a role or a tag. */
export function matchesSearch(u: FakeUser, search: string | null): boolean {
  const words = searchWords(search);
  return words.length === 0 || words.every((w) => searchTokens(u).some((t) => t.startsWith(w)));
}

function searchWords(search: string | null): string[] {
  return (search ?? "").toLowerCase().split(/\s+/).filter(Boolean);
}

function searchTokens(u: FakeUser): string[] {
  const fields = [
    u.userId,
    u.displayName,
    u.description ?? "",
    ...u.roles,
    ...u.tags,
    ...(u.shares?.tags ?? []),
  ];
  return fields.flatMap((f) => [f.toLowerCase(), ...f.toLowerCase().split(/[^a-z0-9]+/)]).filter(Boolean);
}

/** Lists above this size cache their search tokens, sort order and last filter (100,000-row tests). */
const BIG_LIST = 5000;

type Failure = { error: IpcError; remaining: number };

/** One recorded call: `fake.calls.filter((c) => c.command === "usersPage")`. */
export type FakeCall = { command: CommandName; args: unknown[] };

function refuse(code: string, message?: string): never {
  throw new BackendError({ code, message: message ?? DEFAULT_MESSAGES[code] ?? code });
}

const now = () => new Date().toISOString();

/** The client's `not_signed_in` problem for a profile. */
const notSignedIn = (profile: string): IpcError => ({
  code: "not_signed_in",
  message: `profile '${profile}' is not signed in; run \`login\` first`,
});

export class FakeBackend implements Backend {
  data: FakeData;
  readonly calls: FakeCall[] = [];
  /** Milliseconds each answer takes (0: next macrotask); the mock build uses a little to show loading states. */
  latencyMs = 0;
  private readonly failures = new Map<CommandName | "*", Failure>();
  private readonly delays = new Map<CommandName, number>();
  private readonly tokenCache = new WeakMap<FakeUser, string[]>();
  private sorted: { source: FakeUser[]; length: number; version: number; users: FakeUser[] } | null = null;
  private lastFilter: {
    key: string;
    source: FakeUser[];
    length: number;
    version: number;
    users: FakeUser[];
  } | null = null;
  /** Bumped by every change the fake makes itself (big-list caches depend on it). */
  private version = 0;
  private nextId = 1;

  constructor(data: Partial<FakeData> = {}) {
    this.data = { ...demoData(), ...data };
    // Every command goes through `answer`: recorded, maybe failed, its result copied as if serialised.
    for (const name of commandNames) {
      const impl = (this[name] as (...a: unknown[]) => Promise<unknown>).bind(this);
      Object.defineProperty(this, name, { value: (...args: unknown[]) => this.answer(name, args, impl) });
    }
  }

  // --- Controls -----------------------------------------------------------------------------

  /** Replaces the service users (users get defaults for what they omit); regular users stay. */
  seedUsers(users: Array<Partial<FakeUser> & { userId: string; sharedWith?: string[] }>): this {
    this.data.users = [...this.data.users.filter((u) => !u.isServiceUser), ...users.map(fakeUser)];
    this.version++;
    return this;
  }

  /** Adds `n` generated service users (see `manyUsers`). */
  addManyUsers(n: number): this {
    this.data.users = [...this.data.users, ...manyUsers(n)];
    this.version++;
    return this;
  }

  /** Adds (or replaces) an environment and makes it current. */
  useEnvironment(env: Partial<FakeEnvironment> & { name: string }): this {
    const full: FakeEnvironment = {
      baseUrl: `https://${env.name}.example.test`,
      colour: null,
      production: false,
      userId: "alice",
      defaultRole: null,
      signedIn: true,
      ...env,
    };
    this.data.environments = [...this.data.environments.filter((e) => e.name !== env.name), full];
    this.data.currentEnvironment = env.name;
    return this;
  }

  /**
   * Makes `command` (or every command, "*") reject with a BackendError of this code; the message
   * defaults to the app core's for that code. `times`: fail that many calls, then answer again.
   */
  failWith(
    command: CommandName | "*",
    code: string,
    { message, times }: { message?: string; times?: number } = {},
  ): this {
    const error = { code, message: message ?? DEFAULT_MESSAGES[code] ?? `${code} (from the fake backend)` };
    this.failures.set(command, { error, remaining: times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  /** Makes `command` answer after `ms` milliseconds (instead of `latencyMs`). */
  slow(command: CommandName, ms: number): this {
    this.delays.set(command, ms);
    return this;
  }

  clearFailures(): this {
    this.failures.clear();
    return this;
  }

  /** The server cannot be reached: the session says so, lists come from the cache as of `lastSync`. */
  goOffline(lastSync = this.data.lastSync): this {
    this.data.online = false;
    this.data.lastSync = lastSync;
    return this;
  }

  goOnline(): this {
    this.data.online = true;
    return this;
  }

  /** Calls of one command, each as its argument list. */
  callsOf<K extends CommandName>(command: K): CommandArgs<K>[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.args as CommandArgs<K>);
  }

  private async answer(command: CommandName, args: unknown[], impl: (...a: unknown[]) => Promise<unknown>) {
    this.calls.push({ command, args });
    await new Promise((resolve) => setTimeout(resolve, this.delays.get(command) ?? this.latencyMs));
    const failure = this.failures.get(command) ?? this.failures.get("*");
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      throw new BackendError(failure.error);
    }
    const result = await impl(...args);
    // Like serde over IPC: the caller never shares objects with the fake's state.
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }

  // --- The rules ----------------------------------------------------------------------------

  private currentEnv(): FakeEnvironment | null {
    return this.data.environments.find((e) => e.name === this.data.currentEnvironment) ?? null;
  }

  /**
   * The signed-in user for a command. `write`: it changes the server (fails offline). Reads keep
   * working offline from the cache; a session problem refuses them while online.
   */
  private me({ write = false }: { write?: boolean } = {}): FakeUser {
    const env = this.currentEnv();
    if (!env) refuse("no_profile");
    if (!env.signedIn || !env.userId)
      refuse("not_signed_in", `profile '${env.name}' is not signed in; run \`login\` first`);
    if (!this.data.online && write) refuse("offline", this.offlineMessage(env));
    if (this.data.online && this.data.sessionProblem) throw new BackendError(this.data.sessionProblem);
    const me = this.find(env.userId);
    return (
      me ??
      fakeUser({
        userId: env.userId,
        isServiceUser: false,
        roles: [DEFAULT_ROLE, this.data.roleId ?? DEFAULT_ROLE],
      })
    );
  }

  private offlineMessage(env: FakeEnvironment): string {
    return `cannot reach the server at ${env.baseUrl}: connection refused; you are offline or the server is down`;
  }

  private activeRole(me: FakeUser): RoleView | undefined {
    const id = this.data.roleId ?? me.defaultRoleId;
    return this.data.roles.find((r) => r.roleId === id);
  }

  private find(userId: string): FakeUser | undefined {
    return this.data.users.find((u) => u.userId === userId);
  }

  private hasAccess(me: FakeUser, su: FakeUser): boolean {
    if (!su.isServiceUser || me.isServiceUser || !su.shares) return false;
    return su.shares.users.includes(me.userId) || me.tags.some((t) => su.shares?.tags.includes(t));
  }

  /** Steps 4-6 of the contract: exists (404), is a service user (400), the caller has access (403). */
  private accessible(me: FakeUser, userId: string): FakeUser {
    const su = this.serviceUser(userId);
    if (!this.hasAccess(me, su)) refuse("NO_ACCESS_TO_SERVICE_USER");
    return su;
  }

  private serviceUser(userId: string): FakeUser {
    const su = this.find(userId);
    if (!su) refuse("NOT_FOUND", `No user '${userId}'.`);
    if (!su.isServiceUser) refuse("NOT_A_SERVICE_USER");
    return su;
  }

  private view(u: FakeUser, me: FakeUser | null): UserView {
    const { shares, password: _, ...rest } = u;
    return {
      ...rest,
      sharedWith: shares ? [...shares.users, ...shares.tags.map((t) => `#${t}`)] : [],
      callerHasAccess: me !== null && this.hasAccess(me, u),
    };
  }

  private freshness(): Freshness {
    return { stale: !this.data.online, asOf: this.data.online ? now() : this.data.lastSync };
  }

  private touch(u: FakeUser): void {
    u.lastModified = now();
    this.tokenCache.delete(u);
    this.version++;
  }

  private record(userId: string, action: string, detail: string, actor: string | null): void {
    const list = this.data.history[userId] ?? [];
    this.data.history[userId] = [{ at: now(), action, detail, actor }, ...list];
  }

  private tokens(u: FakeUser, big: boolean): string[] {
    if (!big) return searchTokens(u);
    let t = this.tokenCache.get(u);
    if (!t) {
      t = searchTokens(u);
      this.tokenCache.set(u, t);
    }
    return t;
  }

  /** Users sorted by id (as the cache answers), cached for big lists. */
  private sortedUsers(): FakeUser[] {
    const source = this.data.users;
    const s = this.sorted;
    if (s && s.source === source && s.length === source.length && s.version === this.version) return s.users;
    const users = [...source].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    if (source.length > BIG_LIST)
      this.sorted = { source, length: source.length, version: this.version, users };
    return users;
  }

  private matching(q: UsersQuery, me: FakeUser): FakeUser[] {
    const source = this.data.users;
    const big = source.length > BIG_LIST;
    const key = JSON.stringify([q.kind, q.search, q.status, q.role, q.tag, q.assumable, me.userId, me.tags]);
    const c = this.lastFilter;
    if (c && c.key === key && c.source === source && c.length === source.length && c.version === this.version)
      return c.users;
    const words = searchWords(q.search);
    const blank = (s: string | null) => (s?.trim() ? s.trim() : null);
    const role = blank(q.role);
    const tag = blank(q.tag);
    const users = this.sortedUsers().filter(
      (u) =>
        (q.kind === "all" || u.isServiceUser === (q.kind === "service")) &&
        (q.status === null || u.enabled === (q.status === "enabled")) &&
        (role === null || u.roles.includes(role)) &&
        (tag === null || u.tags.includes(tag)) &&
        (!q.assumable || this.hasAccess(me, u)) &&
        (words.length === 0 || words.every((w) => this.tokens(u, big).some((t) => t.startsWith(w)))),
    );
    if (big) this.lastFilter = { key, source, length: source.length, version: this.version, users };
    return users;
  }

  private identityView(i: FakeIdentity): IdentityView {
    const secondsLeft = Math.max(0, Math.floor((Date.parse(i.expiresAt) - Date.now()) / 1000));
    return {
      ...i,
      secondsLeft,
      expired: secondsLeft <= 0,
      active: this.data.activeIdentity === i.serviceUserId,
    };
  }

  /** The stored identity of a service user, usable (not expired): what acting-as commands need. */
  private identity(userId: string): FakeIdentity {
    const env = this.currentEnv();
    const i = this.data.identities.find((x) => x.serviceUserId === userId);
    if (!i)
      refuse(
        "not_assumed",
        `service user '${userId}' is not assumed in profile '${env?.name ?? "demo"}'; run \`assume ${userId} --role ROLE\``,
      );
    if (Date.parse(i.expiresAt) <= Date.now())
      refuse(
        "assumed_token_expired",
        `the assumed token of '${userId}' expired at ${i.expiresAt}; assume it again`,
      );
    return i;
  }

  private sharesView(su: FakeUser): SharesView {
    const shares = su.shares ?? { users: [], tags: [] };
    return {
      users: shares.users.map((userId) => ({ userId, accessType: "owner" })),
      tags: shares.tags.map((tagId) => ({
        tagId,
        accessType: "owner",
        members: this.data.users
          .filter((u) => !u.isServiceUser && u.tags.includes(tagId))
          .map((u) => u.userId)
          .sort(),
      })),
      freshness: this.freshness(),
    };
  }

  // --- Commands: one method per generated command ---------------------------------------------

  async appInfo(): Promise<AppInfo> {
    return this.data.appInfo;
  }

  /** What the stored profile says, without the server (as `session_stored`). */
  async sessionStored(): Promise<SessionView> {
    return this.storedSession();
  }

  /** As `session_status`: the stored view, then what the server says of it. */
  async sessionStatus(): Promise<SessionView> {
    const d = this.data;
    const stored = this.storedSession();
    const env = this.currentEnv();
    if (!env) return stored;
    if (stored.problem) return { ...stored, roleId: null };
    const problem = (p: IpcError): SessionView => ({
      ...stored,
      roleId: null,
      online: p.code !== "offline",
      problem: p,
    });
    if (!d.online) return problem({ code: "offline", message: this.offlineMessage(env) });
    if (d.sessionProblem) return problem(d.sessionProblem);
    const me = this.me();
    return { ...stored, roleId: this.activeRole(me)?.roleId ?? d.roleId, online: true, problem: null };
  }

  private storedSession(): SessionView {
    const env = this.currentEnv();
    if (!env) {
      return {
        environment: null,
        userId: null,
        roleId: null,
        online: false,
        problem: null,
        sessionExpiresAt: null,
      };
    }
    return {
      environment: { ...env, current: true },
      userId: env.userId,
      roleId: env.defaultRole,
      online: true,
      problem: env.signedIn && env.userId ? null : notSignedIn(env.name),
      sessionExpiresAt: this.data.sessionExpiresAt,
    };
  }

  async myAccess(): Promise<AccessView> {
    const me = this.me();
    const role = this.activeRole(me);
    return {
      userId: me.userId,
      activeRole: role?.roleId ?? me.defaultRoleId,
      isSuperAdmin: !me.isServiceUser && Boolean(role?.isSuperAdmin),
      permissions: role?.permissions ?? [],
      roles: me.roles,
      tags: me.tags,
    };
  }

  async environmentsList(): Promise<EnvironmentView[]> {
    return this.data.environments.map((e) => ({ ...e, current: e.name === this.data.currentEnvironment }));
  }

  async environmentAdd(environment: NewEnvironment): Promise<EnvironmentView> {
    const name = environment.name.trim();
    const baseUrl = environment.baseUrl.trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
      refuse("invalid_input", "an environment name is 1-64 letters, digits, '.', '_' or '-'");
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl))
      refuse("invalid_input", `'${baseUrl}' is not a URL; give one like https://amorphic.example.com`);
    if (this.data.environments.some((e) => e.name === name))
      refuse("profile_exists", `a profile named '${name}' already exists`);
    const blank = (s: string | null) => (s?.trim() ? s.trim() : null);
    const added: FakeEnvironment = {
      name,
      baseUrl,
      colour: blank(environment.colour),
      production: environment.production,
      userId: null,
      defaultRole: blank(environment.defaultRole),
      signedIn: false,
    };
    this.data.environments.push(added);
    if (!this.currentEnv()) this.data.currentEnvironment = name;
    return { ...added, current: this.data.currentEnvironment === name };
  }

  async environmentUse(name: string): Promise<null> {
    if (!this.data.environments.some((e) => e.name === name))
      refuse("unknown_profile", `no profile named '${name}'; see \`profile list\``);
    this.data.currentEnvironment = name;
    this.data.activeIdentity = null;
    return null;
  }

  async environmentRemove(name: string): Promise<null> {
    if (!this.data.environments.some((e) => e.name === name))
      refuse("unknown_profile", `no profile named '${name}'; see \`profile list\``);
    this.data.environments = this.data.environments.filter((e) => e.name !== name);
    if (this.data.currentEnvironment === name) {
      this.data.currentEnvironment = null;
      this.data.identities = [];
      this.data.activeIdentity = null;
    }
    return null;
  }

  async signIn(environment: string, credential: SignInCredential): Promise<SessionView> {
    const env = this.data.environments.find((e) => e.name === environment);
    if (!env) refuse("unknown_profile", `no profile named '${environment}'; see \`profile list\``);
    if (!this.data.online) refuse("offline", this.offlineMessage(env));
    let user: FakeUser | undefined;
    let role: string | null = null;
    if (credential.kind === "pat") {
      // Demo PATs look like amo_pat_<user>_<role>_demo_000...
      const m = /^amo_pat_([a-z0-9.-]+)_([a-z]+)_/.exec(credential.token.trim());
      user = m ? this.find(m[1]) : undefined;
      const roles: Record<string, string> = {
        default: DEFAULT_ROLE,
        superadmin: "SystemRole-SuperAdmin",
        sysadmins: "SystemRole-SystemAdministrators",
        engineers: "role-data-engineers",
        analysts: "role-analysts",
      };
      role = m ? (roles[m[2]] ?? null) : null;
      this.data.sessionExpiresAt = null;
    } else {
      user = this.find(credential.userId.trim());
      if (user && user.password !== credential.password) user = undefined;
      role = env.defaultRole;
      this.data.sessionExpiresAt = new Date(Date.now() + 60 * 60_000).toISOString();
    }
    if (!user || user.isServiceUser) refuse("UNAUTHENTICATED");
    if (!user.enabled) refuse("UNAUTHENTICATED");
    env.userId = user.userId;
    env.signedIn = true;
    this.data.currentEnvironment = env.name;
    this.data.roleId = role && user.roles.includes(role) ? role : user.defaultRoleId;
    this.data.sessionProblem = null;
    return this.sessionStatus();
  }

  async signOut(): Promise<null> {
    const env = this.currentEnv();
    if (!env) refuse("no_profile");
    env.signedIn = false;
    this.data.identities = [];
    this.data.activeIdentity = null;
    this.data.sessionExpiresAt = null;
    return null;
  }

  async syncNow(): Promise<SyncView> {
    const d = this.data;
    const env = this.currentEnv();
    if (!env) refuse("no_profile");
    if (!env.signedIn || !env.userId)
      refuse("not_signed_in", `profile '${env.name}' is not signed in; run \`login\` first`);
    const usersCached = d.users.length;
    if (!d.online) return { online: false, asOf: d.lastSync, usersCached, problem: null };
    if (d.sessionProblem) return { online: true, asOf: d.lastSync, usersCached, problem: d.sessionProblem };
    d.lastSync = now();
    return { online: true, asOf: d.lastSync, usersCached, problem: null };
  }

  async usersPage(query: UsersQuery): Promise<UsersPage> {
    const me = this.me();
    const limit = Math.min(Math.max(query.limit, 1), 1000);
    const all = this.matching(query, me);
    const users = all.slice(query.offset, query.offset + limit).map((u) => this.view(u, me));
    return {
      users,
      offset: query.offset,
      hasMore: all.length > query.offset + limit,
      asOf: this.data.lastSync,
    };
  }

  async usersCount(query: UsersQuery): Promise<number> {
    return this.matching(query, this.me()).length;
  }

  async userGet(userId: string): Promise<UserFetched> {
    const me = this.me();
    const u = this.find(userId);
    if (!u) refuse("NOT_FOUND", `No user '${userId}'.`);
    return { user: this.view(u, me), freshness: this.freshness() };
  }

  async rolesList(): Promise<RoleView[]> {
    this.me();
    return this.data.roles;
  }

  async tagsList(): Promise<TagView[]> {
    this.me();
    return this.data.tags;
  }

  async serviceUserCreate(input: NewServiceUserInput): Promise<UserView> {
    const me = this.me({ write: true });
    if (me.isServiceUser || !this.activeRole(me)?.isSuperAdmin) refuse("SUPER_ADMIN_REQUIRED");
    const userId = input.userId.trim();
    if (!/^[A-Za-z0-9._-]{3,64}$/.test(userId))
      refuse("INVALID_REQUEST", "UserId must be 3-64 characters of letters, digits, '.', '_' or '-'.");
    if (!input.displayName.trim()) refuse("INVALID_REQUEST", "DisplayName must not be empty.");
    if (this.data.users.some((u) => u.userId.toLowerCase() === userId.toLowerCase()))
      refuse("ALREADY_EXISTS");
    const t = now();
    const created = fakeUser({
      userId,
      displayName: input.displayName.trim(),
      description: input.description?.trim() || null,
      createdBy: me.userId,
      creationTime: t,
      lastModified: t,
      sharedWith: [me.userId],
    });
    this.data.users.push(created);
    this.version++;
    this.record(userId, "created", `created "${created.displayName}"`, me.userId);
    const extra = input.roles.filter((r) => !created.roles.includes(r));
    if (extra.length > 0) {
      try {
        await this.serviceUserAttachRolesImpl(me, userId, extra);
      } catch (e) {
        const err = e as BackendError;
        refuse(err.code, `'${userId}' was created, but attaching its roles failed: ${err.message}`);
      }
    }
    return this.view(created, me);
  }

  private async serviceUserAttachRolesImpl(me: FakeUser, userId: string, roles: string[]): Promise<UserView> {
    const su = this.accessible(me, userId);
    for (const r of roles) {
      if (!this.data.roles.some((x) => x.roleId === r)) refuse("NOT_FOUND", `No role '${r}'.`);
    }
    if (roles.some((r) => !me.roles.includes(r))) refuse("NO_ACCESS_TO_ROLE");
    const added = roles.filter((r) => !su.roles.includes(r));
    if (added.length > 0) {
      su.roles = [...su.roles, ...added];
      this.touch(su);
      this.record(userId, "roles_attached", `attached ${added.join(", ")}`, me.userId);
    }
    return this.view(su, me);
  }

  async serviceUserAttachRoles(userId: string, roles: string[]): Promise<UserView> {
    return this.serviceUserAttachRolesImpl(this.me({ write: true }), userId, roles);
  }

  async serviceUserDetachRole(userId: string, role: string): Promise<UserView> {
    const me = this.me({ write: true });
    const su = this.accessible(me, userId);
    if (!su.roles.includes(role)) refuse("NOT_FOUND", `The role '${role}' is not attached to '${userId}'.`);
    if (!me.roles.includes(role)) refuse("NO_ACCESS_TO_ROLE");
    if (role === su.defaultRoleId || role === DEFAULT_ROLE) refuse("DEFAULT_ROLE_REQUIRED");
    su.roles = su.roles.filter((r) => r !== role);
    this.touch(su);
    this.record(userId, "role_detached", `detached ${role}`, me.userId);
    return this.view(su, me);
  }

  private setStatus(userId: string, enabled: boolean): UserView {
    const me = this.me({ write: true });
    const su = this.accessible(me, userId);
    if (su.enabled !== enabled) {
      su.enabled = enabled;
      this.touch(su);
      this.record(userId, enabled ? "enabled" : "disabled", enabled ? "enabled" : "disabled", me.userId);
    }
    return this.view(su, me);
  }

  async serviceUserEnable(userId: string): Promise<UserView> {
    return this.setStatus(userId, true);
  }

  async serviceUserDisable(userId: string): Promise<UserView> {
    return this.setStatus(userId, false);
  }

  async serviceUserShares(userId: string): Promise<SharesView> {
    this.me();
    return this.sharesView(this.serviceUser(userId));
  }

  async serviceUserShare(userId: string, users: string[], tags: string[]): Promise<SharesView> {
    const me = this.me({ write: true });
    const su = this.accessible(me, userId);
    for (const id of users) if (!this.find(id)) refuse("NOT_FOUND", `No user '${id}'.`);
    for (const id of tags)
      if (!this.data.tags.some((t) => t.tagId === id)) refuse("NOT_FOUND", `No tag '${id}'.`);
    if (users.some((id) => this.find(id)?.isServiceUser)) refuse("CANNOT_SHARE_WITH_SERVICE_USER");
    const shares = su.shares ?? { users: [], tags: [] };
    const newUsers = users.filter((u) => !shares.users.includes(u));
    const newTags = tags.filter((t) => !shares.tags.includes(t));
    su.shares = { users: [...shares.users, ...newUsers], tags: [...shares.tags, ...newTags] };
    if (newUsers.length + newTags.length > 0) {
      this.touch(su);
      const names = [...newUsers, ...newTags.map((t) => `tag ${t}`)];
      this.record(userId, "shared", `shared with ${names.join(", ")} (owner access)`, me.userId);
    }
    return this.sharesView(su);
  }

  async serviceUserUnshare(userId: string, principal: SharePrincipal): Promise<SharesView> {
    const me = this.me({ write: true });
    const su = this.accessible(me, userId);
    const shares = su.shares ?? { users: [], tags: [] };
    const list = principal.kind === "user" ? shares.users : shares.tags;
    if (!list.includes(principal.id)) refuse("NOT_FOUND", `'${userId}' is not shared with ${principal.id}.`);
    if (shares.users.length + shares.tags.length <= 1) refuse("LAST_OWNER");
    su.shares =
      principal.kind === "user"
        ? { ...shares, users: shares.users.filter((u) => u !== principal.id) }
        : { ...shares, tags: shares.tags.filter((t) => t !== principal.id) };
    this.touch(su);
    this.record(
      userId,
      "unshared",
      principal.kind === "user"
        ? `stopped sharing with ${principal.id}`
        : `stopped sharing with tag ${principal.id}`,
      me.userId,
    );
    return this.sharesView(su);
  }

  private owned(userId: string) {
    return this.data.datasources
      .filter((d) => d.owner === userId)
      .map((d) => ({ resourceType: "datasource", resourceId: d.datasourceId, name: d.datasourceName }));
  }

  async serviceUserOwnedResources(userId: string): Promise<OwnedResourcesView> {
    const me = this.me();
    this.accessible(me, userId);
    return { resources: this.owned(userId), freshness: this.freshness() };
  }

  async serviceUserDelete(userId: string, transferTo: string): Promise<DeletedView> {
    const me = this.me({ write: true });
    const su = this.accessible(me, userId);
    if (su.enabled) refuse("MUST_DISABLE_FIRST");
    if (!transferTo.trim()) refuse("TRANSFER_USER_REQUIRED");
    const to = this.find(transferTo);
    if (!to || to.isServiceUser || !to.enabled) refuse("INVALID_TRANSFER_USER");
    const transferred = this.owned(userId);
    for (const d of this.data.datasources) if (d.owner === userId) d.owner = transferTo;
    this.data.users = this.data.users.filter((u) => u !== su);
    delete this.data.accessTokens[userId];
    this.data.identities = this.data.identities.filter((i) => i.serviceUserId !== userId);
    if (this.data.activeIdentity === userId) this.data.activeIdentity = null;
    this.version++;
    this.record(
      userId,
      "deleted",
      `deleted; ${transferred.length} resource(s) transferred to ${transferTo}`,
      me.userId,
    );
    return { userId, transferredTo: transferTo, transferred };
  }

  async serviceUserAccessTokens(userId: string): Promise<AccessTokensView> {
    const me = this.me();
    this.accessible(me, userId);
    return { tokens: this.data.accessTokens[userId] ?? [], freshness: this.freshness() };
  }

  async serviceUserAccessTokenRevoke(userId: string, tokenId: string): Promise<null> {
    const me = this.me({ write: true });
    this.accessible(me, userId);
    this.removeToken(userId, tokenId, me.userId);
    return null;
  }

  private removeToken(userId: string, tokenId: string, actor: string): void {
    const tokens = this.data.accessTokens[userId] ?? [];
    if (!tokens.some((t) => t.tokenId === tokenId)) refuse("NOT_FOUND", `No access token '${tokenId}'.`);
    this.data.accessTokens[userId] = tokens.filter((t) => t.tokenId !== tokenId);
    this.record(userId, "access_token_revoked", `access token ${tokenId} revoked`, actor);
  }

  async serviceUserHistory(userId: string): Promise<ActivityView[]> {
    return this.data.history[userId] ?? [];
  }

  async identitiesList(): Promise<IdentityView[]> {
    this.currentEnv() ?? refuse("no_profile");
    return this.data.identities.map((i) => this.identityView(i));
  }

  async assume(userId: string, role: string | null, minutes: number | null): Promise<IdentityView> {
    const me = this.me({ write: true });
    const su = this.serviceUser(userId);
    if (me.isServiceUser) refuse("SERVICE_USER_NOT_ALLOWED");
    if (!this.hasAccess(me, su)) refuse("NO_ACCESS_TO_SERVICE_USER");
    const roleId = role ?? su.defaultRoleId;
    if (!this.data.roles.some((r) => r.roleId === roleId)) refuse("NOT_FOUND", `No role '${roleId}'.`);
    if (!su.roles.includes(roleId)) refuse("ROLE_NOT_ATTACHED");
    if (!su.enabled) refuse("SERVICE_USER_DISABLED");
    const m = minutes ?? 60;
    if (!Number.isInteger(m) || m < 1 || m > 180) refuse("INVALID_EXPIRY");
    return this.issue(me, userId, roleId, m, true);
  }

  private issue(
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
    this.data.identities = [...this.data.identities.filter((i) => i.serviceUserId !== userId), identity];
    if (activate) this.data.activeIdentity = userId;
    this.record(userId, "assumed", `assumed with role ${roleId} for ${minutes} minutes`, me.userId);
    return this.identityView(identity);
  }

  async identityReassume(userId: string): Promise<IdentityView> {
    const me = this.me({ write: true });
    const old = this.data.identities.find((i) => i.serviceUserId === userId);
    if (!old) this.identity(userId);
    const su = this.serviceUser(userId);
    if (!this.hasAccess(me, su)) refuse("NO_ACCESS_TO_SERVICE_USER");
    if (!su.roles.includes(old?.roleId ?? "")) refuse("ROLE_NOT_ATTACHED");
    if (!su.enabled) refuse("SERVICE_USER_DISABLED");
    return this.issue(me, userId, old?.roleId ?? su.defaultRoleId, old?.minutes ?? 60, false);
  }

  async identityForget(userId: string): Promise<null> {
    this.currentEnv() ?? refuse("no_profile");
    this.data.identities = this.data.identities.filter((i) => i.serviceUserId !== userId);
    if (this.data.activeIdentity === userId) this.data.activeIdentity = null;
    return null;
  }

  async identityActivate(userId: string | null): Promise<null> {
    const env = this.currentEnv() ?? refuse("no_profile");
    if (userId !== null && !this.data.identities.some((i) => i.serviceUserId === userId))
      refuse(
        "not_assumed",
        `service user '${userId}' is not assumed in profile '${env.name}'; run \`assume ${userId} --role ROLE\``,
      );
    this.data.activeIdentity = userId;
    return null;
  }

  /** The service user acting under its identity's role: for acting-as commands. */
  private actingAs(
    userId: string,
    write: boolean,
  ): { su: FakeUser; role: RoleView | undefined; me: FakeUser } {
    const me = this.me({ write });
    const identity = this.identity(userId);
    const su = this.serviceUser(userId);
    if (this.data.online && !su.enabled) refuse("PRINCIPAL_DISABLED");
    return { su, me, role: this.data.roles.find((r) => r.roleId === identity.roleId) };
  }

  async datasourcesAs(userId: string): Promise<DatasourceView[]> {
    this.actingAs(userId, false);
    return this.data.datasources;
  }

  async datasourceCreateAs(userId: string, name: string, datasourceType: string): Promise<DatasourceView> {
    const { role, me } = this.actingAs(userId, true);
    if (!role?.permissions.includes("datasources.create")) refuse("FORBIDDEN");
    if (!name.trim() || !datasourceType.trim())
      refuse("INVALID_REQUEST", "DatasourceName and DatasourceType must not be empty.");
    const created = ds(`ds-${this.nextId++}-${name.trim()}`, name.trim(), datasourceType.trim(), userId);
    created.creationTime = now();
    this.data.datasources.push(created);
    this.record(
      userId,
      "datasource_created",
      `datasource "${created.datasourceName}" (${created.datasourceType}) created as ${userId}`,
      me.userId,
    );
    return created;
  }

  async accessTokensAs(userId: string): Promise<AccessTokenView[]> {
    this.actingAs(userId, false);
    return this.data.accessTokens[userId] ?? [];
  }

  async accessTokenCreateAs(userId: string, input: NewAccessTokenInput): Promise<CreatedAccessTokenView> {
    const { su, me } = this.actingAs(userId, true);
    if (!input.name.trim()) refuse("INVALID_REQUEST", "TokenName must not be empty.");
    if (!su.roles.includes(input.roleId)) refuse("ROLE_NOT_ATTACHED");
    if (input.expiresInDays < 1 || input.expiresInDays > 365) refuse("INVALID_EXPIRY");
    const t = Date.now();
    const token: AccessTokenView = {
      tokenId: `tok-${this.nextId++}`,
      tokenName: input.name.trim(),
      description: input.description?.trim() || null,
      roleId: input.roleId,
      expiresAt: new Date(t + input.expiresInDays * 86_400_000).toISOString(),
      creationTime: new Date(t).toISOString(),
      createdBy: me.userId,
      active: true,
    };
    this.data.accessTokens[userId] = [...(this.data.accessTokens[userId] ?? []), token];
    this.record(
      userId,
      "access_token_created",
      `access token "${token.tokenName}" created for role ${token.roleId}, expires ${token.expiresAt}`,
      me.userId,
    );
    const secret = `amo_pat_${"fakeSecretFromTheFakeBackend0123456789abcd".slice(0, 40)}${String(this.nextId).padStart(3, "0")}`;
    return { token, secret };
  }

  async accessTokenDeleteAs(userId: string, tokenId: string): Promise<null> {
    const { me } = this.actingAs(userId, true);
    this.removeToken(userId, tokenId, me.userId);
    return null;
  }

  async clipboardCopySecret(text: string): Promise<null> {
    this.data.clipboard = text;
    return null;
  }
}
