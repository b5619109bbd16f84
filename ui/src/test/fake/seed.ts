// The data the fake starts with: the server's demo seed, imported (not retyped), plus what the seed
// lacks (the app's own state, timestamps, a service user's PAT and its history), below.

import demoSeed from "../../../../crates/server/seed/demo-seed.json";
import type { DatasourceView, RoleView, TagView } from "../../ipc";
import { DEFAULT_ROLE } from "./rules";
import type { FakeData, FakeUser } from "./state";

/** The seed format (crates/server/src/seed/format.rs `Seed`), as far as the fake reads it. */
type SeedFile = {
  Roles: Array<{
    RoleId: string;
    RoleName: string;
    Description?: string | null;
    IsSystemRole: boolean;
    IsSuperAdmin: boolean;
    Permissions: string[];
  }>;
  Tags: Array<{ TagId: string; TagKey: string; TagValue: string; Description?: string | null }>;
  Users: SeedUser[];
  Datasources: Array<{ DatasourceId: string; DatasourceName: string; DatasourceType: string; Owner: string }>;
};

type SeedUser = {
  UserId: string;
  IsServiceUser?: boolean;
  DisplayName: string;
  Description?: string | null;
  Password?: string;
  UserStatus?: string;
  Roles: string[];
  DefaultRoleId: string;
  Tags?: string[];
  AccessTokens?: Array<{ Token: string; RoleId: string }>;
  Shares?: { Users?: Array<{ UserId: string }>; Tags?: Array<{ TagId: string }> } | null;
  CreatedBy?: string | null;
};

// Type-checked, so a change of the seed's format fails `tsc` here.
const seed: SeedFile = demoSeed;

/** When the seeded records were created (the server stamps its load time; the fake needs a fixed one). */
const SEED_TIME = "2026-11-01T09:00:00+00:00";
/** When the seeded users were last modified (likewise). */
const SEED_MODIFIED = "2026-11-20T09:30:00+00:00";

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
    lastModified: SEED_MODIFIED,
    shares,
    ...rest,
  };
}

function seededUser(u: SeedUser): FakeUser {
  return fakeUser({
    userId: u.UserId,
    displayName: u.DisplayName,
    description: u.Description ?? null,
    isServiceUser: u.IsServiceUser ?? false,
    enabled: (u.UserStatus ?? "enabled") === "enabled",
    defaultRoleId: u.DefaultRoleId,
    roles: [...u.Roles],
    tags: [...(u.Tags ?? [])],
    createdBy: u.CreatedBy ?? null,
    shares: u.Shares
      ? {
          users: (u.Shares.Users ?? []).map((s) => s.UserId),
          tags: (u.Shares.Tags ?? []).map((s) => s.TagId),
        }
      : null,
    ...(u.Password === undefined ? {} : { password: u.Password }),
  });
}

/** The demo seed's users: four people (dave disabled) and three service users. */
export function demoUsers(): FakeUser[] {
  return seed.Users.map(seededUser);
}

export function demoRoles(): RoleView[] {
  return seed.Roles.map((r) => ({
    roleId: r.RoleId,
    roleName: r.RoleName,
    description: r.Description ?? null,
    isSystemRole: r.IsSystemRole,
    isSuperAdmin: r.IsSuperAdmin,
    permissions: [...r.Permissions],
  }));
}

function demoTags(): TagView[] {
  return seed.Tags.map((t) => ({
    tagId: t.TagId,
    tagKey: t.TagKey,
    tagValue: t.TagValue,
    description: t.Description ?? null,
  }));
}

function demoDatasources(): DatasourceView[] {
  return seed.Datasources.map((d) => ({
    datasourceId: d.DatasourceId,
    datasourceName: d.DatasourceName,
    datasourceType: d.DatasourceType,
    owner: d.Owner,
    creationTime: SEED_TIME,
  }));
}

/** The demo PATs' shape: `amo_pat_<user>_<role word>_demo_000...`. */
export const DEMO_PAT = /^amo_pat_([a-z0-9.-]+)_([a-z]+)_/;

/**
 * The role each demo PAT's role word stands for (`superadmin`: `SystemRole-SuperAdmin`), from the
 * seed's PATs. The fake accepts any PAT of this shape for a seeded user, not only the seed's own.
 */
export const DEMO_PAT_ROLES: Readonly<Record<string, string>> = Object.fromEntries(
  seed.Users.flatMap((u) => u.AccessTokens ?? []).flatMap((t) => {
    const word = DEMO_PAT.exec(t.Token)?.[2];
    return word ? [[word, t.RoleId]] : [];
  }),
);

/**
 * The demo seed, signed in to the environment `demo` as alice with her super-admin role. Besides
 * the seed: the app's state (environment, session, cache time), etl-bot's PAT and its history.
 */
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
    auth: "pat",
    users: demoUsers(),
    roles: demoRoles(),
    tags: demoTags(),
    // The seed gives PATs to people only; the tokens tab needs one of a service user.
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
    datasources: demoDatasources(),
    identities: [],
    activeIdentity: null,
    // What the app would have recorded of etl-bot: its creation and its last change (SEED_MODIFIED).
    history: {
      "etl-bot": [
        {
          at: SEED_MODIFIED,
          action: "roles_attached",
          detail: "attached role-data-engineers",
          actor: "alice",
        },
        { at: SEED_TIME, action: "created", detail: 'created "ETL bot"', actor: "alice" },
      ],
    },
    lastSync: "2026-11-27T10:42:00+00:00",
    clipboard: null,
  };
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
