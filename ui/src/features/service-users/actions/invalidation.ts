// What each change makes stale: the list (usersPage, usersCount), the detail (userGet), its tabs
// and the identities. `useBackendMutation(command, { invalidates: AFTER.roles })`.
import type { CommandName } from "../../../ipc";

const LIST: CommandName[] = ["usersPage", "usersCount"];

export const AFTER = {
  create: [...LIST, "serviceUserHistory"],
  roles: [...LIST, "userGet", "serviceUserHistory"],
  status: [...LIST, "userGet", "serviceUserHistory", "identitiesList", "serviceUserAccessTokens"],
  shares: [...LIST, "userGet", "serviceUserShares", "serviceUserHistory"],
  tokens: ["serviceUserAccessTokens", "serviceUserHistory", "accessTokensAs"],
  assume: ["identitiesList", "serviceUserHistory", "sessionStatus"],
  /** userGet of the deleted user is removed, not refetched (it would answer NOT_FOUND). */
  delete: [...LIST, "identitiesList", "serviceUserHistory"],
} satisfies Record<string, CommandName[]>;
