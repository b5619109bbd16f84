// Named states of the fake backend, shared by component tests and the browser tests: the mock
// build picks one from the page URL (`/?scenario=offline`). Add one per screen state you test.
import { FakeBackend, fakeUser } from "./fake";
import { checkIdentity } from "./fake/commands/identities";
import { DEFAULT_ROLE } from "./fake/rules";

/** alice has assumed these (service user, role) for 60 minutes, `minutesLeft` to go; the first is active. */
function actingAsFor(minutesLeft: number, ...assumed: Array<[string, string]>): FakeBackend {
  const fake = new FakeBackend();
  const expires = Date.now() + minutesLeft * 60_000;
  fake.data.identities = assumed.map(([serviceUserId, roleId]) => ({
    serviceUserId,
    roleId,
    minutes: 60,
    issuedAt: new Date(expires - 60 * 60_000).toISOString(),
    expiresAt: new Date(expires).toISOString(),
  }));
  fake.data.activeIdentity = assumed[0][0];
  return fake;
}

/** alice signed in with her password, the session ending in `minutesLeft`. */
function passwordSessionFor(minutesLeft: number): FakeBackend {
  return new FakeBackend({
    auth: "session",
    sessionExpiresAt: new Date(Date.now() + minutesLeft * 60_000).toISOString(),
  });
}

/** alice acts as etl-bot, disabled since (and maybe enabled again); the last check saw it refused. */
function actingAsRefused({ reEnabled }: { reEnabled: boolean }): FakeBackend {
  const fake = actingAsFor(42, ["etl-bot", "role-data-engineers"]);
  const [etl] = fake.data.identities;
  etl.issuedBeforeDisable = true;
  const su = fake.find("etl-bot");
  if (su) su.enabled = reEnabled;
  checkIdentity(fake, fake.me(), etl);
  return fake;
}

/** The widest top bar: production, a long service-user id and role names, a refused identity. */
const LONG_SU = "nightly-finance-reconciliation-bot";
function crowdedTopBar(): FakeBackend {
  const fake = new FakeBackend({
    auth: "session",
    roleId: "SystemRole-SystemAdministrators",
    currentEnvironment: "prod-eu-central",
  });
  fake.data.environments = [
    {
      name: "prod-eu-central",
      baseUrl: "https://prod-eu-central.example.test",
      colour: null,
      production: true,
      userId: "alice",
      defaultRole: "SystemRole-SystemAdministrators",
      signedIn: true,
    },
  ];
  fake.data.sessionExpiresAt = new Date(Date.now() + 42 * 60_000).toISOString();
  fake.data.users.push(
    fakeUser({
      userId: LONG_SU,
      roles: [DEFAULT_ROLE, "SystemRole-SystemAdministrators"],
      sharedWith: ["alice"],
    }),
  );
  const expires = Date.now() + 42 * 60_000;
  const identity = {
    serviceUserId: LONG_SU,
    roleId: "SystemRole-SystemAdministrators",
    minutes: 60,
    issuedAt: new Date(expires - 60 * 60_000).toISOString(),
    expiresAt: new Date(expires).toISOString(),
    issuedBeforeDisable: true,
  };
  fake.data.identities = [identity];
  fake.data.activeIdentity = LONG_SU;
  checkIdentity(fake, fake.me(), identity);
  return fake;
}

export const scenarios = {
  /** alice, super-admin, online, the demo seed (three service users, four people). */
  signedIn: () => new FakeBackend(),
  /** alice acting as herself with her default role: not a super-admin. */
  notSuperAdmin: () => new FakeBackend({ roleId: "SystemRole-DefaultUsers" }),
  /** The server cannot be reached: the list comes from the cache, with an "as of" banner. */
  offline: () => new FakeBackend().goOffline("2026-11-27T10:42:00+00:00"),
  /** The list fails with a server message. */
  listError: () =>
    new FakeBackend().failWith("usersPage", "INTERNAL", {
      message: "The server failed while listing service users; try again later.",
    }),
  /** The stored session ended. */
  sessionExpired: () =>
    new FakeBackend({
      sessionProblem: {
        code: "session_expired",
        message:
          "the session of profile 'demo' has ended (it expired or was signed out on the server); sign in again",
      },
    }),
  /** alice signed in with her password: the session ends in 42 minutes. */
  passwordSession: () => passwordSessionFor(42),
  /** alice's password session ends in 3 minutes: the window asks her to sign in again. */
  sessionEnding: () => passwordSessionFor(3),
  /** A new administrator: alice signed in with her password, acting with her default role. */
  defaultRoleSession: () => {
    const fake = passwordSessionFor(42);
    fake.data.roleId = null;
    fake.data.environments[0].defaultRole = null;
    return fake;
  },
  /** alice signed in with a PAT of her default role: bound to it, the role menu cannot switch. */
  patDefaultRole: () => {
    const fake = new FakeBackend({ roleId: null, auth: "pat" });
    fake.data.environments[0].defaultRole = null;
    return fake;
  },
  /** An environment, not signed in. */
  signedOut: () => {
    const fake = new FakeBackend();
    fake.data.environments[0].signedIn = false;
    return fake;
  },
  /** No environment configured yet. */
  noEnvironment: () => new FakeBackend({ environments: [], currentEnvironment: null, roleId: null }),
  /** Signed in to a production environment (red everywhere it appears). */
  production: () =>
    new FakeBackend().useEnvironment({
      name: "prod-eu",
      baseUrl: "https://amorphic.example.com",
      production: true,
      defaultRole: "SystemRole-SuperAdmin",
    }),
  /** Signed in, no service users. */
  empty: () => new FakeBackend().seedUsers([]),
  /** alice acts as etl-bot (Data engineers), 42 minutes left. */
  actingAs: () => {
    const fake = new FakeBackend();
    const issued = Date.now() - 18 * 60_000;
    fake.data.identities = [
      {
        serviceUserId: "etl-bot",
        roleId: "role-data-engineers",
        minutes: 60,
        issuedAt: new Date(issued).toISOString(),
        expiresAt: new Date(issued + 60 * 60_000).toISOString(),
      },
    ];
    fake.data.activeIdentity = "etl-bot";
    return fake;
  },
  /** alice acts as etl-bot with 5 minutes left (orange countdown); report-bot is assumed too. */
  actingAsExpiring: () => actingAsFor(5, ["etl-bot", "role-data-engineers"], ["report-bot", "role-analysts"]),
  /** alice acts as etl-bot, whose token has expired (red countdown). */
  actingAsExpired: () => actingAsFor(-1, ["etl-bot", "role-data-engineers"]),
  /** alice acts as etl-bot, disabled since (the server refuses its token; it cannot be assumed again). */
  refusedDisabled: () => actingAsRefused({ reEnabled: false }),
  /** etl-bot was disabled and enabled again: its old token stays refused, a new one can be assumed. */
  refusedTokenInvalid: () => actingAsRefused({ reEnabled: true }),
  /** The widest top bar: production, long names, a refused identity that can be assumed again. */
  crowdedTopBar,
  /** 100,000 generated service users besides the demo seed's (long-list tests). */
  many: () => new FakeBackend().addManyUsers(100_000),
} satisfies Record<string, () => FakeBackend>;

export type ScenarioName = keyof typeof scenarios;

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(scenarios, name);
}
