// The bulk actions the window offers, in words, and the command input each one sends.
import type { BulkActionInput } from "../../ipc";

export type BulkKind = BulkActionInput["kind"];

/** What an action needs besides the selection. */
export type BulkParams = { role: string; users: string[]; tags: string[]; transferTo: string };

export const NO_PARAMS: BulkParams = { role: "", users: [], tags: [], transferTo: "" };

export const BULK_ACTIONS: { kind: BulkKind; label: string }[] = [
  { kind: "enable", label: "Enable" },
  { kind: "disable", label: "Disable" },
  { kind: "attachRole", label: "Attach role" },
  { kind: "detachRole", label: "Detach role" },
  { kind: "share", label: "Share" },
  { kind: "unshareUser", label: "Stop sharing with a person" },
  { kind: "unshareTag", label: "Stop sharing with a tag" },
  { kind: "delete", label: "Delete" },
];

export function actionLabel(kind: BulkKind): string {
  return BULK_ACTIONS.find((a) => a.kind === kind)?.label ?? kind;
}

/** The command input, or what is still missing, in words. */
export function actionInput(kind: BulkKind, p: BulkParams): BulkActionInput | string {
  switch (kind) {
    case "enable":
    case "disable":
      return { kind };
    case "attachRole":
    case "detachRole":
      return p.role ? { kind, role: p.role } : "Choose a role.";
    case "share":
      return p.users.length + p.tags.length > 0
        ? { kind, users: p.users, tags: p.tags }
        : "Name at least one person or tag to share with.";
    case "unshareUser":
      return p.users.length === 1 ? { kind, user: p.users[0] } : "Name the person to stop sharing with.";
    case "unshareTag":
      return p.tags.length === 1 ? { kind, tag: p.tags[0] } : "Choose the tag to stop sharing with.";
    case "delete":
      return p.transferTo
        ? { kind, transferTo: p.transferTo }
        : "Choose the person who receives what the service users own.";
  }
}
