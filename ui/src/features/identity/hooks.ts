import { useCallback, useEffect, useState } from "react";
import { CONTRACT, type IdentityView } from "../../gen/bindings";
import { useBackendQuery } from "../../ipc/queries";

/** The assumed identities of the current environment; `active` is the one the window acts as. */
export function useIdentities(enabled = true) {
  const query = useBackendQuery("identitiesList", [], { enabled });
  const active: IdentityView | null = query.data?.find((i) => i.active) ?? null;
  return { ...query, identities: query.data ?? [], active };
}

/** A role as a picker offers it: "id (name)", or the id alone while its name is unknown. */
export function roleOption(roleId: string, roleName: string | undefined): { value: string; label: string } {
  return { value: roleId, label: roleName && roleName !== roleId ? `${roleId} (${roleName})` : roleId };
}

/** Role ids to their names (the id itself while the roles load or when they cannot be read). */
export function useRoleNames(): (roleId: string) => string {
  const { data } = useBackendQuery("rolesList", [], { staleTime: 5 * 60_000 });
  return useCallback((roleId: string) => data?.find((r) => r.roleId === roleId)?.roleName ?? roleId, [data]);
}

/** The current time, ticking every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** Time left as mm:ss (minutes may exceed 59: an assumed token lives up to 180 minutes). */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const mm = Math.floor(total / 60);
  const ss = total % 60;
  return `${String(mm).padStart(2, "0")}:${String(ss).padStart(2, "0")}`;
}

/** Under this, the countdown turns orange: the identity is expiring (as the tray says). */
export const WARN_BEFORE_MS = CONTRACT.expiringSeconds * 1000;

export type Urgency = "ok" | "warning" | "expired";

export function urgencyOf(msLeft: number): Urgency {
  if (msLeft <= 0) return "expired";
  return msLeft <= WARN_BEFORE_MS ? "warning" : "ok";
}
