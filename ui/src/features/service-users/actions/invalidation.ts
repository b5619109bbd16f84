// What each change makes stale: the list (usersPage, usersCount), the detail (userGet), its tabs
// and the identities (the app core checks an assumed identity again after each change to its
// service user). `useBackendMutation(command, { invalidates: AFTER.roles })`.
import type { CommandName } from "../../../ipc";

const LIST: CommandName[] = ["usersPage", "usersCount"];

export const AFTER = {
  create: [...LIST, "serviceUserHistory"],
  roles: [...LIST, "userGet", "serviceUserHistory", "identitiesList"],
  status: [...LIST, "userGet", "serviceUserHistory", "identitiesList", "serviceUserAccessTokens"],
  shares: [...LIST, "userGet", "serviceUserShares", "serviceUserHistory", "identitiesList"],
  tokens: ["serviceUserAccessTokens", "serviceUserHistory", "accessTokensAs"],
  assume: ["identitiesList", "serviceUserHistory", "sessionStatus"],
  /** userGet of the deleted user is removed, not refetched (it would answer NOT_FOUND). */
  delete: [...LIST, "identitiesList", "serviceUserHistory"],
} satisfies Record<string, CommandName[]>;
