// The command palette's entries, built from what the window already knows (the cached service
// users, the environments, your roles). Each entry only calls a handler: the handlers open the
// same dialogs and send the same commands as the buttons do.
import type { EnvironmentView, RoleChoiceView, UserView } from "../../ipc";
import { assumeReason, firstReason, noAccessReason } from "../service-users/actions/policy";
import type { PaletteEntry } from "./ranking";

/** A page of the window the palette can open ("Open journal"). */
export type PalettePage = { id: string; label: string };

export type PaletteHandlers = {
  assume: (user: UserView) => void;
  setStatus: (user: UserView) => void;
  copyId: (user: UserView) => void;
  copyCommand: (user: UserView) => void;
  switchEnvironment: (name: string) => void;
  listRoles: () => void;
  actWithRole: (roleId: string) => void;
  signOut: () => void;
  refresh: () => void;
  open: (pageId: string) => void;
};

export type PaletteData = {
  serviceUsers: readonly UserView[];
  environments: readonly EnvironmentView[];
  currentEnvironment: string | null;
  /** Your roles; null: not known (not loaded, or a session without a user). */
  roles: readonly RoleChoiceView[] | null;
  /** A personal access token's session is bound to its role. */
  rolesSwitchable: boolean;
  signedIn: boolean;
  /** Why changes cannot be sent now (offline); null: they can. */
  offline: string | null;
  pages: readonly PalettePage[];
};

/** The label the "switch role" entry and every role's entry start with. */
export const SWITCH_ROLE = "Switch role";

export function buildEntries(d: PaletteData, h: PaletteHandlers): PaletteEntry[] {
  const entries: PaletteEntry[] = [];
  const roleEntries: PaletteEntry[] = [];
  if (d.signedIn && d.roles && d.rolesSwitchable) {
    for (const r of d.roles) {
      roleEntries.push({
        id: `role:${r.roleId}`,
        group: "role",
        label: `${SWITCH_ROLE} to ${r.roleName}`,
        description: r.active ? `${r.roleId} (active)` : r.roleId,
        keywords: r.roleId,
        reason: r.active ? `You already act with ${r.roleName}.` : null,
        run: () => h.actWithRole(r.roleId),
      });
    }
  }
  if (d.signedIn) {
    entries.push({
      id: "action:switch-role",
      group: "action",
      label: `${SWITCH_ROLE}…`,
      description: d.rolesSwitchable
        ? "Lists your roles"
        : "Your access token is bound to its role: sign in with a password to switch.",
      keywords: "role act with",
      suggested: true,
      keepOpen: true,
      reason: d.rolesSwitchable ? null : "A personal access token's session is bound to its role.",
      run: h.listRoles,
    });
  }
  entries.push({
    id: "action:refresh",
    group: "action",
    label: "Refresh",
    description: "Sync the cache with the server now",
    keywords: "sync reload",
    suggested: true,
    run: h.refresh,
  });
  for (const p of d.pages) {
    entries.push({
      id: `page:${p.id}`,
      group: "page",
      label: `Open ${p.label.toLowerCase()}`,
      keywords: "go to page",
      suggested: true,
      run: () => h.open(p.id),
    });
  }
  for (const e of d.environments) {
    if (e.name === d.currentEnvironment) continue;
    entries.push({
      id: `environment:${e.name}`,
      group: "environment",
      label: `Switch to ${e.name}`,
      description: `${e.production ? "Production environment" : "Environment"} at ${e.baseUrl}${
        e.signedIn ? "" : " (not signed in)"
      }`,
      keywords: `environment ${e.production ? "production" : ""}`,
      suggested: true,
      run: () => h.switchEnvironment(e.name),
    });
  }
  entries.push(...roleEntries);
  if (d.signedIn) {
    entries.push({
      id: "action:sign-out",
      group: "action",
      label: "Sign out",
      description: d.currentEnvironment ? `Of ${d.currentEnvironment}` : undefined,
      keywords: "log out",
      suggested: true,
      run: h.signOut,
    });
  }
  for (const u of d.serviceUsers) entries.push(...userEntries(u, d, h));
  return entries;
}

function userEntries(u: UserView, d: PaletteData, h: PaletteHandlers): PaletteEntry[] {
  const description = u.displayName === u.userId ? undefined : u.displayName;
  const status = u.enabled ? "Disable" : "Enable";
  const cannotAssume = assumeReason(u, d.offline);
  const cannotChange = firstReason(noAccessReason(u, `${status.toLowerCase()} it`), d.offline);
  return [
    {
      id: `assume:${u.userId}`,
      group: "service user",
      label: `Assume ${u.userId}`,
      description: cannotAssume ?? description,
      keywords: u.displayName,
      reason: cannotAssume,
      run: () => h.assume(u),
    },
    {
      id: `status:${u.userId}`,
      group: "service user",
      label: `${status} ${u.userId}`,
      description: cannotChange ?? description,
      keywords: u.displayName,
      reason: cannotChange,
      run: () => h.setStatus(u),
    },
    {
      id: `copy-id:${u.userId}`,
      group: "service user",
      label: `Copy id ${u.userId}`,
      keywords: u.displayName,
      run: () => h.copyId(u),
    },
    {
      id: `copy-command:${u.userId}`,
      group: "service user",
      label: `Copy command ${u.userId}`,
      description: "amorphic-su exec … -- (no secret)",
      keywords: u.displayName,
      run: () => h.copyCommand(u),
    },
  ];
}
