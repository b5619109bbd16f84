// Why an action is not allowed now, as the disabled button's tooltip says it (null: allowed).
// The server checks again; these only keep the window from offering what will be refused.
import { CONTRACT, type UserView } from "../../../gen/bindings";
import { useBackendQuery } from "../../../ipc/queries";

export const CREATE_NEEDS_SUPER_ADMIN =
  "Only a super-admin role can create service users. Switch role in the top bar.";

export function noAccessReason(user: UserView, what: string): string | null {
  return user.callerHasAccess
    ? null
    : `You are not an owner of ${user.userId}: only its owners (directly or through a tag) can ${what}.`;
}

/** Offline: reads come from the cache, changes need the server. */
export function useOfflineReason(): string | null {
  const { data } = useBackendQuery("sessionStatus", []);
  return data && !data.online ? "Offline: this needs the server. The window shows the cache." : null;
}

/** Why `user` cannot be assumed now (the drawer's Assume button and the command palette). */
export function assumeReason(user: UserView, offline: string | null): string | null {
  return firstReason(
    noAccessReason(user, "assume it"),
    !user.enabled && `${user.userId} is disabled: enable it before assuming it.`,
    offline,
  );
}

export function firstReason(...reasons: Array<string | null | undefined | false>): string | null {
  return reasons.find((r): r is string => typeof r === "string" && r.length > 0) ?? null;
}

export const DEFAULT_ROLE = CONTRACT.defaultRoleId;
