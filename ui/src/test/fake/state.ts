// What the fake knows: its data, which tests and scenarios change directly
// (`fake.data.users.push(...)`), and the shapes of what it stores.
import type {
  AccessTokenView,
  ActivityView,
  AppInfo,
  DatasourceView,
  EnvironmentView,
  IdentityView,
  IpcError,
  RefusalView,
  RoleView,
  SignInKind,
  TagView,
  UserView,
} from "../../ipc";

/** A user as the fake stores it: the view without what is computed (shares as lists, caller access). */
export type FakeUser = Omit<UserView, "sharedWith" | "callerHasAccess"> & {
  /** Service users only: who has owner access (user ids and tag ids, without `#`). */
  shares: { users: string[]; tags: string[] } | null;
  /** Regular users only: the demo password (`<id>-demo-password` in the demo seed). */
  password?: string;
};

/** An environment (profile); `current` is `FakeData.currentEnvironment`. */
export type FakeEnvironment = Omit<EnvironmentView, "current">;

/**
 * An assumed identity; its countdown, state and `active` are computed. What the server said at
 * the last check stays with it (`refusal`, `checkedAt`), as the app core keeps it in its cache.
 */
export type FakeIdentity = Pick<
  IdentityView,
  "serviceUserId" | "roleId" | "minutes" | "issuedAt" | "expiresAt"
> & {
  /** The server refused the token at the last check or acting-as request. */
  refusal?: RefusalView | null;
  /** When the server was last asked about it. */
  checkedAt?: string | null;
  /** Issued before its service user was disabled: the server never accepts it again. */
  issuedBeforeDisable?: boolean;
};

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
  /** How the current environment signed in: a PAT (bound to its role) or a password session. */
  auth: SignInKind | null;
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

/** The fake's clock: now, as RFC 3339. */
export const now = (): string => new Date().toISOString();
