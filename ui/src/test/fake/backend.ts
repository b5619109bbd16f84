// An in-memory Backend for component tests (vitest) and for the browser tests' IPC mock build.
// Its data follows the demo seed (./seed.ts) and its answers follow the rules of the API contract
// (docs/api.md) and of the app core (./rules.ts), with the real error codes.
// Adding a Rust command: add ONE handler to commands/<feature>.ts, named like the generated
// command (`serviceUserCreate` for `service_user_create`), with the generated arguments. `tsc`
// fails until it exists; failure injection, call recording and the IPC mock come for free.
import {
  type Backend,
  BackendError,
  type Code,
  type CommandArgs,
  type CommandName,
  commandNames,
  type Freshness,
  type IpcError,
  type RoleView,
  type UsersQuery,
  type UserView,
} from "../../ipc";
import { commandHandlers } from "./commands";
import { DEFAULT_MESSAGES } from "./errors";
import { checkAccessible, checkServiceUser, checkSession, DEFAULT_ROLE, hasAccess } from "./rules";
import { UserSearch } from "./search";
import { demoData, fakeUser, manyUsers } from "./seed";
import { type FakeData, type FakeEnvironment, type FakeUser, now } from "./state";

type Failure = { error: IpcError; remaining: number };

/** One recorded call: `fake.calls.filter((c) => c.command === "usersPage")`. */
export type FakeCall = { command: CommandName; args: unknown[] };

// Typed as a Backend: the constructor defines every command (commandHandlers has one per command).
const BackendCommands = class {} as new () => Backend;

export class FakeBackend extends BackendCommands {
  data: FakeData;
  readonly calls: FakeCall[] = [];
  /** Milliseconds each answer takes (0: next macrotask); the mock build uses a little to show loading states. */
  latencyMs = 0;
  private readonly failures = new Map<CommandName | "*", Failure>();
  private readonly delays = new Map<CommandName, number>();
  private readonly search = new UserSearch();
  /** Bumped by every change the fake makes itself (big-list caches depend on it). */
  private version = 0;
  private nextId = 1;

  constructor(data: Partial<FakeData> = {}) {
    super();
    this.data = { ...demoData(), ...data };
    // Every command goes through `answer`: recorded, maybe failed, its result copied as if serialised.
    for (const name of commandNames) {
      const handler = commandHandlers[name] as (fake: FakeBackend, ...a: unknown[]) => Promise<unknown>;
      const impl = (...args: unknown[]) => handler(this, ...args);
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
    code: Code,
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

  // --- For the command handlers (commands/*) -------------------------------------------------

  currentEnv(): FakeEnvironment | null {
    return this.data.environments.find((e) => e.name === this.data.currentEnvironment) ?? null;
  }

  /**
   * The signed-in user for a command (see `checkSession`). `write`: it changes the server (fails
   * offline). A user the fake does not know gets the current role besides the default one.
   */
  me({ write = false }: { write?: boolean } = {}): FakeUser {
    const userId = checkSession(this.data, this.currentEnv(), write);
    const me = this.find(userId);
    return (
      me ??
      fakeUser({
        userId,
        isServiceUser: false,
        roles: [DEFAULT_ROLE, this.data.roleId ?? DEFAULT_ROLE],
      })
    );
  }

  activeRole(me: FakeUser): RoleView | undefined {
    const id = this.data.roleId ?? me.defaultRoleId;
    return this.data.roles.find((r) => r.roleId === id);
  }

  find(userId: string): FakeUser | undefined {
    return this.data.users.find((u) => u.userId === userId);
  }

  /** The service user `userId`: 404 or 400 otherwise. */
  serviceUser(userId: string): FakeUser {
    return checkServiceUser(this.find(userId), userId);
  }

  /** The service user `userId`, which `me` has access to. */
  accessible(me: FakeUser, userId: string): FakeUser {
    return checkAccessible(me, this.find(userId), userId);
  }

  /** The users matching a list query, sorted by id. */
  matching(q: UsersQuery, me: FakeUser): FakeUser[] {
    return this.search.matching(this.data.users, this.version, q, me);
  }

  view(u: FakeUser, me: FakeUser | null): UserView {
    const { shares, password: _, ...rest } = u;
    return {
      ...rest,
      sharedWith: shares ? [...shares.users, ...shares.tags.map((t) => `#${t}`)] : [],
      callerHasAccess: me !== null && hasAccess(me, u),
    };
  }

  freshness(): Freshness {
    return { stale: !this.data.online, asOf: this.data.online ? now() : this.data.lastSync };
  }

  /** A user changed. */
  touch(u: FakeUser): void {
    u.lastModified = now();
    this.search.forget(u);
    this.version++;
  }

  /** Users were added or removed. */
  changed(): void {
    this.version++;
  }

  /** A fresh number for a new record's id. */
  newId(): number {
    return this.nextId++;
  }

  record(userId: string, action: string, detail: string, actor: string | null): void {
    const list = this.data.history[userId] ?? [];
    this.data.history[userId] = [{ at: now(), action, detail, actor }, ...list];
  }
}
